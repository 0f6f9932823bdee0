"""The one run loop: many manifests, on one core or several, with the same output either way.

Workers are forked after the policy is compiled, so each inherits the compiled rules
instead of rebuilding them; chunks come back packed (``packed``), in input order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gc
import os
import signal
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager, suppress
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from govcheck import packed
from govcheck.errors import GovcheckError
from govcheck.evaluate import evaluate
from govcheck.load import discover
from govcheck.load import manifest as manifests
from govcheck.load.discover import Listed, Source
from govcheck.model import Finding, ManifestResult
from govcheck.packs.policy import Policy

AUTO_THRESHOLD = 64  # fewer manifests than this: forking costs more than it saves
CHUNK = 64
T = TypeVar("T")
R = TypeVar("R")


class Job(NamedTuple):
    """What every chunk of a run is evaluated with; workers inherit it."""

    policy: Policy
    today: dt.date
    stage: str | None
    cwd: Path
    outcomes: bool = True


Batch = tuple[list[ManifestResult], list[Finding]]
Chunk = tuple[bytes, int, int]  # packed batch, manifests, findings


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


def evaluate_chunk(job: Job, items: Sequence[Listed]) -> Batch:
    """One chunk's manifests, and the findings of its files (problems included)."""
    results, problems = evaluate_sources(job, [discover.source(item) for item in items])
    return results, [f for r in results for f in r.findings] + problems


def evaluate_packed(job: Job, items: Sequence[Listed]) -> Chunk:
    """``evaluate_chunk`` packed, as a worker hands it back."""
    results, findings = evaluate_chunk(job, items)
    return packed.pack(results, findings), len(results), len(findings)


def jobs_for(requested: int, count: int) -> int:
    if requested > 0:
        return requested
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores if count >= AUTO_THRESHOLD else 1


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


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Workers get compact entries and make Sources themselves: less to pickle and hold."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def map_chunks(
    work: Callable[[Sequence[T]], R], parts: Iterable[Sequence[T]], workers: int
) -> Generator[R, None, None]:
    """``work`` applied to each part, results in input order: here, or in ``workers`` forked processes.

    ``check`` and ``portfolio`` both run through this loop. Workers are forked after the
    policy is compiled, so ``work`` (and the policy it holds) is inherited, never pickled.
    A worker that dies ends the run with a message instead of leaving it waiting; Ctrl-C
    reaches the parent alone (workers ignore it), which stops the workers and reports it once.
    """
    with _fewer_collections():
        if workers > 1:
            import multiprocessing  # only here: a few milliseconds a one-file pre-commit run need not pay

            if "fork" in multiprocessing.get_all_start_methods():
                yield from _forked(multiprocessing.get_context("fork"), work, parts, workers)
                return
        for part in parts:
            yield work(part)


def evaluate_all(job: Job, sources: Sequence[Listed], requested: int = 0) -> packed.Packed:
    """Sources in reported order (``discover.listing``) give findings in reported order."""
    workers = min(jobs_for(requested, len(sources)), max(1, len(sources)))
    out = packed.Packed()
    parts = chunks(sources, CHUNK)
    # Closed on the way out: an interrupt between two chunks stops the workers now, not at exit.
    if workers > 1:
        with closing(map_chunks(functools.partial(evaluate_packed, job), parts, workers)) as done:
            for chunk in done:
                out.add(*chunk)
    else:  # chunks made here are held as objects and packed only when another follows
        with closing(map_chunks(functools.partial(evaluate_chunk, job), parts, 1)) as made:
            for results, findings in made:
                out.hold(results, findings)
    return out


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold SIGINT while workers are forked: one arriving then reaches the parent afterwards.

    Ctrl-C goes to the whole process group. Only the parent reports it (``govcheck:
    interrupted``); a worker that got it before ignoring it would print a traceback of its own.
    Forked children start with the signal still held, and unhold it once they ignore it.
    """
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - fork without POSIX signals
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _ignore_interrupts() -> None:
    """In each worker, before it takes any work: the parent alone answers Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


_WORK: Callable[[Any], Any] | None = None  # set in the parent before forking; workers call their copy


def _call(part: Any) -> Any:
    assert _WORK is not None
    return _WORK(part)


def _forked(
    context: Any, work: Callable[[Sequence[T]], R], parts: Iterable[Sequence[T]], workers: int
) -> Iterator[R]:
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _WORK
    _WORK = work
    gc.freeze()  # what workers inherit is never collected there: no scans, no copy-on-write for them
    try:
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_ignore_interrupts) as pool:
            futures: list[Future[R]] = []
            try:
                with _interrupts_held():  # the first submit forks the workers
                    futures = [pool.submit(_call, part) for part in parts]
                for future in futures:
                    yield future.result()
            except BrokenProcessPool:
                for future in futures:
                    future.cancel()
                raise GovcheckError(
                    "a worker process died before finishing its manifests (out of memory or killed?); "
                    "run again with --jobs 1 to see which file it was"
                ) from None
            except BaseException:
                # Ctrl-C, or the caller stopped reading: leaving the block would wait for every
                # queued chunk. The workers hold nothing that must be finished: stop them, then
                # let the pool see them gone and close down before the interpreter's exit does.
                for pid in list(getattr(pool, "_processes", None) or {}):
                    with suppress(OSError):
                        os.kill(pid, signal.SIGTERM)
                pool.shutdown(wait=True, cancel_futures=True)
                raise
    finally:
        gc.unfreeze()
        _WORK = None
