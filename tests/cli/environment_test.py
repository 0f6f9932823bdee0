"""Options from the environment (GOVCHECK_<COMMAND>_<OPTION>) and colour from FORCE_COLOR / NO_COLOR."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from govcheck.cli.check import wants_color

ROOT = Path(__file__).resolve().parents[2]
FAILING = str(ROOT / "examples" / "failing")


def govcheck(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GOVCHECK_") and "COLOR" not in k}
    return subprocess.run(
        [sys.executable, "-m", "govcheck", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_an_option_set_in_the_environment_applies_and_the_command_line_wins() -> None:
    assert govcheck("check", "--today", "2026-11-25", "-q", FAILING).returncode == 1
    assert (
        govcheck("check", "--today", "2026-11-25", "-q", FAILING, GOVCHECK_CHECK_FAIL_ON="never").returncode
        == 0
    )
    wins = govcheck(
        "check", "--today", "2026-11-25", "-q", "--fail-on", "error", FAILING, GOVCHECK_CHECK_FAIL_ON="never"
    )
    assert wins.returncode == 1
    as_json = govcheck("check", "--today", "2026-11-25", FAILING, GOVCHECK_CHECK_FORMATS="json")
    assert as_json.stdout.startswith("{"), as_json.stdout[:200]


def test_a_bad_value_from_the_environment_is_a_usage_error() -> None:
    result = govcheck("check", FAILING, GOVCHECK_CHECK_FAIL_ON="sometimes")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "sometimes" in result.stderr


@pytest.mark.parametrize(
    ("choice", "terminal", "environ", "expected"),
    [
        ("auto", False, {}, False),
        ("auto", True, {}, True),
        ("auto", False, {"FORCE_COLOR": "1"}, True),
        ("auto", False, {"FORCE_COLOR": "0"}, False),
        ("auto", True, {"NO_COLOR": "1"}, False),
        ("auto", False, {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        ("always", False, {"NO_COLOR": "1"}, True),
        ("never", True, {"FORCE_COLOR": "1"}, False),
    ],
)
def test_colour(choice: str, terminal: bool, environ: dict[str, str], expected: bool) -> None:
    assert wants_color(choice, terminal, environ) is expected


def test_force_color_colours_a_piped_report() -> None:
    piped = govcheck("check", "--today", "2026-11-25", FAILING)
    forced = govcheck("check", "--today", "2026-11-25", FAILING, FORCE_COLOR="1")
    assert "\x1b[" not in piped.stdout
    assert "\x1b[31merror\x1b[0m" in forced.stdout
