"""``govcheck pack test``: run a pack's fixtures and compare each rule's outcome.

The pack is loaded and compiled once; each fixture document is evaluated as ``check`` would
evaluate it (same tiering, applicability and findings), without waivers.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from govcheck.authoring.testcases import Expectation, Fixture, discover, read
from govcheck.errors import Problem
from govcheck.evaluate import evaluate
from govcheck.model import ManifestResult
from govcheck.packs.policy import Policy


@dataclass(frozen=True)
class Result:
    """One expectation compared, ``expected`` and ``actual`` in words ("fail at line 31", "missing").

    ``detail`` says why on a mismatch. A ``GC-`` finding the fixture did not expect is a failed
    result too: a fixture must be a valid manifest.
    """

    file: str
    rule: str
    expected: str
    actual: str
    ok: bool
    detail: str = ""


@dataclass(frozen=True)
class FixtureReport:
    """Every fixture of a pack compared, and the rules that no fixture shows passing or failing.

    Fixtures that could not run are ``errors`` and fail the run; rules left unshown fail it only
    with ``--strict``.
    """

    files: int
    results: tuple[Result, ...]
    errors: tuple[Problem, ...]  # fixtures that could not run
    never_pass: tuple[str, ...]  # rules no fixture shows passing
    never_fail: tuple[str, ...]

    def exit_code(self, strict: bool = False) -> int:
        broken = self.errors or any(not r.ok for r in self.results)
        return int(bool(broken or strict and (self.never_pass or self.never_fail)))


def run_tests(policy: Policy, directory: Path, cwd: Path, today: dt.date) -> FixtureReport:
    """Run every fixture file below ``directory`` in sorted order; ``today`` is for those that set none.

    A broken fixture becomes an error of the report rather than an exception, so one bad file
    does not hide the others' results. A rule counts as shown passing or failing only by an
    expectation that held.
    """
    files = discover(directory)
    results: list[Result] = []
    errors: list[Problem] = []
    for path in files:
        fixtures, problems = read(path, cwd, today)
        errors += problems
        for fixture in fixtures:
            results += _compare(fixture, policy, errors)
    rules = [r.info.id for r in policy.rules]
    shown = {(r.rule, r.expected) for r in results if r.ok}
    return FixtureReport(
        len(files),
        tuple(results),
        tuple(errors),
        tuple(r for r in rules if (r, "pass") not in shown),
        tuple(r for r in rules if (r, "fail") not in shown),
    )


def _compare(fixture: Fixture, policy: Policy, errors: list[Problem]) -> list[Result]:
    if fixture.stage is not None and fixture.stage not in policy.stages:
        line, column, _ = fixture.target.doc.locate(("x-fixture", "stage"))
        errors.append(
            Problem(
                fixture.file,
                line,
                column,
                f"x-fixture → stage: {fixture.stage!r} is not one of {', '.join(policy.stages)}",
            )
        )
        return []
    result = evaluate(fixture.target, policy, fixture.today, fixture.stage)
    known = {r.info.id for r in policy.rules}
    expected = {e.rule for e in fixture.expectations}
    out = [_one(fixture.file, e, result, known) for e in fixture.expectations]
    # A fixture must be a valid manifest unless it says it expects the schema finding.
    for finding in result.findings:
        if finding.rule.startswith("GC-") and finding.rule not in expected:
            out.append(
                Result(
                    fixture.file,
                    finding.rule,
                    "pass",
                    "fail",
                    False,
                    f"line {finding.line}: {finding.message}",
                )
            )
    return out


def _one(file: str, expect: Expectation, result: ManifestResult, known: set[str]) -> Result:
    findings = [f for f in result.findings if f.rule == expect.rule]
    if expect.rule.startswith("GC-"):
        actual, reason = ("fail" if findings else "pass"), ""
    elif expect.rule not in known:
        return Result(file, expect.rule, expect.outcome, "missing", False, "no such rule in the pack")
    else:
        outcome = next(o for o in result.outcomes if o.rule == expect.rule)
        actual, reason = outcome.status, outcome.reason
    if actual != expect.outcome:
        detail = reason or (f"line {findings[0].line}: {findings[0].message}" if findings else "")
        return Result(file, expect.rule, expect.outcome, actual, False, detail)
    lines = sorted({f.line for f in findings})
    if expect.line is not None and expect.line not in lines:
        return Result(
            file,
            expect.rule,
            f"fail at line {expect.line}",
            f"fail at line {', '.join(map(str, lines))}",
            False,
        )
    return Result(file, expect.rule, expect.outcome, actual, True)


def render_text(report: FixtureReport, verbose: bool = False) -> str:
    """``ERROR`` and ``FAILED`` lines, ``PASSED`` ones only if ``verbose``, then unshown rules and counts."""
    lines = [f"ERROR {p}" for p in report.errors]
    for r in report.results:
        if not r.ok:
            lines.append(
                f"FAILED {r.file}::{r.rule} expected {r.expected}, got {r.actual}"
                + (f" ({r.detail})" if r.detail else "")
            )
        elif verbose:
            lines.append(f"PASSED {r.file}::{r.rule} {r.expected}")
    if report.never_fail:
        lines.append(f"no fixture fails: {', '.join(report.never_fail)}")
    if report.never_pass:
        lines.append(f"no fixture passes: {', '.join(report.never_pass)}")
    passed = sum(1 for r in report.results if r.ok)
    summary = f"{passed} passed, {len(report.results) - passed} failed"
    if report.errors:
        summary += f", {len(report.errors)} error(s)"
    lines.append(f"{summary} in {report.files} fixture file(s)")
    return "\n".join(lines) + "\n"


def render_json(report: FixtureReport) -> str:
    """The report as JSON: every result, held or not (``verbose`` shapes only the text), and unshown rules."""
    body = {
        "files": report.files,
        "passed": sum(1 for r in report.results if r.ok),
        "failed": sum(1 for r in report.results if not r.ok),
        "results": [asdict(r) for r in report.results],
        "errors": [str(p) for p in report.errors],
        "no_fixture_passes": list(report.never_pass),
        "no_fixture_fails": list(report.never_fail),
    }
    return json.dumps(body, indent=2) + "\n"
