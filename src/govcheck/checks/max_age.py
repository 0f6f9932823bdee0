"""``max_age``: the field is a date no older than N days before today (``--today``), and not after it.

A review, validation or assessment dated after today has not happened yet (or the date is
wrong); either way it is no evidence of a recent one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from govcheck.checks._common import path_check, require
from govcheck.interfaces import CheckContext, CheckSpec, Evaluator
from govcheck.lang.values import as_date

__all__ = ["SPEC", "as_date", "compile_check", "date_reason"]


def date_reason(value: Any) -> str:
    """Why a value is not a date, in the words every date check uses (``TBD`` included)."""
    return f"{value!r} is not a date (YYYY-MM-DD)"


def compile_check(target: str, params: Mapping[str, Any]) -> Evaluator:
    days = require(params, "days", int)

    def test(value: Any, ctx: CheckContext) -> str | None:
        when = as_date(value)
        if when is None:
            return date_reason(value)
        if when > ctx.today:
            return f"{when.isoformat()} is dated in the future (after {ctx.today.isoformat()})"
        age = (ctx.today - when).days
        return None if age <= days else f"{when.isoformat()} is {age} days old (at most {days})"

    return path_check(target, test)


SPEC = CheckSpec(
    "max_age",
    compile_check,
    {"days": True},
    "the field is a date at most `days` days before today, and not after it",
    stricter={"days": "lower"},
)
