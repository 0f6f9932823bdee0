"""The pure-Python route: ruamel's composer, then govcheck's builder, for what the native reader declines.

Every YAML text the native reader (``_yaml.c``) does not take is composed into ruamel nodes
here and built into plain data: parse errors located, anchors and aliases counted towards
``MAX_NODES`` (alias bombs), tags refused, and:

Merge keys (``<<``) follow the YAML merge-key spec, made strict where YAML tools disagree, so
that a manifest means the same to govcheck as to every other tool that reads it:

- a key written in the mapping itself overrides any merged key (the spec; allowed);
- a key repeated within one mapping is a duplicate-key error, and so is a key repeated within
  a mapping that is merged, and a second ``<<`` in one mapping;
- two different keys of the same name that arrive through the merge (``<<: [*a, *b]`` where
  both ``a`` and ``b`` set ``x``, at any depth of merging) are a duplicate-key error unless the
  mapping sets that key itself: the spec lets the earlier source win, but loaders differ;
- the same mapping merged twice, directly or by two routes, brings the same key, not a
  repeated one, and is not an error;
- a mapping merged into itself, or into a mapping it is itself merged into, adds nothing the
  second time round; values that are not mappings merge nothing;
- every pair a merge brings counts towards ``MAX_NODES`` as many times as a loader that copies
  merged pairs would build it, so doubling merges (``<<: [*prev, *prev]``) are refused like an
  alias bomb; merges nested more than ``MAX_DEPTH`` deep are refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, cast

from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from govcheck.load.composer import (
    _ANYWHERE,
    _IMPLICIT,
    MAP_TAG,
    NESTING_RISK,
    SEQ_TAG,
    STR_TAG,
    tag_text,
    tag_text_of,
)
from govcheck.load.composer import Loader as _Loader
from govcheck.load.limits import _DECLINE, MAX_DEPTH, MAX_NODES, ParseError
from govcheck.load.limits import INDEX_FROM as _INDEX_FROM
from govcheck.model import DocPath, PathPart

_T = "tag:yaml.org,2002:"
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_FLOAT_SPECIAL = {".inf": float("inf"), "+.inf": float("inf"), "-.inf": float("-inf"), ".nan": float("nan")}

Pair = tuple[Node, Node]


def locate(root: Node, path: DocPath, index: dict[int, Any] | None = None) -> tuple[int, int, DocPath]:
    """``Document.locate`` over composed nodes; ``index`` keeps lookups into large mappings,
    by ``id`` of the mapping, for as long as the caller keeps ``root``."""
    node, mark_node, found = root, root, 0
    for part in path:
        child_key, child = _child(node, part, index)
        if child is None:
            break
        # A key's own line is where a reviewer looks; block values start a line later.
        mark_node = child_key if child_key is not None else child
        node, found = child, found + 1
    mark = mark_node.start_mark
    return mark.line + 1, mark.column + 1, path[:found]


def _child(node: Node, part: PathPart, index: dict[int, Any] | None) -> tuple[Node | None, Node | None]:
    if isinstance(node, MappingNode) and isinstance(part, str):
        if index is None:
            return _lookup(node, part)
        names = index.get(id(node))
        if names is None:  # a small mapping without merges is searched, as a short walk is cheaper
            if len(node.value) < _INDEX_FROM and not any(_is_merge(key) for key, _ in node.value):
                return _lookup(node, part)
            names = index[id(node)] = _names(node)
        return names.get(part, (None, None))
    if isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return None, node.value[part]
    return None, None


def _search(node: MappingNode) -> Iterator[Pair]:
    """Every scalar-keyed pair the builder could have kept for ``node``, in precedence order.

    The mapping's own keys first, then each merge source, all of it, in the order the merge
    lists them. Each mapping is visited once, so a path through many merges costs the size of
    the file, not of the expansion; a stack, not recursion, so a long chain of merges cannot
    exhaust Python's. A built document has no conflicting merged keys, so the first pair found
    for a name is the one that was loaded.
    """
    seen: set[int] = set()
    stack: list[Node] = [node]
    while stack:
        mapping = stack.pop()
        if not isinstance(mapping, MappingNode) or id(mapping) in seen:
            continue
        seen.add(id(mapping))
        sources: list[Node] = []
        for key, value in mapping.value:
            if _is_merge(key):
                sources = value.value if isinstance(value, SequenceNode) else [value]
            elif isinstance(key, ScalarNode):
                yield key, value
        stack.extend(reversed(sources))  # the first source is searched first, and all of it


def _lookup(node: MappingNode, name: str) -> Pair | tuple[None, None]:
    """The key and value the builder kept for ``name``: the mapping's own key, else a merged one."""
    for key, value in _search(node):
        if key.value == name:
            return key, value
    return None, None


def _names(node: MappingNode) -> dict[str, Pair]:
    """``_lookup`` for every name at once: one search, each name's first pair kept."""
    names: dict[str, Pair] = {}
    for key, value in _search(node):
        names.setdefault(key.value, (key, value))
    return names


def load(text: str, file: str) -> list[tuple[Any, Node]]:
    """``load_all`` the pure-Python way: ruamel's composer, then the builder below."""
    nodes = compose_all(text, file)
    return [(Builder(file).build(node), node) for node in nodes]


def compose_all(text: str, file: str) -> list[Node]:
    # ruamel.yaml.clib's libyaml lacks 0.2.1's fix for a '\' line continuation before CRLF in a
    # double-quoted scalar: on a 16 KiB boundary it reads a stale byte and can end the document
    # early, hiding what follows. CRLF and LF are the same line break to YAML, so the values,
    # lines and columns are unchanged.
    text = text.replace("\\\r\n", "\\\n")
    if text.count("[") + text.count("{") + text.count("- ") + text.count("? ") > NESTING_RISK:
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


class Builder:
    """Turns composed nodes into plain data, refusing unsafe or unbounded input."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.count = 0
        self.merged = False  # whether merge keys added to the count: the message says so
        self.merges = _Merges(file, self.spend)

    def fail(self, node: Node, message: str) -> ParseError:
        return ParseError(self.file, node.start_mark.line + 1, node.start_mark.column + 1, message)

    def too_many(self, node: Node) -> ParseError:
        what = "aliases and merge keys included" if self.merged else "aliases included"
        return self.fail(node, f"more than {MAX_NODES:,} values ({what}); refusing a possible alias bomb")

    def spend(self, node: Node, count: int) -> None:
        """Count pairs a merge brings, as aliases count the nodes they repeat."""
        self.count += count
        self.merged = True
        if self.count > MAX_NODES:
            raise self.too_many(node)

    def build(self, node: Node, depth: int = 0) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.too_many(node)
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
            if _is_merge(key):
                pairs = self.merges.pairs(node)
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
            # Only YAML 1.2's own spellings: ``!!bool no`` is false in YAML 1.1 and true to
            # ``bool()``, so any reading of it is a guess, and a guessed true passes a gate.
            if text not in _BOOL:
                raise self.fail(node, f"!!bool value {text!r} is not true or false; write true or false")
            return _BOOL[text]
        value = _numeric(tag, text)
        if value is _DECLINE:
            raise self.fail(node, f"unsupported YAML tag {_short(tag)}; govcheck reads plain YAML only")
        return value


def _numeric(tag: str, text: str) -> Any:
    """An int or float scalar's value; its text when Python cannot read it as one."""
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
    return _DECLINE


def number(text: str) -> Any:
    """What the builder makes of a plain scalar starting like a number (a sign, a dot or a
    digit), for the native reader: the same implicit rules, the same conversions."""
    for tag, match in _IMPLICIT.get(text[:1], _ANYWHERE):
        if match(text):
            name = tag_text_of(tag)
            return text if name == _T + "timestamp" else _numeric(name, text)
    return text


def _is_merge(key: Node) -> bool:
    return key.ctag is not STR_TAG and tag_text(key) == _T + "merge"


def _duplicate(name: str) -> str:
    return f"duplicate key {name!r}; a repeated key hides the earlier value"


def merged_pairs(node: MappingNode) -> list[Pair]:
    """Key/value pairs with ``<<`` merge keys expanded, by the rules in the module docstring."""
    return _Merges("").pairs(node)


class _Merges:
    """Mappings with merge keys, each flattened once per document and its expansion counted.

    Flattening again for every alias of a mapping, or for every mapping that merges it, is what
    made ``<<: [*prev, *prev]`` take minutes: the work doubled with each level. A result is
    kept only when no merge was skipped as circular on the way, because such a result depends
    on where the flattening started.
    """

    def __init__(self, file: str, spend: Callable[[Node, int], None] | None = None) -> None:
        self.file = file
        self.spend = spend
        self.done: dict[int, tuple[list[Pair], int]] = {}
        self.active: set[int] = set()

    def fail(self, node: Node, message: str) -> ParseError:
        return ParseError(self.file, node.start_mark.line + 1, node.start_mark.column + 1, message)

    def pairs(self, node: MappingNode) -> list[Pair]:
        return self.flatten(node)[0]

    def flatten(self, node: MappingNode) -> tuple[list[Pair], int, bool]:
        """The pairs, how many pairs a copying loader would build for them, and whether the
        result holds wherever flattening starts."""
        done = self.done.get(id(node))
        if done is not None:
            return done[0], done[1], True
        self.active.add(id(node))
        try:
            pairs, weight, clean = self._flatten(node)
        finally:
            self.active.discard(id(node))
        if clean:
            self.done[id(node)] = (pairs, weight)
        return pairs, weight, clean

    def _flatten(self, node: MappingNode) -> tuple[list[Pair], int, bool]:
        explicit: list[Pair] = []
        names: set[str] = set()
        merge_key: Node | None = None
        sources: list[Node] = []
        for key, value in node.value:
            if _is_merge(key):
                if merge_key is not None:
                    raise self.fail(key, _duplicate(str(key.value)))
                merge_key = key
                sources = value.value if isinstance(value, SequenceNode) else [value]
                continue
            if isinstance(key, ScalarNode):
                if key.value in names:
                    raise self.fail(key, _duplicate(key.value))
                names.add(key.value)
            explicit.append((key, value))
        if merge_key is None:
            return explicit, len(explicit), True
        if len(self.active) > MAX_DEPTH:
            raise self.fail(merge_key, f"merge keys (<<) nested deeper than {MAX_DEPTH} levels")
        merged: list[Pair] = []
        first: dict[str, Node] = {}
        weight, clean = len(explicit), True
        for source in sources:
            if not isinstance(source, MappingNode):
                continue
            if id(source) in self.active:
                clean = False  # merged into itself, or into a mapping it is merged into
                continue
            pairs, source_weight, source_clean = self.flatten(source)
            clean = clean and source_clean
            weight += source_weight
            if self.spend is not None:
                self.spend(merge_key, max(source_weight, 1))
            for key, value in pairs:
                if not isinstance(key, ScalarNode):
                    merged.append((key, value))  # the builder refuses it, located
                    continue
                if key.value in names:
                    continue  # the mapping's own key overrides merged ones
                earlier = first.get(key.value)
                if earlier is None:
                    first[key.value] = key
                    merged.append((key, value))
                elif earlier is not key:  # the same key by two routes is not a repeat
                    raise self.fail(merge_key, self.conflict(key.value, earlier, key))
        return merged + explicit, weight, clean

    @staticmethod
    def conflict(name: str, earlier: Node, later: Node) -> str:
        at = [f"{k.start_mark.line + 1}:{k.start_mark.column + 1}" for k in (earlier, later)]
        return (
            f"duplicate key {name!r}: the merge brings it twice, from {at[0]} and {at[1]}; "
            f"YAML tools disagree on which one wins, so set {name!r} in this mapping or merge only one"
        )


def _short(tag: str) -> str:
    return "!!" + tag[len(_T) :] if tag.startswith(_T) else tag
