"""Scale-readiness across many pilots: per pilot a small row, for the portfolio totals.

Every pilot was evaluated at its *next* stage (``portfolio.run``), so its findings are what
stands between it and promotion. This module turns one evaluated pilot into its row (a status
for each readiness dimension, a verdict and why, counts) and, for the formats that list them,
its detail (findings, success-metric judgements); the totals are computed from the rows
alone. The rules behind all of it are documented in ``docs/portfolio.md``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Literal, NamedTuple

from govcheck.model import SEVERITIES, Finding, ManifestResult, PackInfo, RuleInfo
from govcheck.portfolio.metrics import (
    HARMFUL,
    MetricFacts,
    MetricJudgement,
    PilotFacts,
    judge,
    should_consider_stopping,
)
from govcheck.portfolio.roadmap import Gaps, RoadmapStep, plan

DIMENSIONS = ("workflow", "data", "governance", "ownership", "monitoring", "metrics")
# Rule category -> readiness dimension. The operating model (funding, support, decommissioning)
# is how ownership continues after launch, so it counts under ownership.
CATEGORY_DIMENSION: Mapping[str, str] = {
    "workflow": "workflow",
    "data": "data",
    "governance": "governance",
    "ownership": "ownership",
    "operating-model": "ownership",
    "monitoring": "monitoring",
    "metrics": "metrics",
}
MANIFEST = "manifest"  # findings about the file itself (GC-SCHEMA, ...): not a dimension, still a gap
STATUSES = ("ready", "attention", "blocked", "not-assessed")
Status = Literal["ready", "attention", "blocked", "not-assessed"]
VERDICTS = ("consider-stopping", "redesign", "fix-gaps", "expand", "retired")  # precedence order
REDESIGN = frozenset({"workflow", "data"})
RETIRED = "retired"
BLOCKING = "error"  # the gate's default --fail-on: errors block a promotion, warnings do not


if TYPE_CHECKING:
    from govcheck.portfolio.run import Evaluated


@dataclass(frozen=True, slots=True)
class PilotReadiness:
    """One pilot's row: everything the formats show of it except its findings and metrics.

    A portfolio keeps one row per pilot in memory, so rows stay small; the mappings are
    read-only and may be shared between rows.
    """

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
    counts: Mapping[str, int]  # findings that count, per severity
    categories: tuple[
        tuple[str, int], ...
    ]  # findings that count per rule category ("manifest" for none), by name
    # Blocking findings of rules that name an enterprise capability: each capability, by name,
    # with its rules, by id. The capability roadmap is computed from these alone.
    gaps: Gaps = ()
    own_blockers: int = 0  # blocking findings of rules that name no capability
    sha256: str = ""  # of the manifest file as judged, for the decision record


class FindingRow(NamedTuple):
    """What the portfolio formats show of one finding."""

    rule: str
    severity: str
    category: str
    message: str
    file: str
    line: int
    column: int
    path: str


class PilotDetail(NamedTuple):
    """A pilot's findings and success-metric judgements, for the formats that list them (json, html)."""

    findings: tuple[FindingRow, ...]
    metrics: tuple[MetricJudgement, ...]


@dataclass(frozen=True)
class Totals:
    """Counts over all pilots, computed from the rows alone; waived findings do not count.

    Every verdict, severity, dimension and status has a key, zero or not; in the cross tables only
    rows and columns with something to count appear, sorted.
    """

    verdicts: Mapping[str, int]
    severity: Mapping[str, int]
    by_dimension: Mapping[str, Mapping[str, int]]  # dimension -> status -> pilots
    by_tier: Mapping[str, Mapping[str, int]]  # effective tier -> verdict -> pilots
    by_use_case: Mapping[str, Mapping[str, int]]  # use case -> verdict -> pilots
    by_category_tier: Mapping[str, Mapping[str, int]]  # rule category -> effective tier -> findings


@dataclass(frozen=True)
class Portfolio:
    """What every portfolio format renders: the pilots' rows in input order, totals, unreadable files.

    ``details``, when the portfolio was made with them, may be spooled to a temporary file;
    ``with_details`` pairs them with the rows.
    """

    today: str
    packs: tuple[PackInfo, ...]
    rules: tuple[RuleInfo, ...]
    tiers: tuple[str, ...]
    pilots: Sequence[PilotReadiness]
    problems: tuple[Finding, ...]  # files that could not be read as manifests at all
    totals: Totals
    # One PilotDetail per pilot, in the order of ``pilots`` (may be read more than once); None
    # when the portfolio was made without them, as for the text and csv formats.
    details: Iterable[PilotDetail] | None = None
    # Rules of pilot findings that no pack defines (GC-SCHEMA, ...), in order of first appearance.
    unlisted_rules: tuple[RuleInfo, ...] = ()

    @cached_property
    def roadmap(self) -> tuple[RoadmapStep, ...]:
        """The capabilities blocking pilots, in the greedy order that unblocks the most (``roadmap.plan``).

        A pilot counts as unblocked once every capability blocking it is built, when nothing
        else blocks it: no finding of a rule without a capability, no stopping or harm signal.
        """
        return plan(
            (label(p), p.gaps, p.own_blockers == 0 and p.verdict == "fix-gaps")
            for p in self.pilots
            if p.gaps and p.verdict != RETIRED
        )

    def with_details(self) -> Iterator[tuple[PilotReadiness, PilotDetail]]:
        """Each pilot's row with its detail, in order."""
        if self.details is None:
            raise ValueError("this portfolio was made without its pilots' findings and metrics")
        return zip(self.pilots, self.details, strict=True)


def dimension_of(category: str) -> str:
    """The readiness dimension a rule category counts under; any other (``schema``, ...) is ``manifest``."""
    return CATEGORY_DIMENSION.get(category, MANIFEST)


def label(p: PilotReadiness) -> str:
    """The pilot id; a manifest without one is named by its file and document."""
    return p.id or f"{p.file}#{p.document}"


def gaps_of(blocking: Iterable[Finding], capabilities: Mapping[str, str]) -> Gaps:
    """Each capability that blocking findings point at, by name, with their rules, by id."""
    rules: dict[str, set[str]] = {}
    for f in blocking:
        if capabilities.get(f.rule):
            rules.setdefault(capabilities[f.rule], set()).add(f.rule)
    return tuple((c, tuple(sorted(r))) for c, r in sorted(rules.items()))


def capabilities_of(rules: Iterable[RuleInfo]) -> dict[str, str]:
    """Rule id -> the capability it names, for the rules that name one."""
    return {r.id: r.capability for r in rules if r.capability}


def next_stage(stage: str, stages: tuple[str, ...]) -> str:
    """The gate a pilot is judged against: the stage after its own; the top stage stays put.

    Retired pilots are not promoted; a missing or unknown stage counts as the first stage.
    """
    if stage == RETIRED:
        return RETIRED
    index = stages.index(stage) if stage in stages else 0
    return stages[min(index + 1, len(stages) - 1)]


def verdict(stage: str, blocked: Iterable[str], stop: bool, harmed: bool = False, gaps: bool = False) -> str:
    """consider-stopping > redesign > fix-gaps > expand; retired pilots are only listed.

    ``blocked`` are the dimensions of blocking findings whose rules name no capability: the
    pilot's own. ``gaps``: blocking findings of rules that name an enterprise capability, which
    is built once for every pilot, so even a workflow or data finding of that kind is a gap to
    fix, not a redesign. ``harmed``: a safety or balancing metric measured worse than its
    baseline, or a target set in the wrong direction; the pilot itself must change.
    """
    blocked = set(blocked)
    if stage == RETIRED:
        return RETIRED
    if stop:
        return "consider-stopping"
    if harmed or blocked & REDESIGN:
        return "redesign"
    return "fix-gaps" if blocked or gaps else "expand"


def readiness(m: ManifestResult, assessed_categories: Iterable[str]) -> dict[str, Status]:
    """Each dimension's status at the pilot's next gate, from its unwaived findings.

    An error blocks and any other finding needs attention; with none, a dimension is ready when a
    rule of it applied (``assessed_categories``) and not-assessed otherwise.
    """
    assessed = {dimension_of(c) for c in assessed_categories}
    worst: dict[str, Status] = {d: "ready" if d in assessed else "not-assessed" for d in DIMENSIONS}
    for f in m.findings:
        dim = dimension_of(f.category)
        if dim in worst and not f.suppressed:
            worst[dim] = "blocked" if f.severity == BLOCKING or worst[dim] == "blocked" else "attention"
    return worst


def _metric_reason(facts: MetricFacts, j: MetricJudgement) -> str:
    name = j.name or "metric"
    better = f"{facts.direction} is better" if facts.direction else "no direction stated"
    if j.judgement == "wrong-direction" and j.target is not None and j.baseline is not None:
        return f"{name}: the target {j.target:g} is no improvement on the baseline {j.baseline:g} ({better})"
    if j.judgement == "worsened" and j.current is not None and j.baseline is not None:
        kind = f"{facts.kind} measure, " if facts.kind else ""
        return (
            f"{name}: measured {j.current:g} on {j.measured_on}, worse than the baseline "
            f"{j.baseline:g} ({kind}{better})"
        )
    if j.current is not None and j.baseline is not None and j.target is not None:
        return (
            f"{name}: measured {j.current:g} on {j.measured_on}, past the horizon "
            f"({j.horizon_end}), is no better than the baseline {j.baseline:g} (target {j.target:g})"
        )
    return f"{name}: {j.judgement}"


def _reasons(
    blocking: list[Finding], metrics: Iterable[tuple[MetricFacts, MetricJudgement]], verdict_: str
) -> tuple[str, ...]:
    """Why, in words: the metrics that decided the verdict, then each dimension's blocking rules
    by title with their id in brackets (the HTML links the id to the rule's card)."""
    wanted = {"no-better"} if verdict_ == "consider-stopping" else set(HARMFUL)
    said = tuple(_metric_reason(f, j) for f, j in metrics if j.judgement in wanted)
    if verdict_ == "consider-stopping":
        return said
    by_dim: dict[str, dict[str, str]] = {d: {} for d in (*DIMENSIONS, MANIFEST)}
    for f in blocking:
        by_dim[dimension_of(f.category)].setdefault(f.rule, f.title or f.rule)
    return said + tuple(
        f"{dim}: " + "; ".join(f"{title} ({rule})" for rule, title in sorted(rules.items()))
        for dim, rules in by_dim.items()
        if rules
    )


def _judged(facts: PilotFacts, today: dt.date | None) -> tuple[MetricJudgement, ...]:
    return tuple(judge(metric, facts.start, today) for metric in facts.metrics)


NOT_JUDGED: Mapping[str, Status] = {d: "not-assessed" for d in DIMENSIONS}


def pilot(
    m: ManifestResult,
    facts: PilotFacts,
    next_: str,
    today: dt.date | None = None,
    capabilities: Mapping[str, str] | None = None,
) -> PilotReadiness:
    """A pilot's row, from its evaluation at ``next_`` and the facts read from its manifest.

    ``capabilities`` maps a rule id to the capability its rule names (``capabilities_of``).
    A retired pilot is listed, not judged: no readiness, no reasons, nothing counted.
    """
    capabilities = capabilities or {}
    retired = facts.stage == RETIRED
    judgements = () if retired else _judged(facts, today)
    counted = [] if retired else [f for f in m.findings if not f.suppressed]
    blocking = [f for f in counted if f.severity == BLOCKING]
    stop = should_consider_stopping(judgements)
    harmed = any(j.judgement in HARMFUL for j in judgements)
    own = [f for f in blocking if not capabilities.get(f.rule)]
    gaps = gaps_of(blocking, capabilities)
    decided = verdict(facts.stage, {dimension_of(f.category) for f in own}, stop, harmed, bool(gaps))
    counts = Counter(f.severity for f in counted)
    status = dict(NOT_JUDGED) if retired else readiness(m, facts.assessed)
    if stop or harmed:  # the heat map says what the verdict says
        status["metrics"] = "blocked"
    return PilotReadiness(
        m.pilot,
        facts.name,
        m.file,
        m.document,
        facts.use_case,
        m.declared_tier,
        m.tier,
        m.tier_reasons,
        facts.stage,
        next_,
        status,
        decided,
        _reasons(blocking, zip(() if retired else facts.metrics, judgements, strict=True), decided),
        {s: counts.get(s, 0) for s in SEVERITIES},
        tuple(sorted(Counter(f.category or MANIFEST for f in counted).items())),
        gaps,
        len(own),
        m.sha256,
    )


def finding_row(f: Finding) -> FindingRow:
    """What the portfolio formats keep of a finding."""
    return FindingRow(f.rule, f.severity, f.category, f.message, f.file, f.line, f.column, f.path)


def detail(m: ManifestResult, facts: PilotFacts, today: dt.date | None = None) -> PilotDetail:
    """What the json and html formats list of a pilot beyond its row (nothing for a retired one)."""
    if facts.stage == RETIRED:
        return PilotDetail((), ())
    return PilotDetail(
        tuple(map(finding_row, m.findings)),
        _judged(facts, today),
    )


def unlisted_rule(f: Finding) -> RuleInfo:
    """What a finding says of its rule when no pack defines it (GC-SCHEMA, ...)."""
    return RuleInfo(f.rule, f.title, f.category, f.severity, "", f.remediation, f.references, "govcheck")


def build(evaluated: Evaluated) -> Portfolio:
    """The portfolio of ``portfolio.run.evaluate_portfolio``'s evaluation, details included."""
    result = evaluated.result
    pilots, details, unlisted = [], [], {}
    known = {r.id for r in result.rules}
    today = dt.date.fromisoformat(result.today) if result.today else None
    capabilities = capabilities_of(result.rules)
    for m in result.manifests:
        f = evaluated.facts[(m.file, m.document)]
        pilots.append(pilot(m, f, next_stage(f.stage, evaluated.stages), today, capabilities))
        details.append(detail(m, f, today))
        for finding in m.findings:
            if finding.rule not in known and finding.rule not in unlisted:
                unlisted[finding.rule] = unlisted_rule(finding)
    return Portfolio(
        result.today,
        result.packs,
        result.rules,
        evaluated.tiers,
        tuple(pilots),
        evaluated.problems,
        totals(pilots),
        tuple(details),
        tuple(unlisted.values()),
    )


def _table(cells: Iterable[tuple[str, str, int]]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for row, column, n in cells:
        out.setdefault(row, {}).setdefault(column, 0)
        out[row][column] += n
    return {row: dict(sorted(cols.items())) for row, cols in sorted(out.items())}


def totals(pilots: Sequence[PilotReadiness]) -> Totals:
    """Portfolio totals, from the rows alone."""
    verdicts = Counter(p.verdict for p in pilots)
    severity: dict[str, int] = {s: sum(p.counts[s] for p in pilots) for s in SEVERITIES}
    by_dimension = {
        d: {s: sum(1 for p in pilots if p.readiness[d] == s) for s in STATUSES} for d in DIMENSIONS
    }
    by_tier = _table((p.tier or "(none)", p.verdict, 1) for p in pilots)
    by_use_case = _table((p.use_case or "(none)", p.verdict, 1) for p in pilots)
    by_category_tier = _table((c, p.tier or "(none)", n) for p in pilots for c, n in p.categories)
    return Totals(
        {v: verdicts.get(v, 0) for v in VERDICTS},
        severity,
        by_dimension,
        by_tier,
        by_use_case,
        by_category_tier,
    )
