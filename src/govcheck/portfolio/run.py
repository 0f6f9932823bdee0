"""Evaluate every pilot at its next stage, on one core or several, with the same result either way.

``govcheck.api.run_check`` evaluates all manifests at one stage; a portfolio asks each pilot
about its own next gate, so this module loads the policy the same way and calls the
evaluator per manifest.

Memory stays flat as the portfolio grows: files are evaluated in chunks (in forked workers
for ``jobs`` > 1; they inherit the compiled policy), and each pilot is reduced to its small
row (``portfolio.PilotReadiness``) as soon as it is evaluated, where it was evaluated. Only
rows travel back and accumulate, with equal values shared between rows. The formats that list
findings and metrics (json, html) also get each pilot's compact detail, which is spooled to
an anonymous temporary file chunk by chunk and read back in order while the report is
written. Chunks come back in any order and are reassembled in input order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
import os
import pickle
import tempfile
import weakref
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal, TypeVar

from govcheck.api import load_policy
from govcheck.evaluate import evaluate
from govcheck.load import discover
from govcheck.load import manifest as manifests
from govcheck.load.discover import Listed
from govcheck.model import Finding, ManifestResult, RuleInfo, RunResult, sort_findings
from govcheck.packs.loader import DEFAULT_PACK
from govcheck.packs.policy import Policy
from govcheck.plugins import Registry, load_registry
from govcheck.portfolio.metrics import PilotFacts, facts_of
from govcheck.portfolio.model import (
    PilotDetail,
    PilotReadiness,
    Portfolio,
    capabilities_of,
    detail,
    next_stage,
    pilot,
    totals,
    unlisted_rule,
)
from govcheck.run import jobs_for, map_chunks

# The packs ``check`` applies at a promotion gate: the baseline and the scale-readiness gates, so
# "expand" means ``govcheck check --stage NEXT`` passes with both.
DEFAULT_PACKS = (DEFAULT_PACK, "scale-readiness")
MAX_CHUNK = 64
Progress = Callable[[int, int], None]  # called in the parent with (files done, files in all)
Keep = Literal["rows", "details", "results"]  # what a worker sends back of each pilot
T = TypeVar("T")


@dataclass(frozen=True)
class PortfolioSettings:
    """What ``govcheck portfolio`` evaluates; the result is the same whatever ``jobs`` is.

    ``packs`` replace the default ones (``DEFAULT_PACKS``), as ``--pack`` does for ``check``;
    ``extra_packs`` (a configuration's) are added and may only tighten; ``today`` None is the
    real date.
    """

    paths: tuple[str, ...] = (".",)
    packs: tuple[str, ...] = ()  # empty: DEFAULT_PACKS
    extra_packs: tuple[str, ...] = ()
    plugins: tuple[str, ...] = ()
    today: dt.date | None = None
    cwd: Path = field(default_factory=Path.cwd)
    jobs: int = 0  # 0: one per core when there are many manifests, else 1


@dataclass(frozen=True)
class _Job:
    policy: Policy
    today: dt.date
    cwd: Path
    keep: Keep

    @cached_property
    def categories(self) -> dict[str, str]:
        return {r.info.id: r.info.category for r in self.policy.rules}

    @cached_property
    def capabilities(self) -> dict[str, str]:
        return capabilities_of(r.info for r in self.policy.rules)


@dataclass
class _Chunk:
    """What one chunk of files gives back, in file order."""

    files: int
    problems: list[Finding] = field(default_factory=list)
    rows: list[PilotReadiness] = field(default_factory=list)
    details: bytes = b""  # keep == "details": the chunk's PilotDetails, pickled where they were made
    unlisted: dict[str, RuleInfo] = field(default_factory=dict)  # keep == "details"
    results: list[tuple[ManifestResult, PilotFacts]] = field(default_factory=list)  # keep == "results"


def evaluate_chunk(job: _Job, files: Sequence[Listed]) -> _Chunk:
    """Evaluate some files and reduce each pilot to what ``job.keep`` asks for; nothing else is retained."""
    out = _Chunk(len(files))
    details: list[PilotDetail] = []
    for item in files:
        targets, problems = manifests.load(discover.source(item), job.cwd)
        out.problems.extend(problems)
        for target in targets:
            facts = facts_of(target.doc.data, target.doc.file, target.doc.index)
            next_ = next_stage(facts.stage, job.policy.stages)
            result = evaluate(target, job.policy, job.today, next_)
            # Readiness needs only the categories of the rules that applied, not every outcome.
            applied = {job.categories[o.rule] for o in result.outcomes if o.status != "not-applicable"}
            m = dataclasses.replace(result, outcomes=())
            facts = dataclasses.replace(facts, assessed=tuple(sorted(applied)))
            if job.keep == "results":
                out.results.append((m, facts))
                continue
            out.rows.append(pilot(m, facts, next_, job.today, job.capabilities))
            if job.keep == "details":
                details.append(detail(m, facts, job.today))
                for f in m.findings:
                    if f.rule not in job.categories and f.rule not in out.unlisted:
                        out.unlisted[f.rule] = unlisted_rule(f)
    if job.keep == "details":
        out.details = pickle.dumps(details, pickle.HIGHEST_PROTOCOL)
    return out


def _chunks(files: list[Listed], workers: int) -> deque[list[Listed]]:
    size = max(1, min(MAX_CHUNK, math.ceil(len(files) / (workers * 4))))
    return deque(files[i : i + size] for i in range(0, len(files), size))


def evaluate_chunks(
    job: _Job, files: list[Listed], requested: int = 0, progress: Progress | None = None
) -> Iterator[tuple[int, _Chunk]]:
    """Each chunk's index and result, in input order, through the same run loop as ``check``.

    ``files`` is emptied: each chunk's entries are released once the chunk is handed out.
    """
    total = len(files)
    workers = min(jobs_for(requested, total), max(1, total))
    chunks = _chunks(files, workers)
    files.clear()
    handed_out = (chunks.popleft() for _ in range(len(chunks)))
    finished = 0
    for index, result in enumerate(map_chunks(functools.partial(evaluate_chunk, job), handed_out, workers)):
        yield index, result
        finished += result.files
        if progress is not None:
            progress(finished, total)


def root_packs(settings: PortfolioSettings) -> tuple[str, ...]:
    """The packs a portfolio is judged with, by installed name or path (the configuration's aside)."""
    return settings.packs or DEFAULT_PACKS


def portfolio_policy(
    settings: PortfolioSettings, registry: Registry, roots: tuple[str, ...] | None = None
) -> Policy:
    """The policy of ``roots`` (default: ``root_packs``) and the configuration's packs, as check loads it."""
    return load_policy(registry, roots or root_packs(settings), settings.cwd, settings.extra_packs)


def _prepare(
    settings: PortfolioSettings, registry: Registry | None, policy: Policy | None = None
) -> tuple[Policy, dt.date, list[Listed]]:
    # ``policy`` given: judged with that instead (``portfolio.compare`` previews a changed policy).
    if policy is None:
        policy = portfolio_policy(settings, registry or load_registry(settings.plugins))
    return policy, settings.today or dt.date.today(), discover.listing(settings.paths, settings.cwd)


def _in_order(parts: dict[int, list[T]]) -> Iterator[T]:
    for index in range(len(parts)):
        yield from parts.pop(index)


class _Shared:
    """One object for the equal values that many rows repeat (tiers, stages, verdicts, statuses, ...)."""

    def __init__(self) -> None:
        self._values: dict[object, object] = {}
        self._mappings: dict[tuple[tuple[str, object], ...], dict[str, object]] = {}

    def value(self, value: T) -> T:
        return self._values.setdefault(value, value)  # type: ignore[return-value]

    def mapping(self, mapping: dict[str, T]) -> dict[str, T]:
        return self._mappings.setdefault(tuple(mapping.items()), mapping)  # type: ignore[arg-type,return-value]

    def row(self, p: PilotReadiness) -> PilotReadiness:
        value, mapping = self.value, self.mapping
        return dataclasses.replace(
            p,
            use_case=value(p.use_case),
            declared_tier=value(p.declared_tier),
            tier=value(p.tier),
            tier_reasons=value(tuple(map(value, p.tier_reasons))),
            stage=value(p.stage),
            next_stage=value(p.next_stage),
            verdict=value(p.verdict),
            reasons=value(tuple(map(value, p.reasons))),
            readiness=mapping(dict(p.readiness)),
            counts=mapping(dict(p.counts)),
            categories=value(tuple(map(value, p.categories))),
            gaps=value(p.gaps),
        )


class _Spool:
    """Pilot details in an anonymous temporary file, chunk by chunk; read back in chunk order."""

    def __init__(self) -> None:
        # Open for the spool's lifetime, not a block's: the finalizer closes it.
        self._file = tempfile.TemporaryFile()  # noqa: SIM115
        self._where: dict[int, int] = {}
        weakref.finalize(self, self._file.close)

    def put(self, index: int, pickled: bytes) -> None:
        """Keep one chunk's details: a pickled list of ``PilotDetail``."""
        self._where[index] = self._file.seek(0, os.SEEK_END)
        self._file.write(pickled)

    def __iter__(self) -> Iterator[PilotDetail]:
        for index in range(len(self._where)):
            self._file.seek(self._where[index])
            details: list[PilotDetail] = pickle.load(self._file)
            yield from details


@dataclass(frozen=True)
class Evaluated:
    """Every pilot of a portfolio evaluated at its next stage: ``portfolio.model.build`` summarizes it."""

    result: RunResult
    facts: Mapping[tuple[str, int], PilotFacts]  # by (file, document)
    stages: tuple[str, ...]
    tiers: tuple[str, ...]
    problems: tuple[Finding, ...]  # files that are not readable pilots


def evaluate_portfolio(
    settings: PortfolioSettings,
    registry: Registry | None = None,
    progress: Progress | None = None,
    policy: Policy | None = None,
) -> Evaluated:
    """Every pilot evaluated at its next stage, findings and all, held in memory.

    ``run_portfolio`` keeps only rows and spooled details; this is the plain form of the same
    evaluation, for library users and as the reference it is tested against. ``policy``, when
    given, is judged with instead of the packs ``settings`` names.
    """
    policy, today, files = _prepare(settings, registry, policy)
    parts: dict[int, list[tuple[ManifestResult, PilotFacts]]] = {}
    problems: list[Finding] = []
    for index, chunk in evaluate_chunks(
        _Job(policy, today, settings.cwd, "results"), files, settings.jobs, progress
    ):
        parts[index] = chunk.results
        problems.extend(chunk.problems)
    evaluated = list(_in_order(parts))
    findings = [f for m, _ in evaluated for f in m.findings] + problems
    result = RunResult(
        tuple(sorted((m for m, _ in evaluated), key=lambda m: (m.file, m.document))),
        sort_findings(findings),
        policy.packs,
        tuple(r.info for r in policy.rules),
        today.isoformat(),
        "",
    )
    facts = {(f.file, f.document): f for _, f in evaluated}
    return Evaluated(result, facts, policy.stages, policy.tiers, sort_findings(problems))


def run_portfolio(
    settings: PortfolioSettings,
    registry: Registry | None = None,
    progress: Progress | None = None,
    *,
    details: bool = True,
) -> Portfolio:
    """Evaluate and summarize: the library call behind ``govcheck portfolio``.

    With ``details=False`` the portfolio has rows and totals only (enough for the text and csv
    formats); with ``details=True`` each pilot's findings and metric judgements are spooled to
    a temporary file for the formats that list them.
    """
    policy, today, files = _prepare(settings, registry)
    job = _Job(policy, today, settings.cwd, "details" if details else "rows")
    shared = _Shared()
    rows: dict[int, list[PilotReadiness]] = {}
    unlisted: dict[int, dict[str, RuleInfo]] = {}
    problems: list[Finding] = []
    spool = _Spool() if details else None
    for index, chunk in evaluate_chunks(job, files, settings.jobs, progress):
        rows[index] = [shared.row(p) for p in chunk.rows]
        problems.extend(chunk.problems)
        unlisted[index] = chunk.unlisted
        if spool is not None:
            spool.put(index, chunk.details)
    rules: dict[str, RuleInfo] = {}
    for index in range(len(unlisted)):  # the first chunk to name a rule describes it, as in a serial run
        for rule, info in unlisted[index].items():
            rules.setdefault(rule, info)
    pilots = tuple(_in_order(rows))
    return Portfolio(
        today.isoformat(),
        policy.packs,
        tuple(r.info for r in policy.rules),
        policy.tiers,
        pilots,
        sort_findings(problems),
        totals(pilots),
        spool,
        tuple(rules.values()),
    )
