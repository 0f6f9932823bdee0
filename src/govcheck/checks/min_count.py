"""``min_count``: the field is a list with at least N items."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from govcheck.checks._common import path_check, require
from govcheck.interfaces import CheckContext, CheckSpec, Evaluator


def compile_check(target: str, params: Mapping[str, Any]) -> Evaluator:
    count = require(params, "count", int)

    def test(value: Any, ctx: CheckContext) -> str | None:
        if not isinstance(value, list):
            return f"{value!r} is not a list"
        return None if len(value) >= count else f"has {len(value)} of at least {count}"

    return path_check(target, test)


SPEC = CheckSpec(
    "min_count",
    compile_check,
    {"count": True},
    "the field is a list with at least `count` items",
    stricter={"count": "higher"},
)
