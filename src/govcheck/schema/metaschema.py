"""Is a JSON Schema fragment well formed? Answered without jsonschema for the common keywords.

A pack's ``schema`` check carries a fragment that must be a valid Draft 2020-12 schema. Asking
jsonschema's ``check_schema`` means importing jsonschema and its metaschemas, a fifth of a
one-file run. ``vouch`` answers True only when the 2020-12 metaschema (with jsonschema's
format checker, so patterns must compile) accepts the fragment and every keyword in it is one
``_fastschema`` compiles; anything else is False: "ask check_schema", which words the error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_TYPES = frozenset({"null", "boolean", "integer", "number", "string", "array", "object"})


def vouch(schema: Any) -> bool:
    """True only when ``check_schema`` would accept ``schema``."""
    if isinstance(schema, bool):
        return True
    return isinstance(schema, dict) and all(k in _RULES and _RULES[k](v) for k, v in schema.items())


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _count(value: Any) -> bool:
    whole = (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, float) and value.is_integer()
    )
    return whole and value >= 0


def _regex(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        re.compile(value)
    except re.error:
        return False
    return True


def _type(value: Any) -> bool:
    if isinstance(value, str):
        return value in _TYPES
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(t, str) and t in _TYPES for t in value)
        and len(set(value)) == len(value)
    )


def _schemas(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(vouch(v) for v in value)


def _named_schemas(names: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, dict) and all(names(k) and vouch(v) for k, v in value.items())


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _anything(value: Any) -> bool:
    return True


_RULES: dict[str, Callable[[Any], bool]] = {
    "type": _type,
    "enum": lambda v: isinstance(v, list),
    "const": _anything,
    "minimum": _number,
    "maximum": _number,
    "exclusiveMinimum": _number,
    "exclusiveMaximum": _number,
    "minLength": _count,
    "maxLength": _count,
    "minItems": _count,
    "maxItems": _count,
    "minProperties": _count,
    "maxProperties": _count,
    "pattern": _regex,
    "uniqueItems": lambda v: isinstance(v, bool),
    "format": _text,
    "required": lambda v: (
        isinstance(v, list) and all(isinstance(n, str) for n in v) and len(set(v)) == len(v)
    ),
    "items": vouch,
    "contains": vouch,
    "minContains": _count,
    "maxContains": _count,
    "not": vouch,
    "additionalProperties": vouch,
    "if": vouch,
    "then": vouch,
    "else": vouch,
    "allOf": _schemas,
    "anyOf": _schemas,
    "oneOf": _schemas,
    "properties": _named_schemas(_text),
    "patternProperties": _named_schemas(_regex),
    "$defs": _named_schemas(_text),
    "$ref": lambda v: isinstance(v, str) and (v == "#" or v.startswith("#/")),
    "title": _text,
    "description": _text,
    "$comment": _text,
    "examples": lambda v: isinstance(v, list),
    "default": _anything,
    "deprecated": lambda v: isinstance(v, bool),
    "readOnly": lambda v: isinstance(v, bool),
    "writeOnly": lambda v: isinstance(v, bool),
}
