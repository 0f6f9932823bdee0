#!/usr/bin/env python3
"""Benchmark ``govcheck portfolio``: wall time and peak memory by portfolio size and --jobs.

Usage: portfolio_bench.py [--sizes 1000 10000] [--jobs 1 2] [--runs 3] [--format text] [--workdir DIR]

Generates each corpus once with bench/gen_corpus.py (deterministic; kept in --workdir and
reused), then runs ``python -m govcheck portfolio CORPUS --today 2026-11-25 --jobs N`` in a
fresh measuring process per run, so that each run's peak memory is its own:
``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` of that process is the peak resident set of
the largest process it waited for (govcheck, or one of its forked workers). Prints a Markdown
table with the median wall time of the runs and the largest peak. No assertions: numbers only.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
TODAY = "2026-11-25"  # gen_corpus.AS_OF: the day the generated dates are relative to

# Runs one command and reports its wall time, peak RSS (KiB on Linux) and exit code.
MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
elapsed = time.perf_counter() - started
print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
"""


def corpus(workdir: Path, size: int) -> Path:
    out = workdir / f"corpus-{size}"
    if not (out / "index.json").is_file():
        subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), str(size), str(out)], check=True)
    return out


def measure(command: list[str]) -> tuple[float, int]:
    done = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=True)
    elapsed, peak_kib, code = done.stdout.split()
    if code != "0":
        raise SystemExit(f"{' '.join(command)} exited {code}")
    return float(elapsed), int(peak_kib)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--format", default="text", choices=["text", "json", "csv", "html"])
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "govcheck-portfolio-bench")
    args = ap.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    rows = ["| pilots | --jobs | wall s (median) | pilots/s | peak MiB |", "| ---: | ---: | ---: | ---: | ---: |"]
    for size in args.sizes:
        path = corpus(args.workdir, size)
        for jobs in args.jobs:
            command = [sys.executable, "-m", "govcheck", "portfolio", str(path), "--today", TODAY,
                       "--format", args.format, "--jobs", str(jobs)]
            runs = [measure(command) for _ in range(args.runs)]
            wall = statistics.median(r[0] for r in runs)
            peak = max(r[1] for r in runs) / 1024
            rows.append(f"| {size:,} | {jobs} | {wall:.2f} | {size / wall:,.0f} | {peak:,.0f} |")
            print(rows[-1], file=sys.stderr, flush=True)
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
