"""Evaluate every pilot at its next stage, on one core or several, with the same result either way.

``govcheck.api.run_check`` evaluates all manifests at one stage; a portfolio asks each pilot
about its own next gate, so this module loads the policy the same way and calls the
evaluator per manifest. Workers are forked after the policy is compiled and inherit it;
chunks come back in any order and are reassembled in input order.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import math
import multiprocessing
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable, Sequence

from govcheck import manifests
from govcheck._parallel import jobs_for
from govcheck._portfolio_metrics import PilotFacts, facts_of
from govcheck.api import load_policy
from govcheck.errors import UsageError
from govcheck.evaluate import evaluate
from govcheck.finding import Finding, ManifestResult, RunResult, sort_findings
from govcheck.manifests import Source
from govcheck.plugins import Registry, load_registry
from govcheck.policy import Policy
from govcheck.portfolio import Portfolio, build, next_stage

PACK = "scale-readiness"
MAX_CHUNK = 64
Progress = Callable[[int, int], None]  # called in the parent with (files done, files in all)


@dataclass(frozen=True)
class PortfolioSettings:
    paths: tuple[str, ...] = (".",)
    packs: tuple[str, ...] = ()  # in addition to scale-readiness, which is always loaded
    plugins: tuple[str, ...] = ()
    today: dt.date | None = None
    cwd: Path = field(default_factory=Path.cwd)
    jobs: int = 0  # 0: one per core when there are many manifests, else 1


@dataclass(frozen=True)
class _Job:
    policy: Policy
    today: dt.date
    cwd: Path

    @cached_property
    def categories(self) -> dict[str, str]:
        return {r.info.id: r.info.category for r in self.policy.rules}


@dataclass
class _Batch:
    results: list[ManifestResult] = field(default_factory=list)
    facts: list[PilotFacts] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)


_JOB: _Job | None = None  # set by the pool initializer in each forked worker


def evaluate_sources(job: _Job, sources: Sequence[Source]) -> _Batch:
    batch = _Batch()
    for source in sources:
        targets, problems = manifests.load(source, job.cwd)
        batch.problems.extend(problems)
        for target in targets:
            facts = facts_of(target.doc.data, target.doc.file, target.doc.index)
            result = evaluate(target, job.policy, job.today, next_stage(facts.stage, job.policy.stages))
            # Readiness needs only the categories of the rules that applied; keeping every
            # per-rule outcome would cost about a third of the memory of a large portfolio.
            applied = {job.categories[o.rule] for o in result.outcomes if o.status != "not-applicable"}
            batch.results.append(dataclasses.replace(result, outcomes=()))
            batch.facts.append(dataclasses.replace(facts, assessed=tuple(sorted(applied))))
    return batch


def _init(job: _Job) -> None:
    global _JOB
    _JOB = job


def _worker(sources: Sequence[Source]) -> _Batch:
    assert _JOB is not None
    return evaluate_sources(_JOB, sources)


def _merge(batches: Iterable[_Batch]) -> _Batch:
    out = _Batch()
    for batch in batches:
        out.results.extend(batch.results)
        out.facts.extend(batch.facts)
        out.problems.extend(batch.problems)
    return out


def _chunks(sources: Sequence[Source], workers: int) -> list[Sequence[Source]]:
    size = max(1, min(MAX_CHUNK, math.ceil(len(sources) / (workers * 4))))
    return [sources[i:i + size] for i in range(0, len(sources), size)]


def run(job: _Job, sources: Sequence[Source], requested: int = 0, progress: Progress | None = None) -> _Batch:
    workers = min(jobs_for(requested, len(sources)), max(1, len(sources)))
    chunks = _chunks(sources, workers)
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        serial, finished = [], 0
        for chunk in chunks:
            serial.append(evaluate_sources(job, chunk))
            finished += len(chunk)
            if progress is not None:
                progress(finished, len(sources))
        return _merge(serial)
    done: dict[int, _Batch] = {}
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init, initargs=(job,)) as pool:
        futures = {pool.submit(_worker, chunk): i for i, chunk in enumerate(chunks)}
        finished = 0
        for future in as_completed(futures):
            index = futures[future]
            done[index] = future.result()
            finished += len(chunks[index])
            if progress is not None:
                progress(finished, len(sources))
    return _merge(done[i] for i in range(len(chunks)))


def evaluate_portfolio(settings: PortfolioSettings, registry: Registry | None = None,
                       progress: Progress | None = None) -> RunResult:
    """Every pilot evaluated at its next stage; ``portfolio.build`` turns this into a portfolio."""
    registry = registry or load_registry(settings.plugins)
    policy = load_policy(registry, (PACK, *settings.packs), settings.cwd)
    today = settings.today or dt.date.today()
    sources = list(manifests.discover(settings.paths))
    for source in sources:
        if not source.path.exists():
            raise UsageError(f"{source.path}: no such file or directory")
    batch = run(_Job(policy, today, settings.cwd), sources, settings.jobs, progress)
    findings = [f for r in batch.results for f in r.findings] + batch.problems
    extra: dict[str, object] = {"pilots": {(f.file, f.document): f for f in batch.facts}, "stages": policy.stages,
                                "tiers": policy.tiers, "problems": sort_findings(batch.problems)}
    return RunResult(tuple(batch.results), sort_findings(findings), policy.packs, tuple(r.info for r in policy.rules),
                     today.isoformat(), "", extra)


def run_portfolio(settings: PortfolioSettings, registry: Registry | None = None,
                  progress: Progress | None = None) -> Portfolio:
    """Evaluate and summarize: the library call behind ``govcheck portfolio``."""
    return build(evaluate_portfolio(settings, registry, progress))
