#!/usr/bin/env python3
"""Run commands in turns and print their timings as JSON: run.py's timer, in a process of its own.

Usage: python -I -S _turns.py SPEC.json

SPEC is a JSON object: "commands" {label: argv}, "runs" R, "warmup" W, and optionally "cwd" (where
every command runs), "env" {label: {VARIABLE: value, or null to remove it}}, "min_cores"
{label: C} and "retries" N.

Every command runs W uncounted times, then R rounds in which each runs once, in turn (see
timecmd.py for what is measured, "cores" included). A round in which a command named in
"min_cores" obtained fewer than C cores (CPU time over wall time) is run again, all of it, up to
N more times: the first try that obtains them is kept, else the try closest to them. Every
result carries "tries", how many times its round ran.

A command may write a JSON object of figures of its own to the file named by $BENCH_FIGURES
(parse_floor.py writes its in-process parse time there); they join that run's result.

A child's peak memory as the kernel reports it is at least its parent's size when it was
started, so this runner is kept small (standard library, no site-packages) rather than timing
from run.py itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import timecmd  # noqa: E402

FIGURES = "BENCH_FIGURES"


def in_turns(spec: dict) -> dict[str, list[dict]]:
    """Run SPEC (above) in a process of this file's own, from a caller; its results by label."""
    import tempfile  # the caller's, not the runner's: the runner stays small

    with tempfile.TemporaryDirectory(prefix="turns-") as tmp:
        path = Path(tmp) / "spec.json"
        path.write_text(json.dumps(spec), encoding="utf-8")
        proc = subprocess.run(
            [sys.executable, "-I", "-S", str(Path(__file__).resolve()), str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
    if proc.returncode != 0:
        raise RuntimeError(f"timing failed: {proc.stderr.strip()[-2000:]}")
    return json.loads(proc.stdout)


def main(argv: list[str]) -> int:
    spec = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    commands: dict[str, list[str]] = spec["commands"]
    cwd: str | None = spec.get("cwd")
    envs: dict[str, dict[str, str | None]] = spec.get("env", {})
    min_cores: dict[str, float] = spec.get("min_cores", {})
    retries: int = spec.get("retries", 0)

    figures = f"{os.path.abspath(argv[0])}.figures.json"  # beside the spec: no temporary directory here

    def run(label: str) -> dict:
        env = {**envs.get(label, {}), FIGURES: figures}
        result = timecmd.run_once(commands[label], cwd=cwd, env=env)
        try:
            with open(figures, encoding="utf-8") as f:
                extra = json.load(f)
        except (OSError, ValueError):
            extra = {}
        finally:
            if os.path.exists(figures):
                os.unlink(figures)
        if isinstance(extra, dict):
            result.update({k: v for k, v in extra.items() if k not in result})
        return result

    def obtained(results: dict[str, dict]) -> float:
        """The least share of its wanted cores a command got in the round (1.0 or more: all)."""
        wanted = [(results[k]["cores"], c) for k, c in min_cores.items() if k in results and c > 0]
        return min((got / c for got, c in wanted), default=1.0)

    for _ in range(spec["warmup"]):
        for label in commands:
            run(label)
    runs: dict[str, list[dict]] = {label: [] for label in commands}
    for _ in range(spec["runs"]):
        best: dict[str, dict] = {}
        tries = 0
        while tries <= retries:
            tries += 1
            results = {label: run(label) for label in commands}
            if not best or obtained(results) > obtained(best):
                best = results
            if obtained(best) >= 1.0:
                break
        for label, result in best.items():
            result["tries"] = tries
            runs[label].append(result)
    json.dump(runs, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
