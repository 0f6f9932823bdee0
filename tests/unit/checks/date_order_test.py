"""``date_order``: a date must not come before the dates it depends on."""

from __future__ import annotations

from typing import Any

import pytest

from govcheck.checks import BUILTIN
from tests.unit.checks.conftest import Failures

AFTER = ["gov.risk.date", "gov.validation.date"]


def _gov(approval: Any, risk: Any = "2026-02-02", validation: Any = "2026-03-04") -> dict[str, Any]:
    return {
        "gov": {"risk": {"date": risk}, "validation": {"date": validation}, "approval": {"date": approval}}
    }


def test_an_approval_before_the_validation_is_reported_at_the_approval(failures: Failures) -> None:
    assert failures("date_order", "gov.approval.date", _gov("2026-03-03"), after=AFTER) == [
        ("gov.approval.date", "2026-03-03 is before gov.validation.date (2026-03-04)")
    ]
    assert failures("date_order", "gov.approval.date", _gov("2026-01-10"), after=AFTER) == [
        (
            "gov.approval.date",
            "2026-01-10 is before gov.risk.date (2026-02-02) and gov.validation.date (2026-03-04)",
        )
    ]


def test_the_same_day_is_in_order_and_a_missing_earlier_date_is_not_compared(failures: Failures) -> None:
    assert failures("date_order", "gov.approval.date", _gov("2026-03-04"), after=AFTER) == []
    assert failures("date_order", "gov.approval.date", _gov("2026-02-10", validation=None), after=AFTER) == []
    assert (
        failures("date_order", "gov.approval.date", _gov("2026-02-10", validation="TBD"), after=AFTER) == []
    )


def test_the_later_field_must_be_a_date(failures: Failures) -> None:
    assert failures("date_order", "gov.approval.date", _gov("soon"), after=AFTER) == [
        ("gov.approval.date", "'soon' is not a date (YYYY-MM-DD)")
    ]
    assert failures("date_order", "gov.decision.date", _gov("2026-03-04"), after=AFTER) == [
        ("gov.decision.date", "missing")
    ]


def test_today_stands_for_the_day_of_the_check(failures: Failures) -> None:
    assert failures("date_order", "f", {"f": "2026-11-25"}, after="today") == []
    assert failures("date_order", "f", {"f": "2026-11-24"}, after="today") == [
        ("f", "2026-11-24 is before today (2026-11-25)")
    ]


def test_a_wildcard_names_every_earlier_date(failures: Failures) -> None:
    data = {"start": "2026-04-01", "trainings": [{"date": "2026-03-01"}, {"date": "2026-04-02"}]}
    assert failures("date_order", "start", data, after="trainings[*].date") == [
        ("start", "2026-04-01 is before trainings[1].date (2026-04-02)")
    ]


@pytest.mark.parametrize("after", [None, [], [3], "spec..x"])
def test_bad_parameters_are_pack_errors(after: Any) -> None:
    spec = next(s for s in BUILTIN if s.name == "date_order")
    with pytest.raises(ValueError):
        spec.compile("a", {} if after is None else {"after": after})
