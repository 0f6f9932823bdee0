#!/usr/bin/env python3
"""govcheck's share of the time a commit waits for its pre-commit hook.

Usage: precommit_bench.py [--runs N] [--manifests M] [--hook clone|local] [--govcheck CMD]

Builds a throwaway git repository in a temporary directory: M copies of examples/ready (a
pilot manifest and its evidence files; each copy's metadata.id made unique) and a
.pre-commit-config.yaml with two hooks, all committed:

- govcheck, this repository's hook from .pre-commit-hooks.yaml, with ``args: [--today ...]``.
  --hook clone (the default) uses it as a pilot repository does, ``repo:`` this clone's path at
  ``rev:`` HEAD: pre-commit clones it and pip installs the commit (committed files only) into
  the hook's environment, with its dependencies from PyPI. --hook local declares the same hook
  under ``repo: local`` with ``language: system`` and the govcheck under test (--govcheck, by
  default the console script beside this Python) as the entry's command: no environment built.
- noop, ``language: system``, ``entry: true``, with the govcheck hook's pass_filenames and
  always_run: what pre-commit itself costs around any hook.

pre-commit's environments go to bench/.peers/pre-commit (git-ignored, reused; PRE_COMMIT_HOME).
After one untimed warm-up of each, three commands are timed in turns (_turns.py; whole
processes, medians): ``pre-commit run govcheck --all-files`` (the time a commit feels),
``pre-commit run noop --all-files`` (pre-commit's own overhead) and the hook's command run alone
in the repository, with the same govcheck the hook runs (for --hook clone, the console script in
the hook's environment). Prints them and govcheck's share of the felt time: alone / felt.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
import _turns  # noqa: E402  (bench/ is not a package: run from a clone)
import oracle  # noqa: E402

EXAMPLE = REPO / "examples" / "ready"
HOOKS = REPO / ".pre-commit-hooks.yaml"
HOME = BENCH / ".peers" / "pre-commit"
TODAY = oracle.AS_OF.isoformat()
HOOK_ID = "govcheck"
FELT = "pre-commit run govcheck --all-files"
OVERHEAD = "pre-commit run noop --all-files"
ALONE = "govcheck check, alone"
# Variables that would point pre-commit or git elsewhere, or skip the hooks.
ENV: dict[str, str | None] = {
    "PRE_COMMIT_HOME": str(HOME),
    "SKIP": None,
    "GIT_DIR": None,
    "GIT_WORK_TREE": None,
    "GIT_INDEX_FILE": None,
    "PYTHONPATH": None,
}


class Failed(Exception):
    """The repository or the hook environment could not be set up."""


class Result(NamedTuple):
    runs: dict[str, list[dict[str, float]]]
    hook: str  # how the govcheck hook was declared, in words
    manifests: int


def default_govcheck() -> list[str]:
    beside = Path(sys.executable).parent / "govcheck"
    return [str(beside)] if beside.is_file() else [shutil.which("govcheck") or "govcheck"]


def pre_commit() -> str:
    beside = Path(sys.executable).parent / "pre-commit"
    found = str(beside) if beside.is_file() else shutil.which("pre-commit")
    if not found:
        raise Failed("pre-commit is not installed (pip install pre-commit)")
    return found


def environ() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ENV}
    env.update({k: v for k, v in ENV.items() if v is not None})
    return env


def run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=environ(), capture_output=True, text=True, check=False)


def hook_definition() -> dict:
    from ruamel.yaml import YAML  # a govcheck dependency

    hooks = YAML(typ="safe").load(HOOKS.read_text(encoding="utf-8"))
    for hook in hooks:
        if hook["id"] == HOOK_ID:
            return hook
    raise Failed(f"{HOOKS} has no hook {HOOK_ID!r}")


def config(hook: str, govcheck: list[str]) -> tuple[dict, str]:
    """The .pre-commit-config.yaml (as JSON, which is YAML) and what the govcheck hook is, in words."""
    definition = hook_definition()
    args = ["--today", TODAY]
    same = {k: definition[k] for k in ("pass_filenames", "always_run") if k in definition}
    noop = {"id": "noop", "name": "no-op", "entry": "true", "language": "system", **same}
    if hook == "clone":
        head = run(["git", "rev-parse", "HEAD"], REPO).stdout.strip()
        if not head:
            raise Failed(f"cannot read HEAD of {REPO}")
        repos = [
            {"repo": str(REPO), "rev": head, "hooks": [{"id": HOOK_ID, "args": args}]},
            {"repo": "local", "hooks": [noop]},
        ]
        return {"repos": repos}, f"repo: this clone at {head[:7]} (language: python, pip-installed)"
    entry = shlex.split(definition["entry"])
    local = {
        **{k: v for k, v in definition.items() if k not in ("description", "language", "entry")},
        "entry": shlex.join([*govcheck, *entry[1:]]),
        "language": "system",
        "args": args,
    }
    return {"repos": [{"repo": "local", "hooks": [local, noop]}]}, "repo: local (language: system)"


def make_repo(dest: Path, manifests: int, cfg: dict) -> None:
    for k in range(1, manifests + 1):
        pilot = dest / "pilots" / f"pilot-{k:02d}"
        shutil.copytree(EXAMPLE, pilot)
        text = (pilot / "pilot.yaml").read_text(encoding="utf-8")
        old = "\n  id: readmission-risk-toc\n"
        if old not in text:
            raise Failed(f"{EXAMPLE}/pilot.yaml has no metadata.id readmission-risk-toc to make unique")
        (pilot / "pilot.yaml").write_text(text.replace(old, f"\n  id: readmission-risk-toc-{k:02d}\n", 1))
    (dest / ".pre-commit-config.yaml").write_text(json.dumps(cfg, indent=2) + "\n", encoding="utf-8")
    ident = ["-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "-c", "commit.gpgsign=false"]
    for step in (
        ["git", "init", "-q"],
        ["git", "add", "-A"],
        ["git", *ident, "commit", "-q", "-m", "pilots"],
    ):
        proc = run(step, dest)
        if proc.returncode != 0:
            raise Failed(f"{' '.join(step)}: {proc.stderr.strip()}")


def hook_govcheck(cfg: dict) -> list[str]:
    """The console script in the environment pre-commit built for the cloned hook."""
    repo = cfg["repos"][0]
    with sqlite3.connect(HOME / "db.db") as db:
        row = db.execute(
            "SELECT path FROM repos WHERE repo = ? AND ref = ?", (repo["repo"], repo["rev"])
        ).fetchone()
    found = sorted(Path(row[0]).glob("py_env-*/bin/govcheck")) if row else []
    if not found:
        raise Failed(f"no govcheck in pre-commit's environment for {repo['repo']}@{repo['rev'][:7]}")
    return [str(found[0])]


def bench(runs: int, manifests: int = 5, hook: str = "clone", govcheck: list[str] | None = None) -> Result:
    govcheck = govcheck or default_govcheck()
    tool = pre_commit()
    HOME.mkdir(parents=True, exist_ok=True)
    cfg, described = config(hook, govcheck)
    with tempfile.TemporaryDirectory(prefix="govbench-precommit-") as tmp:
        repo = Path(tmp)
        make_repo(repo, manifests, cfg)
        for hook_id in (HOOK_ID, "noop"):  # warm: builds the hook's environment once, if it needs one
            proc = run([tool, "run", hook_id, "--all-files"], repo)
            if proc.returncode != 0:
                said = (proc.stdout + proc.stderr)[-2000:]
                raise Failed(f"pre-commit run {hook_id} exited {proc.returncode}: {said}")
        command = hook_govcheck(cfg) if hook == "clone" else govcheck
        entry = shlex.split(hook_definition()["entry"])[1:]
        commands = {
            FELT: [tool, "run", HOOK_ID, "--all-files"],
            OVERHEAD: [tool, "run", "noop", "--all-files"],
            ALONE: [*command, *entry, "--today", TODAY],
        }
        out = _turns.in_turns(
            {
                "commands": commands,
                "runs": runs,
                "warmup": 1,
                "cwd": str(repo),
                "env": {k: ENV for k in commands},
            }
        )
    for label, results in out.items():
        codes = {int(r["exit"]) for r in results}
        if codes != {0}:
            raise Failed(f"{label} exited {sorted(codes)} in the timed runs")
    return Result(out, described, manifests)


def median(results: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in results)


def section(result: Result) -> list[str]:
    """A table of the three commands and the share, as run.py prints it."""
    runs = result.runs
    felt = median(runs[FELT], "wall s")
    lines = [
        f"| pre-commit hook, {result.manifests} manifests ({result.hook}) "
        "| wall | share of felt | cores | peak MiB |",
        "|---|---|---|---|---|",
    ]
    for label in (FELT, OVERHEAD, ALONE):
        wall = median(runs[label], "wall s")
        lines.append(
            f"| {label} | {wall * 1000:,.0f} ms | {wall / felt:.0%} | {median(runs[label], 'cores'):.2f} "
            f"| {median(runs[label], 'peak MiB'):,.0f} |"
        )
    alone, overhead = median(runs[ALONE], "wall s"), median(runs[OVERHEAD], "wall s")
    share = alone / felt
    lines += [
        "",
        f"govcheck's share of the felt time: {share:.0%} ({alone * 1000:,.0f} of {felt * 1000:,.0f} ms); "
        f"the other {1 - share:.0%} is pre-commit and git (a no-op hook's whole run: {overhead / felt:.0%}).",
    ]
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--manifests", type=int, default=5)
    ap.add_argument("--hook", choices=("clone", "local"), default="clone")
    ap.add_argument("--govcheck", help="the govcheck command for --hook local (default: beside this Python)")
    args = ap.parse_args(argv)
    try:
        result = bench(
            args.runs, args.manifests, args.hook, shlex.split(args.govcheck) if args.govcheck else None
        )
    except Failed as exc:
        print(f"precommit_bench: {exc}", file=sys.stderr)
        return 1
    print(f"medians of {args.runs} runs, in turns; whole processes\n")
    print("\n".join(section(result)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
