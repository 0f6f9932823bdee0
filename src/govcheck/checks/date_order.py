"""``date_order``: the field is a date on or after each date named in ``after``.

Approval follows the risk assessment and the validation it relies on; training comes before
go-live; funding runs through today. Each entry of ``after`` is a field path (``[*]`` names
every item) or ``today`` (``--today``). A date that is missing or not a date there is left to
the rules that require it: there is nothing to compare. The same day counts as in order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from govcheck.checks._common import path_check
from govcheck.checks.max_age import date_reason
from govcheck.interfaces import CheckContext, CheckSpec, Evaluator
from govcheck.lang.fieldpath import FieldPath, dotted, parse
from govcheck.lang.values import as_date

TODAY = "today"


def _earlier(params: Mapping[str, Any]) -> list[FieldPath | None]:
    after = params.get("after")
    names = [after] if isinstance(after, str) else after
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise ValueError(f"parameter 'after' must be a field path, 'today' or a list of them, not {after!r}")
    return [None if name == TODAY else parse(name) for name in names]


def compile_check(target: str, params: Mapping[str, Any]) -> Evaluator:
    earlier = _earlier(params)

    def dates(ctx: CheckContext) -> list[tuple[str, dt.date]]:
        found: list[tuple[str, dt.date]] = []
        for path in earlier:
            if path is None:
                found.append((TODAY, ctx.today))
                continue
            for at, value in path.resolve(ctx.data):
                when = as_date(value)
                if when is not None:
                    found.append((dotted(at), when))
        return found

    def test(value: Any, ctx: CheckContext) -> str | None:
        when = as_date(value)
        if when is None:
            return date_reason(value)
        before = [f"{name} ({day.isoformat()})" for name, day in dates(ctx) if when < day]
        return f"{when.isoformat()} is before {' and '.join(before)}" if before else None

    return path_check(target, test)


SPEC = CheckSpec(
    "date_order",
    compile_check,
    {"after": True},
    "the field is a date on or after each date in `after` (field paths or `today`)",
    stricter={"after": "superset"},
)
