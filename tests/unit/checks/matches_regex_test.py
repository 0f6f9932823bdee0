"""Patterns from packs: ``matches`` takes ``$`` as the end of the text, and no pattern hangs the gate.

Each hostile case runs the real CLI in a subprocess with a 10 s timeout: a pattern that took
exponential time would time out instead of giving its exit code and message.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from govcheck.checks import matches
from govcheck.interfaces import CheckContext
from govcheck.lang.fieldpath import dotted
from tests.helpers import TODAY, manifest, write

HOSTILE = "a" * 40 + "!"
SLUG = "^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$"  # the shipped pack's


def failures(name: str, target: str, data: Any, **params: Any) -> list[tuple[str, str]]:
    assert name == "matches"
    ctx = CheckContext(data, Path("pilot.yaml"), Path("."), TODAY, "moderate", "pilot")
    return [(dotted(f.path), f.detail) for f in matches.compile_check(target, params)(ctx)]


def test_dollar_is_the_end_of_the_text() -> None:
    assert failures("matches", "id", {"id": "ab"}, pattern="^[a-z-]+$") == []
    assert failures("matches", "id", {"id": "ab\n"}, pattern="^[a-z-]+$") == [
        ("id", "'ab\\n' does not match ^[a-z-]+$")
    ]
    assert failures("matches", "id", {"id": "my-pilot\n"}, pattern=SLUG) == [
        ("id", f"'my-pilot\\n' does not match {SLUG}")
    ]
    assert failures("matches", "id", {"id": "ab\ncd"}, pattern="(?m)^ab$") == []  # MULTILINE as before
    assert failures("matches", "id", {"id": "a-b-c"}, pattern="b") == []  # still searched


@pytest.mark.parametrize("pattern", ["^(a+)+$", "^(a|aa)+$", "(a*)*b", "^(\\w+\\s?)*$"])
def test_hostile_patterns_are_answered(pattern: str) -> None:
    assert failures("matches", "id", {"id": HOSTILE}, pattern=pattern) == [
        ("id", f"{HOSTILE!r} does not match {pattern}")
    ]


def test_a_pattern_that_needs_backtracking_and_repeats_without_bound_is_refused() -> None:
    with pytest.raises(ValueError, match="exponential time.*back-reference"):
        failures("matches", "id", {"id": "aa"}, pattern="^(a+)\\1$")
    assert failures("matches", "id", {"id": "aa"}, pattern="^(a)\\1$") == []  # small: run on re itself


PACK = """\
apiVersion: govcheck/v1
kind: PolicyPack
metadata: {{name: hostile, version: 0.1.0, description: Patterns that backtrack}}
tiers: [low, moderate, high, critical]
stages: [pilot, expansion, enterprise]
rules:
  - id: HOS-001
    title: The id is a slug
    category: governance
    severity: error
    check: {check}
    message: "metadata.id must be a slug"
"""


def govcheck(tmp_path: Path, check: str, **changes: Any) -> subprocess.CompletedProcess[str]:
    write(tmp_path / "pack" / "pack.yaml", PACK.format(check=check))
    write(tmp_path / "pilot.yaml", manifest(**changes))
    return subprocess.run(
        [sys.executable, "-m", "govcheck", "check", "--pack", str(tmp_path / "pack"), "--today", "2026-11-25"]
        + ["pilot.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=10,
    )


@pytest.mark.parametrize(
    "check",
    [
        '{matches: metadata.id, pattern: "^(a+)+$"}',
        '{schema: metadata.id, is: {pattern: "^(a|aa)+$"}}',
        '{schema: metadata.labels, is: {patternProperties: {"^(a+)+$": {type: number}}}}',
        '{schema: metadata.labels, is: {patternProperties: {"^(a+)+$": {}}, additionalProperties: false}}',
    ],
)
def test_hostile_patterns_finish_in_the_cli(tmp_path: Path, check: str) -> None:
    labels = {HOSTILE: "x", HOSTILE[:-1]: "x"}  # a key the pattern does not match, and one it does
    done = govcheck(tmp_path, check, **{"metadata.id": HOSTILE, "metadata.labels": labels})
    assert done.returncode == 1, done.stderr
    assert "HOS-001" in done.stdout


def test_an_unsafe_pattern_is_a_pack_error_naming_the_rule(tmp_path: Path) -> None:
    done = govcheck(tmp_path, '{matches: metadata.id, pattern: "^(a+)\\\\1$"}')
    assert done.returncode == 2, done.stdout
    assert "HOS-001" in done.stderr and "exponential time" in done.stderr


def test_an_unsafe_pattern_in_a_schema_fragment_is_a_pack_error(tmp_path: Path) -> None:
    done = govcheck(tmp_path, '{schema: metadata.id, is: {pattern: "^(?=a)(a+)+$"}}')
    assert done.returncode == 2, done.stdout
    assert "HOS-001" in done.stderr and "lookahead" in done.stderr


def test_a_trailing_newline_fails_matches_in_the_cli(tmp_path: Path) -> None:
    done = govcheck(tmp_path, '{matches: metadata.id, pattern: "^[a-z-]+$"}', **{"metadata.id": "ab\n"})
    assert done.returncode == 1 and "HOS-001" in done.stdout


def test_a_run_whose_patterns_are_small_does_not_import_re2(tmp_path: Path) -> None:
    write(tmp_path / "pilot.yaml", manifest())
    probe = (
        "import runpy, sys\n"
        "sys.argv = ['govcheck', 'check', '--today', '2026-11-25', 'pilot.yaml']\n"
        "try:\n    runpy.run_module('govcheck', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print('re2' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=30
    )
    assert done.stderr.strip().splitlines()[-1] == "False", done.stderr
