"""``one_of``: the field holds one of the allowed values.

A listed value passes even when it reads like a placeholder (``none``): the pack named it, and
anything unlisted, placeholders included, already fails.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from govcheck.checks._common import path_check, require
from govcheck.interfaces import CheckContext, CheckSpec, Evaluator
from govcheck.schema.suggest import did_you_mean


def compile_check(target: str, params: Mapping[str, Any]) -> Evaluator:
    allowed = require(params, "values", list)
    shown = ", ".join(map(str, allowed))

    def test(value: Any, ctx: CheckContext) -> str | None:
        if any(value == a and type(value) is type(a) for a in allowed):
            return None
        return f"{value!r} is not one of {shown}{did_you_mean(value, allowed)}"

    return path_check(target, test)


SPEC = CheckSpec(
    "one_of",
    compile_check,
    {"values": True},
    "the field equals one of `values`",
    stricter={"values": "subset"},
)
