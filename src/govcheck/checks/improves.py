"""``improves``: each item's value is better than its baseline, in the direction it declares.

The target is the items (``spec.success_metrics[*]``); ``value`` (default ``target``),
``baseline`` (default ``baseline``) and ``direction`` (default ``direction``) are fields of each
item. ``direction: lower`` means lower is better. ``value: current.value`` asks whether the
measured result has moved the right way; the default asks whether the target is an
improvement at all. Where the baseline or the value is missing or null there is nothing to
compare (presence is ``present``'s job); where both are there, the item must say which way is
better, and both must be finite numbers of zero or more.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from govcheck.interfaces import MISSING, CheckContext, CheckSpec, Evaluator, Failure
from govcheck.lang.fieldpath import WILD, FieldPath, parse
from govcheck.lang.values import measure_problem, shown_number
from govcheck.schema.suggest import did_you_mean

DIRECTIONS = ("higher", "lower")


def _field(params: Mapping[str, Any], name: str, default: str) -> FieldPath:
    text = params.get(name, default)
    path = parse(text) if isinstance(text, str) else None
    if path is None or WILD in path.parts:
        raise ValueError(f"parameter {name!r} must name one field of each item, not {text!r}")
    return path


def compile_check(target: str, params: Mapping[str, Any]) -> Evaluator:
    items = parse(target)
    value_at, baseline_at = _field(params, "value", "target"), _field(params, "baseline", "baseline")
    direction_at = _field(params, "direction", "direction")

    def judge(at: Any, item: Any) -> list[Failure]:
        (v_at, value), (b_at, base) = value_at.first(item), baseline_at.first(item)
        if value in (MISSING, None) or base in (MISSING, None):
            return []
        failures = [
            Failure(at + where, found, why)
            for where, found in ((b_at, base), (v_at, value))
            if (why := measure_problem(found)) is not None
        ]
        d_at, direction = direction_at.first(item)
        if direction not in DIRECTIONS:
            why = (
                "missing: say whether higher or lower is better"
                if direction is MISSING
                else f"{direction!r} is not higher or lower{did_you_mean(direction, DIRECTIONS)}"
            )
            failures.append(Failure(at + d_at, direction, why))
        if failures:
            return failures
        better = value > base if direction == "higher" else value < base
        if better:
            return []
        said = f"{shown_number(value)} is not {direction} than the baseline {shown_number(base)}"
        return [Failure(at + v_at, value, f"{said} ({direction} is better)")]

    def run(ctx: CheckContext) -> Sequence[Failure]:
        failures: list[Failure] = []
        for at, item in items.resolve(ctx.data):
            if item is MISSING or not isinstance(item, dict):
                failures.append(
                    Failure(at, item, "missing" if item is MISSING else f"{item!r} is not a mapping")
                )
            else:
                failures.extend(judge(at, item))
        return failures

    return run


SPEC = CheckSpec(
    "improves",
    compile_check,
    {"value": False, "baseline": False, "direction": False},
    "each item's `value` (default target) is better than its `baseline` in its declared `direction`",
)
