"""``min_count``: empty entries do not count, and with ``distinct`` repeated ones count once."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.checks.conftest import CHECKS, Failures


@pytest.mark.parametrize(
    ("items", "detail"),
    [
        ([{}], "has 0 of at least 1 (1 listed: 1 empty)"),
        (["", "  "], "has 0 of at least 1 (2 listed: 2 empty)"),
        (["TBD", None, {"name": ""}], "has 0 of at least 1 (3 listed: 3 empty)"),
    ],
)
def test_empty_entries_do_not_count(failures: Failures, items: list[Any], detail: str) -> None:
    assert failures("min_count", "l", {"l": items}, count=1) == [("l", detail)]


def test_distinct_counts_a_repeated_value_once(failures: Failures) -> None:
    subgroups = {"l": ["age", "Age", " age ", "age"]}
    assert failures("min_count", "l", subgroups, count=2) == []  # without distinct, four items
    assert failures("min_count", "l", subgroups, count=2, distinct=True) == [
        ("l", "has 1 of at least 2 (4 listed: 3 repeated)")
    ]
    assert failures("min_count", "l", {"l": ["age", "sex"]}, count=2, distinct=True) == []
    assert failures("min_count", "l", {"l": [1, 1.0, {"a": 1}, {"a": 1}]}, count=3, distinct=True) == [
        ("l", "has 2 of at least 3 (4 listed: 2 repeated)")
    ]


def test_distinct_by_counts_items_once_per_value_of_the_field(failures: Failures) -> None:
    metrics = {
        "m": [
            {"name": "override-rate", "threshold": 0.2},
            {"name": "override-rate", "threshold": 0.3},
            {"name": "Override-Rate", "threshold": 0.4},
            {"threshold": 0.5},
        ]
    }
    assert failures("min_count", "m", metrics, count=3, distinct_by="name") == [
        ("m", "has 1 of at least 3 (4 listed: 1 without a name, 2 repeated)")
    ]
    different = {"m": [{"name": "override-rate"}, {"name": "input-drift-psi"}]}
    assert failures("min_count", "m", different, count=2, distinct_by="name") == []


def test_the_old_reason_stands_when_nothing_was_left_out(failures: Failures) -> None:
    assert failures("min_count", "l", {"l": ["age"]}, count=2, distinct=True) == [
        ("l", "has 1 of at least 2")
    ]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"distinct": "yes"}, "distinct"),
        ({"distinct_by": "m[*].name"}, "distinct_by"),
        ({"distinct_by": 3}, "field path"),
    ],
)
def test_bad_parameters_are_pack_errors(params: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        CHECKS["min_count"].compile("l", {"count": 1, **params})
