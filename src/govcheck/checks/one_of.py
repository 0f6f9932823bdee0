"""``one_of``: the field holds one of the allowed values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from govcheck.checks._common import path_check, require
from govcheck.interfaces import CheckContext, CheckSpec, Evaluator


def compile_check(target: str, params: Mapping[str, Any]) -> Evaluator:
    allowed = require(params, "values", list)
    shown = ", ".join(map(str, allowed))

    def test(value: Any, ctx: CheckContext) -> str | None:
        ok = any(value == a and type(value) is type(a) for a in allowed)
        return None if ok else f"{value!r} is not one of {shown}"

    return path_check(target, test)


SPEC = CheckSpec(
    "one_of",
    compile_check,
    {"values": True},
    "the field equals one of `values`",
    stricter={"values": "subset"},
)
