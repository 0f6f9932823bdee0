"""Did-you-mean for closed vocabularies."""

from __future__ import annotations

from typing import Any

import pytest

from govcheck.schema.suggest import did_you_mean, suggest

FREQUENCIES = ["continuous", "hourly", "daily", "weekly", "monthly", "quarterly"]


@pytest.mark.parametrize(
    ("value", "meant"),
    [
        ("Daily", "daily"),
        (" WEEKLY ", "weekly"),
        ("weekley", "weekly"),
        ("montly", "monthly"),
        ("yearly", None),
    ],
)
def test_the_word_meant(value: str, meant: str | None) -> None:
    assert suggest(value, FREQUENCIES) == meant


@pytest.mark.parametrize("value", [7, None, True, ["daily"]])
def test_only_text_has_a_suggestion(value: Any) -> None:
    assert suggest(value, FREQUENCIES) is None


def test_the_phrase_appended_to_a_message() -> None:
    assert did_you_mean("Daily", FREQUENCIES) == "; did you mean 'daily'?"
    assert did_you_mean("fortnightly", FREQUENCIES) == ""
