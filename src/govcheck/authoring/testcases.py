"""The fixture format of ``govcheck pack test``: pilot manifests that say what they expect.

A fixture is an ordinary pilot manifest under ``<pack dir>/tests/`` with an ``x-fixture``
block at its root (the manifest schema allows ``x-`` keys there, so a fixture is also a
valid manifest for ``govcheck check``)::

    x-fixture:
      today: 2026-11-25          # evaluate dates as of this day (default: the real date)
      stage: expansion           # evaluate at this stage, as --stage does (default: declared)
      expect:                    # rule id -> pass | fail | not-applicable
        OWN-003: fail
        MON-002: {outcome: fail, line: 31}   # and a finding of that rule at line 31
      rules: [GOV-001]           # shorthand: the outcome is the directory's name,
                                 # tests/pass/, tests/fail/ or tests/not-applicable/
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govcheck.errors import Problem
from govcheck.load.discover import SUFFIXES, Source
from govcheck.load.manifest import Target, load
from govcheck.load.yaml import read_file
from govcheck.model import KIND_RULE

KEY = "x-fixture"
OUTCOMES = ("pass", "fail", "not-applicable")
_KEYS = ("today", "stage", "expect", "rules")


@dataclass(frozen=True)
class Expectation:
    """One rule's expected outcome in a fixture, from ``expect:`` or ``rules:``; only a fail has a line."""

    rule: str
    outcome: str
    line: int | None  # a finding of the rule must be at this line (fail only)


@dataclass(frozen=True)
class Fixture:
    """One fixture document that parsed cleanly: its manifest, when and at which stage to evaluate it.

    ``stage`` is None to evaluate at the manifest's own stage; ``expectations`` is never empty.
    """

    target: Target
    file: str
    today: dt.date
    stage: str | None
    expectations: tuple[Expectation, ...]


def discover(directory: Path) -> list[Path]:
    """Every YAML file below ``directory``, in a stable order."""
    return sorted(p for p in directory.rglob("*") if p.suffix in SUFFIXES and p.is_file())


def read(path: Path, cwd: Path, today: dt.date) -> tuple[list[Fixture], list[Problem]]:
    """The fixtures in one file, or why they cannot run. YAML that is no manifest is skipped."""
    targets, findings = load(Source(path, explicit=True), cwd)
    if findings:
        skip = findings[0].rule == KIND_RULE and KEY.encode() not in _head(path)
        return [], [] if skip else [Problem(f.file, f.line, f.column, f.message) for f in findings]
    fixtures: list[Fixture] = []
    problems: list[Problem] = []
    for target in targets:
        found = _parse(target, path.parent.name, today, problems)
        if found is not None:
            fixtures.append(found)
    return fixtures, problems


def _parse(target: Target, folder: str, today: dt.date, problems: list[Problem]) -> Fixture | None:
    doc = target.doc
    spec = doc.data.get(KEY)
    before = len(problems)

    def problem(path: tuple[Any, ...], message: str) -> None:
        line, column, _ = doc.locate((KEY, *path))
        problems.append(
            Problem(doc.file, line, column, f"{KEY}{''.join(f' → {p}' for p in path)}: {message}")
        )

    if not isinstance(spec, dict):
        problem(
            (),
            "missing or not a mapping;"
            " a fixture says what it expects with expect: {RULE-ID: pass|fail|not-applicable}",
        )
        return None
    for key in sorted(set(spec) - set(_KEYS)):
        problem((key,), f"unknown key; expected {', '.join(_KEYS)}")
    day = _date(spec.get("today"), today, problem)
    stage = spec.get("stage")
    if stage is not None and not isinstance(stage, str):
        problem(("stage",), f"expected a stage name, found {stage!r}")
    expectations = _expect(spec.get("expect", {}), problem) + _rules(spec.get("rules", []), folder, problem)
    if not expectations and len(problems) == before:
        problem((), "expects nothing; add expect: {RULE-ID: pass|fail|not-applicable}")
    if len(problems) > before:
        return None
    return Fixture(target, doc.file, day, stage, tuple(expectations))


def _date(value: Any, default: dt.date, problem: Any) -> dt.date:
    if value is None:
        return default
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problem(("today",), f"{value!r} is not a date; write it as YYYY-MM-DD")
        return default


def _expect(expect: Any, problem: Any) -> list[Expectation]:
    if not isinstance(expect, dict):
        problem(("expect",), "expected a mapping of rule id to outcome")
        return []
    out = []
    for rule, value in expect.items():
        outcome, line = (
            (value.get("outcome"), value.get("line")) if isinstance(value, dict) else (value, None)
        )
        if isinstance(value, dict) and set(value) - {"outcome", "line"}:
            problem(
                ("expect", rule),
                f"unknown key(s) {', '.join(sorted(set(value) - {'outcome', 'line'}))};"
                " expected outcome, line",
            )
        elif outcome not in OUTCOMES:
            problem(("expect", rule), f"{outcome!r} is not one of {', '.join(OUTCOMES)}")
        elif line is not None and (outcome != "fail" or not isinstance(line, int) or isinstance(line, bool)):
            problem(("expect", rule, "line"), "a line is a whole number, and only a fail has one")
        else:
            out.append(Expectation(str(rule), outcome, line))
    return out


def _rules(rules: Any, folder: str, problem: Any) -> list[Expectation]:
    if not rules:
        return []
    if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
        problem(("rules",), "expected a list of rule ids")
        return []
    if folder not in OUTCOMES:
        problem(
            ("rules",),
            f"takes its outcome from the directory (tests/pass/, tests/fail/ or tests/not-applicable/), "
            f"but this fixture is in {folder}/; use expect: instead",
        )
        return []
    return [Expectation(rule, folder, None) for rule in rules]


def _head(path: Path) -> bytes:
    """The file's bytes as the loader reads them (bounded); none when it cannot be read."""
    try:
        return read_file(path)
    except OSError:
        return b""
