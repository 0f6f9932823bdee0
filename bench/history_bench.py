#!/usr/bin/env python3
"""Benchmark the audit trail: what ``--record`` adds to a gate run, and how fast ``history`` answers.

Usage: history_bench.py [--manifests 10000] [--pilots 1000] [--runs 100] [--rounds 3]
                        [--workdir DIR] [--no-postgres]

1. Recording: ``govcheck check CORPUS --pack bench/pack --jobs 1 -q`` over a generated corpus
   (gen_corpus.py, deterministic), without and with ``--record`` into a fresh database each
   round (SQLite, and PostgreSQL when a server can be started: tests/postgres.py starts a
   throwaway one, fsync off), the commands taking turns (_turns.py); the overhead is the ratio of
   medians. Target: at most 1.25x.
2. History: one real ``govcheck portfolio --record`` of a generated portfolio of --pilots
   pilots, then --runs - 1 more runs appended through the store, each a week later with a
   tenth of the pilots' verdicts and blocking rules moved (a real chain: ``history verify``
   passes). Then ``govcheck history`` (by quarter and by run, json) and ``history verify``
   as whole processes, on both databases (verify once: it rehashes every finding).
   Target: history under a second.

No assertions: numbers only, one Markdown table per part.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))
import gen_corpus  # noqa: E402  (bench/ is not a package: run from a clone)

TODAY = gen_corpus.AS_OF.isoformat()
VERDICTS = ("expand", "fix-gaps", "redesign", "consider-stopping")


def govcheck() -> list[str]:
    return [sys.executable, "-m", "govcheck"]


def turns(commands: dict[str, list[str]], rounds: int) -> dict[str, list[float]]:
    spec = Path(tempfile.mkstemp(suffix=".json")[1])
    spec.write_text(json.dumps({"commands": commands, "runs": rounds, "warmup": 1}), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-I", "-S", str(BENCH / "_turns.py"), str(spec)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    spec.unlink()
    got = json.loads(out)
    for label, runs in got.items():  # a command that failed would be timed as if it had worked
        if any(r["exit"] not in (0, 1) for r in runs):
            raise SystemExit(f"{label} failed: {' '.join(commands[label])}")
    return {label: [r["wall s"] for r in runs] for label, runs in got.items()}


@contextmanager
def databases(work: Path, postgres: bool) -> Iterator[dict[str, str]]:
    """A URL per backend: a SQLite file, and a fresh database on a throwaway server when one starts."""
    urls = {"sqlite": f"sqlite:///{work / 'history.db'}"}
    with ExitStack() as stack:
        if postgres:
            try:
                from tests import postgres as pg

                cluster = pg.start()
                stack.callback(cluster.stop)
                cluster.create_database("bench")
                urls["postgresql"] = cluster.url("bench")
            except Exception as exc:  # no server binaries, or no permission: say so, go on
                print(f"PostgreSQL skipped: {exc}", file=sys.stderr)
        yield urls


def fresh(url: str) -> str:
    """An empty database at ``url``'s place: the file removed, or the schema dropped."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        Path(parsed.database or "").unlink(missing_ok=True)
        return url
    engine = create_engine(parsed.set(drivername="postgresql+psycopg"))
    with engine.begin() as c:
        c.execute(text("DROP SCHEMA public CASCADE"))
        c.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def recording(work: Path, urls: dict[str, str], manifests: int, rounds: int) -> list[str]:
    corpus = work / f"corpus-{manifests}"
    if not corpus.exists():
        gen_corpus.main([str(manifests), str(corpus)])
    base = [*govcheck(), "check", str(corpus), "--pack", str(BENCH / "pack"), "--today", TODAY]
    base += ["--jobs", "1", "-q", "--no-config", "--fail-on", "never"]
    rows = ["| check, manifests | without --record | with --record | ratio |", "| --- | --- | --- | --- |"]
    for backend, url in urls.items():
        times: dict[str, list[float]] = {"plain": [], "recorded": []}
        for _ in range(rounds):  # a fresh database every round: the first run also creates it
            fresh(url)
            got = turns({"plain": base, "recorded": [*base, "--record", url]}, 1)
            for label, values in got.items():
                times[label] += values
        plain, recorded = (statistics.median(times[k]) for k in ("plain", "recorded"))
        rows.append(
            f"| {backend}, {manifests:,} | {plain:.2f} s | {recorded:.2f} s | {recorded / plain:.2f}x"
            f" (target 1.25x {'met' if recorded / plain <= 1.25 else 'missed'}) |"
        )
    return rows


def moved(record: object, week: int, rng: random.Random) -> object:
    """The record a week later, a tenth of its pilots' verdicts and blocking rules changed."""
    from govcheck.history.record import Record

    assert isinstance(record, Record)
    day = dt.date.fromisoformat(record.today) + dt.timedelta(weeks=week)
    manifests = []
    for m in record.manifests:
        if rng.random() < 0.1:
            verdict = rng.choice(VERDICTS)
            blocking = () if verdict == "expand" else (m.blocking or ("GOV-001",))
            m = dataclasses.replace(m, verdict=verdict, blocking=blocking)
        manifests.append(m)
    return dataclasses.replace(
        record,
        run_id=str(uuid.UUID(int=rng.getrandbits(128))),
        today=day.isoformat(),
        manifests=tuple(manifests),
    )


def history(work: Path, urls: dict[str, str], pilots: int, runs: int, rounds: int) -> list[str]:
    from govcheck.history.store import connect

    corpus = work / f"portfolio-{pilots}"
    if not corpus.exists():
        gen_corpus.main([str(pilots), str(corpus)])
    rows = ["| database | runs x pilots | history (quarter) | history --by run | verify |"]
    rows.append("| --- | --- | --- | --- | --- |")
    for backend, url in urls.items():
        fresh(url)
        subprocess.run(
            [*govcheck(), "portfolio", str(corpus), "--today", TODAY, "--no-config", "--record", url],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        rng = random.Random(20261202)
        with connect(url) as store:
            first = store.run("latest").record
            for week in range(1, runs):
                store.append(moved(first, week, rng))  # type: ignore[arg-type]
        trend = [
            *govcheck(),
            "history",
            "--record",
            url,
            "--format",
            "json",
            "--output",
            str(work / "h.json"),
        ]
        got = turns({"quarter": trend, "run": [*trend, "--by", "run"]}, rounds)
        q, r = (statistics.median(got[k]) for k in ("quarter", "run"))
        # Once: it rehashes every finding of every run (minutes for generated portfolios).
        started = time.monotonic()
        subprocess.run(
            [*govcheck(), "history", "verify", "--record", url], check=True, stdout=subprocess.DEVNULL
        )
        v = time.monotonic() - started
        rows.append(
            f"| {backend} | {runs} x {pilots:,} | {q:.2f} s ({'met' if q < 1 else 'missed'}: target < 1 s)"
            f" | {r:.2f} s | {v:.2f} s |"
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--manifests", type=int, default=10_000)
    ap.add_argument("--pilots", type=int, default=1_000)
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workdir", type=Path)
    ap.add_argument("--no-postgres", action="store_true")
    ap.add_argument("--only", choices=("recording", "history"), help="run one part only")
    args = ap.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="govcheck-history-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    with databases(work, not args.no_postgres) as urls:
        if args.only != "history":
            print("\n".join(recording(work, urls, args.manifests, args.rounds)), flush=True)
            print()
        if args.only != "recording":
            print("\n".join(history(work, urls, args.pilots, args.runs, args.rounds)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
