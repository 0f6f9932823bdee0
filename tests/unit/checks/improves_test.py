"""``improves``: a target better than the baseline in the declared direction, with real numbers."""

from __future__ import annotations

import math
from typing import Any

import pytest

from govcheck.checks import BUILTIN
from tests.unit.checks.conftest import Failures


def _metric(**fields: Any) -> dict[str, Any]:
    return {"m": [{"name": "days-to-appeal", **fields}]}


@pytest.mark.parametrize(
    ("direction", "target", "detail"),
    [
        ("lower", 9.5, "9.5 is not lower than the baseline 9.5 (lower is better)"),
        ("lower", 12, "12 is not lower than the baseline 9.5 (lower is better)"),
        ("higher", 9.0, "9.0 is not higher than the baseline 9.5 (higher is better)"),
    ],
)
def test_a_target_no_better_than_the_baseline_fails_at_the_target(
    failures: Failures, direction: str, target: float, detail: str
) -> None:
    assert failures("improves", "m[*]", _metric(direction=direction, baseline=9.5, target=target)) == [
        ("m[0].target", detail)
    ]


def test_the_smallest_improvement_each_way_passes(failures: Failures) -> None:
    assert failures("improves", "m[*]", _metric(direction="lower", baseline=9.5, target=9.4)) == []
    assert failures("improves", "m[*]", _metric(direction="higher", baseline=0, target=0.1)) == []


def test_a_comparison_needs_a_direction(failures: Failures) -> None:
    assert failures("improves", "m[*]", _metric(baseline=38, target=45)) == [
        ("m[0].direction", "missing: say whether higher or lower is better")
    ]
    assert failures("improves", "m[*]", _metric(direction="Higher", baseline=38, target=45)) == [
        ("m[0].direction", "'Higher' is not higher or lower; did you mean 'higher'?")
    ]


@pytest.mark.parametrize(
    ("baseline", "target", "where", "detail"),
    [
        (math.nan, 5, "baseline", ".nan is not a finite number"),
        (10, math.inf, "target", ".inf is not a finite number"),
        (12, -1, "target", "-1 is negative"),
        (-3, 1, "baseline", "-3 is negative"),
        ("9.5", 6, "baseline", "'9.5' is not a number"),
        (True, 6, "baseline", "True is not a number"),
    ],
)
def test_only_finite_numbers_of_zero_or_more_are_compared(
    failures: Failures, baseline: Any, target: Any, where: str, detail: str
) -> None:
    assert failures("improves", "m[*]", _metric(direction="lower", baseline=baseline, target=target)) == [
        (f"m[0].{where}", detail)
    ]


def test_nothing_to_compare_is_left_to_the_presence_rules(failures: Failures) -> None:
    assert failures("improves", "m[*]", _metric(baseline=None, target=6)) == []
    assert failures("improves", "m[*]", _metric(target=6)) == []
    assert failures("improves", "m[*]", {"m": []}) == []
    assert failures("improves", "m[*]", {"m": ["days"]}) == [("m[0]", "'days' is not a mapping")]


def test_the_measured_value_must_have_moved_the_right_way(failures: Failures) -> None:
    moved = _metric(direction="lower", baseline=9.5, target=6, current={"value": 9.8})
    assert failures("improves", "m[*]", moved, value="current.value") == [
        ("m[0].current.value", "9.8 is not lower than the baseline 9.5 (lower is better)")
    ]
    not_yet = _metric(direction="lower", baseline=9.5, target=6, current={"value": None})
    assert failures("improves", "m[*]", not_yet, value="current.value") == []


@pytest.mark.parametrize("params", [{"value": "current[*].value"}, {"baseline": 3}, {"direction": ""}])
def test_bad_parameters_are_pack_errors(params: dict[str, Any]) -> None:
    spec = next(s for s in BUILTIN if s.name == "improves")
    with pytest.raises(ValueError):
        spec.compile("m[*]", params)
