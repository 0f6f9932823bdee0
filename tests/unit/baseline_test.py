from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from govcheck import baseline
from govcheck.errors import ConfigError
from govcheck.model import PARSE_RULE, SCHEMA_RULE, Finding, ManifestResult, RunResult, Suppression
from tests.helpers import TODAY, check, manifest, write

NO_OWNER = {"spec.ownership.post_launch_owner": None}  # OWN-003 with the mini pack


def finding(
    rule: str = "OWN-003", path: str = "spec.ownership", file: str = "pilot.yaml", **kw: object
) -> Finding:
    return Finding(
        rule=rule, severity="error", message=f"{rule} fails", file=file, path=path, pilot="p", **kw
    )  # type: ignore[arg-type]


def manifest_result(file: str = "pilot.yaml") -> ManifestResult:
    return ManifestResult(file, 0, "p", "low", "low", (), "pilot", (), ())


def loaded(tmp_path: Path, findings: list[Finding], created_by: str = "gov@example.org") -> baseline.Baseline:
    file = write(tmp_path / "baseline.yaml", baseline.dump(baseline.entries(findings, created_by, TODAY)))
    return baseline.load(str(file), "baseline.yaml", TODAY)


def test_entries_round_trip_through_the_file(tmp_path: Path) -> None:
    odd = finding(path='spec."x"\\y\u2028z\x85\U0001f600')
    back = loaded(tmp_path, [finding(), odd, finding()])
    assert [(e.fingerprint, e.path) for e in back.entries] == sorted(
        [(odd.fingerprint, odd.path), (finding().fingerprint, "spec.ownership")], key=lambda p: p[1]
    )
    assert {(e.created, e.created_by) for e in back.entries} == {("2026-11-25", "gov@example.org")}
    assert back.entries[0].line == 6 and back.sha256


def test_the_file_is_the_same_bytes_for_the_same_findings() -> None:
    one = baseline.dump(baseline.entries([finding("B-001"), finding("A-001")], "x", TODAY))
    two = baseline.dump(baseline.entries([finding("A-001"), finding("B-001")], "x", TODAY))
    assert one == two and one.index("A-001") < one.index("B-001")
    assert baseline.dump([]).endswith("entries: []\n")


def test_a_listed_finding_is_baselined_and_a_new_rule_is_not(tmp_path: Path) -> None:
    base = loaded(tmp_path, [finding()])
    findings, use = baseline.apply([finding(), finding("OWN-009")], base, [manifest_result()])
    old, new = findings
    assert old.suppression == Suppression("baseline", "gov@example.org", "", "baseline.yaml", kind="baseline")
    assert new.suppression is None  # same pilot and path, but a rule added after the baseline
    assert use is not None and use.gone == () and use.entries == 1


def test_findings_about_the_files_themselves_are_never_baselined(tmp_path: Path) -> None:
    broken = [finding(PARSE_RULE, path=""), finding(SCHEMA_RULE, path="spec")]
    assert baseline.entries(broken, "x", TODAY) == []
    forged = baseline.Baseline("b.yaml", tuple(e for f in broken for e in _forged(f)))
    findings, _ = baseline.apply(broken, forged, [])
    assert [f.suppressed for f in findings] == [False, False]


def _forged(f: Finding) -> list[baseline.BaselineEntry]:
    return [
        baseline.BaselineEntry(f.fingerprint, f.rule, f.pilot, f.file, f.path, f.message, "2026-01-01", "x")
    ]


def test_a_waived_finding_keeps_its_waiver_and_is_not_recorded(tmp_path: Path) -> None:
    waiver = Suppression("board", "AI board", "2026-12-31")
    waived = finding(suppression=waiver)
    assert baseline.entries([waived], "x", TODAY) == []
    findings, _ = baseline.apply([waived], loaded(tmp_path, [finding()]), [manifest_result()])
    assert findings[0].suppression == waiver


def test_entries_no_longer_found_are_named_only_for_files_the_run_judged(tmp_path: Path) -> None:
    base = loaded(tmp_path, [finding(), finding(file="other.yaml")])
    _, use = baseline.apply([], base, [manifest_result()])
    assert use is not None and [e.file for e in use.gone] == ["pilot.yaml"]


def test_an_entry_dated_after_today_is_refused(tmp_path: Path) -> None:
    text = baseline.dump(baseline.entries([finding()], "x", TODAY))
    file = write(tmp_path / "b.yaml", text.replace("2026-11-25", "2026-12-01"))
    with pytest.raises(ConfigError) as raised:
        baseline.load(str(file), "b.yaml", TODAY)
    assert "b.yaml:12:5: entries[0].created: 2026-12-01 is after the run's day" in str(
        raised.value.problems[0]
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "apiVersion: govcheck/v1\nkind: Baseline\nentries:\n  - {rule: OWN-003}\n",
            "b.yaml:4:5: entries[0]",
        ),
        ("apiVersion: govcheck/v1\nkind: WaiverSet\nentries: []\n", "b.yaml:2:1: kind"),
        ("entries: [\n", "b.yaml:2:1"),
    ],
)
def test_a_malformed_baseline_is_a_configuration_error_with_its_place(
    tmp_path: Path, text: str, expected: str
) -> None:
    file = write(tmp_path / "b.yaml", text)
    with pytest.raises(ConfigError) as raised:
        baseline.load(str(file), "b.yaml", TODAY)
    assert str(raised.value.problems[0]).startswith(expected)


def test_a_run_counts_baselined_findings_apart_only_with_a_baseline(tmp_path: Path) -> None:
    plain = check(tmp_path, manifest(**NO_OWNER))
    assert "baselined" not in plain.counts() and plain.counts()["error"] == 1
    file = write(tmp_path / "b.yaml", baseline.dump(baseline.entries(plain.findings, "x", TODAY)))
    result = check(tmp_path, manifest(**NO_OWNER), baseline=str(file))
    assert result.counts() == {"error": 0, "warning": 0, "info": 0, "suppressed": 1, "baselined": 1}
    assert isinstance(result, RunResult) and result.baseline is not None and result.baseline.gone == ()


def test_moving_lines_keeps_a_finding_baselined(tmp_path: Path) -> None:
    plain = check(tmp_path, manifest(**NO_OWNER))
    file = write(tmp_path / "b.yaml", baseline.dump(baseline.entries(plain.findings, "x", TODAY)))
    moved = "# a comment\n# and another\n" + (tmp_path / "pilot.yaml").read_text()
    result = check(tmp_path, moved, baseline=str(file))
    assert result.counts()["error"] == 0 and result.counts()["baselined"] == 1
    assert dt.date.fromisoformat(result.today) == TODAY
