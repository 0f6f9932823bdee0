"""``present``: a field that is blank, a placeholder or a list of nothing is not present."""

from __future__ import annotations

import math
from typing import Any

import pytest

from tests.unit.checks.conftest import CHECKS, Failures


@pytest.mark.parametrize(
    ("value", "detail"),
    [
        ("TBD", "'TBD' is a placeholder"),
        ("tbd", "'tbd' is a placeholder"),
        ("  ", "'  ' is blank"),
        ("N/A", "'N/A' is a placeholder"),
        ("n/a.", "'n/a.' is a placeholder"),
        ("(TBD)", "'(TBD)' is a placeholder"),
        ("TODO: ask Priya", "'TODO: ask Priya' is a placeholder"),
        ("none", "'none' is a placeholder"),
        ("Unknown", "'Unknown' is a placeholder"),
        ("null", "'null' is a placeholder"),
        ("-", "'-' is a placeholder"),
        ("?", "'?' is a placeholder"),
        ("<name>", "'<name>' is a placeholder"),
        ("<role, e.g. certified coder>", "'<role, e.g. certified coder>' is a placeholder"),
        (["", " ", "TBD"], "has only empty entries"),
        ([{}], "has only empty entries"),
        ({"name": "", "role": "TBD"}, "has only empty fields"),
        (math.nan, ".nan is not a number"),
        ("T.B.D.", "'T.B.D.' is a placeholder"),
        ("T B D", "'T B D' is a placeholder"),
        ("To be determined", "'To be determined' is a placeholder"),
        ("Not applicable", "'Not applicable' is a placeholder"),
        ("[name]", "'[name]' is a placeholder"),
        ("T\u200bB\u200bD", "'T\\u200bB\\u200bD' is a placeholder"),  # zero-width spaces
        ("\uff34\uff42\uff44", "'\uff34\uff42\uff44' is a placeholder"),  # fullwidth Tbd
        ("\u0422BD", "'\u0422BD' is a placeholder"),  # Cyrillic capital Te
        ("N\u2044A", "'N\u2044A' is a placeholder"),  # fraction slash
    ],
)
def test_values_that_say_nothing_are_not_present(failures: Failures, value: Any, detail: str) -> None:
    assert failures("present", "spec.owner.name", {"spec": {"owner": {"name": value}}}) == [
        ("spec.owner.name", detail)
    ]


@pytest.mark.parametrize(
    "value", ["Na Li", "Ann Unknown", "None of the above", "tbd-triage", "Todos Santos", 0, False, ["age"]]
)
def test_text_that_only_contains_a_placeholder_word_is_present(failures: Failures, value: Any) -> None:
    assert failures("present", "a", {"a": value}) == []


def test_empty_values_keep_their_one_word_reason(failures: Failures) -> None:
    assert failures("present", "a", {"a": ""}) == [("a", "empty")]
    assert failures("present", "a", {"a": None}) == [("a", "empty")]
    assert failures("present", "a", {}) == [("a", "missing")]


def test_a_word_of_the_fields_closed_vocabulary_is_a_statement(failures: Failures) -> None:
    # The manifest schema lists none as an ONC DSI type; the schema, not present, judges it.
    dsi = {"spec": {"governance": {"regulatory": {"onc_dsi": "none"}}}}
    assert failures("present", "spec.governance.regulatory.onc_dsi", dsi) == []
    owner = {"spec": {"ownership": {"business_owner": {"name": "none"}}}}
    assert failures("present", "spec.ownership.business_owner.name", owner) == [
        ("spec.ownership.business_owner.name", "'none' is a placeholder")
    ]


def test_a_pack_adds_its_own_placeholders(failures: Failures) -> None:
    words = ["pending", "see wiki"]
    assert failures("present", "a", {"a": "Pending"}, placeholders=words) == [
        ("a", "'Pending' is a placeholder")
    ]
    assert failures("present", "a", {"a": "See wiki."}, placeholders=words) == [
        ("a", "'See wiki.' is a placeholder")
    ]
    assert failures("present", "a", {"a": "TBD"}, placeholders=words) == [("a", "'TBD' is a placeholder")]
    assert failures("present", "a", {"a": "pending review by Dana"}, placeholders=words) == []
    with pytest.raises(ValueError, match="placeholders"):
        CHECKS["present"].compile("a", {"placeholders": "pending"})
    with pytest.raises(ValueError, match="placeholders"):
        CHECKS["present"].compile("a", {"placeholders": ["  "]})


def test_each_item_of_a_wildcard_path_is_judged(failures: Failures) -> None:
    data = {"m": [{"x": "ehr-extract"}, {"x": "TBD"}, {"x": " "}]}
    assert failures("present", "m[*].x", data) == [
        ("m[1].x", "'TBD' is a placeholder"),
        ("m[2].x", "' ' is blank"),
    ]
