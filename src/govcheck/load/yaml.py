"""All YAML that govcheck reads goes through this module.

Safety and speed come from the same choice: YAML is parsed by libyaml (through govcheck's own
native reader, ``_yaml.c``, or ruamel's C extension) and turned into plain Python values by
our own code, so no YAML tag can construct an object or run code. The native reader gives
data and a table of positions; what it declines is composed into ruamel nodes and built into
data by ``composed.py``, which also holds the merge-key and alias-bomb rules.
Dates stay strings (JSON Schema validates them as ``format: date``); checks that need a date
parse it themselves.

Reading is bounded before parsing starts: ``read_file`` takes at most ``MAX_BYTES + 1`` bytes
and only from a regular file (a FIFO would block, ``/dev/zero`` never ends), and ``read_text``
decodes UTF-8, or UTF-16 or UTF-32 when the file starts with that byte-order mark.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import stat
from typing import TYPE_CHECKING, Any

from govcheck.errors import ConfigError
from govcheck.load.limits import _DECLINE
from govcheck.load.limits import INDEX_FROM as INDEX_FROM
from govcheck.load.limits import MAX_BYTES as MAX_BYTES
from govcheck.load.limits import MAX_DEPTH as MAX_DEPTH
from govcheck.load.limits import MAX_NODES as MAX_NODES
from govcheck.load.limits import ParseError as ParseError
from govcheck.model import DocPath

if TYPE_CHECKING:
    from ruamel.yaml.nodes import Node

_native: Any = None
if os.environ.get("GOVCHECK_NATIVE_YAML", "1") != "0":  # "0": the pure-Python route, for comparing
    try:  # pragma: no cover - which branch runs depends on the build
        from govcheck.load import _yaml as _native  # type: ignore[attr-defined,no-redef]
    except ImportError:  # no compiler or no libyaml when installed: the same answers, slower
        _native = None


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


class Document:
    """One YAML document: plain data plus what knows every position.

    Positions come either from composed nodes or, when the native reader took the text, from
    its table (``_yaml.c`` describes the layout). ``node`` is composed on first use for a
    document read natively: only editing tools need nodes, and they ask for them.
    ``data`` is never changed after loading: the table is walked alongside it.
    """

    __slots__ = ("file", "index", "data", "_node", "_table", "_text", "_index")

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
        # Large containers indexed on first use, so a finding per key is not a walk per key.
        self._index: dict[int, Any] = {}

    def __repr__(self) -> str:
        return f"Document({self.file!r}, {self.index!r}, {self.data!r})"

    @property
    def node(self) -> Node:
        """The composed node tree of this document (composed now if it was read natively)."""
        if self._node is None:
            from govcheck.load import composed

            self._node = composed.compose_all(self._text, self.file)[self.index]
            self._index = {}  # from here on keyed by node, not by table entry
        return self._node

    def locate(self, path: DocPath) -> tuple[int, int, DocPath]:
        """Line and column (1-based) of ``path``, or of its closest existing parent.

        Returns the part of ``path`` that exists, so callers can say where they point.
        """
        if self._node is None and self._table:
            return _locate_in_table(memoryview(self._table).cast("i"), self.data, path, self._index)
        from govcheck.load import composed

        return composed.locate(self.node, path, self._index)


def _locate_in_table(
    table: memoryview, data: Any, path: DocPath, index: dict[int, Any]
) -> tuple[int, int, DocPath]:
    """``Document.locate`` over the native table: the same walk, with entries for nodes.

    Entry ``i`` is ``table[3i:3i+3]``: line, column, and the entries its subtree spans, so a
    sibling is reached by skipping subtrees. A mapping's entries are key, value, key, value,
    in the dict's order (the native reader declines duplicates and merges, so they agree).
    ``index`` keeps, by a large container's entry, where each of its children starts.
    """
    at = mark = found = 0
    value = data
    for part in path:
        if isinstance(value, dict) and isinstance(part, str):
            if part not in value:
                break
            mark = _child_entry(table, at, value, part, index)
            at, value = mark + 1, value[part]
        elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
            mark = at = _child_entry(table, at, value, part, index)
            value = value[part]
        else:
            break
        found += 1
    return table[3 * mark] + 1, table[3 * mark + 1] + 1, path[:found]


def _child_entry(table: memoryview, at: int, container: Any, part: Any, index: dict[int, Any]) -> int:
    """The entry where child ``part`` of the container at entry ``at`` starts: a mapping's key,
    or a list's item. Each mapping child is a key's entry, then its value's subtree."""
    key = 1 if isinstance(container, dict) else 0
    if len(container) < INDEX_FROM:  # walked: a short walk costs less than an index
        entry = at + 1
        for name in container if key else range(part):
            if key and name == part:
                break
            entry += key + table[3 * (entry + key) + 2]
        return entry
    starts = index.get(at)
    if starts is None:
        entry, found = at + 1, []
        for _ in range(len(container)):
            found.append(entry)
            entry += key + table[3 * (entry + key) + 2]
        starts = index[at] = dict(zip(container, found, strict=True)) if key else found
    return int(starts[part])


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
        info = os.fstat(fd)
        _require_regular(info, path)
        chunks: list[bytes] = []
        left = MAX_BYTES + 1
        # Asking for the size it has (plus one, to see a file that grew), then in small reads
        # to the end: a read of MAX_BYTES allocates a MiB for a 4 KiB manifest, most of
        # reading it.
        want = min(left, info.st_size + 1)
        while left > 0:
            chunk = os.read(fd, want)
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
            want = min(left, 1 << 16)
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
    """``load_all`` the pure-Python way: ruamel's composer, then govcheck's builder."""
    from govcheck.load import composed

    return [Document(file, i, data, node) for i, (data, node) in enumerate(composed.load(text, file))]


def _number(text: str) -> Any:
    """What the builder makes of a plain scalar starting like a number, for the native reader."""
    from govcheck.load import composed

    return composed.number(text)
