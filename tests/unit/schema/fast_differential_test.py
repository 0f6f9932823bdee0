"""The compiled schema check and jsonschema never disagree, on the shipped schemas and on pack fragments.

For every generated (schema, instance): where the compiled check decides, its verdict is
``Draft202012Validator(..., format_checker=FORMAT_CHECKER).is_valid``. A pack's fragment is
also checked the way the ``schema`` check runs it (patterns on ``schema.regex``, on the fast
path and when jsonschema words the failure), against stock jsonschema on ``re``.
"""

from __future__ import annotations

import copy
import json
import math
import re
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from govcheck.resources import schema
from govcheck.schema import fast as _fastschema
from govcheck.schema import regex as _regex
from govcheck.schema import validate

SHIPPED = ("pilot-manifest", "policy-pack", "waivers", "config", "findings", "portfolio")
SETTINGS = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Texts that tell patterns apart: case, Unicode digits and letters, a final newline.
WORDS = [
    "",
    "a",
    "aa",
    "ab",
    "b",
    "x",
    "X",
    "x-a",
    "dept",
    "DEPT",
    "foo",
    "k",
    "\u212a",
    "é",
    "12",
    "٣",
    "a\n",
]
KEYS = ["a", "b", "aa", "x", "X", "x-a", "dept", "DEPT", "foo", "k", "\u212a", "é", "٣", "a\n"]
WORDS += ["aaaa!", "2026-01-31", "2026-02-30", "a@b", "approved", "govcheck/v1"]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 3),
    st.sampled_from([0.0, 1.0, 1.5, -1.5, math.inf, math.nan, 10**20]),
    st.sampled_from(WORDS),
    st.text(max_size=5),
)
odd = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(WORDS), inner, max_size=3)
    ),
    max_leaves=6,
)


def jsonschema_says(schema_doc: Any, instance: Any) -> bool | str:
    """jsonschema's verdict, or the name of the error it raises."""
    try:
        validator = Draft202012Validator(schema_doc, format_checker=Draft202012Validator.FORMAT_CHECKER)
        return bool(validator.is_valid(instance))
    except Exception as exc:  # the pattern jsonschema builds from patternProperties can be invalid
        return type(exc).__name__


def decided(schema_doc: Any, instance: Any, search: Any = _fastschema._re_search) -> bool | None:
    """The compiled verdict, or None where the compiled check leaves the instance to jsonschema."""
    try:
        return _fastschema._Compiler(schema_doc, search).compile(schema_doc)(instance)
    except (_fastschema._Undecided, _fastschema.Unsupported):
        return None


def assert_agree(schema_doc: Any, instance: Any) -> None:
    expected = jsonschema_says(schema_doc, instance)
    where = json.dumps(schema_doc, ensure_ascii=False, default=str)
    verdict = decided(schema_doc, instance)
    if isinstance(expected, str):
        assert not verdict, f"jsonschema raises {expected}, the compiled check passes: {where}"
    else:
        assert verdict in (None, expected), f"{where} on {instance!r}: jsonschema says {expected}"
    try:
        validate.fast_check(schema_doc)
    except ValueError:
        return  # a pack with this fragment does not load
    assert not isinstance(expected, str), f"a pack fragment jsonschema cannot run was accepted: {where}"
    assert decided(schema_doc, instance, _regex.searcher) in (None, expected), f"pack: {where}"
    assert validate.build_validator(schema_doc).is_valid(instance) is expected, f"pack wording: {where}"


# Shipped schemas, with instances drawn from the schema itself and changed at random


def _resolve(root: Any, ref: str) -> Any:
    node = root
    for part in ref[2:].split("/") if ref != "#" else ():
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _strings(node: dict[str, Any]) -> st.SearchStrategy[Any]:
    if node.get("format") == "date":
        valid = st.dates().map(str)
        return st.one_of(valid, valid, st.sampled_from(["2026-02-30", "2026-1-31", "2026-01-31\n"]))
    if isinstance(node.get("pattern"), str):
        return st.one_of(st.from_regex(node["pattern"]), st.sampled_from(["x\n", "", *KEYS]))
    return st.one_of(st.sampled_from(WORDS), st.text(max_size=6))


def from_schema(
    root: Any, node: Any, depth: int = 0, keys: tuple[str, ...] = ("x-note",)
) -> st.SearchStrategy[Any]:
    """Instances shaped by ``node``, mostly valid; anything at all where it gives no shape.

    ``keys`` are the names tried for keys the schema does not list.
    """
    if depth > 6 or not isinstance(node, dict):
        return odd

    def sub(schema_doc: Any) -> st.SearchStrategy[Any]:
        return st.deferred(lambda: from_schema(root, schema_doc, depth + 1, keys))

    if "$ref" in node:
        return sub(_resolve(root, node["$ref"]))
    if "enum" in node:
        return st.sampled_from(node["enum"])
    if "const" in node:
        return st.just(node["const"])
    types = node.get("type", [])
    types = [types] if isinstance(types, str) else types
    options: list[st.SearchStrategy[Any]] = []
    if "object" in types or "properties" in node or "required" in node or "patternProperties" in node:
        props = node.get("properties", {})
        required = [k for k in node.get("required", ()) if isinstance(k, str)]
        listed = {k: sub(v) for k, v in props.items()}
        unlisted = {}
        for key in keys:
            if key in props or key in required:
                continue
            matching = [v for p, v in node.get("patternProperties", {}).items() if re.search(p, key)]
            additional = node.get("additionalProperties", True)
            if matching or additional is not False or keys != ("x-note",):
                unlisted[key] = sub(matching[0] if matching else additional)
        options.append(
            st.fixed_dictionaries(
                {k: listed.get(k, odd) for k in required},
                optional={**unlisted, **{k: s for k, s in listed.items() if k not in required}},
            )
        )
    else:
        for word in ("anyOf", "oneOf", "allOf"):
            options += [sub(each) for each in node.get(word, ())]
        if "then" in node:
            options.append(sub(node["then"]))
    if "array" in types or "items" in node or "contains" in node:
        options.append(st.lists(sub(node.get("items", node.get("contains", True))), max_size=3))
    if "string" in types:
        options.append(_strings(node))
    if "integer" in types or "number" in types:
        options.append(st.one_of(st.integers(-1, 400), st.sampled_from([0.5, 1.0, 100.0])))
    if "boolean" in types:
        options.append(st.booleans())
    if "null" in types:
        options.append(st.none())
    return st.one_of(*options) if options else odd


def _paths(node: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [at]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, at + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, at + (i,))
    return out


@st.composite
def mutated(draw: Any, base: st.SearchStrategy[Any]) -> Any:
    """A drawn instance with a few values set, keys added or keys deleted anywhere in it."""
    doc = copy.deepcopy(draw(base))
    for _ in range(draw(st.integers(0, 2))):
        path = draw(st.sampled_from(_paths(doc)[1:] or [()]))
        if not path:
            return draw(odd)
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["set", "delete", "add"]))
        if action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["x-note", "unknown", "name", "kind", *KEYS]))] = draw(odd)
        else:
            parent[path[-1]] = draw(odd)
    return doc


@cache
def _shipped(name: str) -> st.SearchStrategy[Any]:
    root = schema(name)
    return mutated(from_schema(root, root))


@pytest.mark.parametrize("name", SHIPPED)
def test_the_shipped_schemas_compile(name: str) -> None:
    _fastschema.compile_schema(schema(name))


@pytest.mark.parametrize("name", SHIPPED)
@SETTINGS
@given(data=st.data())
def test_shipped_schemas_on_instances_drawn_from_them(name: str, data: st.DataObject) -> None:
    instance = data.draw(_shipped(name))
    expected = jsonschema_says(schema(name), instance)
    assert decided(schema(name), instance) in (None, expected), json.dumps(instance, default=str)
    assert validate.surely_valid(name)(instance) is (decided(schema(name), instance) is True)


# Generated fragments: the keywords a pack's schema check uses, $ref inside the fragment too

PATTERNS = ["^a", "b$", "x-", "^a$", "^(a)\\1$", "(?i)^dept$", "^x$", "", "^\\d+$", "\\bfoo", "(?i)k"]
PATTERNS += ["^(a+)+$", "é", "(b)", "[^a]", "(?P<n>a)", "^\\w+$", "^[a-z]*\\Z"]
refs = st.sampled_from([{"$ref": "#/$defs/d0"}, {"$ref": "#/$defs/d1"}])


def _keywords(leaf: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    types = list(_fastschema._TYPES)
    values = st.sampled_from([None, True, False, 0, 1, 1.0, 2.5, "a", "aa", "", "x"])
    keyword = st.one_of(
        st.tuples(
            st.just("type"),
            st.one_of(st.sampled_from(types), st.lists(st.sampled_from(types), min_size=1, max_size=3)),
        ),
        st.tuples(st.just("enum"), st.lists(values, min_size=1, max_size=4)),
        st.tuples(st.just("const"), values),
        st.tuples(
            st.sampled_from(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]),
            st.sampled_from([0, 1, 1.5]),
        ),
        st.tuples(
            st.sampled_from(
                ["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"]
            ),
            st.integers(0, 2),
        ),
        st.tuples(st.just("pattern"), st.sampled_from(PATTERNS)),
        st.tuples(st.just("format"), st.sampled_from(["date", "email", "uri", "regex", "ipv4"])),
        st.tuples(st.just("required"), st.lists(st.sampled_from(KEYS[:4]), unique=True, max_size=2)),
        st.tuples(st.just("uniqueItems"), st.booleans()),
        st.tuples(st.just("items"), leaf),
        st.tuples(st.just("contains"), leaf),
        st.tuples(st.sampled_from(["minContains", "maxContains"]), st.integers(0, 2)),
        st.tuples(st.just("not"), leaf),
        st.tuples(st.sampled_from(["anyOf", "oneOf", "allOf"]), st.lists(leaf, min_size=1, max_size=3)),
        st.tuples(st.just("properties"), st.dictionaries(st.sampled_from(KEYS[:6]), leaf, max_size=2)),
        st.tuples(st.just("patternProperties"), st.dictionaries(st.sampled_from(PATTERNS), leaf, max_size=3)),
        st.tuples(st.just("additionalProperties"), leaf),
        st.tuples(st.just("if"), leaf),
        st.tuples(st.sampled_from(["then", "else"]), leaf),
    )
    return st.lists(keyword, max_size=4).map(dict)


plain = st.recursive(st.one_of(st.booleans(), st.just({})), _keywords, max_leaves=5)
body = st.recursive(st.one_of(st.booleans(), st.just({}), refs), _keywords, max_leaves=6)
fragments = st.builds(
    lambda defs, main: {**main, "$defs": defs} if isinstance(main, dict) else main,
    st.fixed_dictionaries({"d0": plain, "d1": plain}),
    body,
)
instances = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-2, 2),
        st.sampled_from([1.0, 1.5, math.nan]),
        st.sampled_from(WORDS + ["127.0.0.1", "(", "[a-"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(KEYS), inner, max_size=3)
    ),
    max_leaves=8,
)


@SETTINGS
@given(fragments, st.data())
def test_generated_fragments_get_jsonschema_s_verdict(fragment: Any, data: st.DataObject) -> None:
    guided = mutated(from_schema(fragment, fragment, keys=tuple(KEYS)))
    for instance in data.draw(st.lists(st.one_of(guided, guided, instances), min_size=1, max_size=4)):
        assert_agree(fragment, instance)


# Each disagreement found, kept as a case

JOIN = {"additionalProperties": False}


@pytest.mark.parametrize(
    ("fragment", "instance"),
    [
        # jsonschema tells additional keys with the patterns joined by "|": the back-reference
        # \1 then points at (b), so "aa" is additional although ^(a)\1$ matches it
        ({"patternProperties": {"^(b)$": {}, "^(a)\\1$": {}}, **JOIN}, {"aa": 1}),
        ({"patternProperties": {"^(a)\\1$": {}}, **JOIN}, {"aa": 1}),
        # a leading inline flag covers the patterns joined after it: "X" is not additional
        ({"patternProperties": {"(?i)^dept$": {}, "^x$": {}}, **JOIN}, {"X": 1}),
        ({"patternProperties": {"(?i)^dept$": {"type": "string"}}, **JOIN}, {"DEPT": 1}),
        # a lone empty pattern joins to "", which jsonschema takes as no pattern at all
        ({"patternProperties": {"": {"type": "string"}}, **JOIN}, {"a": "s"}),
        ({"patternProperties": {"": {}, "^b": {}}, **JOIN}, {"a": "s"}),
        # an inline flag after the first pattern: the joined pattern is invalid, jsonschema raises
        ({"patternProperties": {"^x$": {}, "(?i)^dept$": {}}, **JOIN}, {"DEPT": 1}),
        ({"patternProperties": {"(?P<n>a)": {}, "(?P<n>b)": {}}, "additionalProperties": True}, {"c": 1}),
        ({"pattern": "^a$"}, "a\n"),
        ({"pattern": "^\\d+$"}, "٣"),
    ],
)
def test_disagreements_found(fragment: Any, instance: Any) -> None:
    assert_agree(fragment, instance)


def test_a_pack_fragment_whose_patterns_cannot_be_joined_is_refused() -> None:
    with pytest.raises(ValueError, match="joins them"):
        validate.fast_check({"patternProperties": {"^x$": {}, "(?i)^dept$": {}}, **JOIN})


@pytest.mark.parametrize(
    "fragment",
    [
        {"pattern": "^(a+)\\1$"},
        {"properties": {"id": {"pattern": "(x+x+)+\\1y"}}},
        {"patternProperties": {"^(?=a)(a+)+$": {}}},
        {"$defs": {"d": {"pattern": "^(a|aa)+\\1$"}}},
        {"patternProperties": {"^(a+)+$": {}}, "unevaluatedProperties": False},
    ],
)
def test_a_pack_fragment_with_an_unsafe_pattern_is_refused(fragment: Any) -> None:
    with pytest.raises(_regex.UnsafePattern):
        validate.fast_check(fragment)


def test_hostile_patterns_in_fragments_run_in_linear_time_on_both_paths() -> None:
    fragment = {
        "properties": {"id": {"pattern": "^(a+)+$"}},
        "patternProperties": {"^(a|aa)+$": {"type": "string"}},
    }
    instance = {"id": "a" * 5000 + "!", "a" * 5000 + "!": 1}
    assert validate.fast_check(fragment)(instance) is False
    errors = list(validate.build_validator(fragment).iter_errors(instance))
    assert [e.validator for e in errors] == ["pattern"]


# The manifest's mixed shapes: approval conditions as text, a list of texts or tracked objects


@pytest.mark.parametrize(
    "conditions",
    [
        "monthly bias report",
        [],
        ["a", "a"],
        [{"condition": "a", "status": "closed", "due": "2026-01-31", "closed_on": "2026-01-30"}],
        ["a", {"condition": "b", "status": "open"}],
        [{"condition": "a", "status": "done"}],
        [{"condition": "a", "due": "2026-02-30"}],
        [{"condition": "a", "owner": "me"}],
        [{"condition": "a", "x-owner": "me"}],
        [1],
        [None, "a"],
        {"condition": "a"},
        7,
    ],
)
def test_the_manifest_s_approval_conditions_get_jsonschema_s_verdict(conditions: Any) -> None:
    root = schema("pilot-manifest")
    doc = {
        "apiVersion": "govcheck/v1",
        "kind": "AIPilot",
        "metadata": {},
        "spec": {"governance": {"approval": {"conditions": conditions}}},
    }
    expected = jsonschema_says(root, doc)
    assert decided(root, doc) is expected
    assert validate.surely_valid("pilot-manifest")(doc) is expected
