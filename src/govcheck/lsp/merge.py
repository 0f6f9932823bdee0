"""A rule's remediation merged into a manifest as text edits, leaving everything else as written.

A remediation is a YAML snippet rooted at ``spec:``. Merging it into a document adds what the
document lacks, where it belongs, in the document's own layout:

- a key the document's mapping lacks goes at the end of that mapping: on new lines at its keys'
  indentation in block style, before the closing brace in flow style;
- an empty value (nothing, null, blank text, ``[]`` or ``{}``) gets the snippet's value, and so
  does the very field the finding is about (``name: TBD``, ``required: false``);
- a list entry the finding names (``success_metrics[1]``) gets the snippet's first entry merged
  into it; a list the finding is about gets the snippet's entries that it does not have yet;
- any other value the document has stays as it is, even where the snippet shows another.

Edits come out in code points from 0 (``Edit``); the language server converts them for its client.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ruamel.yaml.nodes import CollectionNode, MappingNode, Node, ScalarNode, SequenceNode

from govcheck.load.composer import tag_text
from govcheck.load.yaml import ParseError, load_all
from govcheck.model import DocPath

Position = tuple[int, int]  # line, column; both from 0, columns in code points


@dataclass(frozen=True)
class Edit:
    start: Position
    end: Position
    text: str


def remediation_edits(text: str, document: int, snippet: str, at: DocPath) -> list[Edit]:
    """The edits that merge ``snippet`` into document ``document`` (its index in the stream) of
    ``text``, for a finding about the field ``at``; none when either does not parse as a mapping."""
    try:
        docs = {d.index: d for d in load_all(text, "")}
        fixes = load_all(snippet, "")
    except ParseError:
        return []
    doc = docs.get(document)
    if doc is None or not isinstance(doc.node, MappingNode) or len(fixes) != 1:
        return []
    if not isinstance(fixes[0].node, MappingNode):
        return []  # prose, not a snippet
    merger = _Merger(text, snippet, at)
    merger.mapping(doc.node, fixes[0].node, ())
    return merger.edits()


class _Merger:
    def __init__(self, text: str, snippet: str, at: DocPath) -> None:
        self.text = text
        self.lines = text.split("\n")
        self.snippet = _Source(snippet)
        self.newline = "\r\n" if "\r\n" in text else "\n"
        self.at = at
        self.inserts: dict[Position, list[str]] = {}  # in the order the text is to read
        self.replaced: list[Edit] = []

    def mapping(self, doc: MappingNode, fix: MappingNode, here: DocPath) -> None:
        have = {k.value: (k, v) for k, v in doc.value if isinstance(k, ScalarNode)}
        missing: list[tuple[Node, Node]] = []
        for key, value in fix.value:
            found = have.get(key.value) if isinstance(key, ScalarNode) else None
            if found is None:
                missing.append((key, value))
            else:
                self.value(found[0], found[1], value, doc, (*here, key.value))
        if missing:
            self.add_entries(doc, fix, missing)

    def value(self, key: Node | None, doc: Node, fix: Node, parent: Node, here: DocPath) -> None:
        same_kind = type(doc) is type(fix)
        if same_kind and isinstance(doc, MappingNode) and not _empty(doc):
            self.mapping(doc, fix, here)  # type: ignore[arg-type]
        elif same_kind and isinstance(doc, SequenceNode) and not _empty(doc):
            self.sequence(doc, fix, here)  # type: ignore[arg-type]
        elif (
            _empty(doc)
            or (here == self.at and not _equal(doc, fix))
            or (_above(here, self.at) and not same_kind)
        ):
            self.replace(key, doc, fix, parent)

    def sequence(self, doc: SequenceNode, fix: SequenceNode, here: DocPath) -> None:
        named = self.at[len(here)] if _above(here, self.at) else None
        if isinstance(named, int) and named < len(doc.value) and fix.value:
            self.value(None, doc.value[named], fix.value[0], doc, (*here, named))
        elif _above(here, self.at) or here == self.at:
            new = [item for item in fix.value if not any(_equal(item, old) for old in doc.value)]
            if new:
                self.add_items(doc, fix, new)

    def add_entries(self, doc: MappingNode, fix: MappingNode, entries: list[tuple[Node, Node]]) -> None:
        if doc.flow_style:
            inline = ", ".join(f"{self.snippet.span(k)}: {self.snippet.flow(v)}" for k, v in entries)
            self.before_closing(doc, inline)
        else:
            self.insert_lines(self.last_line(doc) + 1, self.entry_lines(fix, entries, doc.start_mark.column))

    def add_items(self, doc: SequenceNode, fix: SequenceNode, items: list[Node]) -> None:
        if doc.flow_style:
            self.before_closing(doc, ", ".join(self.snippet.flow(item) for item in items))
        else:
            self.insert_lines(self.last_line(doc) + 1, self.item_lines(fix, items, doc.start_mark.column))

    def replace(self, key: Node | None, doc: Node, fix: Node, parent: Node) -> None:
        block_parent = isinstance(parent, MappingNode) and not parent.flow_style
        if key is not None and block_parent and isinstance(doc, ScalarNode) and _collection(fix):
            # ``owner:`` with nothing (or null, or ""): the snippet's fields go on the lines below
            if doc.start_mark.index != doc.end_mark.index:
                self.replaced.append(Edit(_at(doc.start_mark), _at(doc.end_mark), ""))
            indent = key.start_mark.column + 2
            lines = (
                self.entry_lines(fix, list(fix.value), indent)
                if isinstance(fix, MappingNode)
                else self.item_lines(fix, list(fix.value), indent)  # type: ignore[arg-type]
            )
            self.insert_lines(key.start_mark.line + 1, lines)
            return
        empty = doc.start_mark.index == doc.end_mark.index  # ``key:`` with nothing after the colon
        text = (" " if empty else "") + self.snippet.flow(fix)
        self.replaced.append(Edit(_at(doc.start_mark), self.end_of(doc), text))

    def entry_lines(self, fix: MappingNode, entries: list[tuple[Node, Node]], indent: int) -> list[str]:
        if fix.flow_style:
            return [f"{' ' * indent}{self.snippet.span(k)}: {self.snippet.flow(v)}" for k, v in entries]
        return [line for k, v in entries for line in self.snippet.block(k, v, k.start_mark.column, indent)]

    def item_lines(self, fix: SequenceNode, items: list[Node], indent: int) -> list[str]:
        if fix.flow_style:
            return [f"{' ' * indent}- {self.snippet.flow(item)}" for item in items]
        dash = fix.start_mark.column
        return [line for item in items for line in self.snippet.block(item, item, dash, indent, item=True)]

    def before_closing(self, doc: Node, inline: str) -> None:
        line, column = _at(doc.end_mark)
        trailing_comma = self.text[doc.start_mark.index : doc.end_mark.index - 1].rstrip().endswith(",")
        self.insert((line, column - 1), ("" if trailing_comma else ", ") + inline)

    def insert_lines(self, line: int, lines: list[str]) -> None:
        block = "".join(f"{text}{self.newline}" for text in lines)
        if line >= len(self.lines):  # after a last line without a line break
            last = len(self.lines) - 1
            self.insert((last, len(self.lines[last])), self.newline + block[: -len(self.newline)])
        else:
            self.insert((line, 0), block)

    def insert(self, at: Position, text: str) -> None:
        self.inserts.setdefault(at, []).append(text)

    def last_line(self, node: Node) -> int:
        return _last_line(node, self.lines)

    def end_of(self, node: Node) -> Position:
        """Where ``node``'s text ends; a block collection's or block scalar's end mark is the next token."""
        if isinstance(node, ScalarNode) and node.style not in ("|", ">") or _flow(node):
            return _at(node.end_mark)
        line = self.last_line(node)
        return line, len(self.lines[line].rstrip())

    def edits(self) -> list[Edit]:
        added = [Edit(at, at, "".join(texts)) for at, texts in self.inserts.items()]
        return sorted([*added, *self.replaced], key=lambda e: (e.start, e.end))


class _Source:
    """The snippet's text, to copy its fields as written (comments and style included)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.split("\n")

    def span(self, node: Node) -> str:
        return self.text[node.start_mark.index : node.end_mark.index]

    def flow(self, node: Node) -> str:
        """``node`` on one line: as written when it is flow style or a one-line scalar."""
        if isinstance(node, ScalarNode) and node.style in ("|", ">"):
            return json.dumps(node.value)
        if isinstance(node, ScalarNode) or _flow(node):
            return " ".join(part.strip() for part in self.span(node).splitlines())
        if isinstance(node, SequenceNode):
            return "[" + ", ".join(self.flow(item) for item in node.value) + "]"
        return "{" + ", ".join(f"{self.span(k)}: {self.flow(v)}" for k, v in node.value) + "}"

    def block(self, first: Node, last: Node, column: int, indent: int, item: bool = False) -> list[str]:
        """The snippet's lines from ``first``'s to ``last``'s, moved from ``column`` to ``indent``;
        an ``item`` starts at its dash, which may stand alone on the line above it."""
        start = first.start_mark.line
        if item and not self.lines[start][column:].startswith("-"):
            start -= 1
        lines = self.lines[start : _last_line(last, self.lines) + 1]
        return [" " * indent + line[min(column, _indent(line)) :] if line.strip() else "" for line in lines]


def _last_line(node: Node, lines: list[str]) -> int:
    """The last line holding ``node``'s text (a block collection's own end mark is the next key)."""
    while isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    line, column = _at(node.end_mark)
    if column == 0 and line > node.start_mark.line:  # a block scalar ends where the next line starts
        line -= 1
    while line > node.start_mark.line and not lines[line].strip():
        line -= 1
    return line


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _at(mark: object) -> Position:
    return mark.line, mark.column  # type: ignore[attr-defined]


def _empty(node: Node) -> bool:
    if isinstance(node, ScalarNode):
        return tag_text(node) == "tag:yaml.org,2002:null" or not str(node.value).strip()
    return not node.value


def _collection(node: Node) -> bool:
    return isinstance(node, (MappingNode, SequenceNode))


def _flow(node: Node) -> bool:
    return isinstance(node, CollectionNode) and bool(node.flow_style)


def _above(here: DocPath, at: DocPath) -> bool:
    """Whether ``here`` is a proper parent of the field ``at``."""
    return len(here) < len(at) and at[: len(here)] == here


def _equal(a: Node, b: Node) -> bool:
    return _plain(a) == _plain(b)


def _plain(node: Node) -> object:
    if isinstance(node, ScalarNode):
        return node.value
    if isinstance(node, SequenceNode):
        return [_plain(item) for item in node.value]
    return {str(k.value): _plain(v) for k, v in node.value}
