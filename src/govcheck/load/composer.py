"""The YAML composer ``load.yaml`` uses: ruamel's C parser, with tags resolved cheaply.

ruamel's C extension parses and composes nodes in C but asks Python for every node's tag:
``Resolver.resolve`` builds a new ``Tag`` per node, and reading ``node.tag`` back decodes it
character by character. On a 150-line manifest that is a third of the composing time. Here
the same YAML 1.2 rules (ruamel's own implicit resolvers, so the answers are identical) return
one shared, already-decoded ``Tag`` per tag, and the builder recognises a plain string by
identity. Path resolvers, which govcheck never registers, are skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ruamel.yaml.nodes import Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import Resolver
from ruamel.yaml.tag import Tag

__all__ = ["MAP_TAG", "MERGE_TAG", "NESTING_RISK", "SEQ_TAG", "STR_TAG", "Loader", "tag_text", "tag_text_of"]

_T = "tag:yaml.org,2002:"
_SHARED: dict[str, Tag] = {}


def _shared(name: str) -> Tag:
    if name not in _SHARED:
        tag = Tag(suffix=name)
        str(tag)  # decodes once; ruamel caches the text on the Tag
        _SHARED[name] = tag
    return _SHARED[name]


STR_TAG, SEQ_TAG, MAP_TAG, MERGE_TAG = (_shared(_T + k) for k in ("str", "seq", "map", "merge"))
_Match = tuple[tuple[Tag, Callable[[str], Any]], ...]


def _implicit_table() -> tuple[dict[str, _Match], _Match]:
    """ruamel's YAML 1.2 implicit resolvers, by first character, resolving to shared tags."""
    table = {
        first: tuple((_shared(tag), regexp.match) for tag, regexp in pairs)
        for first, pairs in Resolver.yaml_implicit_resolvers.items()
    }
    anywhere = table.pop(None, ())
    return {first: pairs + anywhere for first, pairs in table.items()}, anywhere


_IMPLICIT, _ANYWHERE = _implicit_table()
_NAME_OF = {id(tag): name for name, tag in _SHARED.items()}


def tag_text(node: Node) -> str:
    """``node.tag`` without decoding it again when the tag is a shared one."""
    return _NAME_OF.get(id(node.ctag)) or str(node.tag)


def tag_text_of(tag: Tag) -> str:
    """A shared tag's text."""
    return _NAME_OF[id(tag)]


try:  # pragma: no cover - which branch runs depends on the platform
    from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - pure-Python fallback keeps govcheck usable, slower
    from ruamel.yaml.loader import SafeLoader

    class Loader(SafeLoader):
        """ruamel's pure-Python safe loader, used to compose only."""

        # ruamel's composer reads its depth limit from the ``YAML`` object that usually owns the
        # loader; 0 turns it off, as ``yaml.MAX_DEPTH`` bounds nesting here.
        max_depth = 0

    # Python's composer recurses a few frames per level: past about 300 levels it would hit the
    # recursion limit, so nesting is measured first from far fewer collection openers.
    NESTING_RISK = 200
else:
    # Files with more collection openers than this could nest deep enough to exhaust the C stack
    # while composing (about 30,000 levels), so their nesting is measured first.
    NESTING_RISK = 4_000

    class Loader(CParser):  # type: ignore[no-redef,misc]
        """ruamel's C parser and composer; what ``CSafeLoader`` composes, minus its constructor."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)

        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            pass  # only path resolvers need to follow the descent, and none are registered

        def ascend_resolver(self) -> None:
            pass

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Tag:
            """``Resolver.resolve`` for ruamel's YAML 1.2 rules, with shared tags."""
            if kind is ScalarNode:
                if implicit[0]:
                    for tag, match in _IMPLICIT.get(value[:1], _ANYWHERE):
                        if match(value):
                            return tag
                return STR_TAG
            return SEQ_TAG if kind is SequenceNode else MAP_TAG
