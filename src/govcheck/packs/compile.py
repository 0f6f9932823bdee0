"""Compile one pack rule: applicability, check function and per-tier parameters."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from govcheck.errors import Problem
from govcheck.interfaces import CheckSpec, Evaluator
from govcheck.lang.expression import compile_expression
from govcheck.model import RuleInfo
from govcheck.packs.applicability import tier_set
from govcheck.packs.loader import LoadedPack
from govcheck.packs.rules import CompiledRule, severity_of


def rule(
    pack: LoadedPack,
    index: int,
    raw: dict[str, Any],
    over: Mapping[str, Any],
    tiers: tuple[str, ...],
    stages: tuple[str, ...],
    checks: Mapping[str, CheckSpec],
    problems: list[Problem],
) -> CompiledRule | None:
    at = ("rules", index)
    context = f"pack {pack.name} → rule {raw['id']}"
    before = len(problems)

    def problem(path: tuple[str | int, ...], message: str) -> None:
        problems.append(pack.where(at + path, f"{context} → {message}"))

    applies = raw.get("applies", {})
    allowed, tier_text = _tiers(applies.get("tiers"), tiers, problem)
    rule_stages = applies.get("stages")
    for i, stage in enumerate(rule_stages or ()):
        if stage not in stages:
            problem(
                ("applies", "stages", i),
                f"applies → stages: {stage!r} is not one of the stages {', '.join(stages)}",
            )
    when = None
    if "when" in applies:
        try:
            when = compile_expression(applies["when"])
        except ValueError as exc:
            problem(("applies", "when"), f"applies → when: {exc}")
    found = _check(raw["check"], checks, problem)
    by_tier: dict[str, tuple[Evaluator, Mapping[str, Any]] | None] = {}
    if found is not None:
        name, target, params = found
        # Unknown override parameters are reported by `govcheck pack lint`, at the override.
        params = {**params, **_merge_params(raw["check"], over.get("params", {}), tiers)}
        by_tier = _per_tier(
            checks[name], target, params, tiers, lambda m: problem(("check",), f"check → {name}: {m}")
        )
    try:
        raw["message"].format_map(_AnyField())
    except (ValueError, IndexError) as exc:
        problem(("message",), f"message: not a valid template ({exc}); write a literal brace as {{{{ or }}}}")
    if len(problems) > before:
        return None
    assert found is not None
    docs = pack.data["metadata"].get("docs_url", "")
    info = RuleInfo(
        raw["id"],
        raw["title"],
        raw["category"],
        severity_of(raw, over),
        raw.get("rationale", ""),
        raw.get("remediation", ""),
        tuple(raw.get("references", ())),
        pack.name,
        f"{docs.rstrip('#')}#{raw['id'].lower()}" if docs else "",
        tuple(raw.get("addresses", ())),
        raw.get("capability", ""),
    )
    return CompiledRule(
        info,
        raw["message"],
        allowed,
        tier_text,
        tuple(s for s in stages if s in (rule_stages or ())),
        when,
        applies.get("when", ""),
        found[0],
        found[1],
        by_tier,
        pack.version,
    )


class _AnyField(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def _merge_params(
    check: Mapping[str, Any], override: Mapping[str, Any], tiers: tuple[str, ...]
) -> dict[str, Any]:
    """Override parameters; a per-tier override changes only the tiers it names."""
    merged = dict(override)
    for name, value in override.items():
        before: Any = check.get(name)
        if _is_per_tier(value, tiers) and _is_per_tier(before, tiers):
            merged[name] = {**before, **value}
    return merged


def _is_per_tier(value: Any, tiers: tuple[str, ...]) -> bool:
    return isinstance(value, dict) and bool(value) and set(value) <= set(tiers)


def _tiers(spec: Any, tiers: tuple[str, ...], problem: Any) -> tuple[frozenset[str] | None, str]:
    if spec is None:
        return None, ""
    names = spec if isinstance(spec, list) else [spec.get("min", tiers[0]), spec.get("max", tiers[-1])]
    for name in names:
        if name not in tiers:
            problem(
                ("applies", "tiers"), f"applies → tiers: {name!r} is not one of the tiers {', '.join(tiers)}"
            )
            return None, ""
    if isinstance(spec, list):
        return frozenset(spec), ", ".join(spec)
    high = tiers.index(names[1])
    if not tier_set(spec, tiers):
        problem(
            ("applies", "tiers"),
            f"applies → tiers: min {names[0]!r} is above max {names[1]!r}; the rule can never apply",
        )
    text = f"{names[0]} and above" if high == len(tiers) - 1 else f"{names[0]} to {names[1]}"
    return frozenset(tier_set(spec, tiers)), text


def _check(
    spec: dict[str, Any], checks: Mapping[str, CheckSpec], problem: Any
) -> tuple[str, str, dict[str, Any]] | None:
    names = [k for k in spec if k in checks]
    if len(names) != 1:
        what = (
            "names two checks: " + ", ".join(names)
            if names
            else f"names no known check (keys: {', '.join(spec)})"
        )
        problem(("check",), f"check {what}; known checks: {', '.join(checks)}")
        return None
    name = names[0]
    params = {k: v for k, v in spec.items() if k != name}
    unknown = sorted(set(params) - set(checks[name].params))
    missing = sorted(k for k, req in checks[name].params.items() if req and k not in params)
    if unknown or missing:
        expected = ", ".join(checks[name].params) or "none"
        bad = "; ".join(
            filter(
                None,
                [
                    f"unknown parameter(s) {', '.join(unknown)}" if unknown else "",
                    f"missing parameter(s) {', '.join(missing)}" if missing else "",
                ],
            )
        )
        problem(("check", unknown[0] if unknown else name), f"check → {name}: {bad} (parameters: {expected})")
        return None
    target = spec[name]
    if not isinstance(target, str):
        problem(
            ("check", name),
            f"check → {name}: the target must be text (a field path or expression), not {target!r}",
        )
        return None
    return name, target, params


def _per_tier(
    spec: CheckSpec, target: str, params: dict[str, Any], tiers: tuple[str, ...], problem: Any
) -> dict[str, tuple[Evaluator, Mapping[str, Any]] | None]:
    """One compiled evaluator per distinct parameter set; tiers sharing values share it."""
    if tiers and not any(_is_per_tier(value, tiers) for value in params.values()):
        return dict.fromkeys(tiers, _compile_one(spec, target, dict(params), problem))  # one set for all
    out: dict[str, tuple[Evaluator, Mapping[str, Any]] | None] = {}
    cache: dict[str, tuple[Evaluator, Mapping[str, Any]] | None] = {}
    for tier in tiers:
        resolved = _params_for(params, tier, tiers)
        key = json.dumps(resolved, sort_keys=True, default=str)
        if key not in cache:
            cache[key] = None if resolved is None else _compile_one(spec, target, resolved, problem)
        out[tier] = cache[key]
    return out


def _params_for(params: dict[str, Any], tier: str, tiers: tuple[str, ...]) -> dict[str, Any] | None:
    out = {}
    for name, value in params.items():
        if _is_per_tier(value, tiers):
            below = [t for t in tiers[: tiers.index(tier) + 1] if t in value]
            if not below:
                return None
            value = value[below[-1]]
        out[name] = value
    return out


def _compile_one(
    spec: CheckSpec, target: str, params: dict[str, Any], problem: Any
) -> tuple[Evaluator, Mapping[str, Any]] | None:
    try:
        return spec.compile(target, params), params
    except ValueError as exc:
        problem(str(exc))
    except Exception as exc:  # a third-party check must not crash the run
        problem(f"the check function failed to compile: {type(exc).__name__}: {exc}")
    return None
