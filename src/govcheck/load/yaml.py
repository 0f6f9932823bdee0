"""All YAML that govcheck reads goes through this module.

Safety and speed come from the same choice: nodes are composed by ruamel's C extension
(positions on every node, about 20x faster than the round-trip loader) and turned into plain
Python values here, by our own code, so no YAML tag can construct an object or run code.
Dates stay strings (JSON Schema validates them as ``format: date``); checks that need a date
parse it themselves.

Reading is bounded before parsing starts: ``read_file`` takes at most ``MAX_BYTES + 1`` bytes
and only from a regular file (a FIFO would block, ``/dev/zero`` never ends), and ``read_text``
decodes UTF-8, or UTF-16 or UTF-32 when the file starts with that byte-order mark.

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

import codecs
import errno
import hashlib
import os
import stat
from collections.abc import Callable
from typing import Any, cast

from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from govcheck.errors import ConfigError, Problem
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
from govcheck.model import DocPath, PathPart

_native: Any = None
if os.environ.get("GOVCHECK_NATIVE_YAML", "1") != "0":  # "0": the pure-Python route, for comparing
    try:  # pragma: no cover - which branch runs depends on the build
        from govcheck.load import _yaml as _native  # type: ignore[attr-defined,no-redef]
    except ImportError:  # no compiler or no libyaml when installed: the same answers, slower
        _native = None

MAX_BYTES = 1 << 20  # a manifest is a few KiB; 1 MiB leaves room and bounds the work
MAX_NODES = 100_000  # counts nodes reached through aliases and merge keys too: bounds alias bombs
MAX_DEPTH = 64

_T = "tag:yaml.org,2002:"
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_FLOAT_SPECIAL = {".inf": float("inf"), "+.inf": float("inf"), "-.inf": float("-inf"), ".nan": float("nan")}
# UTF-32 first: its little-endian mark starts with UTF-16's (FF FE).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
# No blocking open on a FIFO swapped in after stat, no controlling terminal, no newline
# translation on Windows.
_OPEN_FLAGS = (
    os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
)
_NOT_REGULAR = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)

Pair = tuple[Node, Node]


# A plain class, not a dataclass: it is defined on every start-up. ``contextlib`` assigns
# ``__traceback__`` to an exception leaving a ``@contextmanager``, so it must stay assignable.
class ParseError(Exception):
    """A YAML file that cannot be read safely; located where the problem is."""

    def __init__(self, file: str, line: int, column: int, message: str) -> None:
        super().__init__(file, line, column, message)
        self.file, self.line, self.column, self.message = file, line, column, message

    def __str__(self) -> str:
        return str(self.problem)

    def __repr__(self) -> str:
        return f"ParseError({self.file!r}, {self.line!r}, {self.column!r}, {self.message!r})"

    @property
    def problem(self) -> Problem:
        """Where and what, as every other located message is said."""
        return Problem(self.file, self.line, self.column, self.message)


class Document:
    """One YAML document: plain data plus what knows every position.

    Positions come either from composed nodes or, when the native reader took the text, from
    its table (``_yaml.c`` describes the layout). ``node`` is composed on first use for a
    document read natively: only editing tools need nodes, and they ask for them.
    ``data`` is never changed after loading: the table is walked alongside it.
    """

    __slots__ = ("file", "index", "data", "_node", "_table", "_text")

    def __init__(
        self,
        file: str,
        index: int,
        data: Any,
        node: Node | None = None,
        *,
        table: bytes = b"",
        text: str = "",
    ) -> None:
        self.file, self.index, self.data = file, index, data
        self._node, self._table, self._text = node, table, text

    def __repr__(self) -> str:
        return f"Document({self.file!r}, {self.index!r}, {self.data!r})"

    @property
    def node(self) -> Node:
        """The composed node tree of this document (composed now if it was read natively)."""
        if self._node is None:
            self._node = _compose_all(self._text, self.file)[self.index]
        return self._node

    def locate(self, path: DocPath) -> tuple[int, int, DocPath]:
        """Line and column (1-based) of ``path``, or of its closest existing parent.

        Returns the part of ``path`` that exists, so callers can say where they point.
        """
        if self._node is None and self._table:
            return _locate_in_table(memoryview(self._table).cast("i"), self.data, path)
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


def _locate_in_table(table: memoryview, data: Any, path: DocPath) -> tuple[int, int, DocPath]:
    """``Document.locate`` over the native table: the same walk, with entries for nodes.

    Entry ``i`` is ``table[3i:3i+3]``: line, column, and the entries its subtree spans, so a
    sibling is reached by skipping subtrees. A mapping's entries are key, value, key, value,
    in the dict's order (the native reader declines duplicates and merges, so they agree).
    """
    at = mark = found = 0
    value = data
    for part in path:
        if isinstance(value, dict) and isinstance(part, str):
            entry = at + 1
            if part not in value:
                break
            for name in value:
                if name == part:
                    break
                entry += 1 + table[3 * (entry + 1) + 2]
            mark, at, value = entry, entry + 1, value[part]
        elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
            entry = at + 1
            for _ in range(part):
                entry += table[3 * entry + 2]
            mark = at = entry
            value = value[part]
        else:
            break
        found += 1
    return table[3 * mark] + 1, table[3 * mark + 1] + 1, path[:found]


def _child(node: Node, part: PathPart) -> tuple[Node | None, Node | None]:
    if isinstance(node, MappingNode) and isinstance(part, str):
        return _lookup(node, part)
    if isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return None, node.value[part]
    return None, None


def _lookup(node: MappingNode, name: str) -> tuple[Node | None, Node | None]:
    """The key and value the builder kept for ``name``: the mapping's own key, else a merged one.

    Searched, not flattened: each mapping is visited once, so a path through many merges costs
    the size of the file, not of the expansion; a stack, not recursion, so a long chain of
    merges cannot exhaust Python's. A built document has no conflicting merged keys, so the
    first key found, in the order the merge rules give precedence, is the one that was loaded.
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
            elif isinstance(key, ScalarNode) and key.value == name:
                return key, value
        stack.extend(reversed(sources))  # the first source is searched first, and all of it
    return None, None


def read_file(path: str | os.PathLike[str]) -> bytes:
    """A YAML file's bytes, at most ``MAX_BYTES + 1`` of them: enough for ``read_text`` to refuse.

    Only a regular file is read. Anything else fails as an ``OSError`` whose ``strerror`` says
    what the path is, so every caller reports it as it reports an unreadable file. The type is
    checked before opening (opening some devices has effects of its own) and again on the open
    file, in case the path was swapped in between.
    """
    _require_regular(os.stat(path), path)
    fd = os.open(path, _OPEN_FLAGS)
    try:
        _require_regular(os.fstat(fd), path)
        chunks: list[bytes] = []
        left = MAX_BYTES + 1
        while left > 0:
            chunk = os.read(fd, left)
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _require_regular(info: os.stat_result, path: str | os.PathLike[str]) -> None:
    if stat.S_ISREG(info.st_mode):
        return
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), os.fspath(path))
    what = next((name for test, name in _NOT_REGULAR if test(info.st_mode)), "another kind of file")
    target = f" ({os.path.realpath(path)})" if os.path.islink(path) else ""
    raise OSError(
        errno.EINVAL,
        f"not a regular file but {what}{target}; govcheck reads YAML from regular files only",
        os.fspath(path),
    )


def read_text(file: str, raw: bytes) -> str:
    """Decode a file's bytes, bounded in size: UTF-8 (a BOM is allowed), or UTF-16 or UTF-32
    when the file starts with that byte-order mark (editors on Windows save either)."""
    if len(raw) > MAX_BYTES:
        # read_file stops one byte past the limit, so the true size is unknown here.
        raise ParseError(
            file,
            1,
            1,
            f"file is more than {MAX_BYTES:,} bytes; govcheck reads YAML files of at most that size",
        )
    marked = ""
    for bom, codec, name in _BOMS:
        if raw.startswith(bom):
            try:
                return raw[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                # Most likely binary that happens to start like a mark; say what it is not.
                marked = f", nor {name} as its byte-order mark suggests"
                break
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ParseError(
            file,
            line,
            col,
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x}){marked}; save the file as UTF-8",
        ) from None


def read_mapping(path: str | os.PathLike[str], shown: str, what: str, shape: str) -> Document:
    """The one YAML mapping of a settings file (a configuration, a waiver set).

    A file that cannot be read, is not YAML, or is not one mapping is a ``ConfigError`` (exit 2)
    saying where: settings that do not load must stop the run, never be skipped.
    """
    return read_settings(path, shown, what, shape)[0]


def read_settings(path: str | os.PathLike[str], shown: str, what: str, shape: str) -> tuple[Document, str]:
    """``read_mapping``'s document and the sha256 of the very bytes it was read from, for provenance."""
    try:
        raw = read_file(path)
        docs = load_all(read_text(shown, raw), shown)
    except ParseError as exc:
        raise ConfigError(f"cannot read the {what}:", (exc.problem,)) from None
    except OSError as exc:
        raise ConfigError(f"cannot read the {what} {shown}: {exc.strerror or exc}") from None
    if len(docs) != 1 or not isinstance(docs[0].data, dict):
        raise ConfigError(f"{shown}: {shape}")
    return docs[0], hashlib.sha256(raw).hexdigest()


def load_all(text: str, file: str) -> list[Document]:
    """Every document of a YAML stream, as plain data with positions.

    The native reader takes the text when it is built and the document is plain; anything it
    declines (errors, anchors, merges, tags, limits) is composed here, which is also the
    answer for every document it takes: tests/unit/load/native_test.py holds both to the same
    data and positions.
    """
    if _native is not None:
        read = _native.load(text, _number, _DECLINE, MAX_NODES, MAX_DEPTH)
        if read is not None:
            return [Document(file, i, data, table=table, text=text) for i, (data, table) in enumerate(read)]
    return _load_composed(text, file)


def _load_composed(text: str, file: str) -> list[Document]:
    """``load_all`` the pure-Python way: ruamel's composer, then the builder below."""
    nodes = _compose_all(text, file)
    return [Document(file, i, _Builder(file).build(node), node) for i, node in enumerate(nodes)]


def _compose_all(text: str, file: str) -> list[Node]:
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


class _Builder:
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


_DECLINE = object()  # a value govcheck refuses: the native reader hands the text back to Python


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


def _number(text: str) -> Any:
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


def _merged_pairs(node: MappingNode) -> list[Pair]:
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
