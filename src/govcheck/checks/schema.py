"""``schema``: the field validates against a JSON Schema fragment.

jsonschema is imported only when needed: for a fragment ``_metaschema`` cannot vouch for, and
for a value the compiled fragment does not call valid (to word the error). A one-file run
whose values pass never pays for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from govcheck.interfaces import MISSING, CheckContext, CheckSpec, Evaluator, Failure
from govcheck.lang.fieldpath import parse
from govcheck.schema import metaschema as _metaschema
from govcheck.schema import validate


def compile_check(target: str, params: Mapping[str, Any]) -> Evaluator:
    fragment = params.get("is")
    if not isinstance(fragment, dict):
        raise ValueError("parameter 'is' must be a JSON Schema (a mapping)")
    if not _metaschema.vouch(fragment):
        _check_schema(fragment)
    surely_valid = validate.fast_check(fragment)
    explain = _Explainer(fragment)
    required = params.get("required", True)
    path = parse(target)

    def run(ctx: CheckContext) -> Sequence[Failure]:
        failures = []
        for at, value in path.resolve(ctx.data):
            if value is MISSING:
                if required:
                    failures.append(Failure(at, value, "missing"))
                continue
            if surely_valid(value):
                continue
            error = explain(value)
            if error is not None:
                failures.append(Failure(at + tuple(error.absolute_path), error.instance, error.message))
        return failures

    return run


def _check_schema(fragment: dict[str, Any]) -> None:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        Draft202012Validator.check_schema(fragment)
    except SchemaError as exc:
        raise ValueError(f"parameter 'is' is not a valid JSON Schema: {exc.message}") from None


class _Explainer:
    """jsonschema's best error for a value, with the validator built on first use."""

    def __init__(self, fragment: dict[str, Any]) -> None:
        self.fragment = fragment
        self.validator: Any = None

    def __call__(self, value: Any) -> Any:
        from jsonschema.exceptions import best_match

        if self.validator is None:
            self.validator = validate.build_validator(self.fragment)
        return best_match(self.validator.iter_errors(value))


SPEC = CheckSpec(
    "schema",
    compile_check,
    {"is": True, "required": False},
    "the field validates against the JSON Schema `is`",
    stricter={"is": "schema", "required": "true"},
)
