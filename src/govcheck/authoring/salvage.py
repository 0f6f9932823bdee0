"""Load a pack that fails its schema anyway, without the parts that fail, so lint goes on.

``PackLoader`` stops at the first schema problem of a file: right for ``check``, which must
not run a broken pack, but ``pack lint`` should show every problem in one run. Here the rules,
tiering entries, overrides and top-level keys that the schema rejects are cut out of both the
data and the composed nodes (so every later problem is still located on the right line), and
the rest is loaded as usual: extends followed, merged and compiled. A duplicate key, which the
loader refuses outright, is read past the same way: the first of the repeated keys is kept.
"""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path
from typing import Any

from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from govcheck.errors import Problem
from govcheck.load.composed import Builder, compose_all
from govcheck.load.discover import display
from govcheck.load.yaml import Document, ParseError, load_all, read_file, read_text
from govcheck.packs.loader import LoadedPack, PackLoader
from govcheck.schema import validate

_LISTS = ("rules", "tiering", "overrides", "extends")


def salvage(path: Path, loader: PackLoader) -> LoadedPack | None:
    """The schema-valid part of the pack at ``path``; None if nothing usable is left.

    The schema problems themselves are not reported again: the loader already has them.
    """
    shown = display(path, loader.cwd)
    try:
        raw = read_file(path)
        docs = _documents(read_text(shown, raw), shown)
    except (OSError, ParseError):
        return None
    if len(docs) != 1 or not isinstance(docs[0].data, dict):
        return None
    doc = _pruned(docs[0], validate.problems(docs[0], "policy-pack"))
    if validate.problems(doc, "policy-pack"):
        return None
    meta = doc.data["metadata"]
    pack = LoadedPack(
        meta["name"],
        str(meta["version"]),
        shown,
        hashlib.sha256(raw).hexdigest(),
        doc.data,
        doc,
        origin=shown,
    )
    loader.follow_extends(pack, path, (path.resolve(),))
    return pack


def _documents(text: str, file: str) -> list[Document]:
    """The documents of ``text``; past a duplicate key, with each repeated key after its first dropped.

    A duplicate key is the one parse error that leaves the file's structure readable: keeping the
    first of the repeated keys lets lint go on to the rest of the pack (the loader reports the
    duplicate itself). Any other parse error, or one left after dropping, stays an error.
    """
    try:
        return load_all(text, file)
    except ParseError as exc:
        if not exc.message.startswith("duplicate key"):
            raise
    nodes = compose_all(text, file)
    for node in nodes:
        _drop_repeats(node, set())
    return [Document(file, i, Builder(file).build(node), node) for i, node in enumerate(nodes)]


def _drop_repeats(node: Node, seen: set[int]) -> None:
    if id(node) in seen:  # an alias: the node is already done, and may be its own ancestor
        return
    seen.add(id(node))
    if isinstance(node, MappingNode):
        names: set[str] = set()
        pairs = []
        for key, value in node.value:
            name = str(key.value) if not isinstance(key.value, list) else None
            if name is not None and name in names:
                continue
            if name is not None:
                names.add(name)
            pairs.append((key, value))
            _drop_repeats(value, seen)
        node.value = pairs
    elif isinstance(node, SequenceNode):
        for item in node.value:
            _drop_repeats(item, seen)


def _pruned(doc: Document, problems: list[Problem]) -> Document:
    drop_items: dict[str, set[int]] = {key: set() for key in _LISTS}
    drop_keys: set[str] = set()
    for problem in problems:
        head = problem.path[:2]
        if len(head) == 2 and head[0] in _LISTS and isinstance(head[1], int):
            drop_items[str(head[0])].add(head[1])
        elif head and head[0] not in ("metadata", "apiVersion", "kind"):
            drop_keys.add(str(head[0]))
    data: dict[str, Any] = {}
    pairs = []
    for key_node, value_node in doc.node.value:
        key = str(key_node.value)
        if key in drop_keys or key not in doc.data:
            continue
        value = doc.data[key]
        if key in _LISTS and isinstance(value, list) and drop_items[key]:
            keep = [i for i in range(len(value)) if i not in drop_items[key]]
            value = [value[i] for i in keep]
            value_node = copy.copy(value_node)
            value_node.value = [value_node.value[i] for i in keep]
        data[key] = value
        pairs.append((key_node, value_node))
    data["apiVersion"], data["kind"] = "govcheck/v1", "PolicyPack"
    data["metadata"] = _metadata(data.get("metadata"), doc.file)
    node = copy.copy(doc.node)
    node.value = pairs
    return Document(doc.file, doc.index, data, node)


def _metadata(source: Any, file: str) -> dict[str, Any]:
    """Name and version good enough to go on with; the schema problem is already reported."""
    meta: dict[str, Any] = dict(source) if isinstance(source, dict) else {}
    if not validate.validator("policy-pack").is_valid(
        {"apiVersion": "govcheck/v1", "kind": "PolicyPack", "metadata": meta}
    ):
        name = meta.get("name")
        meta = {
            "name": name if isinstance(name, str) and name else Path(file).parent.name or "pack",
            "version": str(meta.get("version", "0")),
        }
        if not validate.validator("policy-pack").is_valid(
            {"apiVersion": "govcheck/v1", "kind": "PolicyPack", "metadata": meta}
        ):
            meta["name"] = "pack"
    return meta
