"""``expr``: a JMESPath expression over the whole manifest must be truthy."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import jmespath
from jmespath.exceptions import JMESPathError

from govcheck.checks._common import is_empty
from govcheck.interfaces import MISSING, CheckContext, CheckSpec, Evaluator, Failure
from govcheck.lang.fieldpath import FieldPath, parse


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


def _first_field_chain(node: Any) -> list[str]:
    """The first dotted field chain an expression reads: where its findings point."""
    if not isinstance(node, dict):
        return []
    if node.get("type") == "field":
        return [node["value"]]
    if node.get("type") == "subexpression":
        chain: list[str] = []
        for child in node["children"]:
            part = _first_field_chain(child)
            if not part:
                break
            chain += part
        return chain
    for child in node.get("children", ()):
        found = _first_field_chain(child)
        if found:
            return found
    return []


def _found(value: Any, target: str) -> str:
    if value is MISSING:
        return "missing"
    if value is None or isinstance(value, (bool, int, float, str)):
        return f"found {json.dumps(value)}"
    return f"{target} is false"


def compile_check(target: str, params: Mapping[str, Any]) -> Evaluator:
    compiled = compile_expression(target)
    at_text = params.get("at") or ".".join(_first_field_chain(compiled.parsed)) or "spec"
    at: FieldPath = parse(at_text)

    def run(ctx: CheckContext) -> Sequence[Failure]:
        if truthy(compiled.search(ctx.data)):
            return ()
        where, value = at.first(ctx.data)
        return (Failure(where, value, _found(value, target)),)

    return run


SPEC = CheckSpec("expr", compile_check, {"at": False}, "a JMESPath expression over the manifest is truthy")
