#!/usr/bin/env python3
"""Run commands in turns and print their timings as JSON: run.py's timer, in a process of its own.

Usage: python -I -S _turns.py SPEC.json   (SPEC: {"commands": {label: argv}, "runs": R, "warmup": W})

Every command runs W uncounted times, then R rounds in which each runs once, in turn (see
timecmd.py for what is measured). A child's peak memory as the kernel reports it is at least
its parent's size when it was started, so this runner is kept small (standard library, no
site-packages) rather than timing from run.py itself.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import timecmd  # noqa: E402


def main(argv: list[str]) -> int:
    spec = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    commands: dict[str, list[str]] = spec["commands"]
    for _ in range(spec["warmup"]):
        for cmd in commands.values():
            timecmd.run_once(cmd)
    runs: dict[str, list[dict[str, float]]] = {label: [] for label in commands}
    for _ in range(spec["runs"]):
        for label, cmd in commands.items():
            runs[label].append(timecmd.run_once(cmd))
    json.dump(runs, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
