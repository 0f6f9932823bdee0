"""What a JMESPath expression reads: the field chains it names, and whether it reads anything."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

_READS_DATA = ("field", "current")


def _nodes(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for child in node.get("children", ()):
            yield from _nodes(child)


def is_constant(compiled: Any) -> bool:
    """True when the expression reads no field of the manifest (say ``\\`false\\```)."""
    return not any(n.get("type") in _READS_DATA for n in _nodes(compiled.parsed))


def field_chains(node: Any) -> list[list[str]]:
    """Every dotted chain of fields an expression starts from, in order of appearance.

    ``spec.scope.phi && spec.c`` gives ``[spec, scope, phi]`` and ``[spec, c]``; names inside a
    filter or after a projection are relative to a list item and are not chains of their own.
    """
    if not isinstance(node, dict):
        return []
    kind, children = node.get("type"), node.get("children", ())
    if kind == "field":
        return [[node["value"]]]
    if kind == "subexpression":
        chain: list[str] = []
        for child in children:
            if child.get("type") != "field":
                break
            chain.append(child["value"])
        return [chain] if chain else field_chains(children[0])
    if kind in ("index_expression", "projection", "filter_projection", "value_projection", "flatten"):
        return field_chains(children[0]) if children else []
    return [chain for child in children for chain in field_chains(child)]
