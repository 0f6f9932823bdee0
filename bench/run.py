#!/usr/bin/env python3
"""Measure govcheck beside check-jsonschema, Spectral and regopy: same manifests, same 20 rules.

Usage: run.py [--quick] [--peers DIR] [--workdir DIR] [--markdown FILE] [--reference REV|none]
              [--no-precommit] [--precommit-hook clone|local]

1. Generates the corpora (gen_corpus.py): 1,000 and 10,000 manifests (--quick: 200).
2. Runs the agreement check (agreement.py) on the 1,000 (--quick: 200); stops on a disagreement.
3. Builds the reference, govcheck as it was at --reference REV (default 25cfb40; reference.py:
   git archive, pip install into its own venv under bench/.peers, reused), and checks that it
   reports the same findings as the working tree on that corpus, else leaves it out.
4. Times whole processes, as a pre-commit hook or a CI step sees them (timecmd.py, run by the
   small _turns.py: wall clock from start to reap, CPU time of the process and the children it
   reaped, peak resident memory of the largest process): a cold start on one manifest, then
   every corpus, with govcheck --jobs 1 and --jobs 2, the reference with --jobs 1, each peer,
   and parse-only floors, which also time their parse in process (parse_floor.py). The tools
   take turns in each round, so a drift in the machine's speed reaches all of them; medians are
   quoted. A round in which govcheck --jobs 2 obtained fewer than MIN_CORES cores (CPU time over
   wall time) is run again, up to --retries more times (default 3), and marked if still short.
5. Times the pre-commit hook in a throwaway repository (precommit_bench.py): the felt time,
   pre-commit's own, govcheck's alone, and govcheck's share.
6. Prints one table: each tool's figures, and govcheck's ratio to each peer, the reference and
   floor from this same run. Then the targets, met or missed, and the pre-commit section.

Peers missing from --peers (see setup_peers.sh) are skipped and named, and so is a reference that
cannot be built. govcheck is the console script beside this Python (or on PATH); its bytecode is
compiled first, as a wheel install would have it. Cold start uses govcheck's default (baseline)
pack; corpus runs use bench/pack, the 20 rules. Standard library only, plus govcheck.
Exit status: 0 when timed (targets are printed, never asserted), 1 when the tools disagree.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
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
import _turns  # noqa: E402  (bench/ is not a package: run from a clone)
import agreement  # noqa: E402
import gen_corpus  # noqa: E402
import oracle  # noqa: E402
import precommit_bench  # noqa: E402
import reference  # noqa: E402

PEER_RULES = BENCH / "peers"
TODAY = oracle.AS_OF.isoformat()
G1, G2 = "govcheck --jobs 1", "govcheck --jobs 2"
OURS = (G1, G2)
PEERS = ("check-jsonschema", "Spectral", "regopy")
FLOOR_GC = "parse floor: govcheck load_all"
FLOOR_GC_PY = "parse floor: govcheck load_all, GOVCHECK_NATIVE_YAML=0"
NATIVE = "GOVCHECK_NATIVE_YAML"
MIN_CORES = 1.6  # what --jobs 2 must obtain on a 2-core share of the machine for a fair round
RETRIES = 3  # extra tries of a round short of cores, by default
FLAT = 1.25  # "flat" memory: peak at the large corpus / at the small one
MARK = "\u2020"  # the footnote mark of a round short of cores


class Tool(NamedTuple):
    label: str
    argv: Callable[[Path], list[str]]  # target (a file or a corpus directory) -> command
    peer: str = ""  # the agreement.PEERS name it needs, if any
    cold: bool = True  # measured on one manifest too
    env: dict[str, str | None] | None = None  # overrides of the environment (None removes)
    floor: bool = False  # a parse floor: reports its in-process parse time


def ref_label(ref: reference.Reference) -> str:
    return f"govcheck@{ref.short} --jobs 1"


def tools(govcheck: list[str], peers: Path, ref: reference.Reference | None = None) -> list[Tool]:
    def files(target: Path) -> list[str]:
        return [str(target)] if target.is_file() else [str(f) for f in sorted(target.glob("*.yaml"))]

    def gc_args(cmd: list[str], target: Path, jobs: str) -> list[str]:
        if target.is_file():  # the cold start: a pre-commit hook on one file, default pack
            return [*cmd, "check", "--no-config", "--today", TODAY, str(target)]
        return [*cmd, *agreement.govcheck_args(target, oracle.AS_OF), "--jobs", jobs]

    def floor(loader: str, python: str = sys.executable) -> Callable[[Path], list[str]]:
        return lambda t: [python, str(BENCH / "parse_floor.py"), "--loader", loader, str(t)]

    rows = [
        Tool(G1, lambda t: gc_args(govcheck, t, "1")),
        Tool(G2, lambda t: gc_args(govcheck, t, "2"), cold=False),
    ]
    if ref is not None:
        rows.append(Tool(ref_label(ref), lambda t: gc_args([str(ref.govcheck)], t, "1"), env=reference.ENV))
    return rows + [
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
        # govcheck's own loader as govcheck runs it: the native reader unless the variable says "0".
        Tool(FLOOR_GC, floor("govcheck"), cold=False, env={NATIVE: None}, floor=True),
        Tool(FLOOR_GC_PY, floor("govcheck-python"), cold=False, env={NATIVE: "0"}, floor=True),
        Tool("parse floor: ruamel C nodes", floor("ruamel-c-nodes"), cold=False, floor=True),
        Tool(
            "parse floor: PyYAML C",
            floor("pyyaml-c", str(peers / "venv/bin/python")),
            "regopy",
            cold=False,
            floor=True,
        ),
    ]


Runs = dict[str, list[dict[str, float]]]


def measure(chosen: list[Tool], target: Path, runs: int, warmup: int, retries: int = RETRIES) -> Runs:
    """Every tool on ``target``, in turns (round r runs each tool once), timed by _turns.py.

    A round in which govcheck --jobs 2 (when timed) got fewer than MIN_CORES cores runs again, up
    to ``retries`` more times.
    """
    commands = {t.label: t.argv(target) for t in chosen}
    spec = {
        "commands": commands,
        "runs": runs,
        "warmup": warmup,
        "env": {t.label: t.env for t in chosen if t.env},
        "min_cores": {G2: MIN_CORES} if G2 in commands else {},
        "retries": retries,
    }
    try:
        out: Runs = _turns.in_turns(spec)
    except RuntimeError as exc:
        raise SystemExit(str(exc)) from None
    for label, results in out.items():
        for result in results:
            if result["exit"] not in (0, 1):
                raise SystemExit(
                    f"{label} exited {int(result['exit'])} on {target}: {' '.join(commands[label])[:300]}"
                )
    return out


def median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def short_of_cores(runs: list[dict[str, float]]) -> list[dict[str, float]]:
    return [r for r in runs if r["cores"] < MIN_CORES]


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


def check_reference(ref: reference.Reference, govcheck: list[str], corpus: Path) -> str:
    """Why the reference cannot stand beside the working tree on ``corpus``; "" when it can."""
    try:
        ours = agreement.run_govcheck(govcheck, corpus, oracle.AS_OF)
        theirs = agreement.run_govcheck([str(ref.govcheck)], corpus, oracle.AS_OF)
    except agreement.Failed as exc:
        return f"it did not run: {exc}"
    differ = sum(len(set(a) ^ set(b)) for a, b in zip(ours, theirs, strict=True))
    return f"its findings differ from the working tree's in {differ} (manifest, rule) pairs" if differ else ""


def table(sizes: list[tuple[str, int]], cold: Runs, timed: dict[str, Runs], chosen: list[Tool]) -> list[str]:
    names = [name for name, _ in sizes]
    head = (
        ["tool", "cold start, 1 manifest"]
        + [f"{name} manifests" for name in names]
        + [f"cores (cold / {' / '.join(names)})"]
        + [f"parse µs per manifest, in process ({' / '.join(names)})"]
        + [f"peak MiB at {name}" for name in names]
    )
    lines = ["| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
    notes: list[str] = []
    for tool in chosen:
        label = tool.label
        cells = [label]
        if label in cold:
            ms = median(cold[label], "wall s") * 1000
            cells.append(
                f"{ms:,.0f} ms"
                + (
                    ""
                    if label == G1
                    else f" (govcheck {median(cold[G1], 'wall s') * 1000 / ms:.2f}x the time)"
                )
            )
        else:
            cells.append("")
        for name, n in sizes:
            runs = timed[name][label]
            cell = f"{n / median(runs, 'wall s'):,.0f}/s"
            if label not in OURS:
                r1 = median(runs, "wall s") / median(timed[name][G1], "wall s")
                r2 = median(runs, "wall s") / median(timed[name][G2], "wall s")
                cell += f" (govcheck -j1 {r1:.2f}x, -j2 {r2:.2f}x)"
            short = short_of_cores(runs) if label == G2 else []
            if short:
                cell += f" {MARK}"
                extra = max(int(r["tries"]) for r in short) - 1
                notes.append(
                    f"{MARK} {name} manifests: {G2} got {min(r['cores'] for r in short):.2f} cores in "
                    f"{len(short)} of {len(runs)} round(s) ({MIN_CORES} wanted), after {extra} extra "
                    "tries of each, the try closest to it quoted: machine busy (or, on a small corpus, "
                    "too little work to share)."
                )
            again = [r for r in runs if r.get("tries", 1) > 1 and r not in short] if label == G2 else []
            if again:
                notes.append(
                    f"{name} manifests: {len(again)} round(s) ran again before {G2} got {MIN_CORES} cores "
                    f"(at most {max(int(r['tries']) for r in again)} tries); their last try is quoted."
                )
            cells.append(cell)
        cores = [f"{median(cold[label], 'cores'):.2f}" if label in cold else "-"]
        cores += [f"{median(timed[name][label], 'cores'):.2f}" for name in names]
        cells.append(" / ".join(cores))
        cells.append(
            " / ".join(f"{median(timed[name][label], 'parse us'):,.0f}" for name in names)
            if tool.floor and all("parse us" in r for name in names for r in timed[name][label])
            else ""
        )
        for name in names:
            mib = median(timed[name][label], "peak MiB")
            cell = f"{mib:,.0f}"
            if label not in OURS:
                cell += f" (govcheck -j1 {median(timed[name][G1], 'peak MiB') / mib:.2f}x)"
            cells.append(cell)
        lines.append("| " + " | ".join(cells) + " |")
    big = timed[names[-1]]
    if FLOOR_GC in big and FLOOR_GC_PY in big:
        compiled = {label: big[label][0].get("compiled", "") or "none" for label in (FLOOR_GC, FLOOR_GC_PY)}
        if compiled[FLOOR_GC] == compiled[FLOOR_GC_PY]:
            notes.append(
                f"{NATIVE}=0 changed nothing in this build (compiled govcheck modules loaded: "
                f"{compiled[FLOOR_GC]}): the two govcheck load_all rows parse the same way."
            )
        else:
            notes.append(
                f"Compiled govcheck modules the load_all floors loaded: {compiled[FLOOR_GC]}; "
                f"with {NATIVE}=0: {compiled[FLOOR_GC_PY]}."
            )
    return lines + ([""] + notes if notes else [])


def targets(
    sizes: list[tuple[str, int]], cold: Runs, timed: dict[str, Runs], ref: str, ref_why: str
) -> list[str]:
    small, big = sizes[0][0], sizes[-1][0]
    at = timed[big]
    out: list[str] = []

    def wall(runs: list[dict[str, float]]) -> float:
        return median(runs, "wall s")

    def say(what: str, shown: str, goal: str, met: bool, note: str = "") -> None:
        out.append(f"- {what}: {shown} (target {goal}) {'MET' if met else 'MISSED'}{note}")

    def cannot(what: str, goal: str, why: str) -> None:
        out.append(f"- {what} (target {goal}): not judged, {why}")

    short = short_of_cores(at[G2])
    g2_note = (
        f"; judged on {len(short)} of {len(at[G2])} round(s) short of cores (got "
        f"{min(r['cores'] for r in short):.2f}, {MIN_CORES} wanted)"
        if short
        else ""
    )
    peers = [label for label in PEERS if label in at]
    fastest = min(peers, key=lambda label: wall(at[label])) if peers else ""

    def vs_fastest(label: str, goal: float, note: str = "") -> None:
        what = f"{big} manifests, {label} throughput / the fastest peer's"
        if not fastest:
            cannot(what, f">= {goal:g}x", "no peer installed")
            return
        ratio = wall(at[fastest]) / wall(at[label])
        say(f"{what} ({fastest})", f"{ratio:.2f}x", f">= {goal:g}x", ratio >= goal, note)

    vs_fastest(G1, 6.0)
    what = f"{big} manifests, {G1} throughput / {ref or 'the reference'}'s"
    if ref in at:
        ratio = wall(at[ref]) / wall(at[G1])
        say(what, f"{ratio:.2f}x", ">= 1.8x", ratio >= 1.8)
    else:
        cannot(what, ">= 1.8x", ref_why)
    vs_fastest(G2, 10.0, g2_note)

    for peer, goal in (("check-jsonschema", 0.33), ("regopy", 1.0)):
        what = f"cold start (govcheck check one.yaml), govcheck time / {peer}'s"
        what += " (the fastest peer to start)" if peer == "regopy" else ""
        if peer in cold:
            ratio = wall(cold[G1]) / wall(cold[peer])
            say(what, f"{ratio:.2f}x", f"<= {goal:g}x", ratio <= goal)
        else:
            cannot(what, f"<= {goal:g}x", f"{peer} not installed")

    what = f"YAML with positions at {big} manifests ({FLOOR_GC}, in process)"
    us = median(at[FLOOR_GC], "parse us")
    say(what, f"{us:,.0f} µs per manifest", "<= 150 µs", us <= 150)

    for label in OURS:
        peak = median(at[label], "peak MiB")
        what = f"peak memory at {big}, {label} / {ref or 'the reference'}"
        if ref in at:
            base = median(at[ref], "peak MiB")
            say(what, f"{peak / base:.2f}x", "<= 1.0x", peak <= base)
        else:
            cannot(what, "<= 1.0x", ref_why)
    for label in OURS:
        what = f"peak memory of {label}, {big} / {small} manifests (flat)"
        if big == small:
            cannot(what, f"<= {FLAT}x", "one corpus only (a full run has two)")
            continue
        peak, base = median(at[label], "peak MiB"), median(timed[small][label], "peak MiB")
        say(what, f"{peak / base:.2f}x", f"<= {FLAT}x", peak <= FLAT * base)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="smoke run: 200 manifests, one repetition")
    ap.add_argument("--peers", type=Path, default=agreement.DEFAULT_PEERS)
    ap.add_argument("--workdir", type=Path, help="where corpora go (default: a temporary directory)")
    ap.add_argument("--markdown", type=Path, help="also write the table here")
    ap.add_argument(
        "--reference",
        default=reference.DEFAULT_REV,
        metavar="REV",
        help=f"the git revision of govcheck timed beside the working tree (default {reference.DEFAULT_REV}; "
        "none: no reference)",
    )
    ap.add_argument("--no-precommit", action="store_true", help="leave out the pre-commit hook's timing")
    ap.add_argument(
        "--precommit-hook",
        choices=("clone", "local"),
        default="clone",
        help="the hook as a pilot repository has it (clone, the default) or the working tree's govcheck "
        "under repo: local (see precommit_bench.py)",
    )
    ap.add_argument(
        "--retries",
        type=int,
        default=RETRIES,
        metavar="N",
        help=f"extra tries of a round in which {G2} got fewer than {MIN_CORES} cores (default {RETRIES})",
    )
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

    ref: reference.Reference | None = None
    ref_why = "no reference (--reference none)"
    if args.reference.lower() != "none":
        try:
            ref = reference.build(args.reference)
        except reference.BuildError as exc:
            ref_why = f"the reference {args.reference} could not be built ({str(exc)[:300]})"
        else:
            print(f"Comparing govcheck@{ref.short}'s findings with the working tree's ...", flush=True)
            why = check_reference(ref, govcheck, corpora[sizes[0][0]])
            if why:
                ref_why, ref = f"govcheck@{ref.short} left out: {why}", None
    label_ref = ref_label(ref) if ref else ""

    every = tools(govcheck, args.peers, ref)
    chosen = [
        t
        for t in every
        if not t.peer
        or not agreement.missing_reason(next(p for p in agreement.PEERS if p.name == t.peer), args.peers)
    ]
    skipped = sorted({t.peer for t in every} - {t.peer for t in chosen} - {""})
    start_load = os.getloadavg()[0]  # other work on the machine slows --jobs 2 first
    print(f"Timing cold start ({cold_runs} runs) ...", flush=True)
    cold = measure([t for t in chosen if t.cold], one, cold_runs, warmup=1)
    timed: dict[str, Runs] = {}
    for name, n in sizes:
        print(f"Timing {name} manifests ({runs} run(s) each) ...", flush=True)
        timed[name] = measure(chosen, corpora[name], runs, 0 if n > 1000 else 1, args.retries)

    hook_lines: list[str] = []
    if not args.no_precommit:
        print(f"Timing the pre-commit hook ({cold_runs} runs) ...", flush=True)
        hook = args.precommit_hook
        try:
            result = precommit_bench.bench(cold_runs, hook=hook, govcheck=govcheck)
        except precommit_bench.Failed as first:
            result, hook_lines = (
                None,
                [f"The pre-commit hook (--precommit-hook {hook}) could not be timed: {first}"],
            )
            if hook == "clone":
                try:
                    result = precommit_bench.bench(cold_runs, hook="local", govcheck=govcheck)
                    hook_lines[-1] += " Timed under repo: local instead."
                except precommit_bench.Failed as exc:
                    hook_lines.append(f"Nor under repo: local: {exc}")
        if result is not None:
            hook_lines += [
                "",
                f"The pre-commit hook: medians of {cold_runs} runs in turns, in a throwaway repository "
                "(precommit_bench.py); share = the row's time / the felt time.",
                "",
                *precommit_bench.section(result),
            ]

    load = " / ".join(f"{x:.1f}" for x in (start_load, os.getloadavg()[0]))
    env_note = f" {NATIVE}={os.environ[NATIVE]} in the environment." if NATIVE in os.environ else ""
    lines = [
        f"govcheck beside its peers, {dt.date.today()}, {os.cpu_count()} cpus (load average at start / end: "
        f"{load}): {versions(args.peers, govcheck)}"
        + (f"; reference govcheck@{ref.short} ({ref.commit}), {ref.version}" if ref else "")
        + f".{env_note}",
        f"Same manifests (gen_corpus.py), same 20 rules (RULES.md), today {TODAY}; medians of {runs} run(s) "
        f"({cold_runs} for cold start); whole processes; throughput = manifests / wall time; "
        "(govcheck ...x) = govcheck's time, rate or memory relative to that row's, from this run; "
        "cores = CPU time (user + system, the process and the children it reaped) / wall time; "
        "parse µs = parse_floor.py's own clock around the parse alone (no start-up, imports or reading).",
        "",
    ]
    lines += table(sizes, cold, timed, chosen)
    if skipped:
        lines += ["", f"Skipped (not installed): {', '.join(skipped)}."]
    if not ref:
        lines += ["", f"No reference row: {ref_why}."]
    lines += [
        "",
        "Targets" + (" (set for 10,000 manifests; a --quick run only shows the way):" if args.quick else ":"),
    ]
    lines += targets(sizes, cold, timed, label_ref, ref_why)
    lines += hook_lines
    text = "\n".join(lines) + "\n"
    sys.stdout.write("\n" + text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
