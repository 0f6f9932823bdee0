"""The fast composer and builder read YAML exactly as ruamel's stock safe composer would.

``_yamlc.Loader`` resolves tags with shared objects and ``composed.Builder`` takes plain strings
inline; both are compared here with a reference: ruamel's ``CSafeLoader`` nodes turned into
data by the straightforward builder below (every node through one function, tags read as text).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml.cyaml import CSafeLoader
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bench import gen_corpus
from govcheck.load import composed
from govcheck.load import composer as _yamlc
from govcheck.load.yaml import MAX_DEPTH, MAX_NODES, ParseError, load_all

T = "tag:yaml.org,2002:"


class _Reference:
    def __init__(self) -> None:
        self.count = 0

    def fail(self, node: Node, message: str) -> ParseError:
        return ParseError("f.yaml", node.start_mark.line + 1, node.start_mark.column + 1, message)

    def build(self, node: Node, depth: int = 0) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(
                node, f"more than {MAX_NODES:,} values (aliases included); refusing a possible alias bomb"
            )
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nested deeper than {MAX_DEPTH} levels")
        if isinstance(node, ScalarNode):
            return composed.Builder("f.yaml").scalar(node)
        kind = "seq" if isinstance(node, SequenceNode) else "map"
        if node.tag != T + kind:
            raise self.fail(
                node, f"unsupported YAML tag {composed._short(node.tag)}; govcheck reads plain YAML only"
            )
        if kind == "seq":
            return [self.build(item, depth + 1) for item in node.value]
        out: dict[str, Any] = {}
        for key, value in composed.merged_pairs(node):
            if not isinstance(key, ScalarNode):
                raise self.fail(key, "a mapping key must be a plain scalar")
            if str(key.value) in out:
                raise self.fail(
                    key, f"duplicate key {str(key.value)!r}; a repeated key hides the earlier value"
                )
            out[str(key.value)] = self.build(value, depth + 1)
        return out


def _stock_nodes(text: str) -> list[Node]:
    loader = CSafeLoader(text)
    try:
        nodes = []
        while loader.check_node():
            nodes.append(loader.get_node())
        return nodes
    finally:
        loader.dispose()


def outcome(load: Any, text: str) -> Any:
    try:
        return repr(load(text))
    except ParseError as exc:
        return (exc.line, exc.column, exc.message)
    except MarkedYAMLError:
        return "invalid YAML"


def fast(text: str) -> Any:
    try:
        return [d.data for d in load_all(text, "f.yaml")]
    except ParseError as exc:
        if exc.message.startswith("invalid YAML"):
            raise MarkedYAMLError() from None
        raise


def reference(text: str) -> Any:
    return [_Reference().build(node) for node in _stock_nodes(text)]


def same_tags(a: Node, b: Node) -> None:
    assert (type(a), a.tag, a.value if isinstance(a, ScalarNode) else None) == (
        type(b),
        b.tag,
        b.value if isinstance(b, ScalarNode) else None,
    )
    if isinstance(a, SequenceNode):
        for x, y in zip(a.value, b.value, strict=True):
            same_tags(x, y)
    elif isinstance(a, MappingNode):
        for (k1, v1), (k2, v2) in zip(a.value, b.value, strict=True):
            same_tags(k1, k2)
            same_tags(v1, v2)


SNIPPETS = [
    "a:",
    " b",
    "- ",
    "[",
    "]",
    "{",
    "}",
    "&x ",
    "*x",
    "!!str ",
    "!!int ",
    "!!float ",
    "!!bool ",
    "!!null ",
    "!!merge ",
    "!t ",
    "! ",
    "? ",
    "---\n",
    "'",
    '"',
    "\n",
    "  ",
    "<<: ",
    "#",
    "|\n",
    "%YAML 1.2\n",
    "0x1F",
    "1_000",
    "2026-01-31",
    ".inf",
    "-.NaN",
    "0o17",
    "+12",
    "1e3",
    "true",
    "False",
    "NULL",
    "~",
    "=",
    ": ",
    ", ",
    "yes",
    "on",
    "0b101",
    "!!seq ",
    "!!map ",
    "!!timestamp ",
]
yaml_soup = st.lists(st.sampled_from(SNIPPETS), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(yaml_soup)
def test_random_yaml_loads_as_the_reference_does(text: str) -> None:
    assert outcome(fast, text) == outcome(reference, text)


@pytest.mark.parametrize(
    "text",
    [
        "a: yes\nb: true\nc: 0x1F\nd: 1_000\ne: 2.5\nf: ~\ng: 2026-01-31\n"
        "h: '12'\ni: .inf\nj: =\nk: ''\nl:\n",
        "base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n",
        "b: {<<: [{a: 1}, {a: 2}], y: 2}\n",
        "a: !!str 12\nb: !!int '7'\nc: !!float 1\nd: !!merge x\n",
        "self: &s {<<: *s}\n",
        "a: &a [*a]\n",
    ],
)
def test_edge_cases_load_as_the_reference_does(text: str) -> None:
    assert outcome(fast, text) == outcome(reference, text)


def _bomb(leaf: str) -> str:
    lines = [f"a: &a [{','.join([leaf] * 9)}]"]
    for prev, name in zip("abcdef", "bcdefg", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "text",
    [
        "[" * MAX_DEPTH + "x" + "]" * MAX_DEPTH,
        "[" * (MAX_DEPTH + 1) + "x" + "]" * (MAX_DEPTH + 1),
        "{a: " * MAX_DEPTH + "x" + "}" * MAX_DEPTH,
        "{a: " * (MAX_DEPTH + 1) + "x" + "}" * (MAX_DEPTH + 1),
        _bomb("x"),
        _bomb("1"),
    ],
)
def test_limits_apply_to_inline_strings_as_to_every_value(text: str) -> None:
    assert outcome(fast, text) == outcome(reference, text)


def test_a_merged_mapping_with_a_non_scalar_key_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="mapping key must be a plain scalar"):
        load_all("b: {<<: {[x]: 1}, y: 2}\n", "f.yaml")


def test_generated_manifests_compose_to_the_same_tags_and_data(tmp_path: Path) -> None:
    gen_corpus.main(["40", str(tmp_path)])
    for path in sorted(tmp_path.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        loader = _yamlc.Loader(text)
        try:
            same_tags(loader.get_single_node(), _stock_nodes(text)[0])
        finally:
            loader.dispose()
        assert outcome(fast, text) == outcome(reference, text)
