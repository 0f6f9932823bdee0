"""JSON Schema validation of YAML documents, reduced to located, human-worded problems.

Schemas are compiled once per process into a yes/no check (``_fastschema``) that gives
jsonschema's verdict without its cost; jsonschema itself is imported and run only for
documents that check does not call valid, to word and locate their errors. A pack's schema
fragment runs its patterns through ``regex`` on both paths: they come from outside, and
``re`` alone can take exponential time on them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from govcheck.errors import Problem
from govcheck.lang.fieldpath import dotted
from govcheck.load.yaml import Document
from govcheck.model import DocPath
from govcheck.resources import schema
from govcheck.schema import fast as _fastschema
from govcheck.schema import regex as _regex
from govcheck.schema.suggest import did_you_mean

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


def build_validator(fragment: Mapping[str, Any]) -> Validator:
    """jsonschema's Draft 2020-12 validator with its format checker, for a pack's fragment.

    Its ``pattern``, ``patternProperties`` and ``additionalProperties`` are jsonschema's own,
    word for word, except that patterns run on ``regex.searcher``: ``re.search``'s verdict in
    time linear in the text, so wording a failure cannot hang on a pattern from a pack.
    """
    from jsonschema import Draft202012Validator

    made: Validator = _pack_validator()(fragment, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return made


def fast_check(fragment: Mapping[str, Any]) -> Callable[[Any], bool]:
    """A check that is true only for instances valid against a pack's ``fragment``.

    False means "ask jsonschema": the instance is invalid, or the check cannot tell (always,
    for a schema ``_fastschema`` cannot compile). Raises ``ValueError`` (``UnsafePattern``
    among them) for a pattern in the fragment that cannot be run in bounded time.
    """
    check_patterns(fragment)
    try:
        return _fastschema.compile_schema(fragment, _regex.searcher)
    except _fastschema.Unsupported:
        return _undecided


def _undecided(instance: Any) -> bool:
    return False


@cache
def validator(name: str) -> Validator:
    """The validator for the shipped schema ``name``, whose patterns are ours to trust."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema(name), format_checker=Draft202012Validator.FORMAT_CHECKER)


@cache
def surely_valid(name: str) -> Callable[[Any], bool]:
    """The compiled check for the shipped schema ``name`` (see ``fast_check``)."""
    try:
        return _fastschema.compile_schema(schema(name))
    except _fastschema.Unsupported:
        return _undecided


_DATA_KEYWORDS = frozenset({"enum", "const", "default", "examples"})


def check_patterns(fragment: Any) -> None:
    """Compiles every pattern ``fragment`` may run, so that a pack with one that is unsafe fails to load.

    Any mapping in the fragment may be reached through ``$ref``, so all are looked at, but for
    the values of keywords that hold data, not schemas.
    """
    unevaluated, names = False, []
    stack = [fragment]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        if not isinstance(node, dict):
            continue
        for key, value in node.items():
            if key in _DATA_KEYWORDS:
                continue
            if key == "pattern" and isinstance(value, str):
                _compile(value)
            elif key == "patternProperties" and isinstance(value, dict):
                found = [name for name in value if isinstance(name, str) and _compile(name)]
                names += found
                joined = "|".join(found)
                if "additionalProperties" in node and joined and len(found) == len(value):
                    _compile_joined(found, joined)
            elif key == "unevaluatedProperties":
                unevaluated = True
            stack.append(value)
    for name in names if unevaluated else ():
        if not _regex.is_small(name):  # jsonschema runs these on re itself to find evaluated keys
            raise _regex.UnsafePattern(
                f"patternProperties pattern {name!r} is run by re itself when unevaluatedProperties"
                " is used, and it could take exponential time; bound its repetition"
            )


def _compile(source: str) -> bool:
    """Raises ``UnsafePattern`` for a pattern that cannot be run in bounded time."""
    try:
        _regex.searcher(source)
    except re.error:
        return False  # the metaschema passed no such pattern: this text is data, not a pattern
    return True


def _compile_joined(names: list[str], joined: str) -> None:
    try:
        _regex.searcher(joined)
    except re.error as exc:
        raise ValueError(
            f"patternProperties {', '.join(map(repr, names))}: jsonschema joins them with '|' to tell"
            f" additional properties, and {joined!r} is not a valid regular expression ({exc}); use"
            " (?i:...) instead of an inline flag, and each group name once"
        ) from None


@cache
def _pack_validator() -> Any:
    from jsonschema import Draft202012Validator, ValidationError, validators

    def pattern(validator: Any, patrn: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
        if validator.is_type(instance, "string") and not _regex.searcher(patrn)(instance):
            yield ValidationError(f"{instance!r} does not match {patrn!r}")

    def pattern_properties(validator: Any, patterns: Any, instance: Any, schema: Any) -> Iterator[Any]:
        if not validator.is_type(instance, "object"):
            return
        for patrn, subschema in patterns.items():
            search = _regex.searcher(patrn)
            for k, v in instance.items():
                if search(k):
                    yield from validator.descend(v, subschema, path=k, schema_path=patrn)

    def additional_properties(validator: Any, aP: Any, instance: Any, schema: Any) -> Iterator[Any]:
        if not validator.is_type(instance, "object"):
            return
        properties = schema.get("properties", {})
        joined = "|".join(schema.get("patternProperties", {}))
        search = _regex.searcher(joined) if joined else None
        extras = {k for k in instance if k not in properties and not (search and search(k))}
        if validator.is_type(aP, "object"):
            for extra in extras:
                yield from validator.descend(instance[extra], aP, path=extra)
        elif not aP and extras:
            if "patternProperties" in schema:
                verb = "does" if len(extras) == 1 else "do"
                keys = ", ".join(repr(each) for each in sorted(extras))
                patterns = ", ".join(repr(each) for each in sorted(schema["patternProperties"]))
                yield ValidationError(f"{keys} {verb} not match any of the regexes: {patterns}")
            else:
                names = sorted(extras, key=str)
                verb = "was" if len(names) == 1 else "were"
                listed = ", ".join(repr(extra) for extra in names)
                yield ValidationError(f"Additional properties are not allowed ({listed} {verb} unexpected)")

    return validators.extend(  # type: ignore[no-untyped-call]
        Draft202012Validator,
        {
            "pattern": pattern,
            "patternProperties": pattern_properties,
            "additionalProperties": additional_properties,
        },
    )


def problems(doc: Document, schema_name: str, data: Any = None) -> list[Problem]:
    """Every schema violation of ``doc`` (or of ``data`` located in ``doc``), sorted by place."""
    found: list[Problem] = []
    instance = doc.data if data is None else data
    if surely_valid(schema_name)(instance):
        return found
    for error in validator(schema_name).iter_errors(instance):
        relevant = _most_relevant(error)
        for path, message in _describe(relevant):
            line, column, _ = doc.locate(path)
            where = dotted(path) or "document"
            found.append(
                Problem(doc.file, line, column, f"{where}: {message}", path=path, fix=fix(relevant, path))
            )
    return sorted(found, key=lambda p: (p.line, p.column, p.message))


def _most_relevant(error: ValidationError) -> ValidationError:
    """Inside anyOf/oneOf, the deepest error that is not itself a combinator error."""
    while error.context:
        error = max(
            error.context, key=lambda e: (len(e.absolute_path), e.validator not in ("anyOf", "oneOf"))
        )
    return error


def _date_wording(value: Any) -> str:
    """Why ``value`` failed ``format: date``: a day the calendar lacks, or not written as YYYY-MM-DD.

    ``2026-02-30`` is written correctly; telling its author to "write it as YYYY-MM-DD" sends
    them looking for a typo in the layout instead of at the day itself.
    """
    shaped = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value, re.ASCII) if isinstance(value, str) else None
    if shaped is None:
        return f"{value!r} is not a date; write it as YYYY-MM-DD"
    import calendar  # only for a date that failed: a valid manifest never loads it

    year, month, day = (int(part) for part in shaped.groups())
    if not 1 <= month <= 12:
        return f"{value!r} is not a date that exists (month {month})"
    if year == 0:
        return f"{value!r} is not a date that exists (year 0)"
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return f"{value!r} is not a date that exists ({calendar.month_name[month]} {year} has {last} days)"
    return f"{value!r} is not a date; write it as YYYY-MM-DD"


_BOUNDS = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}


def fix(error: ValidationError, path: DocPath) -> str:
    """What to write instead, in the words of the manifest: the field and the kind of value the
    schema asks for there, not only that something is wrong."""
    kind = error.validator
    expected: Any = error.validator_value  # typed with Unset; a failed keyword always has its value
    field = f"`{path[-1]}`" if path and isinstance(path[-1], str) else "the value"
    if kind == "enum":
        said = f"Write {field} as one of: {', '.join(map(str, expected))}."
    elif kind == "const":
        said = f"Write {field} as {expected!r}."
    elif kind == "type":
        wanted = expected if isinstance(expected, list) else [expected]
        said = f"Write {field} as {' or '.join(str(_TYPE_WORDS.get(t, t)) for t in wanted)}."
    elif kind == "required":
        missing = re.match(r"'(.*)' is a required property", error.message)
        under = f" under `{dotted(path)}`" if path else ""
        said = f"Add `{missing.group(1) if missing else 'the key'}:`{under}, with its value."
    elif kind == "additionalProperties":
        said = "Remove the key, or rename it to the key the message names."
    elif kind == "format" and expected == "date":
        said = f"Write {field} as a day that exists, YYYY-MM-DD (for example 2026-11-30)."
    elif kind in _BOUNDS:
        said = f"Write {field} as a number {_BOUNDS[kind]} {expected}."
    elif kind == "minLength":
        said = f"Write {field} as text of at least {expected} character(s)."
    elif kind == "minItems":
        said = f"List at least {expected} item(s) under {field}."
    elif kind == "pattern":
        said = f"Write {field} as text matching {expected}."
    else:
        said = "Fix the field as the message says."
    return f"{said} `govcheck schema manifest` prints the schema."


def _describe(error: ValidationError) -> Iterator[tuple[DocPath, str]]:
    path: DocPath = tuple(error.absolute_path)
    kind, value = error.validator, error.instance
    where: Any = error.schema  # typed as a union with bool and Unset; a failed keyword's schema is a mapping
    expected: Any = error.validator_value
    if kind == "additionalProperties" and isinstance(value, dict):
        import difflib

        known = list(where.get("properties", {}))
        patterns = [re.compile(p) for p in where.get("patternProperties", {})]
        for key in sorted(k for k in value if k not in known and not any(p.search(k) for p in patterns)):
            hint = difflib.get_close_matches(key, known, n=1)
            also = f"; did you mean {hint[0]!r}?" if hint else f"; expected one of {', '.join(known)}"
            yield path + (key,), f"unknown key {key!r}{also}"
    elif kind == "enum":
        yield path, f"{value!r} is not one of {', '.join(map(str, expected))}{did_you_mean(value, expected)}"
    elif kind == "const":
        yield path, f"{value!r} must be {expected!r}"
    elif kind == "type":
        wanted: list[str] = expected if isinstance(expected, list) else [expected]
        yield path, f"expected {' or '.join(_TYPE_WORDS.get(t, t) for t in wanted)}, found {value!r}"
    elif kind == "required":
        missing = re.match(r"'(.*)' is a required property", error.message)
        yield path, f"missing required key {missing.group(1)!r}" if missing else error.message
    elif kind == "format" and expected == "date":
        yield path, _date_wording(value)
    else:
        yield path, error.message
