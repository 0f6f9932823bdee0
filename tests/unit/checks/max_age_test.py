"""``max_age``: a date after today is a finding, not a very recent date."""

from __future__ import annotations

import pytest

from tests.unit.checks.conftest import Failures


@pytest.mark.parametrize("value", ["2026-11-26", "2027-01-01", "2026-11-26T08:00:00"])
def test_a_date_after_today_is_dated_in_the_future(failures: Failures, value: str) -> None:
    day = value[:10]
    assert failures("max_age", "d", {"d": value}, days=90) == [
        ("d", f"{day} is dated in the future (after 2026-11-25)")
    ]


def test_today_is_neither_stale_nor_in_the_future(failures: Failures) -> None:
    assert failures("max_age", "d", {"d": "2026-11-25"}, days=0) == []
    assert failures("max_age", "d", {"d": "2026-11-24"}, days=0) == [
        ("d", "2026-11-24 is 1 days old (at most 0)")
    ]


def test_placeholders_are_not_dates(failures: Failures) -> None:
    assert failures("max_age", "d", {"d": "TBD"}, days=90) == [("d", "'TBD' is not a date (YYYY-MM-DD)")]
