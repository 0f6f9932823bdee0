"""``schema``: numbers that are not finite and placeholder free text fail a valid fragment."""

from __future__ import annotations

import math
from typing import Any

import pytest

from tests.unit.checks.conftest import Failures

MODEL = {
    "type": "object",
    "required": ["name", "version"],
    "properties": {"name": {"type": "string", "minLength": 1}, "version": {"type": "string", "minLength": 1}},
}
METRIC = {"type": "object", "properties": {"baseline": {"type": "number"}, "target": {"type": "number"}}}


@pytest.mark.parametrize(
    ("value", "fragment", "shown"),
    [
        (math.nan, {"type": "number", "minimum": 1}, ".nan"),  # every comparison with .nan is false
        (math.inf, {"type": "number", "minimum": 1}, ".inf"),
        (-math.inf, {"type": "number", "maximum": 1}, "-.inf"),
    ],
)
def test_a_number_that_is_not_finite_fails_even_where_the_fragment_accepts_it(
    failures: Failures, value: float, fragment: dict[str, Any], shown: str
) -> None:
    assert failures("schema", "r", {"r": value}, **{"is": fragment}) == [
        ("r", f"{shown} is not a finite number")
    ]


def test_non_finite_numbers_are_reported_inside_the_value(failures: Failures) -> None:
    data = {"m": [{"baseline": 9.5, "target": 6.0}, {"baseline": math.nan, "target": math.inf}]}
    assert failures("schema", "m[*]", data, **{"is": METRIC}) == [
        ("m[1].baseline", ".nan is not a finite number"),
        ("m[1].target", ".inf is not a finite number"),
    ]


@pytest.mark.parametrize(
    ("version", "detail"),
    [
        ("TBD", "'TBD' is a placeholder"),
        ("   ", "'   ' is blank"),
        ("<version>", "'<version>' is a placeholder"),
    ],
)
def test_free_text_the_fragment_declares_must_say_something(
    failures: Failures, version: str, detail: str
) -> None:
    model = {"model": {"name": "sepsis-risk", "version": version}}
    assert failures("schema", "model", model, **{"is": MODEL}) == [("model.version", detail)]


def test_text_the_fragment_constrains_or_does_not_declare_is_left_to_it(failures: Failures) -> None:
    closed = {"type": "object", "properties": {"s": {"type": "string", "enum": ["none", "daily"]}, "n": {}}}
    assert failures("schema", "o", {"o": {"s": "none", "n": "TBD"}}, **{"is": closed}) == []
    dsi = {"type": "object", "properties": {"onc_dsi": {"type": "string"}}}
    regulatory = {"spec": {"governance": {"regulatory": {"onc_dsi": "none"}}}}
    assert failures("schema", "spec.governance.regulatory", regulatory, **{"is": dsi}) == []  # a schema word


def test_an_invalid_value_gives_the_fragments_error_first(failures: Failures) -> None:
    assert failures("schema", "model", {"model": {"name": "x"}}, **{"is": MODEL}) == [
        ("model", "'version' is a required property")
    ]


def test_an_enum_error_suggests_the_word_meant(failures: Failures) -> None:
    fragment: dict[str, Any] = {"enum": ["daily", "weekly"]}
    assert failures("schema", "f", {"f": "Daily"}, **{"is": fragment}) == [
        ("f", "'Daily' is not one of ['daily', 'weekly']; did you mean 'daily'?")
    ]
    assert failures("schema", "f", {"f": "yearly"}, **{"is": fragment}) == [
        ("f", "'yearly' is not one of ['daily', 'weekly']")
    ]
