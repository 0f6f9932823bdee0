"""Many CI jobs recording into one history database at once: every run kept, one unbroken chain.

Each writer is a process of its own (spawned, so nothing is shared but the database) with its own
``connect(url)``; they start together at a barrier and append as fast as they can. Afterwards
every run is there once, positions 1..N have no gap, and ``verify`` finds nothing wrong. A writer
that has not finished within the timeout is reported as stuck (a deadlock, or a lock never
released) instead of hanging the test run.
"""

from __future__ import annotations

import multiprocessing
import queue
import time
import traceback
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import pytest

from govcheck.history.store import connect
from tests.unit.history.decisions import decision

TIMEOUT = 180  # seconds for all writers together: generous, a healthy run takes a few


def write_runs(url: str, writer: int, count: int, start: Barrier, results: Any) -> None:
    """One writer process: ``count`` runs with ids ``w<writer>-<n>``, then its report."""
    try:
        with connect(url) as store:
            start.wait(timeout=60)
            for n in range(count):
                store.append(decision(f"w{writer:02d}-{n:04d}", message=f"writer {writer}, run {n}"))
    except BaseException:
        results.put((writer, traceback.format_exc()))
        raise
    results.put((writer, None))


def record_concurrently(url: str, writers: int, count: int) -> float:
    """Run the writers; fail naming any that raised or did not finish. Seconds taken."""
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(writers)
    results = context.Queue()
    processes = [
        context.Process(target=write_runs, args=(url, w, count, start, results), name=f"writer-{w}")
        for w in range(writers)
    ]
    began = time.monotonic()
    for process in processes:
        process.start()
    reports: dict[int, str | None] = {}
    try:
        deadline = began + TIMEOUT
        while len(reports) < writers and time.monotonic() < deadline:
            try:
                writer, error = results.get(timeout=min(1.0, max(deadline - time.monotonic(), 0.01)))
            except queue.Empty:
                if all(not p.is_alive() for p in processes) and results.empty():
                    break  # a writer died without a word (killed, or crashed in the interpreter)
                continue
            reports[writer] = error
        for process in processes:
            process.join(timeout=max(deadline - time.monotonic(), 1))
        elapsed = time.monotonic() - began
        stuck = [p.name for p in processes if p.is_alive()]
    finally:
        for process in processes:
            if process.is_alive():
                process.kill()
                process.join(5)
        results.close()
    failed = {w: e for w, e in reports.items() if e is not None}
    assert not stuck, (
        f"{', '.join(stuck)} did not finish within {TIMEOUT}s: a deadlock or a lock never released"
    )
    assert not failed, "writers failed:\n" + "\n".join(f"writer {w}:\n{e}" for w, e in sorted(failed.items()))
    silent = [p.name for p in processes if p.exitcode != 0 or int(p.name.split("-")[1]) not in reports]
    assert not silent, (
        f"{', '.join(silent)} exited without finishing (exit codes {[p.exitcode for p in processes]})"
    )
    return elapsed


def assert_one_unbroken_chain(url: str, writers: int, count: int) -> None:
    with connect(url) as store:
        runs = store.runs()
        verification = store.verify()
    expected = {f"w{w:02d}-{n:04d}" for w in range(writers) for n in range(count)}
    ids = [r.record.run_id for r in runs]
    assert len(ids) == len(set(ids)), "a run was recorded twice"
    assert set(ids) == expected, f"missing: {sorted(expected - set(ids))[:10]}"
    assert [r.position for r in runs] == list(range(1, writers * count + 1))
    assert all(later.previous == earlier.hash for earlier, later in zip(runs, runs[1:], strict=False))
    assert verification.problems == ()
    assert verification.runs == writers * count and verification.head == runs[-1].hash
    # Each writer's own runs are in the order it appended them.
    for w in range(writers):
        mine = [i for i in ids if i.startswith(f"w{w:02d}-")]
        assert mine == sorted(mine)


@pytest.mark.slow
def test_eight_writers_on_one_postgresql_database(postgres_url: str) -> None:
    record_concurrently(postgres_url, writers=8, count=50)
    assert_one_unbroken_chain(postgres_url, writers=8, count=50)


@pytest.mark.slow
def test_four_writers_on_one_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'history.db'}"
    record_concurrently(url, writers=4, count=25)
    assert_one_unbroken_chain(url, writers=4, count=25)
