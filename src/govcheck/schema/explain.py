"""jsonschema's best error for a value that fails a pack's fragment, without importing jsonschema.

A ``schema`` check words a failing value with jsonschema's ``best_match`` over the errors of
its fragment. Importing jsonschema for that costs about 40 ms, a third of a one-file run. For a
fragment built only of the keywords below, ``explainer`` gives the same errors in the same
order, each with jsonschema's message, keyword, value and path, and picks the same best one by
the same relevance. A fragment with anything else (``$ref``, ``anyOf``, ``format``, ...) gets
None, and the caller asks jsonschema, as it does for an error this cannot rank (``Undecided``).
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterator, Mapping, Sequence, Sized
from typing import Any

from govcheck.model import DocPath

Search = Callable[[str], Callable[[str], bool]]  # a pattern to its test, as ``regex.searcher`` gives
ANNOTATIONS = frozenset(
    {"title", "description", "$comment", "examples", "default", "deprecated", "readOnly", "writeOnly"}
)
_TYPES: dict[str, Callable[[Any], bool]] = {  # Draft 2020-12's type checker
    "array": lambda x: isinstance(x, list),
    "boolean": lambda x: isinstance(x, bool),
    "integer": lambda x: (
        not isinstance(x, bool) and (isinstance(x, int) or (isinstance(x, float) and x.is_integer()))
    ),
    "null": lambda x: x is None,
    "number": lambda x: not isinstance(x, bool) and isinstance(x, numbers.Number),
    "object": lambda x: isinstance(x, dict),
    "string": lambda x: isinstance(x, str),
}


class Undecided(Exception):
    """The errors cannot be ranked here (paths that do not compare): ask jsonschema."""


class Error:
    """What a caller reads of jsonschema's ``ValidationError``."""

    __slots__ = ("absolute_path", "instance", "message", "schema", "validator", "validator_value")

    def __init__(
        self, message: str, validator: str | None, value: Any, instance: Any, path: DocPath, schema: Any
    ) -> None:
        self.message, self.validator, self.validator_value = message, validator, value
        self.instance, self.absolute_path, self.schema = instance, path, schema

    def relevance(self) -> tuple[Any, ...]:
        """jsonschema's ``relevance`` key: higher up, then the path that sorts last, then not of
        its schema's type (``anyOf`` and ``oneOf``, its weak keywords, are never explained here)."""
        return (-len(self.absolute_path), self.absolute_path, not self._matches_type())

    def _matches_type(self) -> bool:
        expected = self.schema.get("type") if isinstance(self.schema, dict) else None
        if expected is None:
            return False
        return any(_TYPES[t](self.instance) for t in ([expected] if isinstance(expected, str) else expected))


def explainer(fragment: Any, search: Search) -> Callable[[Any], Error | None] | None:
    """The best error of an instance against ``fragment`` (None when it is valid), or None for a
    fragment this does not explain. The function raises ``Undecided`` where jsonschema must."""
    if not supported(fragment):
        return None
    walk = _Walk(search)

    def explain(instance: Any) -> Error | None:
        best: Error | None = None
        key: tuple[Any, ...] = ()
        try:
            for error in walk.errors(fragment, instance, ()):
                here = error.relevance()
                if best is None or here > key:  # max(): the first of the most relevant
                    best, key = error, here
        except TypeError:  # jsonschema would compare these paths and fail the same way
            raise Undecided from None
        return best

    return explain


def supported(schema: Any) -> bool:
    if isinstance(schema, bool):
        return True
    if not isinstance(schema, dict):
        return False
    for key, value in schema.items():
        if key in _SUBSCHEMAS:
            if not all(supported(s) for s in _SUBSCHEMAS[key](value)):
                return False
        elif key not in ANNOTATIONS and not (key in _VALUES and _VALUES[key](value)):
            return False
    return True


class _Walk:
    """jsonschema's ``iter_errors``: each keyword of a schema in its order, subschemas in place."""

    def __init__(self, search: Search) -> None:
        self.search = search

    def errors(self, schema: Any, x: Any, at: DocPath, step: str | int | None = None) -> Iterator[Error]:
        """The errors of ``x``, found at ``at`` plus ``step``: the key or index descended into."""
        if schema is True:
            return
        if schema is False:  # jsonschema adds the step only to the errors of the schema's keywords
            yield Error(f"False schema does not allow {x!r}", None, None, x, at, schema)
            return
        here = at if step is None else (*at, step)
        for keyword, value in schema.items():
            rule = _KEYWORDS.get(keyword)
            for item in rule(self, value, x, schema, here) if rule is not None else ():
                yield item if isinstance(item, Error) else Error(item, keyword, value, x, here, schema)

    def valid(self, schema: Any, x: Any) -> bool:
        return next(self.errors(schema, x, ()), None) is None


Found = Iterator["Error | str"]  # a subschema's error, or the message of this keyword's own


def _type(w: _Walk, v: Any, x: Any, schema: Any, at: DocPath) -> Found:
    names = [v] if isinstance(v, str) else v
    if not any(_TYPES[t](x) for t in names):
        yield f"{x!r} is not of type {', '.join(repr(t) for t in names)}"


def _properties(w: _Walk, v: Any, x: Any, schema: Any, at: DocPath) -> Found:
    if isinstance(x, dict):
        for name, sub in v.items():
            if name in x:
                yield from w.errors(sub, x[name], at, name)


def _required(w: _Walk, v: Any, x: Any, schema: Any, at: DocPath) -> Found:
    if isinstance(x, dict):
        yield from (f"{name!r} is a required property" for name in v if name not in x)


def _items(w: _Walk, v: Any, x: Any, schema: Any, at: DocPath) -> Found:
    if not isinstance(x, list) or not x:
        return
    if v is False:
        yield f"Expected at most 0 items but found {len(x)} extra: {(x if len(x) != 1 else x[0])!r}"
        return
    for index, item in enumerate(x):
        yield from w.errors(v, item, at, index)


def _contains(w: _Walk, v: Any, x: Any, schema: Any, at: DocPath) -> Found:
    if not isinstance(x, list):
        return
    least, most = schema.get("minContains", 1), schema.get("maxContains", len(x))
    matches = 0
    for item in x:
        if w.valid(v, item):
            matches += 1
            if matches > most:
                message = f"Too many items match the given schema (expected at most {most})"
                yield Error(message, "maxContains", most, x, at, schema)
                return
    if matches < least and not matches:
        yield f"{x!r} does not contain items matching the given schema"
    elif matches < least:
        message = (
            f"Too few items match the given schema (expected at least {least} but only {matches} matched)"
        )
        yield Error(message, "minContains", least, x, at, schema)


def _bound(test: Callable[[Any, Any], bool], words: str) -> Callable[[_Walk, Any, Any, Any, DocPath], Found]:
    def check(w: _Walk, v: Any, x: Any, schema: Any, at: DocPath) -> Found:
        if _TYPES["number"](x) and test(x, v):
            yield f"{x!r} is {words} {v!r}"

    return check


def _size(
    kind: type[Sized], few: bool, first: str, other: str
) -> Callable[[_Walk, Any, Any, Any, DocPath], Found]:
    def check(w: _Walk, v: Any, x: Any, schema: Any, at: DocPath) -> Found:
        if isinstance(x, kind) and (len(x) < v if few else len(x) > v):
            yield f"{x!r} {first if v == (1 if few else 0) else other}"

    return check


def _pattern(w: _Walk, v: Any, x: Any, schema: Any, at: DocPath) -> Found:
    if isinstance(x, str) and not w.search(v)(x):
        yield f"{x!r} does not match {v!r}"


def _const(w: _Walk, v: Any, x: Any, schema: Any, at: DocPath) -> Found:
    if not equal(x, v):
        yield f"{v!r} was expected"


def _enum(w: _Walk, v: Any, x: Any, schema: Any, at: DocPath) -> Found:
    if all(not equal(each, x) for each in v):
        yield f"{x!r} is not one of {v!r}"


def _not(w: _Walk, v: Any, x: Any, schema: Any, at: DocPath) -> Found:
    if w.valid(v, x):
        yield f"{x!r} should not be valid under {v!r}"


def _if(w: _Walk, v: Any, x: Any, schema: Any, at: DocPath) -> Found:
    branch = "then" if w.valid(v, x) else "else"
    if branch in schema:
        yield from w.errors(schema[branch], x, at)


def _all_of(w: _Walk, v: Any, x: Any, schema: Any, at: DocPath) -> Found:
    for sub in v:
        yield from w.errors(sub, x, at)


def equal(one: Any, two: Any) -> bool:
    """jsonschema's ``equal``: ``True`` is not ``1``, in containers too; ``1`` is ``1.0``."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, Sequence) and isinstance(two, Sequence):
        return len(one) == len(two) and all(equal(i, j) for i, j in zip(one, two, strict=True))
    if isinstance(one, Mapping) and isinstance(two, Mapping):
        return len(one) == len(two) and all(k in two and equal(v, two[k]) for k, v in one.items())
    return bool(_unbool(one) == _unbool(two))


_TRUE, _FALSE = object(), object()


def _unbool(value: Any) -> Any:
    return _TRUE if value is True else _FALSE if value is False else value


_KEYWORDS: dict[str, Callable[[_Walk, Any, Any, Any, DocPath], Found]] = {
    "type": _type,
    "properties": _properties,
    "required": _required,
    "items": _items,
    "contains": _contains,
    "minimum": _bound(lambda x, v: x < v, "less than the minimum of"),
    "maximum": _bound(lambda x, v: x > v, "greater than the maximum of"),
    "exclusiveMinimum": _bound(lambda x, v: x <= v, "less than or equal to the minimum of"),
    "exclusiveMaximum": _bound(lambda x, v: x >= v, "greater than or equal to the maximum of"),
    "minLength": _size(str, True, "should be non-empty", "is too short"),
    "maxLength": _size(str, False, "is expected to be empty", "is too long"),
    "minItems": _size(list, True, "should be non-empty", "is too short"),
    "maxItems": _size(list, False, "is expected to be empty", "is too long"),
    "minProperties": _size(dict, True, "should be non-empty", "does not have enough properties"),
    "maxProperties": _size(dict, False, "is expected to be empty", "has too many properties"),
    "pattern": _pattern,
    "const": _const,
    "enum": _enum,
    "not": _not,
    "if": _if,
    "allOf": _all_of,
}


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _count(v: Any) -> bool:
    return _number(v) and v >= 0 and (isinstance(v, int) or v.is_integer())


_VALUES: dict[str, Callable[[Any], bool]] = {  # keywords without subschemas: what they may hold
    "type": lambda v: (
        v in _TYPES
        if isinstance(v, str)
        else isinstance(v, list) and all(isinstance(t, str) and t in _TYPES for t in v)
    ),
    "required": lambda v: isinstance(v, list) and all(isinstance(n, str) for n in v),
    "pattern": lambda v: isinstance(v, str),
    "enum": lambda v: isinstance(v, list),
    "const": lambda v: True,
    **dict.fromkeys(("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"), _number),
    **dict.fromkeys(
        ("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"), _count
    ),
    **dict.fromkeys(("minContains", "maxContains"), _count),
}
_SUBSCHEMAS: dict[str, Callable[[Any], Sequence[Any]]] = {  # keywords with subschemas: those subschemas
    "properties": lambda v: list(v.values()) if isinstance(v, dict) else [None],
    "allOf": lambda v: v if isinstance(v, list) else [None],
    **dict.fromkeys(("items", "contains", "not", "if", "then", "else"), lambda v: [v]),
}
