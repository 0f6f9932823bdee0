"""``min_count``: the field is a list with at least N items that say something.

Empty entries (``{}``, ``""``, ``TBD``) never count. With ``distinct: true`` an item repeated
(``[age, age, Age]``) counts once; with ``distinct_by: name`` items count once per value of
that field, so four copies of one metric under different thresholds are one metric.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from govcheck.checks._common import path_check, placeholders, require
from govcheck.interfaces import MISSING, CheckContext, CheckSpec, Evaluator
from govcheck.lang.fieldpath import WILD, parse
from govcheck.lang.values import same_key, says_nothing


def compile_check(target: str, params: Mapping[str, Any]) -> Evaluator:
    count = require(params, "count", int)
    distinct = params.get("distinct", False)
    if not isinstance(distinct, bool):
        raise ValueError(f"parameter 'distinct' must be true or false, not {distinct!r}")
    by_text = params.get("distinct_by")
    by = None if by_text is None else parse(by_text)
    if by is not None and WILD in by.parts:
        raise ValueError(f"parameter 'distinct_by' must name one field of each item, not {by_text!r}")
    extra = placeholders(params)
    keyed = distinct or by is not None
    unnamed = "empty" if by is None else f"without a {by_text}"

    def test(value: Any, ctx: CheckContext) -> str | None:
        if not isinstance(value, list):
            return f"{value!r} is not a list"
        keys = []
        for item in value:
            said = item if by is None else by.first(item)[1]
            if said is not MISSING and not says_nothing(said, extra):
                keys.append(same_key(said) if keyed else None)  # keys only when they are compared
        counted = len(set(keys)) if keyed else len(keys)
        if counted >= count:
            return None
        notes = [
            f"{n} {what}"
            for n, what in ((len(value) - len(keys), unnamed), (len(keys) - counted, "repeated"))
            if n
        ]
        listed = f" ({len(value)} listed: {', '.join(notes)})" if notes else ""
        return f"has {counted} of at least {count}{listed}"

    return path_check(target, test)


SPEC = CheckSpec(
    "min_count",
    compile_check,
    {"count": True, "distinct": False, "distinct_by": False, "placeholders": False},
    "the field is a list with at least `count` items that say something (`distinct`: different ones)",
    stricter={"count": "higher", "distinct": "true", "placeholders": "superset"},
)
