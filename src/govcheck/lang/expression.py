"""JMESPath as rules use it: compiled once, judged by JMESPath truthiness, read for field chains.

A field chain is the path an expression starts from in the manifest (``spec.metrics[0].name``
gives ``("spec", "metrics", 0, "name")``). The ``expr`` check locates its findings at the first
chain, ``pack lint`` warns about chains the manifest schema forbids, and ``init`` puts each
chain into its skeleton: all three read chains here, so they agree.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jmespath
from jmespath.exceptions import JMESPathError

from govcheck.lang.values import is_empty

Chain = tuple[str | int, ...]
_READS_DATA = ("field", "current")
# Nodes whose first child is read from the manifest and whose other children are relative to it.
_RELATIVE_REST = ("projection", "filter_projection", "value_projection", "flatten", "pipe")


def compile_expression(source: str) -> Any:
    """Compile a JMESPath once; ``ValueError`` with the parser's reason if it is broken."""
    if not isinstance(source, str) or not source.strip():
        raise ValueError(f"a JMESPath expression must be non-empty text, not {source!r}")
    try:
        return jmespath.compile(source)
    except JMESPathError as exc:
        position = getattr(exc, "lex_position", getattr(exc, "lexer_position", None))
        where = f" at character {position + 1}" if isinstance(position, int) else ""
        reason = str(exc).splitlines()[0].split(": Parse error")[0]
        for prefix in ("Invalid jmespath expression: ", "Bad jmespath expression: "):
            reason = reason.removeprefix(prefix)
        reason = reason.rstrip(":") or type(exc).__name__
        raise ValueError(f"invalid JMESPath {source!r}{where}: {reason}") from None


def truthy(value: Any) -> bool:
    """JMESPath truthiness: false, null and empty text, lists and objects are false."""
    return value is not False and not is_empty(value)


def is_constant(compiled: Any) -> bool:
    """True when the expression reads no field of the manifest (say ``\\`false\\```)."""
    return not any(n.get("type") in _READS_DATA for n in _nodes(compiled.parsed))


def field_chains(node: Any) -> list[Chain]:
    """Every chain of fields (and list indexes) an expression starts from, in order of appearance.

    ``spec.scope.phi && spec.c`` gives ``spec.scope.phi`` and ``spec.c``; names inside a filter,
    after a projection or on the right of a pipe are relative to a list item or to a result,
    not chains of their own.
    """
    if not isinstance(node, dict):
        return []
    kind, children = node.get("type"), node.get("children", ())
    chain, _ = _chain(node)
    if chain:
        return [chain]
    if kind in _RELATIVE_REST or kind in ("subexpression", "index_expression"):
        return field_chains(children[0]) if children else []
    return [chain for child in children for chain in field_chains(child)]


def _chain(node: dict[str, Any]) -> tuple[Chain, bool]:
    """The path a node spells from the manifest's root, and whether the node is that path whole.

    ``spec.a[-1].b`` spells ``spec.a`` and then leaves paths (a negative index counts from the
    end), so the chain stops there.
    """
    kind, children = node.get("type"), node.get("children", ())
    if kind == "field":
        return (node["value"],), True
    if kind == "index":
        value = node.get("value")
        return ((value,), True) if isinstance(value, int) and value >= 0 else ((), False)
    if kind in _RELATIVE_REST:
        return (_chain(children[0])[0] if children else ()), False
    if kind not in ("subexpression", "index_expression"):
        return (), False
    out: Chain = ()
    for child in children:
        part, whole = _chain(child)
        out += part
        if not whole:
            return out, False
    return out, True


def _nodes(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for child in node.get("children", ()):
            yield from _nodes(child)
