"""``present``: the field exists and says something.

Empty, blank and placeholder text (``TBD``, ``N/A``, ``<name>``), ``.nan``, and lists or
mappings of nothing else count as absent: a rule that asks for an owner is not met by
``name: TBD``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from govcheck.checks._common import path_check, placeholders, vocabulary
from govcheck.interfaces import CheckContext, CheckSpec, Evaluator
from govcheck.lang.fieldpath import parse
from govcheck.lang.values import nothing_problem


def compile_check(target: str, params: Mapping[str, Any]) -> Evaluator:
    extra = placeholders(params)
    allowed = vocabulary(parse(target).parts)

    def test(value: Any, ctx: CheckContext) -> str | None:
        return None if isinstance(value, str) and value in allowed else nothing_problem(value, extra)

    return path_check(target, test)


SPEC = CheckSpec(
    "present",
    compile_check,
    {"placeholders": False},
    "the field exists and is not null, empty, blank or placeholder text, or an empty list or mapping",
    stricter={"placeholders": "superset"},
)
