#!/usr/bin/env python3
"""Check that govcheck, every installed peer and the plain-Python oracle agree, rule by rule.

Usage: agreement.py CORPUS [--today YYYY-MM-DD] [--peers DIR] [--govcheck CMD] [--markdown FILE]

Runs govcheck (bench/pack, JSON report), check-jsonschema, spectral lint and
peers/rego_check.py once each over CORPUS/*.yaml, turns each report into a set of
(manifest, rule) violations, and compares every set with oracle.py, the plain-Python reading
of RULES.md. Tools that agree with the oracle agree with each other (outside the declared
gaps), so govcheck is compared with every peer through it. Prints a per-rule table (manifests
in violation; the raw number of reported problems in brackets where it differs) and each
disagreement.

A peer that is not installed under --peers (see setup_peers.sh) is skipped and named; govcheck
and the oracle are always compared. Exit status: 0 when the only differences are the declared
gaps (GAPS), 1 on any disagreement or when an installed tool fails, 2 on bad usage.

Spectral's ruleset fixes "today" at 2026-11-25 (the corpus's AS_OF); with another --today
its MON-002 answers differ by design.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import oracle  # noqa: E402  (bench/ is not a package: run from a clone)

PACK = BENCH / "pack"
PEER_RULES = BENCH / "peers"
DEFAULT_PEERS = BENCH / ".peers"
# Rules a peer cannot express, left out of that peer's rule set (see RULES.md).
GAPS = {"check-jsonschema": {"MON-002"}}
Found = dict[tuple[str, str], int]  # (manifest file name, rule) -> problems reported


class Failed(Exception):
    """An installed tool did not produce a usable report."""


def govcheck_command() -> list[str]:
    """The govcheck console script beside this Python, else on PATH, else ``python -m govcheck``."""
    beside = Path(sys.executable).parent / "govcheck"
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("govcheck")
    return [found] if found else [sys.executable, "-m", "govcheck"]


def govcheck_args(corpus: Path, today: dt.date) -> list[str]:
    return ["check", "--no-config", "--pack", str(PACK), "--today", today.isoformat(), str(corpus)]


def run_govcheck(cmd: list[str], corpus: Path, today: dt.date) -> tuple[Found, Found]:
    """Rule violations, and the findings about the files themselves (GC-PARSE, GC-SCHEMA, ...)."""
    proc = subprocess.run(
        [*cmd, *govcheck_args(corpus, today), "--format", "json", "--fail-on", "never"],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise Failed(f"govcheck exited {proc.returncode}: {proc.stderr.strip()[:2000]}")
    found: Found = collections.Counter()
    files: Found = collections.Counter()
    for f in json.loads(proc.stdout)["findings"]:
        (files if f["rule"].startswith("GC-") else found)[(Path(f["file"]).name, f["rule"])] += 1
    return dict(found), dict(files)


def run_check_jsonschema(corpus: Path, files: list[Path], peers: Path, today: dt.date) -> Found:
    schema = PEER_RULES / "pilot-rules.schema.json"
    proc = subprocess.run(
        [
            str(peers / "venv/bin/check-jsonschema"),
            "--output-format",
            "json",
            "--schemafile",
            str(schema),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        raise Failed(f"check-jsonschema exited {proc.returncode}: {proc.stderr.strip()[:2000]}") from None
    if report.get("parse_errors"):
        raise Failed(f"check-jsonschema could not parse: {report['parse_errors'][:3]}")
    reported = collections.Counter(Path(e["filename"]).name for e in report.get("errors", []))
    replay = subprocess.run(
        [
            str(peers / "venv/bin/python"),
            str(PEER_RULES / "replay_jsonschema.py"),
            str(schema),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if replay.returncode != 0:
        raise Failed(f"replaying check-jsonschema failed: {replay.stderr.strip()[:2000]}")
    attributed = json.loads(replay.stdout)
    if collections.Counter(attributed["per_file"]) != reported:
        raise Failed(
            "the replay does not match check-jsonschema's own report; cannot attribute its errors to rules"
        )
    return {(f, r): n for f, r, n in attributed["found"]}


def run_spectral(corpus: Path, files: list[Path], peers: Path, today: dt.date) -> Found:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "spectral.json"
        proc = subprocess.run(
            [
                str(peers / "node/node_modules/.bin/spectral"),
                "lint",
                str(corpus / "*.yaml"),
                "-r",
                str(PEER_RULES / "spectral.yaml"),
                "-f",
                "json",
                "-o",
                str(out),
                "-q",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if not out.is_file():
            raise Failed(f"spectral exited {proc.returncode} without a report: {proc.stderr.strip()[:2000]}")
        results = json.loads(out.read_text(encoding="utf-8"))
    found: Found = collections.Counter()
    for r in results:
        if r["code"] not in oracle.RULE_IDS:
            raise Failed(f"spectral reported something other than a rule result: {r}")
        found[(Path(r["source"]).name, r["code"])] += 1
    return dict(found)


def run_rego(corpus: Path, files: list[Path], peers: Path, today: dt.date) -> Found:
    proc = subprocess.run(
        [
            str(peers / "venv/bin/python"),
            str(PEER_RULES / "rego_check.py"),
            "--policy",
            str(PEER_RULES / "pilot.rego"),
            "--today",
            today.isoformat(),
            "--format",
            "json",
            str(corpus),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode not in (0, 1) or proc.stderr:
        raise Failed(f"rego_check.py exited {proc.returncode}: {proc.stderr.strip()[:2000]}")
    found: Found = collections.Counter()
    for v in json.loads(proc.stdout):
        found[(Path(v["file"]).name, v["rule"])] += 1
    return dict(found)


class Peer(NamedTuple):
    name: str
    needs: tuple[str, ...]  # paths under the peers directory
    probe: tuple[str, ...]  # a command (relative to the peers directory) that must succeed
    run: Callable[[Path, list[Path], Path, dt.date], Found]


PEERS = (
    Peer(
        "check-jsonschema",
        ("venv/bin/check-jsonschema",),
        ("venv/bin/python", "-c", "import check_jsonschema"),
        run_check_jsonschema,
    ),
    Peer(
        "spectral",
        ("node/node_modules/.bin/spectral",),
        ("node/node_modules/.bin/spectral", "--version"),
        run_spectral,
    ),
    Peer("regopy", ("venv/bin/python",), ("venv/bin/python", "-c", "import regopy, yaml"), run_rego),
)


def missing_reason(peer: Peer, peers: Path) -> str:
    """Why a peer cannot run here, or "" when it is installed."""
    for need in peer.needs:
        if not (peers / need).exists():
            return f"not installed ({peers / need} is missing; run bench/setup_peers.sh)"
    probe = [str(peers / peer.probe[0]), *peer.probe[1:]]
    if subprocess.run(probe, capture_output=True, check=False).returncode != 0:
        return f"installed but broken ({shlex.join(probe)} fails)"
    return ""


def table(results: dict[str, Found], files: list[Path], corpus: Path, today: dt.date) -> list[str]:
    tools = list(results)
    lines = [
        f"Agreement on {len(files)} manifests of {corpus} (today {today}): manifests in violation "
        "per rule; [raw problems reported] where that differs.",
        "",
        "| rule | " + " | ".join(tools) + " |",
        "|---" * (len(tools) + 1) + "|",
    ]
    for rule in oracle.RULE_IDS:
        cells = []
        for t in tools:
            if rule in GAPS.get(t, ()):
                cells.append("not expressible")
                continue
            hits = [n for (_, r), n in results[t].items() if r == rule]
            cells.append(str(len(hits)) + (f" [{sum(hits)}]" if sum(hits) != len(hits) else ""))
        lines.append(f"| {rule} | " + " | ".join(cells) + " |")
    clean = sum(1 for f in files if not any(k[0] == f.name for k in results["oracle"]))
    return lines + ["", f"Manifests with no violation (oracle): {clean} of {len(files)}."]


def disagreements(results: dict[str, Found]) -> list[str]:
    ref = results["oracle"]
    problems = []
    for tool, found in results.items():
        if tool == "oracle":
            continue
        gaps = GAPS.get(tool, set())
        want = {k for k in ref if k[1] not in gaps}
        got = set(found)
        problems += [f"{tool} missed {k[1]} in {k[0]}" for k in sorted(want - got)]
        problems += [f"{tool} reported {k[1]} in {k[0]}, the oracle did not" for k in sorted(got - want)]
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--today", type=dt.date.fromisoformat, default=oracle.AS_OF)
    ap.add_argument(
        "--peers", type=Path, default=DEFAULT_PEERS, help="where setup_peers.sh installed the peers"
    )
    ap.add_argument(
        "--govcheck", type=shlex.split, default=None, help="govcheck command (default: %(prog)s finds it)"
    )
    ap.add_argument("--markdown", type=Path, help="also write the report here")
    args = ap.parse_args(argv)
    files = sorted(args.corpus.glob("*.yaml"))
    if not files:
        ap.error(f"no *.yaml manifests in {args.corpus}")

    results: dict[str, Found] = {"oracle": oracle.run(files, args.today)}
    notes, failures = [], []
    try:
        results["govcheck"], file_findings = run_govcheck(
            args.govcheck or govcheck_command(), args.corpus, args.today
        )
        if file_findings:
            notes.append(
                f"govcheck also reported {sum(file_findings.values())} finding(s) about the files themselves "
                f"(not rules): {', '.join(sorted({r for _, r in file_findings}))}"
            )
    except Failed as exc:
        failures.append(f"govcheck: {exc}")
    for peer in PEERS:
        reason = missing_reason(peer, args.peers)
        if reason:
            notes.append(f"skipped {peer.name}: {reason}")
            continue
        try:
            results[peer.name] = peer.run(args.corpus, files, args.peers, args.today)
        except Failed as exc:
            failures.append(f"{peer.name}: {exc}")

    problems = disagreements(results)
    lines = table(results, files, args.corpus, args.today)
    if notes or failures:
        lines += [""] + [f"Note: {n}" for n in notes] + [f"FAILED: {f}" for f in failures]
    lines += [
        "",
        "Disagreements (manifest, rule) with the oracle, declared gaps aside: "
        + (str(len(problems)) if problems else "none."),
    ]
    lines += [f"- {p}" for p in problems[:50]]
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(text, encoding="utf-8")
    return 1 if problems or failures else 0


if __name__ == "__main__":
    sys.exit(main())
