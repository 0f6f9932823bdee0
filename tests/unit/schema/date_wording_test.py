"""A date written as YYYY-MM-DD that the calendar lacks is named as such, not as a layout slip."""

from __future__ import annotations

import pytest

from govcheck.load.yaml import load_all, read_text
from govcheck.schema import validate

# A manifest of its own, so that rewriting the examples does not move the field under test.
PILOT = (
    "apiVersion: govcheck/v1\nkind: AIPilot\nmetadata: {id: p}\nspec:\n"
    "  scope:\n    sites: [north]\n    start_date: 2026-04-01\n    end_date: 2027-03-31\n"
)


def _start_date_problems(value: str) -> list[str]:
    ready = read_text("pilot.yaml", PILOT.encode())
    text = ready.replace("start_date: 2026-04-01", f"start_date: {value}", 1)
    assert text != ready
    (doc,) = load_all(text, "pilot.yaml")
    return [p.message for p in validate.problems(doc, "pilot-manifest")]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2027-13-31", "'2027-13-31' is not a date that exists (month 13)"),
        ("2027-00-10", "'2027-00-10' is not a date that exists (month 0)"),
        ("2026-02-30", "'2026-02-30' is not a date that exists (February 2026 has 28 days)"),
        ("2026-04-31", "'2026-04-31' is not a date that exists (April 2026 has 30 days)"),
        ("2026-05-00", "'2026-05-00' is not a date that exists (May 2026 has 31 days)"),
        ("0000-01-01", "'0000-01-01' is not a date that exists (year 0)"),
    ],
)
def test_a_day_the_calendar_lacks_is_named(value: str, message: str) -> None:
    assert _start_date_problems(value) == [f"spec.scope.start_date: {message}"]


def test_a_leap_day_in_a_leap_year_is_a_date() -> None:
    assert _start_date_problems("2028-02-29") == []


@pytest.mark.parametrize("value", ["'next week'", "2026-4-1", "'2026-04-01T00:00'"])
def test_a_value_not_written_as_a_date_is_told_the_layout(value: str) -> None:
    (problem,) = _start_date_problems(value)
    assert problem.endswith("is not a date; write it as YYYY-MM-DD")
