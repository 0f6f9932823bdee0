"""``expr``: a JMESPath expression over the whole manifest must be truthy."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from govcheck.interfaces import MISSING, CheckContext, CheckSpec, Evaluator, Failure
from govcheck.lang.expression import compile_expression, field_chains, truthy
from govcheck.lang.fieldpath import FieldPath, dotted, parse


def _found(value: Any, target: str) -> str:
    if value is MISSING:
        return "missing"
    if value is None or isinstance(value, (bool, int, float, str)):
        return f"found {json.dumps(value)}"
    return f"{target} is false"


def compile_check(target: str, params: Mapping[str, Any]) -> Evaluator:
    compiled = compile_expression(target)
    chains = field_chains(compiled.parsed)
    at_text = params.get("at") or (dotted(chains[0]) if chains else "spec")
    at: FieldPath = parse(at_text)

    def run(ctx: CheckContext) -> Sequence[Failure]:
        if truthy(compiled.search(ctx.data)):
            return ()
        where, value = at.first(ctx.data)
        return (Failure(where, value, _found(value, target)),)

    return run


SPEC = CheckSpec("expr", compile_check, {"at": False}, "a JMESPath expression over the manifest is truthy")
