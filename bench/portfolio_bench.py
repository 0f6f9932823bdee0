#!/usr/bin/env python3
"""Benchmark ``govcheck portfolio``: wall time and peak memory by portfolio size, format and --jobs.

Usage: portfolio_bench.py [--sizes 1000 10000] [--jobs 1 2] [--formats text json csv html] [--runs 3]
                          [--workdir DIR] [--no-breakdown]

Generates each corpus once with bench/gen_corpus.py (deterministic; kept in --workdir and
reused), then runs ``govcheck portfolio CORPUS --today 2026-11-25 --format F --jobs N`` in a
fresh measuring process per run, so that each run's peak memory is its own. The measuring
process runs the command in-process (stdout to a file in --workdir, whose size is the report's
size, as the page size of the html format) and then reads
``resource.getrusage``: ``RUSAGE_SELF`` is the peak resident set of govcheck's own process,
``RUSAGE_CHILDREN`` that of its largest worker. While it runs, this script also reads the
peak resident set (``VmHWM``) of every worker from /proc, so that it can report the sum of
the peaks of parent and workers (Linux only; elsewhere the largest worker's peak is counted
once per worker, an upper bound). Resident sets count pages that a forked worker still
shares with its parent in both, so the sum overstates the memory actually in use.

Prints two Markdown tables: per run configuration the median wall time, the report's size,
the largest process and the parent + workers sum (largest over the runs); then, per format and
--jobs, how the memory at the largest size compares with the smallest. Then, unless
--no-breakdown, where the time goes at the largest size for the formats that list findings
(json, html): in a fresh process, ``run_portfolio`` (evaluating, in the workers for --jobs > 1,
and gathering in the parent) and then writing the report (in the parent), each as wall time,
with the parent's own CPU time, the part no number of workers shortens. No assertions: numbers
only.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
TODAY = "2026-11-25"  # gen_corpus.AS_OF: the day the generated dates are relative to
POLL = 0.01  # seconds between reads of the workers' peak memory

# Runs govcheck's entry point in this process, its standard output to the file named first, and
# prints: exit code, own peak RSS, largest child's peak RSS (KiB on Linux, bytes on macOS;
# normalized by the caller).
MEASURE = """
import os, resource, sys
out = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
os.dup2(out, 1)
from govcheck.cli import main
try:
    code = main(sys.argv[2:])
except SystemExit as exc:
    code = exc.code
sys.stdout.flush()
me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(code, me.ru_maxrss, children.ru_maxrss, file=sys.stderr)
"""

# Where the time goes: evaluation (run_portfolio) and writing the report, timed apart in one
# fresh process; prints wall and parent CPU seconds of each, and the report's size in bytes.
BREAKDOWN = """
import datetime as dt, os, sys, time
from govcheck.portfolio.report import DETAILED, WRITERS
from govcheck.portfolio.run import PortfolioSettings, run_portfolio
corpus, fmt, jobs, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
settings = PortfolioSettings(paths=(corpus,), today=dt.date.fromisoformat(sys.argv[5]), jobs=jobs)
wall, cpu = time.perf_counter(), time.process_time()
portfolio = run_portfolio(settings, details=fmt in DETAILED)
evaluated, evaluated_cpu = time.perf_counter(), time.process_time()
with open(out, "w", encoding="utf-8") as f:
    WRITERS[fmt](portfolio, f)
written, written_cpu = time.perf_counter(), time.process_time()
print(evaluated - wall, evaluated_cpu - cpu, written - evaluated, written_cpu - evaluated_cpu,
      os.path.getsize(out))
"""


@dataclass(frozen=True)
class Run:
    wall: float  # seconds, including interpreter start
    parent: float  # MiB: peak RSS of govcheck's own process
    largest_worker: float  # MiB: 0 without workers
    workers: int  # workers seen while sampling
    worker_sum: float  # MiB: sum of the workers' peaks
    size: int = 0  # bytes of the report written

    @property
    def largest(self) -> float:
        return max(self.parent, self.largest_worker)

    @property
    def total(self) -> float:
        return self.parent + self.worker_sum


def corpus(workdir: Path, size: int) -> Path:
    out = workdir / f"corpus-{size}"
    if not (out / "index.json").is_file():
        subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), str(size), str(out)], check=True)
    return out


def _kib(value: int) -> float:
    return value / 1024 if sys.platform == "darwin" else float(value)  # ru_maxrss is bytes on macOS


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as f:
                found.update(int(p) for p in f.read().split())
    except OSError:
        pass
    return found


def _hwm_kib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def measure(args: list[str], out: Path) -> Run:
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", MEASURE, str(out), *args], stderr=subprocess.PIPE, text=True
    )
    peaks: dict[int, int] = {}
    while proc.poll() is None:  # VmHWM only grows, so the last read of a worker is its peak so far
        for child in _children(proc.pid):
            hwm = _hwm_kib(child)
            if hwm is not None:
                peaks[child] = max(peaks.get(child, 0), hwm)
        time.sleep(POLL)
    _, err = proc.communicate()
    wall = time.perf_counter() - started
    try:
        code, me, children = err.strip().splitlines()[-1].split()
    except (IndexError, ValueError):
        raise SystemExit(f"govcheck {' '.join(args)} failed:\n{err}") from None
    if code not in ("0", "None"):
        raise SystemExit(f"govcheck {' '.join(args)} exited {code}:\n{err}")
    largest_worker = _kib(int(children))
    jobs = int(args[args.index("--jobs") + 1])
    workers = len(peaks) if peaks else (jobs if largest_worker else 0)
    worker_sum = sum(peaks.values()) if peaks else largest_worker * workers
    return Run(
        wall,
        _kib(int(me)) / 1024,
        largest_worker / 1024,
        workers,
        max(worker_sum, largest_worker) / 1024,
        out.stat().st_size,
    )


def _size(n: int) -> str:
    return f"{n / (1 << 20):.1f} MiB" if n >= 1 << 20 else f"{n / 1024:.0f} KiB"


def breakdown(corpus_dir: Path, fmt: str, jobs: int, out: Path) -> tuple[float, float, float, float, int]:
    """Evaluation and writing timed apart: wall and parent CPU seconds of each, and the report's bytes."""
    done = subprocess.run(
        [sys.executable, "-c", BREAKDOWN, str(corpus_dir), fmt, str(jobs), str(out), TODAY],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"breakdown of {fmt} --jobs {jobs} failed:\n{done.stderr}")
    wall, cpu, write, write_cpu, size = done.stdout.split()
    return float(wall), float(cpu), float(write), float(write_cpu), int(size)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument(
        "--formats",
        nargs="+",
        default=["text", "json", "csv", "html"],
        choices=["text", "json", "csv", "html"],
    )
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "govcheck-portfolio-bench")
    ap.add_argument("--no-breakdown", action="store_true", help="skip timing evaluation and writing apart")
    args = ap.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    corpora = {size: corpus(args.workdir, size) for size in args.sizes}
    results: dict[tuple[str, int, int], Run] = {}
    rows = [
        "| format | pilots | --jobs | wall s (median) | pilots/s | report size | largest process MiB "
        "| parent MiB | workers | parent + workers MiB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for fmt in args.formats:
        for size in args.sizes:
            for jobs in args.jobs:
                command = [
                    "portfolio",
                    str(corpora[size]),
                    "--today",
                    TODAY,
                    "--format",
                    fmt,
                    "--jobs",
                    str(jobs),
                ]
                out = args.workdir / f"report-{size}-{jobs}.{fmt}"
                runs = [measure(command, out) for _ in range(args.runs)]
                wall = statistics.median(r.wall for r in runs)
                worst = Run(
                    wall,
                    max(r.parent for r in runs),
                    max(r.largest_worker for r in runs),
                    max(r.workers for r in runs),
                    max(r.worker_sum for r in runs),
                    max(r.size for r in runs),
                )
                results[fmt, size, jobs] = worst
                rows.append(
                    f"| {fmt} | {size:,} | {jobs} | {wall:.2f} | {size / wall:,.0f} | {_size(worst.size)} "
                    f"| {worst.largest:.0f} | {worst.parent:.0f} | {worst.workers} "
                    f"| {max(r.total for r in runs):.0f} |"
                )
                print(rows[-1], file=sys.stderr, flush=True)
    print("\n".join(rows))
    small, large = min(args.sizes), max(args.sizes)
    if small != large:
        print(
            f"\n| format | --jobs | largest process {large:,} / {small:,} "
            f"| parent + workers {large:,} / {small:,} "
            f"| wall --jobs {args.jobs[0]} / this, at {large:,} |"
        )
        print("| --- | ---: | ---: | ---: | ---: |")
        for fmt in args.formats:
            for jobs in args.jobs:
                a, b = results[fmt, small, jobs], results[fmt, large, jobs]
                speedup = results[fmt, large, args.jobs[0]].wall / b.wall
                print(
                    f"| {fmt} | {jobs} | {b.largest / a.largest:.2f} | {b.total / a.total:.2f} "
                    f"| {speedup:.2f} |"
                )
    detailed = [f for f in args.formats if f in ("json", "html")]
    if detailed and not args.no_breakdown:
        print(
            f"\nWhere the time goes at {large:,} pilots (median of {args.runs}; wall s, and the parent's "
            "CPU s, which workers do not shorten):\n"
        )
        print(
            "| format | --jobs | evaluate wall | evaluate parent CPU | write wall | write parent CPU "
            "| report |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for fmt in detailed:
            for jobs in args.jobs:
                out = args.workdir / f"breakdown-{large}-{jobs}.{fmt}"
                runs_ = [breakdown(corpora[large], fmt, jobs, out) for _ in range(args.runs)]
                med = [statistics.median(r[i] for r in runs_) for i in range(4)]
                print(
                    f"| {fmt} | {jobs} | {med[0]:.2f} | {med[1]:.2f} | {med[2]:.2f} | {med[3]:.2f} "
                    f"| {_size(runs_[0][4])} |",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
