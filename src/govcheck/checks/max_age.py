"""``max_age``: the field is a date no older than N days before today (``--today``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from govcheck.checks._common import path_check, require
from govcheck.interfaces import CheckContext, CheckSpec, Evaluator


def as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def compile_check(target: str, params: Mapping[str, Any]) -> Evaluator:
    days = require(params, "days", int)

    def test(value: Any, ctx: CheckContext) -> str | None:
        when = as_date(value)
        if when is None:
            return f"{value!r} is not a date (YYYY-MM-DD)"
        age = (ctx.today - when).days
        return None if age <= days else f"{when.isoformat()} is {age} days old (at most {days})"

    return path_check(target, test)


SPEC = CheckSpec(
    "max_age",
    compile_check,
    {"days": True},
    "the field is a date at most `days` days before today",
    stricter={"days": "lower"},
)
