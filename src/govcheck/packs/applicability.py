"""Whether a rule applies to a manifest: the one definition the evaluator, docs, lint and init share.

A rule applies when the manifest's effective tier is one the rule names, its stage is one the
rule names, its ``when`` guard is true, and the rule sets a threshold for that tier.
"""

from __future__ import annotations

from typing import Any

from govcheck.lang.expression import truthy
from govcheck.packs.rules import CompiledRule


def tier_set(spec: Any, tiers: tuple[str, ...]) -> tuple[str, ...]:
    """The tiers an ``applies.tiers`` entry names, in tier order: a list, or ``{min, max}``.

    No entry means every tier; names that are not tiers, or a min above its max, name none.
    """
    if spec is None:
        return tiers
    if isinstance(spec, list):
        return tuple(t for t in tiers if t in spec)
    low, high = spec.get("min", tiers[0]), spec.get("max", tiers[-1])
    return tiers[tiers.index(low) : tiers.index(high) + 1] if low in tiers and high in tiers else ()


def applies_at(rule: CompiledRule, tier: str, stage: str | None = None) -> bool:
    """Whether the rule can apply at a tier (and stage), whatever a manifest's guard says."""
    if stage is not None and rule.stages and stage not in rule.stages:
        return False
    return (rule.tiers is None or tier in rule.tiers) and rule.by_tier.get(tier) is not None


def not_applicable(rule: CompiledRule, data: Any, tier: str, stage: str) -> str:
    """Why the rule does not apply to this manifest, or "" when it does."""
    if rule.tiers is not None and tier not in rule.tiers:
        return f"tier {tier or '(none)'} is not {rule.tier_text}"
    if rule.stages and stage not in rule.stages:
        return f"stage {stage or '(none)'} is not {', '.join(rule.stages)}"
    if rule.when is not None and not truthy(rule.when.search(data)):
        return f"guard {rule.when_text} is false"
    if rule.by_tier.get(tier or next(iter(rule.by_tier), "")) is None:
        return f"no threshold is set for tier {tier or '(none)'}"
    return ""
