"""The lint checks that loading and compiling a pack do not already make.

``PackLoader`` and ``policy.build`` find schema errors, broken JMESPath, unknown checks and
parameters, duplicate ids, overrides of missing rules and undefined tiers and stages. These
add what only an author cares about: rules that can never apply, references that are not
framework items, message templates that cannot be filled, and rules that lack their docs.
"""

from __future__ import annotations

import difflib
import string
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from govcheck.authoring.frameworks import known_references
from govcheck.interfaces import CheckSpec
from govcheck.lang.expression import ExpressionError, compile_expression, field_chains, is_constant, truthy
from govcheck.lang.fieldpath import parse
from govcheck.load.yaml import ParseError, load_all
from govcheck.packs.applicability import tier_set
from govcheck.packs.compile import _params_for
from govcheck.packs.loader import DEFAULT_STAGES, DEFAULT_TIERS, LoadedPack
from govcheck.schema.fields import schema_at

# (pack, path inside it, severity, message)
Emit = Callable[[LoadedPack, tuple[Any, ...], str, str], None]
MESSAGE_FIELDS = ("tier", "declared_tier", "stage", "path", "value", "id", "detail")
DOC_KEYS = ("rationale", "remediation", "references")
PATH_CHECKS = (
    "present",
    "schema",
    "max_age",
    "min_count",
    "matches",
    "one_of",
    "file_exists",
)  # targets are field paths


def check(packs: list[LoadedPack], checks: Mapping[str, CheckSpec], emit: Emit) -> None:
    """Report through ``emit`` what only an author cares about in ``packs`` (a lineage, parents first).

    Tiers, stages and override parameters are read across the whole lineage, as ``policy.build``
    merges them. An installed pack is skipped: it is its publisher's to lint.
    """
    tiers, stages = _inherited(packs, "tiers", DEFAULT_TIERS), _inherited(packs, "stages", DEFAULT_STAGES)
    overrides = _override_params(packs)
    for pack in packs:
        if pack.origin.startswith("installed:"):
            continue  # an installed pack is its publisher's to lint
        for i, item in enumerate(pack.data.get("tiering", [])):
            context = f"pack {pack.name} → tiering {item['id']}"
            _guard(pack, ("tiering", i, "when"), item["when"], context, "never raises a tier", emit)
            _references(pack, ("tiering", i), item.get("references", ()), context, emit)
            if tiers and item["minimum"] == tiers[0]:
                emit(
                    pack,
                    ("tiering", i, "minimum"),
                    "warning",
                    f"{context} → minimum: {tiers[0]!r} is the lowest tier; this raises nothing",
                )
        for i, over in enumerate(pack.data.get("overrides", [])):
            _override(pack, i, over, packs, checks, emit)
        for i, rule in enumerate(pack.data.get("rules", [])):
            _rule(pack, i, rule, tiers, stages, checks, overrides.get(rule["id"], {}), emit)


def _rule(
    pack: LoadedPack,
    i: int,
    rule: dict[str, Any],
    tiers: tuple[str, ...],
    stages: tuple[str, ...],
    checks: Mapping[str, CheckSpec],
    over: dict[str, Any],
    emit: Emit,
) -> None:
    at, context = ("rules", i), f"pack {pack.name} → rule {rule['id']}"
    applies = rule.get("applies", {})
    if "when" in applies:
        _guard(
            pack,
            at + ("applies", "when"),
            applies["when"],
            context + " → applies → when",
            "the rule can never apply",
            emit,
        )
    named = applies.get("stages")
    if named and not set(named) & set(stages):
        emit(
            pack,
            at + ("applies", "stages"),
            "error",
            f"{context} → applies → stages: none of {', '.join(named)} is a stage "
            f"of this pack ({', '.join(stages)}); the rule can never apply",
        )
    name = next((k for k in rule["check"] if k in checks), None)
    if name in PATH_CHECKS and isinstance(rule["check"][name], str):
        try:
            parts = tuple(p if isinstance(p, str) else 0 for p in parse(rule["check"][name]).parts)
        except ValueError:
            parts = ()  # policy.build reports a malformed path
        _field(
            pack,
            at + ("check", name),
            list(parts),
            f"{context} → check → {name}",
            "a valid manifest never has it, so the check never finds it",
            emit,
        )
    if name == "expr" and isinstance(rule["check"][name], str):
        _expr_fields(pack, at + ("check", name), rule["check"][name], f"{context} → check → expr", emit)
    if name is not None:
        _bounds(pack, at, context, name, rule["check"], emit)
        params = {**{k: v for k, v in rule["check"].items() if k != name}, **over}
        _thresholds(pack, at, context, params, tier_set(applies.get("tiers"), tiers), tiers, emit)
        _message(pack, at, context, rule["message"], checks[name], emit)
    _references(pack, at, rule.get("references", ()), context, emit)
    _remediation(pack, at, context, rule.get("remediation"), emit)
    missing = [key for key in DOC_KEYS if not rule.get(key)]
    if missing:
        emit(
            pack,
            at + ("id",),
            "warning",
            f"{context}: no {', '.join(missing)}; `govcheck explain` and the rule docs show these sections",
        )


def _guard(pack: LoadedPack, at: tuple[Any, ...], source: str, context: str, never: str, emit: Emit) -> None:
    compiled = _expr_fields(pack, at, source, context, emit)
    if compiled is not None and is_constant(compiled):
        try:
            value = compiled.search({})
        except ExpressionError as exc:
            emit(pack, at, "error", f"{context}: {source!r} reads no field and can never be judged: {exc}")
            return
        if truthy(value):
            emit(pack, at, "warning", f"{context}: {source!r} is always true and reads no field; remove it")
        else:
            emit(pack, at, "error", f"{context}: {source!r} is always false and reads no field; {never}")


def _expr_fields(pack: LoadedPack, at: tuple[Any, ...], source: str, context: str, emit: Emit) -> Any:
    """Warn about each field the expression reads that no valid manifest has; the compiled
    expression, or None when it does not compile (``policy.build`` reports that)."""
    try:
        compiled = compile_expression(source)
    except ValueError:
        return None
    for chain in field_chains(compiled.parsed):
        _field(pack, at, chain, context, "a valid manifest never has it, so it is always null here", emit)
    return compiled


# Counts of days or items: below zero, max_age can never pass (no date is younger than 0 days)
# and min_count always passes, so a negative value is a typo, not a policy.
_NON_NEGATIVE = {"max_age": "days", "min_count": "count"}


def _bounds(
    pack: LoadedPack, at: tuple[Any, ...], context: str, name: str, params: dict[str, Any], emit: Emit
) -> None:
    """Errors for parameter values the check compiles but that make it pass never or always."""
    key = _NON_NEGATIVE.get(name)
    if key is not None and key in params:
        value = params[key]
        # a per-tier mapping is judged value by value, each at its own line
        items = value.items() if isinstance(value, dict) else [(None, value)]
        for tier, one in items:
            if isinstance(one, int) and not isinstance(one, bool) and one < 0:
                where = at + ("check", key) + ((tier,) if tier is not None else ())
                label = f"{key} → {tier}" if tier is not None else key
                emit(
                    pack,
                    where,
                    "error",
                    f"{context} → check → {label}: {one} is negative; it must be 0 or more",
                )
    if name == "one_of" and params.get("values") == []:
        emit(
            pack,
            at + ("check", "values"),
            "error",
            f"{context} → check → values: the list is empty, so no value can ever pass",
        )


def _field(
    pack: LoadedPack, at: tuple[Any, ...], chain: Sequence[Any], context: str, consequence: str, emit: Emit
) -> None:
    """Warn about a field the manifest schema forbids: no valid manifest can have it."""
    for n in range(1, len(chain) + 1):
        if schema_at(tuple(chain[:n])) is None:
            parent = ".".join(str(p) for p in chain[: n - 1] if isinstance(p, str)) or "the manifest root"
            emit(
                pack,
                at,
                "warning",
                f"{context}: the pilot manifest schema has no field {chain[n - 1]!r} in "
                f"{parent}; {consequence}",
            )
            return


def _thresholds(
    pack: LoadedPack,
    at: tuple[Any, ...],
    context: str,
    params: dict[str, Any],
    allowed: tuple[str, ...],
    tiers: tuple[str, ...],
    emit: Emit,
) -> None:
    for key, value in params.items():
        if isinstance(value, dict) and value and set(value) & set(tiers) and not set(value) <= set(tiers):
            odd = ", ".join(sorted(set(value) - set(tiers)))
            emit(
                pack,
                at + ("check", key),
                "warning",
                f"{context} → check → {key}: mixes tier names with {odd}, which "
                f"{'is not a tier' if ',' not in odd else 'are not tiers'};"
                " it is used as one value for every tier",
            )
    if allowed and all(_params_for(params, tier, tiers) is None for tier in allowed):
        emit(
            pack,
            at + ("check",),
            "error",
            f"{context} → check: no threshold is set for any tier it applies to "
            f"({', '.join(allowed)}); the rule can never apply",
        )


def _message(
    pack: LoadedPack, at: tuple[Any, ...], context: str, message: str, spec: CheckSpec, emit: Emit
) -> None:
    try:
        names = {
            field.split(".")[0].split("[")[0]
            for _, field, _, _ in string.Formatter().parse(message)
            if field is not None
        }
    except ValueError as exc:
        emit(
            pack,
            at + ("message",),
            "error",
            f"{context} → message: not a valid template ({exc}); write a literal brace as {{{{ or }}}}",
        )
        return
    unknown = sorted(names - set(MESSAGE_FIELDS) - set(spec.params))
    if unknown:
        known = ", ".join(f"{{{n}}}" for n in (*MESSAGE_FIELDS, *spec.params))
        emit(
            pack,
            at + ("message",),
            "warning",
            f"{context} → message: unknown placeholder(s) "
            f"{', '.join(f'{{{n}}}' for n in unknown)} stay as written; known: {known}",
        )


def _references(pack: LoadedPack, at: tuple[Any, ...], refs: Any, context: str, emit: Emit) -> None:
    known = known_references()
    for j, ref in enumerate(refs):
        if ref not in known:
            close = difflib.get_close_matches(ref, list(known), n=1, cutoff=0.75)
            hint = (
                f"; did you mean {close[0]!r}?"
                if close
                else ' (docs/policy-packs.md, "References", gives the forms)'
            )
            emit(
                pack,
                at + ("references", j),
                "warning",
                f"{context} → references: {ref!r} is not an item of a known framework{hint}",
            )


def _override(
    pack: LoadedPack,
    i: int,
    over: dict[str, Any],
    packs: list[LoadedPack],
    checks: Mapping[str, CheckSpec],
    emit: Emit,
) -> None:
    rule = next((r for p in packs for r in p.data.get("rules", []) if r["id"] == over["rule"]), None)
    name = next((k for k in rule["check"] if k in checks), None) if rule else None
    if rule is None or name is None:
        return  # policy.build reports a missing rule or check
    tiers = _inherited(packs, "tiers", DEFAULT_TIERS)
    for key, value in over.get("params", {}).items():
        at, context = ("overrides", i, "params", key), f"pack {pack.name} → override {over['rule']} → params"
        if key not in checks[name].params:
            emit(
                pack,
                at,
                "error",
                f"{context}: {key!r} is not a parameter of the {name} check (parameters: "
                f"{', '.join(checks[name].params) or 'none'}); it would change nothing",
            )
            continue
        before = rule["check"].get(key)
        if _per_tier(before, tiers) and _per_tier(value, tiers) and set(before) - set(value):
            dropped = ", ".join(f"{t} ({before[t]})" for t in tiers if t in before and t not in value)
            emit(
                pack,
                at,
                "warning",
                f"{context} → {key}: replaces the whole per-tier mapping, so {dropped} now take "
                "the value of the nearest tier listed below; list every tier to keep its value",
            )


def _per_tier(value: Any, tiers: tuple[str, ...]) -> bool:
    return isinstance(value, dict) and bool(value) and set(value) <= set(tiers)


def _override_params(packs: list[LoadedPack]) -> dict[str, dict[str, Any]]:
    merged: dict[str, dict[str, Any]] = {}
    for pack in packs:
        for over in pack.data.get("overrides", []):
            merged.setdefault(over["rule"], {}).update(over.get("params", {}))
    return merged


def _inherited(packs: list[LoadedPack], key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    value = default
    for pack in packs:  # parents first, as policy.build reads them
        value = tuple(pack.data.get(key, value))
    return value


def _remediation(pack: LoadedPack, at: tuple[Any, ...], context: str, text: Any, emit: Emit) -> None:
    """Warn when a remediation is not YAML: docs/policy-packs.md makes it a snippet for a manifest."""
    if not isinstance(text, str) or not text.strip():
        return
    try:
        load_all(text, "remediation")
    except ParseError as exc:
        emit(
            pack,
            at + ("remediation",),
            "warning",
            f"{context} → remediation: not a valid YAML snippet ({exc.message}); "
            "it is meant to be pasted into a manifest",
        )
