"""JSON Schema validation of YAML documents, reduced to located, human-worded problems.

Schemas are compiled once per process into a yes/no check (``_fastschema``) that gives
jsonschema's verdict without its cost; jsonschema itself is imported and run only for
documents that check does not call valid, to word and locate their errors.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from govcheck.lang.fieldpath import dotted
from govcheck.load.yaml import Document
from govcheck.model import DocPath
from govcheck.resources import schema
from govcheck.schema import fast as _fastschema

if TYPE_CHECKING:
    from jsonschema import ValidationError
    from jsonschema.protocols import Validator

_TYPE_WORDS = {
    "string": "text",
    "object": "a mapping",
    "array": "a list",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


@dataclass(frozen=True)
class SchemaProblem:
    path: DocPath
    line: int
    column: int
    message: str


def build_validator(fragment: Mapping[str, Any]) -> Validator:
    """jsonschema's Draft 2020-12 validator with its format checker: the verdict govcheck follows."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(fragment, format_checker=Draft202012Validator.FORMAT_CHECKER)


def fast_check(fragment: Mapping[str, Any]) -> Callable[[Any], bool]:
    """A check that is true only for instances valid against ``fragment``.

    False means "ask jsonschema": the instance is invalid, or the check cannot tell (always,
    for a schema ``_fastschema`` cannot compile).
    """
    try:
        return _fastschema.compile_schema(fragment)
    except _fastschema.Unsupported:
        return _undecided


def _undecided(instance: Any) -> bool:
    return False


@cache
def validator(name: str) -> Validator:
    return build_validator(schema(name))


@cache
def surely_valid(name: str) -> Callable[[Any], bool]:
    """``fast_check`` for the shipped schema ``name``."""
    return fast_check(schema(name))


def problems(doc: Document, schema_name: str, data: Any = None) -> list[SchemaProblem]:
    """Every schema violation of ``doc`` (or of ``data`` located in ``doc``), sorted by place."""
    found: list[SchemaProblem] = []
    instance = doc.data if data is None else data
    if surely_valid(schema_name)(instance):
        return found
    for error in validator(schema_name).iter_errors(instance):
        for path, message in _describe(_most_relevant(error)):
            line, column, _ = doc.locate(path)
            where = dotted(path) or "document"
            found.append(SchemaProblem(path, line, column, f"{where}: {message}"))
    return sorted(found, key=lambda p: (p.line, p.column, p.message))


def _most_relevant(error: ValidationError) -> ValidationError:
    """Inside anyOf/oneOf, the deepest error that is not itself a combinator error."""
    while error.context:
        error = max(
            error.context, key=lambda e: (len(e.absolute_path), e.validator not in ("anyOf", "oneOf"))
        )
    return error


def _describe(error: ValidationError) -> Iterator[tuple[DocPath, str]]:
    path: DocPath = tuple(error.absolute_path)
    kind, value = error.validator, error.instance
    where: Any = error.schema  # typed as a union with bool and Unset; a failed keyword's schema is a mapping
    expected: Any = error.validator_value
    if kind == "additionalProperties" and isinstance(value, dict):
        known = list(where.get("properties", {}))
        patterns = [re.compile(p) for p in where.get("patternProperties", {})]
        for key in sorted(k for k in value if k not in known and not any(p.search(k) for p in patterns)):
            hint = difflib.get_close_matches(key, known, n=1)
            also = f"; did you mean {hint[0]!r}?" if hint else f"; expected one of {', '.join(known)}"
            yield path + (key,), f"unknown key {key!r}{also}"
    elif kind == "enum":
        yield path, f"{value!r} is not one of {', '.join(map(str, expected))}"
    elif kind == "const":
        yield path, f"{value!r} must be {expected!r}"
    elif kind == "type":
        wanted: list[str] = expected if isinstance(expected, list) else [expected]
        yield path, f"expected {' or '.join(_TYPE_WORDS.get(t, t) for t in wanted)}, found {value!r}"
    elif kind == "required":
        missing = re.match(r"'(.*)' is a required property", error.message)
        yield path, f"missing required key {missing.group(1)!r}" if missing else error.message
    elif kind == "format" and expected == "date":
        yield path, f"{value!r} is not a date; write it as YYYY-MM-DD"
    else:
        yield path, error.message
