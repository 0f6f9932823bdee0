"""``matches``: the field is text matching a regular expression.

The pattern is searched for, and its ``$`` is the end of the text: Python's ``$`` also
matches before a final newline, which would let ``id: "x\\n"`` pass ``^[a-z-]+$``. It runs
through ``schema.regex``, in time linear in the text; a pattern that cannot be (backtracking
features under unbounded repetition) fails the pack's load.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from govcheck.checks._common import path_check, rejecting_placeholders, require
from govcheck.interfaces import CheckContext, CheckSpec, Evaluator
from govcheck.schema import regex


def compile_check(target: str, params: Mapping[str, Any]) -> Evaluator:
    source = require(params, "pattern", str)
    try:
        found = regex.searcher(source, end_is_end=True)
    except re.error as exc:
        raise ValueError(f"parameter 'pattern' is not a valid regular expression: {exc}") from None
    except regex.UnsafePattern as exc:
        raise ValueError(f"parameter 'pattern': {exc}") from None

    def test(value: Any, ctx: CheckContext) -> str | None:
        if not isinstance(value, str):
            return f"{value!r} is not text"
        return None if found(value) else f"{value!r} does not match {source}"

    # Placeholders are turned away after the pattern, apart from the regex engine.
    return path_check(target, rejecting_placeholders(target, params, test))


SPEC = CheckSpec(
    "matches",
    compile_check,
    {"pattern": True, "placeholders": False},
    "the field is text that matches `pattern` (searched)",
    stricter={"placeholders": "superset"},
)
