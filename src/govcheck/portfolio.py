"""Scale-readiness across many pilots, computed from one ``RunResult``.

Every pilot was evaluated at its *next* stage (``portfolio_run``), so its findings are what
stands between it and promotion. This module only reads that result: per pilot, a status for
each readiness dimension and a verdict; for the portfolio, totals. The rules behind both are
documented in ``docs/portfolio.md``.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Literal, Mapping

from govcheck._portfolio_metrics import MetricJudgement, PilotFacts, judge, should_consider_stopping
from govcheck.finding import SEVERITIES, Finding, ManifestResult, PackInfo, RuleInfo, RunResult

DIMENSIONS = ("workflow", "data", "governance", "ownership", "monitoring", "metrics")
# Rule category -> readiness dimension. The operating model (funding, support, decommissioning)
# is how ownership continues after launch, so it counts under ownership.
CATEGORY_DIMENSION: Mapping[str, str] = {
    "workflow": "workflow", "data": "data", "governance": "governance", "ownership": "ownership",
    "operating-model": "ownership", "monitoring": "monitoring", "metrics": "metrics",
}
MANIFEST = "manifest"  # findings about the file itself (GC-SCHEMA, ...): not a dimension, still a gap
STATUSES = ("ready", "attention", "blocked", "not-assessed")
Status = Literal["ready", "attention", "blocked", "not-assessed"]
VERDICTS = ("consider-stopping", "redesign", "fix-gaps", "expand", "retired")  # precedence order
REDESIGN = frozenset({"workflow", "data"})
RETIRED = "retired"
BLOCKING = "error"  # the gate's default --fail-on: errors block a promotion, warnings do not


@dataclass(frozen=True)
class PilotReadiness:
    id: str
    name: str
    file: str
    document: int
    use_case: str
    declared_tier: str
    tier: str
    tier_reasons: tuple[str, ...]
    stage: str
    next_stage: str
    readiness: Mapping[str, Status]
    verdict: str
    reasons: tuple[str, ...]
    counts: Mapping[str, int]
    findings: tuple[Finding, ...]
    metrics: tuple[MetricJudgement, ...]


@dataclass(frozen=True)
class Totals:
    verdicts: Mapping[str, int]
    severity: Mapping[str, int]
    by_dimension: Mapping[str, Mapping[str, int]]  # dimension -> status -> pilots
    by_tier: Mapping[str, Mapping[str, int]]  # effective tier -> verdict -> pilots
    by_use_case: Mapping[str, Mapping[str, int]]  # use case -> verdict -> pilots
    by_category_tier: Mapping[str, Mapping[str, int]]  # rule category -> effective tier -> findings


@dataclass(frozen=True)
class Portfolio:
    today: str
    packs: tuple[PackInfo, ...]
    rules: tuple[RuleInfo, ...]
    tiers: tuple[str, ...]
    pilots: tuple[PilotReadiness, ...]
    problems: tuple[Finding, ...]  # files that could not be read as manifests at all
    totals: Totals


def dimension_of(category: str) -> str:
    return CATEGORY_DIMENSION.get(category, MANIFEST)


def next_stage(stage: str, stages: tuple[str, ...]) -> str:
    """The gate a pilot is judged against: the stage after its own; the top stage stays put.

    Retired pilots are not promoted; a missing or unknown stage counts as the first stage.
    """
    if stage == RETIRED:
        return RETIRED
    index = stages.index(stage) if stage in stages else 0
    return stages[min(index + 1, len(stages) - 1)]


def verdict(stage: str, blocked: Iterable[str], stop: bool) -> str:
    """consider-stopping > redesign > fix-gaps > expand; retired pilots are only listed."""
    blocked = set(blocked)
    if stage == RETIRED:
        return RETIRED
    if stop:
        return "consider-stopping"
    if blocked & REDESIGN:
        return "redesign"
    return "fix-gaps" if blocked else "expand"


def readiness(m: ManifestResult, assessed_categories: Iterable[str]) -> dict[str, Status]:
    assessed = {dimension_of(c) for c in assessed_categories}
    worst: dict[str, Status] = {d: "ready" if d in assessed else "not-assessed" for d in DIMENSIONS}
    for f in m.findings:
        dim = dimension_of(f.category)
        if dim in worst and not f.suppressed:
            worst[dim] = "blocked" if f.severity == BLOCKING or worst[dim] == "blocked" else "attention"
    return worst


def _reasons(blocking: list[Finding], stopped: list[MetricJudgement], verdict_: str) -> tuple[str, ...]:
    if verdict_ == "consider-stopping":
        return tuple(f"{j.name or 'metric'}: measured {j.current:g} on {j.measured_on}, past the horizon "
                     f"({j.horizon_end}), is no better than the baseline {j.baseline:g} (target {j.target:g})"
                     for j in stopped if j.current is not None and j.baseline is not None and j.target is not None)
    by_dim: dict[str, set[str]] = {d: set() for d in (*DIMENSIONS, MANIFEST)}
    for f in blocking:
        by_dim[dimension_of(f.category)].add(f.rule)
    return tuple(f"{dim}: {', '.join(sorted(rules))}" for dim, rules in by_dim.items() if rules)


def pilot(m: ManifestResult, facts: PilotFacts, next_: str) -> PilotReadiness:
    judgements = tuple(judge(metric, facts.start) for metric in facts.metrics)
    blocking = [f for f in m.findings if f.severity == BLOCKING and not f.suppressed]
    stop = should_consider_stopping(judgements)
    decided = verdict(facts.stage, {dimension_of(f.category) for f in blocking}, stop)
    stopped = [j for j in judgements if j.judgement == "no-better"]
    counts = Counter(f.severity for f in m.findings if not f.suppressed)
    return PilotReadiness(m.pilot, facts.name, m.file, m.document, facts.use_case, m.declared_tier, m.tier,
                          m.tier_reasons, facts.stage, next_, readiness(m, facts.assessed), decided,
                          _reasons(blocking, stopped, decided), {s: counts.get(s, 0) for s in SEVERITIES},
                          m.findings, judgements)


def build(result: RunResult) -> Portfolio:
    """The portfolio of a ``RunResult`` made by ``portfolio_run.evaluate``."""
    facts: Mapping[tuple[str, int], PilotFacts] = result.extra["pilots"]  # type: ignore[assignment]
    stages: tuple[str, ...] = result.extra["stages"]  # type: ignore[assignment]
    tiers: tuple[str, ...] = result.extra["tiers"]  # type: ignore[assignment]
    pilots = tuple(pilot(m, facts[(m.file, m.document)], next_stage(facts[(m.file, m.document)].stage, stages))
                   for m in result.manifests)
    problems: tuple[Finding, ...] = result.extra["problems"]  # type: ignore[assignment]
    return Portfolio(result.today, result.packs, result.rules, tiers, pilots, problems, totals(pilots))


def _table(pairs: Iterable[tuple[str, str]]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for row, column in pairs:
        out.setdefault(row, {}).setdefault(column, 0)
        out[row][column] += 1
    return {row: dict(sorted(cols.items())) for row, cols in sorted(out.items())}


def totals(pilots: tuple[PilotReadiness, ...]) -> Totals:
    verdicts = Counter(p.verdict for p in pilots)
    severity: dict[str, int] = {s: sum(p.counts[s] for p in pilots) for s in SEVERITIES}
    by_dimension = {d: {s: sum(1 for p in pilots if p.readiness[d] == s) for s in STATUSES} for d in DIMENSIONS}
    by_tier = _table((p.tier or "(none)", p.verdict) for p in pilots)
    by_use_case = _table((p.use_case or "(none)", p.verdict) for p in pilots)
    by_category_tier = _table((f.category or MANIFEST, p.tier or "(none)") for p in pilots for f in p.findings
                              if not f.suppressed)
    return Totals({v: verdicts.get(v, 0) for v in VERDICTS}, severity, by_dimension, by_tier, by_use_case,
                  by_category_tier)
