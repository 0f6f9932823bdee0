"""``matches``: a pattern that accepts placeholder text does not make it a value."""

from __future__ import annotations

import pytest

from tests.unit.checks.conftest import Failures

SLUG = "^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$"


@pytest.mark.parametrize("value", ["tbd", "todo", "unknown", "none", "na"])
def test_a_placeholder_that_matches_the_pattern_fails(failures: Failures, value: str) -> None:
    assert failures("matches", "metadata.id", {"metadata": {"id": value}}, pattern=SLUG) == [
        ("metadata.id", f"{value!r} is a placeholder")
    ]


def test_blank_text_that_matches_fails_and_the_patterns_own_reason_comes_first(failures: Failures) -> None:
    assert failures("matches", "a", {"a": " "}, pattern=".*") == [("a", "' ' is blank")]
    assert failures("matches", "a", {"a": ""}, pattern=".*") == [("a", "'' is empty")]
    assert failures("matches", "a", {"a": "TBD"}, pattern=SLUG) == [("a", f"'TBD' does not match {SLUG}")]


def test_real_ids_pass_and_a_pack_adds_words(failures: Failures) -> None:
    assert failures("matches", "a", {"a": "tbd-triage"}, pattern=SLUG) == []
    assert failures("matches", "a", {"a": "draft"}, pattern=SLUG, placeholders=["draft"]) == [
        ("a", "'draft' is a placeholder")
    ]
