"""What a pack rule becomes once compiled: the values the evaluator, docs and lint read."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from govcheck.interfaces import Evaluator
from govcheck.model import RuleInfo, Severity


class TieringRule(NamedTuple):
    id: str
    when: Any
    minimum: str
    reason: str


class CompiledRule(NamedTuple):
    info: RuleInfo
    message: str
    tiers: frozenset[str] | None
    tier_text: str
    stages: tuple[str, ...]  # in pack order; empty means every stage
    when: Any
    when_text: str
    check_name: str
    target: str
    # One evaluator and parameter set per tier; None where no parameter value fits that tier.
    by_tier: Mapping[str, tuple[Evaluator, Mapping[str, Any]] | None]
    pack_version: str


def severity_of(rule: dict[str, Any], over: Mapping[str, Any]) -> Severity:
    value: Severity = over.get("severity", rule["severity"])
    return value
