"""What most built-in checks share: the public path-check helpers, used as a plugin would, and
the judgement of text every check that reads text applies (``lang/values.py`` says what
counts as saying nothing; this module adds the pack's words and the schema's vocabularies).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from govcheck.interfaces import CheckContext, Test, path_check, require
from govcheck.lang.fieldpath import parse
from govcheck.lang.values import normal_words, text_problem
from govcheck.schema.fields import schema_at

__all__ = [
    "Test",
    "path_check",
    "placeholders",
    "rejecting_placeholders",
    "require",
    "text_reason",
    "vocabulary",
]

PLACEHOLDERS_PARAM = "placeholders"


def placeholders(params: Mapping[str, Any]) -> frozenset[str]:
    """The rule's own placeholder words (``placeholders: [pending, see wiki]``), normalised.

    They add to the shared list, never replace it: a pack can only make a rule stricter.
    """
    words = params.get(PLACEHOLDERS_PARAM)
    if words is None:
        return frozenset()
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        raise ValueError(f"parameter {PLACEHOLDERS_PARAM!r} must be a list of words, not {words!r}")
    return normal_words(words)


@cache
def _enum_at(parts: tuple[str | int, ...]) -> frozenset[str]:
    node = schema_at(parts) or {}
    enum = node.get("enum")
    return frozenset(v for v in enum if isinstance(v, str)) if isinstance(enum, list) else frozenset()


def vocabulary(path: Sequence[Any]) -> frozenset[str]:
    """The words the manifest schema allows at ``path`` when the field is a closed vocabulary.

    ``onc_dsi: none`` is a statement, not a placeholder: where the schema lists the words a
    field takes, the schema judges them and a listed word is never a placeholder.
    """
    return _enum_at(tuple(p if isinstance(p, str) else 0 for p in path))


def text_reason(value: Any, extra: frozenset[str], allowed: frozenset[str] = frozenset()) -> str | None:
    """Why text says nothing (``"'TBD' is a placeholder"``); None for other values and for the
    ``allowed`` words of the field's vocabulary."""
    if not isinstance(value, str) or value in allowed:
        return None
    why = text_problem(value, extra)
    return None if why is None else f"{value!r} is {why}"


def rejecting_placeholders(target: str, params: Mapping[str, Any], test: Test) -> Test:
    """``test``, and then no blank or placeholder text: a pattern such as ``^[a-z-]+$`` matches
    ``tbd``, and a file could be named ``TBD``.

    The check's own reason comes first, so a value it already turned away is reported in the
    words it always used.
    """
    extra = placeholders(params)
    allowed = vocabulary(parse(target).parts)

    def judged(value: Any, ctx: CheckContext) -> str | None:
        reason = test(value, ctx)
        return reason if reason is not None else text_reason(value, extra, allowed)

    return judged
