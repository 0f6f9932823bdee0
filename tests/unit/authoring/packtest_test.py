"""``pack test``: the fixture format, comparing outcomes, and what no fixture shows."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from govcheck.api import load_policy
from govcheck.authoring.packtest import FixtureReport, render_text, run_tests
from govcheck.plugins import load_registry
from tests.helpers import MINI, write

ROOT = Path(__file__).resolve().parents[3]
TODAY = dt.date(2026, 11, 25)
# A low-tier manifest for the mini pack; line 8 is the success metric.
PILOT = """apiVersion: govcheck/v1
kind: AIPilot
metadata: {id: denials-triage}
spec:
  risk_tier: low
  stage: pilot
  success_metrics:
    - {name: x, unit: days, baseline: 1}
"""


def run_fixtures(tmp_path: Path, files: dict[str, str], pack: str = MINI) -> FixtureReport:
    for name, text in files.items():
        write(tmp_path / "tests" / name, text)
    policy = load_policy(load_registry(), (pack,), tmp_path)
    return run_tests(policy, tmp_path / "tests", tmp_path, TODAY)


def test_expectations_that_hold(tmp_path: Path) -> None:
    report = run_fixtures(
        tmp_path,
        {
            "a.yaml": PILOT.replace("baseline: 1", "baseline: null")
            + "x-fixture:\n  today: 2026-11-25\n  expect:\n"
            "    META-001: pass\n    OWN-003: not-applicable\n    MET-002: {outcome: fail, line: 8}\n",
            "pass/b.yaml": PILOT + "x-fixture: {rules: [META-001, MET-002]}\n",
            "fail/c.yaml": PILOT.replace("denials-triage", "Not A Slug") + "x-fixture: {rules: [META-001]}\n",
        },
    )
    assert report.errors == () and all(r.ok for r in report.results), render_text(report)
    assert len(report.results) == 6
    assert "OWN-003" in report.never_pass and "META-001" not in report.never_fail
    assert render_text(report).endswith("6 passed, 0 failed in 3 fixture file(s)\n")


def test_mismatches_say_what_happened_instead(tmp_path: Path) -> None:
    report = run_fixtures(
        tmp_path,
        {
            "x.yaml": PILOT.replace("baseline: 1", "baseline: null")
            + (
                "x-fixture:\n  expect: {META-001: fail, OWN-003: pass,"
                " MET-002: {outcome: fail, line: 3}, NOPE-001: pass}\n"
            )
        },
    )
    assert render_text(report).splitlines() == [
        "FAILED tests/x.yaml::META-001 expected fail, got pass",
        "FAILED tests/x.yaml::OWN-003 expected pass, got not-applicable (tier low is not moderate and above)",
        "FAILED tests/x.yaml::MET-002 expected fail at line 3, got fail at line 8",
        "FAILED tests/x.yaml::NOPE-001 expected pass, got missing (no such rule in the pack)",
        "no fixture fails: DATA-001, GOV-003, GOV-004, MET-002, MET-003, META-001, MON-002, OWN-003, WF-001",
        "no fixture passes: DATA-001, GOV-003, GOV-004, MET-002, MET-003, META-001, MON-002, OWN-003, WF-001",
        "0 passed, 4 failed in 1 fixture file(s)",
    ]
    assert report.exit_code() == 1


def test_a_fixture_must_be_a_valid_manifest_unless_it_says_so(tmp_path: Path) -> None:
    invalid = PILOT.replace("  stage: pilot\n", "  stage: pilot\n  scope: {phi: yes}\n")
    report = run_fixtures(
        tmp_path,
        {
            "bad.yaml": invalid + "x-fixture: {expect: {META-001: pass}}\n",
            "meant.yaml": invalid + "x-fixture: {expect: {GC-SCHEMA: fail}}\n",
        },
    )
    assert [(r.file, r.rule, r.ok) for r in report.results] == [
        ("tests/bad.yaml", "META-001", True),
        ("tests/bad.yaml", "GC-SCHEMA", False),
        ("tests/meant.yaml", "GC-SCHEMA", True),
    ]
    assert report.results[1].detail == "line 7: spec.scope.phi: expected true or false, found 'yes'"


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("", "1:1: x-fixture: missing or not a mapping"),
        (
            "x-fixture:\n  expect: {META-001: passes}\n",
            "10:12: x-fixture → expect → META-001: 'passes' is not one of pass, fail, not-applicable",
        ),
        (
            "x-fixture:\n  expect:\n    META-001: {outcome: pass, line: 3}\n",
            "11:31: x-fixture → expect → META-001 → line: a line is a whole number, and only a fail has one",
        ),
        (
            "x-fixture:\n  expect:\n    META-001: {outcome: fail, at: 3}\n",
            "11:5: x-fixture → expect → META-001: unknown key(s) at; expected outcome, line",
        ),
        (
            "x-fixture:\n  rules: [META-001]\n",
            "10:3: x-fixture → rules: takes its outcome from the directory",
        ),
        (
            "x-fixture:\n  today: tomorrow\n  expect: {META-001: pass}\n",
            "10:3: x-fixture → today: 'tomorrow' is not a date",
        ),
        ("x-fixture: {expect: {}}\n", "9:1: x-fixture: expects nothing"),
        (
            "x-fixture:\n  expected: {}\n",
            "10:3: x-fixture → expected: unknown key; expected today, stage, expect, rules",
        ),
        (
            "x-fixture:\n  stage: launch\n  expect: {META-001: pass}\n",
            "10:3: x-fixture → stage: 'launch' is not one of pilot, expansion, enterprise",
        ),
    ],
)
def test_broken_fixtures_are_errors_at_their_line(tmp_path: Path, block: str, message: str) -> None:
    report = run_fixtures(tmp_path, {"bad.yaml": PILOT + block})
    assert len(report.errors) == 1 and str(report.errors[0]).startswith("tests/bad.yaml:" + message), (
        report.errors
    )
    assert report.exit_code() == 1


def test_other_yaml_beside_fixtures_is_skipped(tmp_path: Path) -> None:
    report = run_fixtures(
        tmp_path, {"pass/a.yaml": PILOT + "x-fixture: {rules: [META-001]}\n", "notes.yaml": "kind: Notes\n"}
    )
    assert report.errors == () and len(report.results) == 1


def test_strict_also_fails_on_rules_not_shown_both_ways(tmp_path: Path) -> None:
    report = run_fixtures(tmp_path, {"pass/a.yaml": PILOT + "x-fixture: {rules: [META-001]}\n"})
    assert report.exit_code() == 0 and report.exit_code(strict=True) == 1
    assert report.never_fail[0] == "DATA-001" and "META-001" not in report.never_pass


def test_the_documented_fixture_does_what_the_docs_say(tmp_path: Path) -> None:
    section = (ROOT / "docs" / "policy-packs.md").read_text(encoding="utf-8").split("## Fixture tests")[1]
    example = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert example
    report = run_fixtures(tmp_path, {"example.yaml": example.group(1)}, pack="healthcare-ai-baseline")
    assert report.errors == () and [r.ok for r in report.results] == [True, True, True]
