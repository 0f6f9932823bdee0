"""``_metaschema.vouch`` never vouches for a fragment jsonschema's ``check_schema`` refuses."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from govcheck.load.yaml import load_all
from govcheck.schema import metaschema as _metaschema
from tests.unit.schema.fast_test import schemas as well_formed_schemas

ROOT = Path(__file__).resolve().parents[3]


def accepted(schema: Any) -> bool:
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError:
        return False
    return True


values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 3),
    st.sampled_from([0.0, 1.0, 1.5, -1.0, math.inf]),
    st.sampled_from(["", "string", "object", "strin", "^a", "(", "[a-", "#/$defs/x", "x.json", "#"]),
    st.lists(st.sampled_from(["a", "a", "string", "null", 1]), max_size=3),
)


def _any_schema(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    keys = st.sampled_from(sorted(_metaschema._RULES) + ["$schema", "$id", "prefixItems", "unknown"])
    value = st.one_of(
        values,
        inner,
        st.lists(inner, max_size=2),
        st.dictionaries(st.sampled_from(["a", "^x-", "("]), inner, max_size=2),
    )
    return st.dictionaries(keys, value, max_size=3)


messy_schemas = st.recursive(st.one_of(st.booleans(), st.just({}), values), _any_schema, max_leaves=6)


@settings(max_examples=1500, deadline=None)
@given(messy_schemas)
def test_never_vouches_for_what_check_schema_refuses(schema: Any) -> None:
    if _metaschema.vouch(schema):
        assert accepted(schema)


@settings(max_examples=300, deadline=None)
@given(well_formed_schemas)
def test_vouches_for_well_formed_schemas(schema: Any) -> None:
    assert _metaschema.vouch(schema) == accepted(schema)


@pytest.mark.parametrize(
    "pack",
    sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "policies").glob("*/pack.yaml"))
    + ["bench/pack/pack.yaml"],
)
def test_the_fragments_of_shipped_packs_are_vouched_for(pack: str) -> None:
    data = load_all((ROOT / pack).read_text(encoding="utf-8"), pack)[0].data
    # A pack may take its tiers from a pack it extends (the shared tiering), so the tier names
    # are those of the pack and of every pack next to it that it extends.
    tiers = set(data.get("tiers", ()))
    for parent in data.get("extends", ()):
        parent_file = (ROOT / pack).parent.parent / str(parent) / "pack.yaml"
        if parent_file.is_file():
            tiers |= set(
                load_all(parent_file.read_text(encoding="utf-8"), str(parent_file))[0].data.get("tiers", ())
            )
    fragments = [r["check"]["is"] for r in data.get("rules", []) if "schema" in r.get("check", {})]
    for fragment in fragments:
        per_tier = isinstance(fragment, dict) and fragment and set(fragment) <= tiers
        for one in fragment.values() if per_tier else [fragment]:
            assert _metaschema.vouch(one), one


@pytest.mark.parametrize(
    "schema",
    [
        {"pattern": "("},
        {"patternProperties": {"(": {}}},
        {"minLength": -1},
        {"minLength": 1.5},
        {"minItems": 2.0},
        {"type": []},
        {"type": ["string", "string"]},
        {"type": "strin"},
        {"required": ["a", "a"]},
        {"required": [1]},
        {"allOf": []},
        {"anyOf": {}},
        {"enum": 1},
        {"enum": []},
        {"minimum": True},
        {"uniqueItems": 1},
        {"items": 1},
        {"properties": {"a": 1}},
        {"not": []},
        {"format": 1},
    ],
)
def test_edge_cases_agree_with_check_schema(schema: Any) -> None:
    assert _metaschema.vouch(schema) == accepted(schema)
