"""``explain`` picks jsonschema's best error, worded as jsonschema words it, without jsonschema.

Compared with ``best_match`` over the pack validator's errors (``validate.build_validator``) on
random fragments built from every keyword it explains, on the shipped packs' fragments against
generated manifests, and on the edges of each keyword.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema.exceptions import best_match

from bench import gen_corpus
from govcheck.lang.fieldpath import parse
from govcheck.load.yaml import load_all
from govcheck.schema import explain, validate
from govcheck.schema.regex import searcher

ROOT = Path(__file__).parents[3]
TYPES = ["null", "boolean", "integer", "number", "string", "array", "object"]


def jsonschema_best(fragment: Any, instance: Any) -> tuple[Any, ...] | None:
    error = best_match(validate.build_validator(fragment).iter_errors(instance))
    if error is None:
        return None
    value = error.validator_value
    return (error.message, error.validator, repr(value), repr(error.instance), tuple(error.absolute_path))


def explained(fragment: Any, instance: Any) -> tuple[Any, ...] | None:
    explainer = explain.explainer(fragment, searcher)
    assert explainer is not None, fragment
    error = explainer(instance)
    if error is None:
        return None
    value = error.validator_value
    return (error.message, error.validator, repr(value), repr(error.instance), error.absolute_path)


def _schemas(leaf: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    scalars = st.sampled_from([None, True, False, 0, 1, 1.0, 2.5, "a", "b", ""])
    keyword = st.one_of(
        st.tuples(
            st.just("type"),
            st.one_of(st.sampled_from(TYPES), st.lists(st.sampled_from(TYPES), min_size=1, max_size=3)),
        ),
        st.tuples(st.just("enum"), st.lists(st.one_of(scalars, st.lists(scalars, max_size=2)), max_size=4)),
        st.tuples(st.just("const"), st.one_of(scalars, st.lists(scalars, max_size=2))),
        st.tuples(
            st.sampled_from(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]),
            st.sampled_from([0, 1, 1.5, -1]),
        ),
        st.tuples(
            st.sampled_from(
                ["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"]
            ),
            st.sampled_from([0, 1, 2, 1.0]),
        ),
        st.tuples(st.just("pattern"), st.sampled_from(["^a", "b$", "x-", "^[0-9]+$"])),
        st.tuples(st.just("required"), st.lists(st.sampled_from(["a", "b", "c"]), unique=True, max_size=3)),
        st.tuples(st.just("items"), leaf),
        st.tuples(st.just("contains"), leaf),
        st.tuples(st.sampled_from(["minContains", "maxContains"]), st.integers(0, 2)),
        st.tuples(st.just("not"), leaf),
        st.tuples(st.just("allOf"), st.lists(leaf, min_size=1, max_size=3)),
        st.tuples(
            st.just("properties"), st.dictionaries(st.sampled_from(["a", "b", "x-a"]), leaf, max_size=3)
        ),
        st.tuples(st.just("if"), leaf),
        st.tuples(st.sampled_from(["then", "else"]), leaf),
        st.tuples(st.sampled_from(["title", "description"]), st.just("words")),
    )
    return st.lists(keyword, max_size=4).map(dict)


schemas = st.recursive(st.one_of(st.booleans(), st.just({})), _schemas, max_leaves=8)
instances = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-2, 2),
        st.sampled_from([0.0, 1.0, 1.5, -1.5, math.nan, math.inf]),
        st.sampled_from(["", "a", "ab", "b", "x-a", "12", "abc"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["a", "b", "x-a", "c"]), inner, max_size=3),
    ),
    max_leaves=10,
)


@settings(max_examples=3000, deadline=None)
@given(schemas, instances)
def test_every_keyword_gives_jsonschema_s_best_error(fragment: Any, instance: Any) -> None:
    assert explained(fragment, instance) == jsonschema_best(fragment, instance)


def _fragments() -> list[tuple[str, dict[str, Any]]]:
    """Every ``schema`` check's target and fragment in the packs this repository ships."""
    packs = [*sorted((ROOT / "policies").glob("*/pack.yaml")), ROOT / "bench/pack/pack.yaml"]
    packs += sorted((ROOT / "plugins").glob("*/src/*/packs/*/pack.yaml"))
    out = []
    for pack in packs:
        for rule in load_all(pack.read_text(encoding="utf-8"), pack.name)[0].data.get("rules", []):
            check = rule["check"]
            if "schema" in check:
                per_tier = set(check["is"]) <= {"low", "moderate", "high", "critical"}
                fragments = check["is"] if per_tier else {"": check["is"]}
                out += [(check["schema"], f) for f in fragments.values()]
    return out


def test_the_shipped_fragments_are_explained_as_jsonschema_explains_them(tmp_path: Path) -> None:
    gen_corpus.main(["80", str(tmp_path)])
    docs = [load_all(p.read_text(encoding="utf-8"), p.name)[0].data for p in sorted(tmp_path.glob("*.yaml"))]
    fragments = _fragments()
    assert len(fragments) > 20
    compared = 0
    for target, fragment in fragments:
        for doc in docs:
            for _, value in parse(target).resolve(doc):
                assert explained(fragment, value) == jsonschema_best(fragment, value), (target, fragment)
                compared += 1
    assert compared > 1000


@pytest.mark.parametrize(
    ("fragment", "instance"),
    [
        ({"type": "integer"}, 2.0),
        ({"type": ["integer", "string"]}, 1.5),
        ({"minimum": 1}, True),
        ({"minimum": 1}, math.nan),
        ({"exclusiveMaximum": 0}, 0),
        ({"const": 1}, True),
        ({"const": [1]}, [True]),
        ({"enum": [[1, "a"], 2]}, [1.0, "a"]),
        ({"enum": [{"a": 1}]}, {"a": True}),
        ({"minLength": 1}, ""),
        ({"maxItems": 0}, [1]),
        ({"minProperties": 1}, {}),
        ({"items": False}, [1]),
        ({"items": False}, [1, 2]),
        ({"contains": {"maximum": 24}}, [48]),
        ({"contains": {"maximum": 24}, "minContains": 2}, [1, 48]),
        ({"contains": {"maximum": 24}, "maxContains": 1}, [1, 2]),
        ({"not": {"type": "null"}}, None),
        ({"if": {"type": "string"}, "then": {"minLength": 2}, "else": {"type": "null"}}, "a"),
        ({"if": {"type": "string"}, "then": {"minLength": 2}, "else": {"type": "null"}}, 1),
        ({"properties": {"a": False}}, {"a": 1}),
        # Errors at one depth: the path that sorts last wins, then one not of its schema's type.
        ({"properties": {"a": {"type": "string"}, "b": {"minimum": 3}}}, {"a": 1, "b": 1}),
        ({"type": "object", "required": ["a"], "properties": {"b": {"type": "string"}}}, {"b": 1}),
        ({"allOf": [{"type": "string"}, {"minLength": 3}]}, 12),
    ],
)
def test_keyword_edge_cases(fragment: Any, instance: Any) -> None:
    assert explained(fragment, instance) == jsonschema_best(fragment, instance)


@pytest.mark.parametrize(
    "fragment",
    [
        {"$ref": "#/$defs/x", "$defs": {"x": {}}},
        {"anyOf": [{"type": "string"}]},
        {"oneOf": [{"type": "string"}]},
        {"format": "date"},
        {"properties": {"a": {"additionalProperties": False}}},
        {"prefixItems": [{}]},
        {"uniqueItems": True},
        {"type": "decimal"},
        {"items": [{}]},
        {"x-custom": 1},
    ],
)
def test_what_is_not_explained_is_left_to_jsonschema(fragment: Any) -> None:
    assert explain.explainer(fragment, searcher) is None
