"""``expr``: a JMESPath expression over the whole manifest must be truthy and say something.

JMESPath truthiness calls ``"TBD"`` true, so ``required == `true` && reviewer_role`` would pass
on a placeholder role; a result that is blank or placeholder text, or a list or mapping of
nothing else, fails as a false one does.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from govcheck.checks._common import placeholders
from govcheck.interfaces import MISSING, CheckContext, CheckSpec, Evaluator, Failure
from govcheck.lang.expression import ExpressionTypeError, compile_expression, field_chains, truthy
from govcheck.lang.fieldpath import FieldPath, dotted, parse
from govcheck.lang.values import nothing_problem


def _found(value: Any) -> str:
    if value is MISSING:
        return "missing"
    if value is None or isinstance(value, (bool, int, float, str)):
        return f"found {json.dumps(value)}"
    # Not the expression itself: a finding is read by pilot teams and leaders, and the rule's
    # condition is in ``govcheck explain RULE``.
    return "does not meet the rule's condition"


def compile_check(target: str, params: Mapping[str, Any]) -> Evaluator:
    compiled = compile_expression(target)
    chains = field_chains(compiled.parsed)
    at_text = params.get("at") or (dotted(chains[0]) if chains else "spec")
    at: FieldPath = parse(at_text)
    extra = placeholders(params)

    def run(ctx: CheckContext) -> Sequence[Failure]:
        try:
            result = compiled.search(ctx.data)
        except ExpressionTypeError:  # the value is not of a type the rule can hold for: it fails
            result = None
        hollow = nothing_problem(result, extra) if truthy(result) else None
        if truthy(result) and hollow is None:
            return ()
        where, value = at.first(ctx.data)
        return (Failure(where, value, hollow or _found(value)),)

    return run


SPEC = CheckSpec(
    "expr",
    compile_check,
    {"at": False, "placeholders": False},
    "a JMESPath expression over the manifest is truthy and not blank or placeholder text",
    stricter={"placeholders": "superset"},
)
