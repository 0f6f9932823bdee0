from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from govcheck.errors import ConfigError
from tests.helpers import check, manifest, write

STALE = {"spec.monitoring.last_review": "2025-01-01"}  # MON-002 fails for a moderate pilot


def waiver_file(tmp_path: Path, **fields: str) -> str:
    entry = {
        "rule": "MON-002",
        "pilot": "denials-triage",
        "reason": "Board meets in December",
        "status": "approved",
        "approved_by": "AI Governance Committee",
        "approved_on": "2026-11-01",
        "expires": "2026-12-31",
        "reference": "GOV-42",
        **fields,
    }
    body = "".join(f"    {k}: {v}\n" for k, v in entry.items() if v != "")
    return str(
        write(tmp_path / "waivers.yaml", f"apiVersion: govcheck/v1\nkind: WaiverSet\nwaivers:\n  - \n{body}")
    )


def waiver_messages(result: object) -> list[str]:
    return [f.message for f in result.findings if f.rule == "GC-WAIVER"]  # type: ignore[attr-defined]


def test_an_approved_unexpired_waiver_suppresses_its_finding(tmp_path: Path) -> None:
    result = check(tmp_path, manifest(**STALE), waivers=waiver_file(tmp_path))
    (mon,) = [f for f in result.findings if f.rule == "MON-002"]
    assert mon.suppressed and mon.suppression.justification == "Board meets in December"  # type: ignore[union-attr]
    assert mon.suppression.expires == "2026-12-31" and mon.suppression.reference == "GOV-42"  # type: ignore[union-attr]
    assert waiver_messages(result) == []


@pytest.mark.parametrize(
    ("today", "fields", "words"),
    [
        (dt.date(2027, 1, 1), {}, "expired on 2026-12-31"),
        (dt.date(2026, 12, 31), {}, None),  # the expiry day itself is still covered
        (dt.date(2026, 11, 25), {"status": "pending"}, "is not approved (status pending)"),
        (dt.date(2026, 11, 25), {"approved_by": ""}, "is not approved"),
        (dt.date(2026, 11, 25), {"approved_on": "2026-12-01"}, "after today"),
        (
            dt.date(2026, 11, 25),
            {"approved_on": "2026-01-01", "expires": "2026-12-31"},
            "runs 364 days; the pack allows at most 180 for a moderate pilot",
        ),
    ],
)
def test_invalid_waivers_suppress_nothing_and_are_reported(
    tmp_path: Path, today: dt.date, fields: dict[str, str], words: str | None
) -> None:
    result = check(tmp_path, manifest(**STALE), waivers=waiver_file(tmp_path, **fields), today=today)
    mon = next(f for f in result.findings if f.rule == "MON-002")
    if words is None:
        assert mon.suppressed and waiver_messages(result) == []
        return
    assert not mon.suppressed
    (message,) = waiver_messages(result)
    assert words in message
    waiver = next(f for f in result.findings if f.rule == "GC-WAIVER")
    assert (waiver.file, waiver.line, waiver.severity) == ("waivers.yaml", 5, "error")


def test_the_maximum_duration_follows_the_effective_tier(tmp_path: Path) -> None:
    doc = manifest(
        **STALE,
        **{"spec.scope.clinical_decision_support": True, "spec.governance.validation": {"report": "x"}},
    )
    result = check(
        tmp_path, doc, waivers=waiver_file(tmp_path, approved_on="2026-08-01", expires="2026-12-31")
    )
    assert any("allows at most 120 for a high pilot" in m for m in waiver_messages(result))


def test_unused_waivers_and_scope(tmp_path: Path) -> None:
    result = check(tmp_path, manifest(), waivers=waiver_file(tmp_path))
    assert waiver_messages(result) == [
        "waiver for MON-002 on pilot denials-triage matches no finding; remove it"
    ]
    other = check(tmp_path, manifest(**STALE), waivers=waiver_file(tmp_path, pilot="another-pilot"))
    assert not next(f for f in other.findings if f.rule == "MON-002").suppressed
    (unmatched,) = [f for f in other.findings if f.rule == "GC-WAIVER"]  # it matches nothing: said, at info
    assert unmatched.severity == "info" and "matches no manifest in this run" in unmatched.message


def test_a_broken_waiver_file_is_a_configuration_error(tmp_path: Path) -> None:
    bad = write(
        tmp_path / "w.yaml",
        "apiVersion: govcheck/v1\nkind: WaiverSet\nwaivers:\n  - rule: MON-002\n    expires: soon\n",
    )
    with pytest.raises(ConfigError) as info:
        check(tmp_path, manifest(), waivers=str(bad))
    text = str(info.value)
    assert "w.yaml:4:5: waivers[0]: missing required key 'pilot'" in text
    assert "w.yaml:5:5: waivers[0].expires: 'soon' is not a date" in text
