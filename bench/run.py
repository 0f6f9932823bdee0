#!/usr/bin/env python3
"""Measure govcheck beside check-jsonschema, Spectral and regopy: same manifests, same 20 rules.

Usage: run.py [--quick] [--peers DIR] [--workdir DIR] [--markdown FILE]

1. Generates the corpora (gen_corpus.py): 1,000 and 10,000 manifests (--quick: 200).
2. Runs the agreement check (agreement.py) on the 1,000 (--quick: 200); stops on a disagreement.
3. Times whole processes, as a pre-commit hook or a CI step sees them (timecmd.py, run by the
   small _turns.py: wall clock from start to reap, peak resident memory of the largest
   process): a cold start on one
   manifest, then every corpus, with govcheck --jobs 1 and --jobs 2, each peer, and two
   parse-only floors. The tools take turns in each round, so a drift in the machine's speed
   reaches all of them; medians are quoted.
4. Prints one table: each tool's figures, and govcheck's ratio to each peer and floor from
   this same run. Then the targets, met or missed.

Peers missing from --peers (see setup_peers.sh) are skipped and named. govcheck is the
console script beside this Python (or on PATH); its bytecode is compiled first, as a wheel
install would have it. Cold start uses govcheck's default (baseline) pack; corpus runs use
bench/pack, the 20 rules. Standard library only, plus govcheck.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import agreement  # noqa: E402  (bench/ is not a package: run from a clone)
import gen_corpus  # noqa: E402
import oracle  # noqa: E402

PEER_RULES = BENCH / "peers"
TODAY = oracle.AS_OF.isoformat()


class Tool(NamedTuple):
    label: str
    argv: Callable[[Path], list[str]]  # target (a file or a corpus directory) -> command
    peer: str = ""  # the agreement.PEERS name it needs, if any
    cold: bool = True  # measured on one manifest too


def tools(govcheck: list[str], peers: Path) -> list[Tool]:
    def files(target: Path) -> list[str]:
        return [str(target)] if target.is_file() else [str(f) for f in sorted(target.glob("*.yaml"))]

    def gc_args(target: Path, jobs: str) -> list[str]:
        if target.is_file():  # the cold start: a pre-commit hook on one file, default pack
            return [*govcheck, "check", "--no-config", "--today", TODAY, str(target)]
        return [*govcheck, *agreement.govcheck_args(target, oracle.AS_OF), "--jobs", jobs]

    return [
        Tool("govcheck --jobs 1", lambda t: gc_args(t, "1")),
        Tool("govcheck --jobs 2", lambda t: gc_args(t, "2"), cold=False),
        Tool(
            "check-jsonschema",
            lambda t: [
                str(peers / "venv/bin/check-jsonschema"),
                "--schemafile",
                str(PEER_RULES / "pilot-rules.schema.json"),
                *files(t),
            ],
            "check-jsonschema",
        ),
        Tool(
            "Spectral",
            lambda t: [
                str(peers / "node/node_modules/.bin/spectral"),
                "lint",
                str(t if t.is_file() else t / "*.yaml"),
                "-r",
                str(PEER_RULES / "spectral.yaml"),
            ],
            "spectral",
        ),
        Tool(
            "regopy",
            lambda t: [
                str(peers / "venv/bin/python"),
                str(PEER_RULES / "rego_check.py"),
                "--policy",
                str(PEER_RULES / "pilot.rego"),
                "--today",
                TODAY,
                str(t),
            ],
            "regopy",
        ),
        Tool(
            "parse floor: ruamel C nodes",
            lambda t: [sys.executable, str(BENCH / "parse_floor.py"), "--loader", "ruamel-c-nodes", str(t)],
            cold=False,
        ),
        Tool(
            "parse floor: PyYAML C",
            lambda t: [
                str(peers / "venv/bin/python"),
                str(BENCH / "parse_floor.py"),
                "--loader",
                "pyyaml-c",
                str(t),
            ],
            "regopy",
            cold=False,
        ),
    ]


Runs = dict[str, list[dict[str, float]]]


def measure(chosen: list[Tool], target: Path, runs: int, warmup: int) -> Runs:
    """Every tool on ``target``, in turns (round r runs each tool once), timed by _turns.py."""
    commands = {t.label: t.argv(target) for t in chosen}
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "spec.json"
        spec.write_text(json.dumps({"commands": commands, "runs": runs, "warmup": warmup}), encoding="utf-8")
        proc = subprocess.run(
            [sys.executable, "-I", "-S", str(BENCH / "_turns.py"), str(spec)],
            capture_output=True,
            text=True,
            check=False,
        )
    if proc.returncode != 0:
        raise SystemExit(f"timing failed: {proc.stderr.strip()[-2000:]}")
    out: Runs = json.loads(proc.stdout)
    for label, results in out.items():
        for result in results:
            if result["exit"] not in (0, 1):
                raise SystemExit(
                    f"{label} exited {int(result['exit'])} on {target}: {' '.join(commands[label])[:300]}"
                )
    return out


def median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def compile_govcheck() -> None:
    """Bytecode for govcheck, as a wheel install has; an editable one may have none."""
    spec = importlib.util.find_spec("govcheck")
    if spec is not None and spec.submodule_search_locations:
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", *spec.submodule_search_locations], check=True
        )


def versions(peers: Path, govcheck: list[str]) -> str:
    def out(cmd: list[str]) -> str:
        try:
            return (
                subprocess.run(cmd, capture_output=True, text=True, check=False)
                .stdout.strip()
                .splitlines()[-1]
            )
        except (OSError, IndexError):
            return "?"

    pip = [
        str(peers / "venv/bin/python"),
        "-c",
        "import importlib.metadata as m; print(m.version('check-jsonschema'), m.version('regopy'))",
    ]
    cj, rego = (out(pip).split() + ["?", "?"])[:2]
    spectral = out([str(peers / "node/node_modules/.bin/spectral"), "--version"])
    return (
        f"{out([*govcheck, '--version'])}; check-jsonschema {cj}; Spectral {spectral}; regopy {rego}; "
        f"Python {platform.python_version()}"
    )


def fmt_rate(n: int, runs: list[dict[str, float]]) -> str:
    return f"{n / median(runs, 'wall s'):,.0f}/s"


def table(sizes: list[tuple[str, int]], cold: Runs, timed: dict[str, Runs], chosen: list[Tool]) -> list[str]:
    head = (
        ["tool", "cold start, 1 manifest"]
        + [f"{name} manifests" for name, _ in sizes]
        + [f"peak MiB at {name}" for name, _ in sizes]
    )
    lines = ["| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
    g1, g2 = "govcheck --jobs 1", "govcheck --jobs 2"
    for tool in chosen:
        label = tool.label
        cells = [label]
        if label in cold:
            ms = median(cold[label], "wall s") * 1000
            cells.append(
                f"{ms:,.0f} ms"
                + (
                    ""
                    if label == g1
                    else f" (govcheck {median(cold[g1], 'wall s') * 1000 / ms:.2f}x the time)"
                )
            )
        else:
            cells.append("")
        for name, n in sizes:
            runs = timed[name][label]
            cell = fmt_rate(n, runs)
            if not label.startswith("govcheck"):
                r1 = median(runs, "wall s") / median(timed[name][g1], "wall s")
                r2 = median(runs, "wall s") / median(timed[name][g2], "wall s")
                cell += f" (govcheck -j1 {r1:.2f}x, -j2 {r2:.2f}x)"
            cells.append(cell)
        for name, _ in sizes:
            mib = median(timed[name][label], "peak MiB")
            cell = f"{mib:,.0f}"
            if not label.startswith("govcheck"):
                cell += f" (govcheck -j1 {median(timed[name][g1], 'peak MiB') / mib:.2f}x)"
            cells.append(cell)
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def targets(sizes: list[tuple[str, int]], cold: Runs, timed: dict[str, Runs]) -> list[str]:
    small, big = sizes[0][0], sizes[-1][0]
    g1, g2 = "govcheck --jobs 1", "govcheck --jobs 2"
    out = []

    def say(what: str, value: float, goal: str, met: bool) -> None:
        out.append(f"- {what}: {value:.2f}x (target {goal}) {'MET' if met else 'MISSED'}")

    if "check-jsonschema" in cold:
        say(
            "cold start, govcheck time / check-jsonschema time",
            median(cold[g1], "wall s") / median(cold["check-jsonschema"], "wall s"),
            "<= 0.5x",
            median(cold[g1], "wall s") <= 0.5 * median(cold["check-jsonschema"], "wall s"),
        )
    peers = [label for label in timed[big] if label in ("check-jsonschema", "Spectral", "regopy")]
    if peers:
        fastest = min(peers, key=lambda label: median(timed[big][label], "wall s"))
        for label, goal in ((g2, 5.0), (g1, 2.5)):
            ratio = median(timed[big][fastest], "wall s") / median(timed[big][label], "wall s")
            say(
                f"{big} manifests, {label} throughput / fastest peer's ({fastest})",
                ratio,
                f">= {goal}x",
                ratio >= goal,
            )
    for label in (g1, g2):
        peak, base = median(timed[big][label], "peak MiB"), median(timed[small][label], "peak MiB")
        if big != small:
            say(
                f"peak memory of {label}, {big} / {small} manifests",
                peak / base,
                "<= 1.2x",
                peak <= 1.2 * base,
            )
        if "regopy" in timed[big]:
            rego = median(timed[big]["regopy"], "peak MiB")
            say(f"peak memory at {big}, {label} / regopy", peak / rego, "<= 1.0x", peak <= rego)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="smoke run: 200 manifests, one repetition")
    ap.add_argument("--peers", type=Path, default=agreement.DEFAULT_PEERS)
    ap.add_argument("--workdir", type=Path, help="where corpora go (default: a temporary directory)")
    ap.add_argument("--markdown", type=Path, help="also write the table here")
    args = ap.parse_args(argv)
    sizes = [("200", 200)] if args.quick else [("1,000", 1000), ("10,000", 10000)]
    cold_runs, runs = (3, 1) if args.quick else (10, 3)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="govbench-"))
    corpora = {}
    for name, n in sizes:
        corpora[name] = work / f"corpus-{n}"
        gen_corpus.main([str(n), str(corpora[name])])
    one = corpora[sizes[0][0]] / "pilot-00001.yaml"

    govcheck = agreement.govcheck_command()
    compile_govcheck()
    print(f"Agreement check on {corpora[sizes[0][0]]} ...", flush=True)
    code = agreement.main(
        [str(corpora[sizes[0][0]]), "--peers", str(args.peers), "--govcheck", " ".join(govcheck)]
    )
    if code != 0:
        print("The tools disagree (above); not timing them.")
        return 1

    chosen = [
        t
        for t in tools(govcheck, args.peers)
        if not t.peer
        or not agreement.missing_reason(next(p for p in agreement.PEERS if p.name == t.peer), args.peers)
    ]
    skipped = sorted({t.peer for t in tools(govcheck, args.peers)} - {t.peer for t in chosen} - {""})
    start_load = os.getloadavg()[0]  # other work on the machine slows --jobs 2 first
    print(f"Timing cold start ({cold_runs} runs) ...", flush=True)
    cold = measure([t for t in chosen if t.cold], one, cold_runs, warmup=1)
    timed: dict[str, Runs] = {}
    for name, n in sizes:
        print(f"Timing {name} manifests ({runs} run(s) each) ...", flush=True)
        timed[name] = measure(chosen, corpora[name], runs, warmup=0 if n > 1000 else 1)

    load = " / ".join(f"{x:.1f}" for x in (start_load, os.getloadavg()[0]))
    lines = [
        f"govcheck beside its peers, {dt.date.today()}, {os.cpu_count()} cpus (load average at start / end: "
        f"{load}): {versions(args.peers, govcheck)}.",
        f"Same manifests (gen_corpus.py), same 20 rules (RULES.md), today {TODAY}; medians of {runs} run(s) "
        f"({cold_runs} for cold start); whole processes; throughput = manifests / wall time; "
        "(govcheck ...x) = govcheck's time, rate or memory relative to that row's, from this run.",
        "",
    ]
    lines += table(sizes, cold, timed, chosen)
    if skipped:
        lines += ["", f"Skipped (not installed): {', '.join(skipped)}."]
    lines += [
        "",
        "Targets" + (" (set for 10,000 manifests; a --quick run only shows the way):" if args.quick else ":"),
    ]
    lines += targets(sizes, cold, timed)
    text = "\n".join(lines) + "\n"
    sys.stdout.write("\n" + text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
