"""``present``: the field exists and is not empty."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from govcheck.checks._common import path_check
from govcheck.interfaces import CheckContext, CheckSpec, Evaluator
from govcheck.lang.values import is_empty


def _test(value: Any, ctx: CheckContext) -> str | None:
    return "empty" if is_empty(value) else None


def compile_check(target: str, params: Mapping[str, Any]) -> Evaluator:
    return path_check(target, _test)


SPEC = CheckSpec(
    "present",
    compile_check,
    {},
    "the field exists and is not null, empty text, an empty list or an empty mapping",
)
