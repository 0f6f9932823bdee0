"""Records built from real runs: check over the examples, a waived case, and the example portfolio."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest

from govcheck.api import CheckSettings, exit_code, run_check
from govcheck.history.build import (
    blocking_rules,
    check_record,
    new_run_id,
    outcome_letters,
    portfolio_record,
    recorded,
    utc_now,
)
from govcheck.history.record import LETTER_STATUS, canonical
from govcheck.model import SEVERITY_RANK, Digest, Provenance, RunResult
from govcheck.portfolio.model import DIMENSIONS
from govcheck.portfolio.run import PortfolioSettings, evaluate_portfolio, run_portfolio
from tests.helpers import TODAY

ROOT = Path(__file__).resolve().parents[3]
WAIVED = ROOT / "tests" / "golden" / "waived"
STARTED = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.timezone.utc)


def provenance(fail_on: str = "error", code: int = 0, **changes: object) -> Provenance:
    base = Provenance(
        "0.1.0", (("govcheck-evidence", "0.1.0"),), "a" * 40, False, fail_on=fail_on, exit_code=code
    )
    return dataclasses.replace(base, recorded=recorded(STARTED), **changes)  # type: ignore[arg-type]


def checked(
    paths: tuple[str, ...], cwd: Path = ROOT, fail_on: str = "error", **settings: object
) -> RunResult:
    options = CheckSettings(paths=paths, today=TODAY, cwd=cwd, fail_on=fail_on, **settings)  # type: ignore[arg-type]
    result = run_check(options)
    return dataclasses.replace(result, provenance=provenance(fail_on, exit_code(result, fail_on)))


@pytest.fixture(scope="module")
def examples() -> RunResult:
    return checked(("examples/ready", "examples/failing"))


def test_a_check_record_has_every_rule_outcome_and_finding(examples: RunResult) -> None:
    record = check_record(examples)
    assert record.kind == "check" and record.today == "2026-11-25" and record.stage == ""
    assert record.rules == tuple(r.id for r in examples.rules)
    assert [m.file for m in record.manifests] == ["examples/failing/pilot.yaml", "examples/ready/pilot.yaml"]
    for entry, m in zip(record.manifests, examples.manifests, strict=True):
        assert len(entry.outcomes) == len(record.rules)
        statuses = [LETTER_STATUS[letter] for letter in entry.outcomes]
        assert statuses == [o.status for o in m.outcomes]
        assert entry.sha256 == hashlib.sha256((ROOT / m.file).read_bytes()).hexdigest()
        assert (entry.pilot, entry.tier, entry.stage) == (m.pilot, m.tier, m.stage)
    assert [f.fingerprint for f in record.findings] == [f.fingerprint for f in examples.findings]
    assert record.exit_code == 1 and record.fail_on == "error"
    assert canonical(record)  # plain values all the way down


def test_blocking_is_the_rules_of_unwaived_findings_at_or_above_fail_on(examples: RunResult) -> None:
    failing, ready = check_record(examples).manifests
    errors = {f.rule for f in examples.findings if f.file == failing.file and f.severity == "error"}
    assert failing.blocking == tuple(sorted(errors)) and errors
    assert ready.blocking == ()
    assert failing.verdict == "" and dict(failing.readiness) == {}


@pytest.mark.parametrize("fail_on", ["error", "warning", "info", "never"])
def test_blocking_follows_fail_on(examples: RunResult, fail_on: str) -> None:
    found = blocking_rules(examples.findings, fail_on)
    floor = SEVERITY_RANK.get(fail_on, 99)
    expected: dict[tuple[str, int], set[str]] = {}
    for f in examples.findings:
        if SEVERITY_RANK[f.severity] >= floor:
            expected.setdefault((f.file, f.document), set()).add(f.rule)
    assert found == {k: tuple(sorted(v)) for k, v in expected.items()}


def test_a_waived_finding_names_its_waiver_and_does_not_block() -> None:
    result = checked(
        (str(WAIVED / "manifests"),),
        cwd=WAIVED,
        packs=(str(WAIVED / "pack.yaml"),),
        waivers=str(WAIVED / "waivers.yaml"),
    )
    result = dataclasses.replace(
        result,
        provenance=provenance(waivers=Digest("waivers.yaml", "b" * 64), code=exit_code(result, "error")),
    )
    record = check_record(result)
    waived = [(f, e) for f, e in zip(result.findings, record.findings, strict=True) if f.suppression]
    assert waived
    for finding, entry in waived:
        s = finding.suppression
        assert s is not None and entry.waiver == f"{s.approved_by}|{s.expires}|{s.reference}"
        blocking = {r for m in record.manifests if m.file == finding.file for r in m.blocking}
        assert finding.rule not in blocking or any(
            f.rule == finding.rule and f.file == finding.file and not f.suppressed for f in result.findings
        )
    assert record.waivers is not None and record.waivers.file == "waivers.yaml"
    assert all(
        e.waiver == "" for f, e in zip(result.findings, record.findings, strict=True) if not f.suppressed
    )


def test_outcomes_are_empty_when_the_run_kept_none() -> None:
    result = checked(("examples/ready",), outcomes=False)
    (entry,) = check_record(result).manifests
    assert entry.outcomes == "" and outcome_letters(result.manifests[0]) == ""


def test_a_record_needs_the_run_recorded(examples: RunResult) -> None:
    with pytest.raises(ValueError, match="provenance"):
        check_record(dataclasses.replace(examples, provenance=None))
    unrecorded = dataclasses.replace(examples.provenance, recorded=None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="recorded"):
        check_record(dataclasses.replace(examples, provenance=unrecorded))


def test_the_record_carries_the_provenance(examples: RunResult) -> None:
    record = check_record(examples)
    run = examples.provenance.recorded  # type: ignore[union-attr]
    assert run is not None
    assert (record.run_id, record.started, record.finished) == (run.run_id, run.started, run.finished)
    assert (record.govcheck_version, record.plugins, record.commit, record.dirty) == (
        "0.1.0",
        (("govcheck-evidence", "0.1.0"),),
        "a" * 40,
        False,
    )
    assert [p.digest for p in record.packs] == [p.digest for p in examples.packs]


def test_run_ids_are_random_uuids_and_times_are_utc_with_z() -> None:
    ids = {new_run_id() for _ in range(100)}
    assert len(ids) == 100
    assert all(
        re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", i) for i in ids
    )
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", utc_now())
    run = recorded(STARTED)
    assert run.started == "2026-11-25T09:00:00.000Z" and run.finished > run.started
    eastern = dt.datetime(2026, 11, 25, 4, 0, 0, 125000, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert recorded(eastern).started == "2026-11-25T09:00:00.125Z"


@pytest.fixture(scope="module")
def portfolio_settings() -> PortfolioSettings:
    return PortfolioSettings(paths=("examples/portfolio",), today=TODAY, cwd=ROOT, jobs=1)


def test_a_portfolio_record_has_each_pilots_verdict_readiness_and_blocking_rules(
    portfolio_settings: PortfolioSettings,
) -> None:
    portfolio = run_portfolio(portfolio_settings, details=True)
    record = portfolio_record(portfolio, provenance())
    assert record.kind == "portfolio" and record.fail_on == "error" and record.stage == ""
    assert len(record.manifests) == len(portfolio.pilots) > 10
    for entry, (row, detail) in zip(record.manifests, portfolio.with_details(), strict=True):
        assert (entry.pilot, entry.verdict, entry.stage) == (row.id, row.verdict, row.next_stage)
        assert dict(entry.readiness) == dict(row.readiness) and set(entry.readiness) == set(DIMENSIONS)
        assert entry.blocking == tuple(sorted({f.rule for f in detail.findings if f.severity == "error"}))
        assert entry.sha256 == hashlib.sha256((ROOT / row.file).read_bytes()).hexdigest()
        assert entry.outcomes == ""
    assert {m.verdict for m in record.manifests} >= {"expand", "fix-gaps", "redesign"}
    assert canonical(record)


def test_portfolio_fingerprints_are_those_of_the_findings(portfolio_settings: PortfolioSettings) -> None:
    """The portfolio keeps rows, not Findings; the fingerprints must still be Finding.fingerprint."""
    record = portfolio_record(run_portfolio(portfolio_settings, details=True), provenance())
    evaluated = evaluate_portfolio(portfolio_settings)
    retired = {(f.file, f.document) for f in evaluated.facts.values() if f.stage == "retired"}
    expected = sorted(f.fingerprint for f in evaluated.result.findings if (f.file, f.document) not in retired)
    assert sorted(f.fingerprint for f in record.findings) == expected
    assert record.findings == tuple(
        sorted(record.findings, key=lambda f: (f.file, f.document, f.line, f.rule, f.path, f.message))
    )


def test_a_portfolio_record_needs_the_pilots_details(portfolio_settings: PortfolioSettings) -> None:
    with pytest.raises(ValueError, match="without its pilots"):
        portfolio_record(run_portfolio(portfolio_settings, details=False), provenance())
