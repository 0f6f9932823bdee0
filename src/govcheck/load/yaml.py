"""All YAML that govcheck reads goes through this module.

Safety and speed come from the same choice: nodes are composed by ruamel's C extension
(positions on every node, about 20x faster than the round-trip loader) and turned into plain
Python values here, by our own code, so no YAML tag can construct an object or run code.
Dates stay strings (JSON Schema validates them as ``format: date``); checks that need a date
parse it themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from govcheck.load.composer import MAP_TAG, SEQ_TAG, STR_TAG, tag_text
from govcheck.load.composer import Loader as _Loader
from govcheck.model import DocPath, PathPart

MAX_BYTES = 1 << 20  # a manifest is a few KiB; 1 MiB leaves room and bounds the work
MAX_NODES = 100_000  # counts nodes reached through aliases too: bounds alias bombs
MAX_DEPTH = 64

_T = "tag:yaml.org,2002:"
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_FLOAT_SPECIAL = {".inf": float("inf"), "+.inf": float("inf"), "-.inf": float("-inf"), ".nan": float("nan")}
# Files with more collection openers than this could nest deep enough to exhaust the C stack
# while composing (about 30,000 levels), so their nesting is measured first.
_NESTING_RISK = 4_000


@dataclass(frozen=True)
class ParseError(Exception):
    """A YAML file that cannot be read safely; located where the problem is."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


@dataclass(frozen=True)
class Document:
    """One YAML document: plain data plus the composed nodes that know every position."""

    file: str
    index: int
    data: Any
    node: Node

    def locate(self, path: DocPath) -> tuple[int, int, DocPath]:
        """Line and column (1-based) of ``path``, or of its closest existing parent.

        Returns the part of ``path`` that exists, so callers can say where they point.
        """
        node, mark_node, found = self.node, self.node, 0
        for part in path:
            child_key, child = _child(node, part)
            if child is None:
                break
            # A key's own line is where a reviewer looks; block values start a line later.
            mark_node = child_key if child_key is not None else child
            node, found = child, found + 1
        mark = mark_node.start_mark
        return mark.line + 1, mark.column + 1, path[:found]


def _child(node: Node, part: PathPart) -> tuple[Node | None, Node | None]:
    if isinstance(node, MappingNode) and isinstance(part, str):
        for key, value in reversed(_merged_pairs(node)):
            if isinstance(key, ScalarNode) and key.value == part:
                return key, value
    elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return None, node.value[part]
    return None, None


def read_text(file: str, raw: bytes) -> str:
    """Decode a file's bytes as UTF-8 (a BOM is allowed), bounded in size."""
    if len(raw) > MAX_BYTES:
        raise ParseError(
            file,
            1,
            1,
            f"file is {len(raw):,} bytes; govcheck reads YAML files of at most {MAX_BYTES:,} bytes",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ParseError(
            file, line, col, f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        ) from None


def load_all(text: str, file: str) -> list[Document]:
    """Every document of a YAML stream, as plain data with positions."""
    nodes = _compose_all(text, file)
    return [Document(file, i, _Builder(file).build(node), node) for i, node in enumerate(nodes)]


def _compose_all(text: str, file: str) -> list[Node]:
    if text.count("[") + text.count("{") + text.count("- ") + text.count("? ") > _NESTING_RISK:
        _check_nesting(text, file)
    return _compose(text, file)


def _check_nesting(text: str, file: str) -> None:
    """Refuse deep nesting from parser events, before composing could exhaust the C stack."""
    loader = _Loader(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise ParseError(
                        file, mark.line + 1, mark.column + 1, f"nested deeper than {MAX_DEPTH} levels"
                    )
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except MarkedYAMLError:
        pass  # composing reports the syntax error with its position
    finally:
        loader.dispose()


def _compose(text: str, file: str) -> list[Node]:
    loader = _Loader(text)
    try:
        nodes = []
        while loader.check_node():
            nodes.append(loader.get_node())
        return nodes
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        what = " ".join(p for p in (exc.context, exc.problem) if p)
        raise ParseError(file, line, col, f"invalid YAML: {what}") from None
    except YAMLError as exc:
        raise ParseError(file, 1, 1, f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()


class _Builder:
    """Turns composed nodes into plain data, refusing unsafe or unbounded input."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.count = 0

    def fail(self, node: Node, message: str) -> ParseError:
        return ParseError(self.file, node.start_mark.line + 1, node.start_mark.column + 1, message)

    def build(self, node: Node, depth: int = 0) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(
                node, f"more than {MAX_NODES:,} values (aliases included); refusing a possible alias bomb"
            )
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nested deeper than {MAX_DEPTH} levels")
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if isinstance(node, SequenceNode):
            if node.ctag is not SEQ_TAG:
                self.expect_tag(node, "seq")
            return self.sequence(node, depth)
        if node.ctag is not MAP_TAG:
            self.expect_tag(node, "map")
        return self.mapping(cast(MappingNode, node), depth)  # composed nodes: scalars, sequences, mappings

    def expect_tag(self, node: Node, kind: str) -> None:
        tag = tag_text(node)
        if tag != _T + kind:
            raise self.fail(node, f"unsupported YAML tag {_short(tag)}; govcheck reads plain YAML only")

    # Plain strings, most of a manifest, are taken inline: the same count and depth limits as
    # build(), without a call per value.

    def sequence(self, node: SequenceNode, depth: int) -> list[Any]:
        out: list[Any] = []
        inline = depth < MAX_DEPTH
        for item in node.value:
            if inline and item.ctag is STR_TAG and self.count < MAX_NODES and item.__class__ is ScalarNode:
                self.count += 1
                out.append(item.value)
            else:
                out.append(self.build(item, depth + 1))
        return out

    def mapping(self, node: MappingNode, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        pairs = node.value
        for key, _ in pairs:
            if key.ctag is not STR_TAG and tag_text(key) == _T + "merge":
                pairs = _merged_pairs(node)
                break
        inline = depth < MAX_DEPTH
        for key, value in pairs:
            if not isinstance(key, ScalarNode):
                raise self.fail(key, "a mapping key must be a plain scalar")
            name = str(key.value)
            if name in out:
                raise self.fail(key, f"duplicate key {name!r}; a repeated key hides the earlier value")
            if inline and value.ctag is STR_TAG and self.count < MAX_NODES and value.__class__ is ScalarNode:
                self.count += 1
                out[name] = value.value
            else:
                out[name] = self.build(value, depth + 1)
        return out

    def scalar(self, node: ScalarNode) -> Any:
        tag, text = tag_text(node), node.value
        if tag in (_T + "str", _T + "timestamp", "!"):
            return text
        if tag == _T + "null":
            return None
        if tag == _T + "bool":
            return _BOOL.get(text, bool(text))
        try:
            if tag == _T + "int":
                return (
                    int(text.replace("_", ""), 0)
                    if text.lstrip("+-")[:2].lower() in ("0x", "0o", "0b")
                    else int(text.replace("_", ""))
                )
            if tag == _T + "float":
                return _FLOAT_SPECIAL.get(text.lower()) or float(text.replace("_", ""))
        except ValueError:
            return text
        raise self.fail(node, f"unsupported YAML tag {_short(tag)}; govcheck reads plain YAML only")


def _merged_pairs(node: MappingNode, seen: frozenset[int] = frozenset()) -> list[tuple[Node, Node]]:
    """Key/value pairs with ``<<`` merge keys expanded (explicit keys win)."""
    seen = seen | {id(node)}
    pairs: list[tuple[Node, Node]] = []
    merged: list[tuple[Node, Node]] = []
    for key, value in node.value:
        if key.ctag is not STR_TAG and tag_text(key) == _T + "merge":
            sources = value.value if isinstance(value, SequenceNode) else [value]
            for src in sources:
                if isinstance(src, MappingNode) and id(src) not in seen:
                    merged.extend(p for p in _merged_pairs(src, seen) if not _has_key(pairs + merged, p[0]))
        else:
            pairs.append((key, value))
    # Only scalar keys can be compared; any other key is refused when the mapping is built.
    explicit = {k.value for k, _ in pairs if isinstance(k, ScalarNode)}
    return [p for p in merged if not (isinstance(p[0], ScalarNode) and p[0].value in explicit)] + pairs


def _has_key(pairs: list[tuple[Node, Node]], key: Node) -> bool:
    return any(k.value == key.value for k, _ in pairs)


def _short(tag: str) -> str:
    return "!!" + tag[len(_T) :] if tag.startswith(_T) else tag
