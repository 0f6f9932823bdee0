"""A JSON Schema compiled once into nested closures that only answer "valid?".

jsonschema builds a new validator and resolves ``$ref`` for every subschema of every document;
on a 150-line manifest that is about 1.4 ms, most of a check. Most documents are valid, so
``validate.problems`` asks this compiled form first and runs jsonschema only for documents it
does not call valid, to word and locate the errors.

The verdict must be jsonschema's (Draft 2020-12 with its format checker) exactly: a document
called valid here has no jsonschema error. Each keyword follows jsonschema's definition; where
that would take more than the common case (a non-text key, uniqueness of non-text items) the
check raises ``_Undecided`` and the document goes to jsonschema. A schema using a keyword not
listed here does not compile (``Unsupported``): then jsonschema validates everything.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable, Mapping, Sized
from typing import Any
from urllib.parse import unquote

from govcheck.schema import formats as _formats

Check = Callable[[Any], bool]
Searcher = Callable[[str], Callable[[str], Any]]  # a pattern to its test: true when it is found
ANNOTATIONS = frozenset(
    {
        "$schema",
        "$comment",
        "title",
        "description",
        "examples",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "$defs",
        "definitions",
    }
)
OBJECT_KEYWORDS = (
    "properties",
    "patternProperties",
    "additionalProperties",
    "required",
    "minProperties",
    "maxProperties",
)


class Unsupported(Exception):
    """The schema uses something this compiler does not implement."""


class _Undecided(Exception):
    """This document needs jsonschema to decide."""


def _re_search(pattern: str) -> Callable[[str], Any]:
    return re.compile(pattern).search


def compile_schema(schema: Mapping[str, Any], search: Searcher = _re_search) -> Check:
    """A check that is true only for instances valid against ``schema``.

    False for invalid instances, and for the rare ones it leaves to jsonschema. Raises
    ``Unsupported`` for a schema it cannot compile exactly. ``search`` runs ``pattern`` and
    ``patternProperties``; it must give ``re.search``'s verdict, as jsonschema does.
    """
    check = _Compiler(schema, search).compile(schema)

    def is_valid(instance: Any) -> bool:
        try:
            return check(instance)
        except _Undecided:
            return False

    return is_valid


def _is_number(x: Any) -> bool:
    return isinstance(x, numbers.Number) and not isinstance(x, bool)


_TYPES: dict[str, Check] = {
    "null": lambda x: x is None,
    "boolean": lambda x: isinstance(x, bool),
    "integer": lambda x: (
        (isinstance(x, int) and not isinstance(x, bool)) or (isinstance(x, float) and x.is_integer())
    ),
    "number": _is_number,
    "string": lambda x: isinstance(x, str),
    "array": lambda x: isinstance(x, list),
    "object": lambda x: isinstance(x, dict),
}


def _always(x: Any) -> bool:
    return True


def _never(x: Any) -> bool:
    return False


def _all(checks: list[Check]) -> Check:
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:  # the common case (a type and one more keyword), without a loop
        first, second = checks
        return lambda x: first(x) and second(x)

    def every(x: Any) -> bool:
        for check in checks:  # noqa: SIM110 - a plain loop: all() over a generator costs more here
            if not check(x):
                return False
        return True

    return every


class _Compiler:
    def __init__(self, root: Mapping[str, Any], search: Searcher = _re_search) -> None:
        self.root = root
        self.search = search
        self.refs: dict[str, Check] = {}

    def compile(self, schema: Any) -> Check:
        if schema is True or schema is False:
            return _always if schema else _never
        if not isinstance(schema, dict):
            raise Unsupported(f"a schema must be an object or a boolean, not {schema!r}")
        unknown = (
            set(schema)
            - ANNOTATIONS
            - _KEYWORDS.keys()
            - set(OBJECT_KEYWORDS)
            - ({"$id"} if schema is self.root else set())
        )
        if unknown:
            raise Unsupported(f"keywords {', '.join(sorted(unknown))}")
        checks = []
        skip = set()
        if any(k in schema for k in OBJECT_KEYWORDS):
            strict = schema.get("type") == "object"  # then the object check also says "not an object"
            checks.append(self.object(schema, strict))
            if strict:
                skip.add("type")
        checks += [
            _KEYWORDS[k](self, v, schema) for k, v in schema.items() if k in _KEYWORDS and k not in skip
        ]
        return _all(checks)

    def ref(self, pointer: str) -> Check:
        if pointer not in self.refs:
            cell: list[Check] = []
            self.refs[pointer] = lambda x: cell[0](x)  # resolved below; lets a schema refer to itself
            cell.append(self.compile(_resolve(self.root, pointer)))
            self.refs[pointer] = cell[0]
        return self.refs[pointer]

    def object(self, schema: Mapping[str, Any], strict: bool) -> Check:
        props = {k: self.compile(v) for k, v in schema.get("properties", {}).items()}
        pattern_props = schema.get("patternProperties", {})
        patterns = [(self.search(p), self.compile(v)) for p, v in pattern_props.items()]
        checked = [(search, check) for search, check in patterns if check is not _always]
        additional = self.compile(schema.get("additionalProperties", True))
        # jsonschema tells additional keys with all patterns joined by "|" into one: a
        # back-reference then counts groups of the patterns before it, a leading (?i) applies
        # to all of them, and a lone empty pattern ("" joined is false) leaves every key
        # additional. Its verdict is the one to give, so the joined pattern decides here too.
        joined = "|".join(pattern_props)
        if "additionalProperties" in schema and joined:
            try:
                patterned: Callable[[str], Any] | None = (
                    patterns[0][0] if len(patterns) == 1 else self.search(joined)
                )
            except re.error:
                raise Unsupported("patternProperties that jsonschema cannot join") from None
        else:
            patterned = None
        required = tuple(schema.get("required", ()))
        least, most = schema.get("minProperties", 0), schema.get("maxProperties")

        if not checked and additional is _always:
            # No patterns and any other key allowed (most of a manifest schema's objects): only
            # the named properties are checked, without the pattern loop per key.
            def plain(x: Any) -> bool:
                if not isinstance(x, dict):
                    return not strict
                for key, value in x.items():
                    sub = props.get(key)
                    if sub is None:
                        if not isinstance(key, str):
                            raise _Undecided
                    elif not sub(value):
                        return False
                for name in required:
                    if name not in x:
                        return False
                return len(x) >= least and (most is None or len(x) <= most)

            return plain

        def check(x: Any) -> bool:
            if not isinstance(x, dict):
                return not strict
            for key, value in x.items():
                sub = props.get(key)
                if sub is not None:
                    if not sub(value):
                        return False
                    for search, pattern_check in checked:
                        if search(key) and not pattern_check(value):
                            return False
                    continue
                if not isinstance(key, str):
                    raise _Undecided
                for search, pattern_check in checked:
                    if search(key) and not pattern_check(value):
                        return False
                if additional is not _always and not (patterned and patterned(key)) and not additional(value):
                    return False
            for name in required:
                if name not in x:
                    return False
            return len(x) >= least and (most is None or len(x) <= most)

        return check


def _resolve(root: Mapping[str, Any], ref: str) -> Any:
    if not ref.startswith("#") or (ref != "#" and not ref.startswith("#/")):
        raise Unsupported(f"$ref {ref!r}: only references inside the schema are compiled")
    node: Any = root
    for part in ref[2:].split("/") if ref != "#" else ():
        part = unquote(part).replace("~1", "/").replace("~0", "~")
        if isinstance(node, list) and part.isdigit():
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            raise Unsupported(f"$ref {ref!r} does not resolve")
        if isinstance(node, dict) and "$id" in node:
            raise Unsupported(f"$ref {ref!r} enters a schema with its own $id")
    return node


def _type(c: _Compiler, value: Any, schema: Any) -> Check:
    names = value if isinstance(value, list) else [value]
    if not all(isinstance(t, str) and t in _TYPES for t in names):
        raise Unsupported(f"type {value!r}")
    tests = [_TYPES[t] for t in names]
    return tests[0] if len(tests) == 1 else lambda x: any(t(x) for t in tests)


def _equal_to(value: Any) -> Check:
    """jsonschema's ``equal`` against a scalar: ``True`` is not ``1``, ``1`` is ``1.0``."""
    if isinstance(value, (dict, list)):
        raise Unsupported("enum and const with containers")
    if isinstance(value, bool):
        return lambda x: x is value
    if isinstance(value, str):
        return lambda x: isinstance(x, str) and x == value
    return lambda x: x is value or (not isinstance(x, bool) and x == value)


def _enum(c: _Compiler, value: Any, schema: Any) -> Check:
    if all(isinstance(v, str) for v in value):
        allowed = frozenset(value)
        return lambda x: isinstance(x, str) and x in allowed
    tests = [_equal_to(v) for v in value]
    return lambda x: any(t(x) for t in tests)


def _unique(c: _Compiler, value: Any, schema: Any) -> Check:
    def check(x: Any) -> bool:
        if not value or not isinstance(x, list):
            return True
        if not all(isinstance(i, str) for i in x):
            raise _Undecided
        return len(set(x)) == len(x)

    return check


def _items(c: _Compiler, value: Any, schema: Any) -> Check:
    sub = c.compile(value)

    def check(x: Any) -> bool:
        if isinstance(x, list):
            for item in x:  # noqa: SIM110 - a plain loop: all() over a generator costs more here
                if not sub(item):
                    return False
        return True

    return check


def _contains(c: _Compiler, value: Any, schema: Any) -> Check:
    """jsonschema's ``contains`` with its ``minContains`` (default 1) and ``maxContains`` (default
    no limit): every item is tried, so an item the compiled check cannot decide is not skipped."""
    sub = c.compile(value)
    least, most = schema.get("minContains", 1), schema.get("maxContains")

    def check(x: Any) -> bool:
        if not isinstance(x, list):
            return True
        matches = sum(1 for i in x if sub(i))
        return matches >= least and (most is None or matches <= most)

    return check


def _one_of(c: _Compiler, value: Any, schema: Any) -> Check:
    subs = [c.compile(v) for v in value]
    return lambda x: sum(1 for s in subs if s(x)) == 1


def _if(c: _Compiler, value: Any, schema: Any) -> Check:
    test, then, other = (
        c.compile(value),
        c.compile(schema.get("then", True)),
        c.compile(schema.get("else", True)),
    )
    return lambda x: then(x) if test(x) else other(x)


def _bound(compare: Callable[[Any, Any], bool]) -> Callable[[_Compiler, Any, Any], Check]:
    return lambda c, limit, schema: lambda x: not _is_number(x) or compare(x, limit)


def _sized(kind: type[Sized], compare: Callable[[int, int], bool]) -> Callable[[_Compiler, Any, Any], Check]:
    return lambda c, limit, schema: lambda x: not isinstance(x, kind) or compare(len(x), limit)


def _pattern(c: _Compiler, value: Any, schema: Any) -> Check:
    search = c.search(value)
    return lambda x: not isinstance(x, str) or bool(search(x))


def _all_of(c: _Compiler, value: Any, schema: Any) -> Check:
    return _all([c.compile(v) for v in value])


def _any_of(c: _Compiler, value: Any, schema: Any) -> Check:
    subs = [c.compile(v) for v in value]
    return lambda x: any(s(x) for s in subs)


def _not(c: _Compiler, value: Any, schema: Any) -> Check:
    sub = c.compile(value)
    return lambda x: not sub(x)


def _nothing(c: _Compiler, value: Any, schema: Any) -> Check:
    return _always  # then/else (min/maxContains) are compiled with their if (contains); alone they do nothing


_KEYWORDS: dict[str, Callable[[_Compiler, Any, Any], Check]] = {
    "type": _type,
    "enum": _enum,
    "const": lambda c, value, schema: _equal_to(value),
    "$ref": lambda c, value, schema: c.ref(value),
    "format": lambda c, value, schema: _formats.check(value),
    "items": _items,
    "contains": _contains,
    "minContains": _nothing,  # read by contains; alone they do nothing, as in jsonschema
    "maxContains": _nothing,
    "uniqueItems": _unique,
    "minItems": _sized(list, lambda n, limit: n >= limit),
    "maxItems": _sized(list, lambda n, limit: n <= limit),
    "minLength": _sized(str, lambda n, limit: n >= limit),
    "maxLength": _sized(str, lambda n, limit: n <= limit),
    "pattern": _pattern,
    "minimum": _bound(lambda x, limit: not x < limit),  # as jsonschema words it: NaN passes
    "maximum": _bound(lambda x, limit: not x > limit),
    "exclusiveMinimum": _bound(lambda x, limit: not x <= limit),
    "exclusiveMaximum": _bound(lambda x, limit: not x >= limit),
    "allOf": _all_of,
    "anyOf": _any_of,
    "oneOf": _one_of,
    "not": _not,
    "if": _if,
    "then": _nothing,
    "else": _nothing,
}
