"""``schema``: the field validates against a JSON Schema fragment, and what it holds says something.

JSON has no ``.nan`` or ``.inf``, but YAML does, and every comparison with ``.nan`` is false,
so ``sampling_rate: .nan`` passes ``minimum: 1``: a number that is not finite fails wherever
it is. Text the fragment declares free (``type: string`` without ``enum``, ``const`` or
``format``) must not be blank or a placeholder: ``version: TBD`` records no version.

jsonschema is imported only when needed: for a fragment ``_metaschema`` cannot vouch for, and
to word the error of a value the compiled fragment does not call valid when ``explain`` cannot
(a fragment with keywords it does not know). A one-file run never pays for it on the shipped packs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from govcheck.checks._common import placeholders, text_reason, vocabulary
from govcheck.interfaces import MISSING, CheckContext, CheckSpec, DocPath, Evaluator, Failure
from govcheck.lang.fieldpath import parse
from govcheck.lang.values import shown_number
from govcheck.schema import explain, validate
from govcheck.schema import metaschema as _metaschema
from govcheck.schema.regex import searcher
from govcheck.schema.suggest import did_you_mean


def compile_check(target: str, params: Mapping[str, Any]) -> Evaluator:
    fragment = params.get("is")
    if not isinstance(fragment, dict):
        raise ValueError("parameter 'is' must be a JSON Schema (a mapping)")
    if not _metaschema.vouch(fragment):
        _check_schema(fragment)
    surely_valid = validate.fast_check(fragment)
    explain = _Explainer(fragment)
    required = params.get("required", True)
    extra = placeholders(params)
    path = parse(target)

    def run(ctx: CheckContext) -> Sequence[Failure]:
        failures = []
        for at, value in path.resolve(ctx.data):
            if value is MISSING:
                if required:
                    failures.append(Failure(at, value, "missing"))
                continue
            error = None if surely_valid(value) else explain(value)
            if error is not None:
                where = at + tuple(error.absolute_path)
                failures.append(Failure(where, error.instance, _worded(error)))
            else:
                failures.extend(_hollow(value, fragment, at, extra))
        return failures

    return run


def _worded(error: Any) -> str:
    if error.validator == "enum":
        return f"{error.message}{did_you_mean(error.instance, error.validator_value)}"
    return str(error.message)


def _free_text(fragment: Any) -> bool:
    if not isinstance(fragment, dict):
        return False
    kinds = fragment.get("type")
    text = kinds == "string" or isinstance(kinds, list) and "string" in kinds
    return text and not {"enum", "const", "format"} & set(fragment)


def _hollow(value: Any, fragment: Any, at: DocPath, extra: frozenset[str]) -> list[Failure]:
    """Non-finite numbers anywhere in a valid value, and placeholder text where the fragment
    declares free text; each at its own path."""
    if isinstance(value, float) and not math.isfinite(value):
        return [Failure(at, value, f"{shown_number(value)} is not a finite number")]
    if isinstance(value, str):
        why = text_reason(value, extra, vocabulary(at)) if _free_text(fragment) else None
        return [] if why is None else [Failure(at, value, why)]
    scheme = fragment if isinstance(fragment, dict) else {}
    if isinstance(value, dict):
        props = scheme.get("properties", {})
        return [f for k, v in value.items() for f in _hollow(v, props.get(k), at + (k,), extra)]
    if isinstance(value, list):
        return [f for n, v in enumerate(value) for f in _hollow(v, scheme.get("items"), at + (n,), extra)]
    return []


def _check_schema(fragment: dict[str, Any]) -> None:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        Draft202012Validator.check_schema(fragment)
    except SchemaError as exc:
        raise ValueError(f"parameter 'is' is not a valid JSON Schema: {exc.message}") from None


class _Explainer:
    """jsonschema's best error for a value: worded by ``explain`` for the keywords it knows,
    else by jsonschema, with the validator built on first use."""

    def __init__(self, fragment: dict[str, Any]) -> None:
        self.fragment = fragment
        self.validator: Any = None
        self.local = explain.explainer(fragment, searcher)

    def __call__(self, value: Any) -> Any:
        if self.local is not None:
            try:
                return self.local(value)
            except explain.Undecided:
                pass
        from jsonschema.exceptions import best_match

        if self.validator is None:
            self.validator = validate.build_validator(self.fragment)
        return best_match(self.validator.iter_errors(value))


SPEC = CheckSpec(
    "schema",
    compile_check,
    {"is": True, "required": False, "placeholders": False},
    "the field validates against the JSON Schema `is`",
    stricter={"is": "schema", "required": "true", "placeholders": "superset"},
)
