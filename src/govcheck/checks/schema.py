"""``schema``: the field validates against a JSON Schema fragment."""
from __future__ import annotations

from typing import Any, Mapping, Sequence

from govcheck.interfaces import MISSING, CheckContext, CheckSpec, Evaluator, Failure
from govcheck.paths import parse


def compile_check(target: str, params: Mapping[str, Any]) -> Evaluator:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError, best_match

    fragment = params.get("is")
    if not isinstance(fragment, dict):
        raise ValueError("parameter 'is' must be a JSON Schema (a mapping)")
    try:
        Draft202012Validator.check_schema(fragment)
    except SchemaError as exc:
        raise ValueError(f"parameter 'is' is not a valid JSON Schema: {exc.message}") from None
    validator = Draft202012Validator(fragment, format_checker=Draft202012Validator.FORMAT_CHECKER)
    required = params.get("required", True)
    path = parse(target)

    def run(ctx: CheckContext) -> Sequence[Failure]:
        failures = []
        for at, value in path.resolve(ctx.data):
            if value is MISSING:
                if required:
                    failures.append(Failure(at, value, "missing"))
                continue
            error = best_match(validator.iter_errors(value))
            if error is not None:
                failures.append(Failure(at + tuple(error.absolute_path), error.instance, error.message))
        return failures

    return run


SPEC = CheckSpec("schema", compile_check, {"is": True, "required": False}, "the field validates against the JSON Schema `is`")
