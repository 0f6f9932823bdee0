"""Evaluate many manifests, on one core or several, with the same output either way.

Workers are forked after the policy is compiled, so each inherits the compiled rules
instead of rebuilding them; chunks come back packed (``_store``), in input order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govcheck import packed as _store
from govcheck.evaluate import evaluate
from govcheck.load import manifest as manifests
from govcheck.load.manifest import Listed, Source
from govcheck.model import Finding, ManifestResult
from govcheck.packs.policy import Policy

AUTO_THRESHOLD = 64  # fewer manifests than this: forking costs more than it saves
CHUNK = 64


@dataclass(frozen=True)
class Job:
    policy: Policy
    today: dt.date
    stage: str | None
    cwd: Path
    outcomes: bool = True


Batch = tuple[list[ManifestResult], list[Finding]]
Chunk = tuple[bytes, int, int]  # packed batch, manifests, findings
_JOB: Job | None = None  # set in the parent before forking; workers read their inherited copy


def evaluate_sources(job: Job, sources: Sequence[Source]) -> Batch:
    results: list[ManifestResult] = []
    problems: list[Finding] = []
    for source in sources:
        targets, found = manifests.load(source, job.cwd)
        problems.extend(found)
        for target in targets:
            result = evaluate(target, job.policy, job.today, job.stage)
            results.append(result if job.outcomes else dataclasses.replace(result, outcomes=()))
    return results, problems


def packed(job: Job, items: Sequence[Listed]) -> Chunk:
    results, problems = evaluate_sources(job, [manifests.source(item) for item in items])
    findings = [f for r in results for f in r.findings] + problems
    return _store.pack(results, findings), len(results), len(findings)


def _worker(items: Sequence[Listed]) -> Chunk:
    assert _JOB is not None
    return packed(_JOB, items)


def jobs_for(requested: int, count: int) -> int:
    if requested > 0:
        return requested
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores if count >= AUTO_THRESHOLD else 1


def _chunks(items: Sequence[Listed], size: int) -> Iterator[Sequence[Listed]]:
    """Workers get the compact entries and make Sources themselves: less to pickle and hold."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the cycle collector every 10,000 allocations instead of every 700.

    Reading a manifest allocates a few thousand nodes, dicts and lists that live until it is
    evaluated and then go by reference counting. At the default threshold the collector runs
    several times per manifest and keeps rescanning those live trees: a quarter of the time.
    The little cyclic garbage there is (JMESPath's interpreters) is still collected.
    """
    before = gc.get_threshold()
    gc.set_threshold(10_000, 10, 10)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def run(job: Job, sources: Sequence[Listed], requested: int = 0) -> _store.Packed:
    """Sources in reported order (``manifests.listing``) give findings in reported order."""
    workers = min(jobs_for(requested, len(sources)), max(1, len(sources)))
    with _fewer_collections():
        if workers > 1:
            import multiprocessing  # only here: a few milliseconds a one-file pre-commit run need not pay

            if "fork" in multiprocessing.get_all_start_methods():
                return _in_workers(multiprocessing.get_context("fork"), job, sources, workers)
        return _gather(packed(job, chunk) for chunk in _chunks(sources, CHUNK))


def _gather(chunks: Iterable[Chunk]) -> _store.Packed:
    out = _store.Packed()
    for chunk in chunks:
        out.add(*chunk)
    return out


def _in_workers(context: Any, job: Job, sources: Sequence[Listed], workers: int) -> _store.Packed:
    global _JOB
    _JOB = job
    gc.freeze()  # what workers inherit is never collected there: no scans, no copy-on-write for them
    try:
        with context.Pool(workers) as pool:
            return _gather(pool.imap(_worker, _chunks(sources, CHUNK)))
    finally:
        gc.unfreeze()
        _JOB = None
