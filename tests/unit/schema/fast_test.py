"""The compiled schema check gives jsonschema's verdict, document for document.

Compared with ``Draft202012Validator(..., format_checker=FORMAT_CHECKER)`` on generated
manifests, on those manifests mutated at random (wrong types, bad dates, unknown keys, missing
required keys), on random schemas built from every keyword the compiler knows, and per format.
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from bench import gen_corpus
from govcheck.load.yaml import load_all
from govcheck.resources import schema
from govcheck.schema import fast as _fastschema
from govcheck.schema import formats as _formats

SCHEMAS = ("pilot-manifest", "policy-pack", "waivers", "config", "findings")
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def jsonschema_says(schema_doc: Any, instance: Any) -> bool:
    return bool(
        Draft202012Validator(schema_doc, format_checker=Draft202012Validator.FORMAT_CHECKER).is_valid(
            instance
        )
    )


@pytest.fixture(scope="module")
def manifests(tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    out = tmp_path_factory.mktemp("corpus")
    gen_corpus.main(["60", str(out)])
    return [load_all(p.read_text(encoding="utf-8"), p.name)[0].data for p in sorted(out.glob("*.yaml"))]


@pytest.mark.parametrize("name", SCHEMAS)
def test_the_shipped_schemas_compile(name: str) -> None:
    _fastschema.compile_schema(schema(name))


def test_generated_manifests_get_the_same_verdict(manifests: list[Any]) -> None:
    check = _fastschema.compile_schema(schema("pilot-manifest"))
    assert [check(d) for d in manifests] == [jsonschema_says(schema("pilot-manifest"), d) for d in manifests]


odd_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([0.0, 1.0, 0.5, -1.5, 2.0, math.inf, math.nan, 10**20]),
    st.sampled_from(
        [
            "",
            "x",
            "2026-01-31",
            "2026-02-30",
            "2026-1-31",
            "2026-01-31\n",
            "a@b",
            "no-at",
            "approved",
            "pilot",
            "retired",
            "moderate",
            "govcheck/v1",
            "AIPilot",
            "https://x.example/a b",
            "x-note",
        ]
    ),
    st.text(max_size=8),
    st.lists(st.sampled_from(["a", 1, None]), max_size=3),
    st.dictionaries(
        st.sampled_from(["name", "x-extra", "unknown", "baseline"]),
        st.sampled_from([1, "v", None]),
        max_size=2,
    ),
)


def _paths(node: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [at]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, at + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, at + (i,))
    return out


def _mutate(doc: Any, draw: Any) -> Any:
    doc = copy.deepcopy(doc)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(doc)[1:]))
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["set", "delete", "add"]))
        if action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["x-note", "unknown", "name", "kind", "phi"]))] = draw(odd_values)
        else:
            parent[path[-1]] = draw(odd_values)
        if not isinstance(doc, dict):
            break
    return doc


@SETTINGS
@given(st.data())
def test_mutated_manifests_get_the_same_verdict(manifests: list[Any], data: st.DataObject) -> None:
    doc = _mutate(data.draw(st.sampled_from(manifests)), data.draw)
    assert _fastschema.compile_schema(schema("pilot-manifest"))(doc) == jsonschema_says(
        schema("pilot-manifest"), doc
    )


@SETTINGS
@given(st.data())
def test_mutated_packs_get_the_same_verdict(data: st.DataObject) -> None:
    pack = load_all(
        (Path(__file__).parents[3] / "bench/pack/pack.yaml").read_text(encoding="utf-8"), "pack.yaml"
    )[0].data
    doc = _mutate(pack, data.draw)
    assert _fastschema.compile_schema(schema("policy-pack"))(doc) == jsonschema_says(
        schema("policy-pack"), doc
    )


def _schemas(leaf: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    scalars = st.sampled_from([None, True, False, 0, 1, 1.0, 2.5, "a", "b", ""])
    keyword = st.one_of(
        st.tuples(
            st.just("type"),
            st.one_of(
                st.sampled_from(list(_fastschema._TYPES)),
                st.lists(st.sampled_from(list(_fastschema._TYPES)), min_size=1, max_size=3),
            ),
        ),
        st.tuples(st.just("enum"), st.lists(scalars, min_size=1, max_size=4)),
        st.tuples(st.just("const"), scalars),
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
        st.tuples(st.just("pattern"), st.sampled_from(["^a", "b$", "x-"])),
        st.tuples(st.just("uniqueItems"), st.booleans()),
        st.tuples(st.just("format"), st.sampled_from(["date", "email", "uri"])),
        st.tuples(st.just("required"), st.lists(st.sampled_from(["a", "b"]), unique=True, max_size=2)),
        st.tuples(st.just("items"), leaf),
        st.tuples(st.just("contains"), leaf),
        st.tuples(st.sampled_from(["minContains", "maxContains"]), st.integers(0, 2)),
        st.tuples(st.just("not"), leaf),
        st.tuples(st.sampled_from(["anyOf", "oneOf", "allOf"]), st.lists(leaf, min_size=1, max_size=3)),
        st.tuples(
            st.just("properties"), st.dictionaries(st.sampled_from(["a", "b", "x-a"]), leaf, max_size=2)
        ),
        st.tuples(
            st.just("patternProperties"), st.dictionaries(st.sampled_from(["^x-", "b"]), leaf, max_size=2)
        ),
        st.tuples(st.just("additionalProperties"), leaf),
        st.tuples(st.just("if"), leaf),
        st.tuples(st.sampled_from(["then", "else"]), leaf),
    )
    return st.lists(keyword, max_size=3).map(dict)


schemas = st.recursive(st.one_of(st.booleans(), st.just({})), _schemas, max_leaves=6)
instances = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-2, 2),
        st.sampled_from([1.0, 1.5, math.nan]),
        st.sampled_from(["", "a", "ab", "b", "x-a", "2026-01-31", "2026-13-01", "a@b", "ab"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["a", "b", "x-a", "c"]), inner, max_size=3),
    ),
    max_leaves=8,
)


def decided(schema_doc: Any, instance: Any) -> bool | None:
    """The compiled verdict, or None where the compiled check leaves the document to jsonschema."""
    try:
        return _fastschema._Compiler(schema_doc).compile(schema_doc)(instance)
    except _fastschema._Undecided:
        return None


@settings(max_examples=1500, deadline=None)
@given(schemas, instances)
def test_every_keyword_gives_jsonschema_s_verdict(schema_doc: Any, instance: Any) -> None:
    verdict = decided(schema_doc, instance)
    assert verdict in (None, jsonschema_says(schema_doc, instance)), json.dumps(schema_doc)
    assert _fastschema.compile_schema(schema_doc)(instance) is bool(verdict)


@pytest.mark.parametrize(
    ("schema_doc", "instance"),
    [
        ({"minimum": 0}, math.nan),
        ({"maximum": 0}, math.nan),
        ({"exclusiveMinimum": 0}, math.nan),
        ({"exclusiveMaximum": 0}, math.nan),
        ({"minimum": 1}, True),
        ({"type": "integer"}, 2.0),
        ({"type": "integer"}, True),
        ({"type": "number"}, False),
        ({"const": 1}, True),
        ({"const": 1}, 1.0),
        ({"enum": [True]}, 1),
        ({"enum": ["a", 1]}, 1.0),
        ({"properties": {"b": {"type": "string"}}, "patternProperties": {"b": {"minLength": 2}}}, {"b": "x"}),
        (
            {"properties": {"b": {"type": "string"}}, "patternProperties": {"b": {"minLength": 2}}},
            {"b": "xy"},
        ),
        ({"patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": False}, {"x-a": 1}),
        ({"patternProperties": {"^x-": {}}, "additionalProperties": False}, {"y": 1}),
        ({"oneOf": [{"type": "string"}, {"minLength": 1}]}, "a"),
        ({"oneOf": [{"type": "string"}, {"minLength": 1}]}, ""),
        ({"if": {"type": "string"}, "then": {"minLength": 2}, "else": {"type": "null"}}, "a"),
        ({"if": {"type": "string"}, "then": {"minLength": 2}, "else": {"type": "null"}}, 1),
        ({"items": False}, []),
        ({"items": False}, [1]),
        ({"not": {"type": "null"}}, None),
        # contains: at least one match by default, minContains 0 lets an empty list pass,
        # maxContains counts every match, and minContains alone does nothing
        ({"contains": {"maximum": 24}}, []),
        ({"contains": {"maximum": 24}}, [48, 12]),
        ({"contains": {"maximum": 24}}, [48]),
        ({"contains": {"maximum": 24}}, "not a list"),
        ({"contains": {"maximum": 24}, "minContains": 0}, []),
        ({"contains": {"maximum": 24}, "minContains": 2}, [1, 48, 2]),
        ({"contains": {"maximum": 24}, "maxContains": 1}, [1, 2]),
        ({"contains": {"maximum": 24}, "maxContains": 1}, [1, 48]),
        ({"minContains": 2}, []),
        ({"maxContains": 0}, [1]),
    ],
)
def test_keyword_edge_cases(schema_doc: Any, instance: Any) -> None:
    assert decided(schema_doc, instance) == jsonschema_says(schema_doc, instance)


def test_refs_including_recursive_ones() -> None:
    tree = {
        "$defs": {
            "node": {
                "type": "object",
                "properties": {"kids": {"type": "array", "items": {"$ref": "#/$defs/node"}}},
                "additionalProperties": False,
            }
        },
        "$ref": "#/$defs/node",
    }
    for doc in ({"kids": [{"kids": []}]}, {"kids": [{"kid": []}]}, {"kids": [1]}):
        assert _fastschema.compile_schema(tree)(doc) == jsonschema_says(tree, doc)


@pytest.mark.parametrize(
    "schema_doc",
    [
        {"$ref": "other.json"},
        {"prefixItems": []},
        {"const": [1]},
        {"type": "decimal"},
        {"properties": {"a": {"$id": "urn:x"}}},
    ],
)
def test_what_is_not_compiled_is_refused(schema_doc: Any) -> None:
    with pytest.raises(_fastschema.Unsupported):
        _fastschema.compile_schema(schema_doc)


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(
        st.text(max_size=12),
        st.sampled_from(
            [
                "2026-01-31",
                "2026-02-29",
                "2024-02-29",
                "0000-01-01",
                "2026-01-31 ",
                "https://a.example/x y",
                "mailto:a@b",
                "a@",
                "",
            ]
        ),
        st.integers(),
        st.none(),
    )
)
def test_formats_answer_as_jsonschema_s_checker(value: Any) -> None:
    for name in ("date", "email", "idn-email", "uri", "uri-reference"):
        assert _formats.check(name)(value) == Draft202012Validator.FORMAT_CHECKER.conforms(value, name), name


def test_a_document_that_cannot_be_decided_goes_to_jsonschema() -> None:
    check = _fastschema.compile_schema({"uniqueItems": True})
    assert check(["a", "b"]) and not check(["a", "a"])
    assert check([1, 2]) is False  # not decided here: validate.problems runs jsonschema, which finds nothing
