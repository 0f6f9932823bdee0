"""What ``govcheck check one.yaml`` imports: only what a one-file check needs.

A pre-commit hook starts govcheck on every commit, so each module it imports is paid for every
time. Each test runs a check in a fresh interpreter and reads ``sys.modules`` afterwards.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]
PROBE = """
import sys
from govcheck.cli import main
try:
    main(sys.argv[2:])
except SystemExit:
    pass
watched = tuple(sys.argv[1].split(","))
print("LOADED", sorted(m for m in sys.modules if m.split(".")[0] in watched or m in watched), file=sys.stderr)
"""


def loaded(watched: tuple[str, ...], *args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(watched), "check", "--today", "2026-11-25", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    shown = done.stderr.rpartition("LOADED ")[2].strip()
    assert shown.startswith("["), done.stderr
    return list(ast.literal_eval(shown))


def test_a_failing_schema_rule_is_worded_without_jsonschema() -> None:
    # examples/failing fails schema checks of the default pack: their errors are worded too.
    assert loaded(("jsonschema", "referencing", "attrs"), "examples/failing/pilot.yaml") == []


def test_a_check_imports_no_other_command() -> None:
    from govcheck.cli import COMMANDS

    others = tuple(target.partition(":")[0] for name, target in COMMANDS.items() if name != "check")
    assert loaded(others, "examples/ready/pilot.yaml") == []


def test_a_passing_file_loads_nothing_only_other_paths_need() -> None:
    only_elsewhere = (
        "govcheck.baseline",  # --baseline
        "govcheck.packs.tighten",  # packs added by a configuration
        "govcheck.history",  # --record, provenance
        "govcheck.portfolio",
        "govcheck.authoring",
        "tarfile",  # packs from git, with tempfile and shutil (and through it bz2 and lzma)
        "tempfile",
        "shutil",
        "difflib",  # did-you-mean for a rejected word
        "calendar",  # the wording of a date that does not exist
        "traceback",  # --traceback
        "multiprocessing",  # --jobs
        "pickle",  # with zlib, packed results: a run of more than one chunk, or with workers
        "zlib",
        "concurrent",
    )
    assert loaded(only_elsewhere, "examples/ready/pilot.yaml") == []
