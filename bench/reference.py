#!/usr/bin/env python3
"""Build govcheck as it was at a git revision, to time it beside today's tree in the same run.

Usage: reference.py [REV] [--cache DIR]   (REV default: 25cfb40; prints the console script's path)

The revision is exported with ``git archive`` (committed files only, nothing of the working
tree) into DIR/<commit>-py<X.Y>/src and installed with pip, as a wheel, never editable, into its
own venv beside it (DIR defaults to bench/.peers/reference, git-ignored). A finished build is
reused. pip needs PyPI for the build backend and the dependencies.

run.py runs the reference's console script by its path, with PYTHONPATH removed from its
environment, and this module checks before use that the reference imports govcheck from its
own venv, so the row cannot time the working tree's source.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import NamedTuple

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
DEFAULT_REV = "25cfb40"  # "today's govcheck" of the speed-near-the-floor issue's 1.8x target
DEFAULT_CACHE = BENCH / ".peers" / "reference"
# What the reference's processes must not inherit: it would put other source before its own.
ENV = {"PYTHONPATH": None, "PYTHONHOME": None, "PYTHONSTARTUP": None}


class Reference(NamedTuple):
    commit: str
    short: str
    govcheck: Path  # the console script, run by its path
    version: str


class BuildError(Exception):
    """The revision could not be exported or installed."""


def _git(*args: str) -> str:
    proc = subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise BuildError(f"git {' '.join(args)}: {proc.stderr.strip()}")
    return proc.stdout.strip()


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ENV}


def _imported_from(python: Path, cwd: Path) -> tuple[str, str]:
    proc = subprocess.run(
        [
            str(python),
            "-c",
            "import govcheck, importlib.metadata as m; "
            "print(govcheck.__file__); print(m.version('govcheck'))",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env=_env(),
    )
    if proc.returncode != 0:
        raise BuildError(f"the reference venv cannot import govcheck: {proc.stderr.strip()[-500:]}")
    where, version = (proc.stdout.strip().splitlines() + ["", ""])[:2]
    return where, version


def build(rev: str = DEFAULT_REV, cache: Path = DEFAULT_CACHE, log=sys.stderr) -> Reference:
    """The reference build of ``rev``, built now or reused."""
    commit = _git("rev-parse", "--verify", f"{rev}^{{commit}}")
    short = _git("rev-parse", "--short", commit)
    home = cache / f"{commit}-py{sys.version_info.major}.{sys.version_info.minor}"
    venv, src = home / "venv", home / "src"
    python, script = venv / "bin" / "python", venv / "bin" / "govcheck"
    done = home / ".built"
    if not (done.is_file() and script.is_file()):
        print(f"Building the reference govcheck@{short} in {home} ...", file=log, flush=True)
        shutil.rmtree(home, ignore_errors=True)
        src.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", "--format=tar", commit], capture_output=True, check=False
        )
        if archive.returncode != 0:
            raise BuildError(f"git archive {commit}: {archive.stderr.decode(errors='replace').strip()}")
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            if sys.version_info >= (3, 12):
                tar.extractall(src, filter="data")
            else:
                tar.extractall(src)  # our own repository's archive
        steps = [
            [sys.executable, "-m", "venv", str(venv)],
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(src)],
        ]
        for step in steps:
            proc = subprocess.run(step, capture_output=True, text=True, check=False, cwd=home, env=_env())
            if proc.returncode != 0:
                raise BuildError(f"{' '.join(step[:4])} ...: {(proc.stderr or proc.stdout).strip()[-1500:]}")
        done.write_text(commit + "\n", encoding="utf-8")
    where, version = _imported_from(python, home)
    if not Path(where).resolve().is_relative_to(venv.resolve()):
        raise BuildError(f"the reference venv imports govcheck from {where}, not from {venv}")
    return Reference(commit, short, script, version)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("rev", nargs="?", default=DEFAULT_REV)
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    args = ap.parse_args(argv)
    try:
        ref = build(args.rev, args.cache)
    except BuildError as exc:
        print(f"reference: {exc}", file=sys.stderr)
        return 1
    print(ref.govcheck)
    return 0


if __name__ == "__main__":
    sys.exit(main())
