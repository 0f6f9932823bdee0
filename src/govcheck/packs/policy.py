"""Turn loaded packs into one compiled policy: rules merged, overridden and compiled once.

Everything a manifest evaluation needs is prepared here: tier order, tiering guards, rule
applicability, and one check evaluator per rule and tier (JMESPath and schemas compiled
once per run, never per manifest).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any, NamedTuple, cast

from govcheck.errors import ConfigError, PackError, Problem
from govcheck.interfaces import CheckSpec
from govcheck.lang.expression import compile_expression
from govcheck.model import SEVERITY_RANK, PackInfo, Severity
from govcheck.packs import compile as _compile
from govcheck.packs.loader import DEFAULT_STAGES, DEFAULT_TIERS, LoadedPack
from govcheck.packs.rules import CompiledRule, TieringRule


class Policy(NamedTuple):
    tiers: tuple[str, ...]
    stages: tuple[str, ...]
    tiering: tuple[TieringRule, ...]
    rules: tuple[CompiledRule, ...]
    packs: tuple[PackInfo, ...]
    waiver_max_days: Mapping[str, int]

    def rank(self, tier: str) -> int:
        return self.tiers.index(tier) if tier in self.tiers else -1


def lineage(roots: Iterable[LoadedPack]) -> list[LoadedPack]:
    """The packs ``roots`` are and extend, parents first, each once: the order they merge in."""
    packs: dict[str, LoadedPack] = {}
    for root in roots:
        for pack in root.lineage():
            packs.setdefault(pack.source, pack)
    return list(packs.values())


def build(roots: list[LoadedPack], checks: Mapping[str, CheckSpec]) -> tuple[Policy | None, list[Problem]]:
    """Merge and compile; returns the policy (None if anything failed) and every problem."""
    packs = lineage(roots)
    problems: list[Problem] = []
    tiers = _inherited(packs, "tiers", DEFAULT_TIERS)
    stages = _inherited(packs, "stages", DEFAULT_STAGES)
    raw_rules = _merge_rules(packs, problems)
    tiering = _tiering(packs, tiers, problems)
    compiled = [
        _compile.rule(pack, i, rule, over, tiers, stages, checks, problems)
        for pack, i, rule, over in raw_rules
    ]
    max_days: dict[str, int] = {}
    for pack in packs:
        max_days.update(pack.data.get("waivers", {}).get("max_days", {}))
    infos = tuple(PackInfo(p.name, p.version, p.origin or p.source, p.digest) for p in packs)
    if problems:
        return None, problems
    rules = tuple(sorted((r for r in compiled if r is not None), key=lambda r: r.info.id))
    return Policy(tiers, stages, tuple(tiering), rules, infos, max_days), problems


def build_or_raise(roots: list[LoadedPack], checks: Mapping[str, CheckSpec]) -> Policy:
    policy, problems = build(roots, checks)
    if policy is None:
        raise PackError(
            f"{len(problems)} problem(s) in the policy packs; fix them (govcheck pack lint shows all):",
            tuple(problems),
        )
    return policy


def raise_severities(policy: Policy, severity: Mapping[str, str]) -> Policy:
    """Apply configured severities; a configuration may raise a rule's severity, never lower it."""
    current = {r.info.id: r.info.severity for r in policy.rules}
    for rule, wanted in sorted(severity.items()):
        if rule not in current:
            raise ConfigError(f"configuration severity: no loaded rule {rule}")
        if SEVERITY_RANK[wanted] < SEVERITY_RANK[current[rule]]:
            raise ConfigError(
                f"configuration severity: {rule} is {current[rule]} in its pack; a configuration can raise "
                "a severity, not lower it (an exception takes a waiver)"
            )
    # The configuration schema allows only the three severities.
    raised = {rule: cast(Severity, s) for rule, s in severity.items()}
    rules = tuple(
        r._replace(info=replace(r.info, severity=raised.get(r.info.id, r.info.severity)))
        for r in policy.rules
    )
    return policy._replace(rules=rules)


def _inherited(packs: list[LoadedPack], key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    value = default
    for pack in packs:  # parents come first, so the most derived pack wins
        if key in pack.data:
            value = tuple(pack.data[key])
    return value


def _merge_rules(
    packs: list[LoadedPack], problems: list[Problem]
) -> list[tuple[LoadedPack, int, dict[str, Any], dict[str, Any]]]:
    """Rules by id across the lineage, with overrides applied; duplicates are errors."""
    owner: dict[str, tuple[LoadedPack, int, dict[str, Any]]] = {}
    for pack in packs:
        for i, rule in enumerate(pack.data.get("rules", [])):
            if rule["id"] in owner:
                first = owner[rule["id"]][0]
                problems.append(
                    pack.where(
                        ("rules", i, "id"),
                        f"pack {pack.name} → rule {rule['id']}: already defined in pack {first.name} "
                        f"({first.source}); use overrides to change it",
                    )
                )
                continue
            owner[rule["id"]] = (pack, i, rule)
    overrides: dict[str, dict[str, Any]] = {}
    for pack in packs:
        if pack.data.get("overrides") and not pack.data.get("extends"):
            problems.append(
                pack.where(
                    ("overrides",),
                    f"pack {pack.name}: overrides change rules of extended packs, but this pack extends none",
                )
            )
            continue
        own = {r["id"] for r in pack.data.get("rules", [])}
        for i, over in enumerate(pack.data.get("overrides", [])):
            rid = over["rule"]
            if rid not in owner or rid in own:
                what = (
                    "its own rule; edit the rule instead"
                    if rid in own
                    else "a rule that no extended pack defines"
                )
                problems.append(
                    pack.where(
                        ("overrides", i, "rule"), f"pack {pack.name} → override {rid}: overrides {what}"
                    )
                )
                continue
            merged = overrides.setdefault(rid, {})
            merged.update({k: v for k, v in over.items() if k != "params"})
            merged.setdefault("params", {}).update(over.get("params", {}))
    return [
        (p, i, r, overrides.get(rid, {}))
        for rid, (p, i, r) in owner.items()
        if not overrides.get(rid, {}).get("disabled")
    ]


def _tiering(packs: list[LoadedPack], tiers: tuple[str, ...], problems: list[Problem]) -> list[TieringRule]:
    out: list[TieringRule] = []
    for pack in packs:
        for i, item in enumerate(pack.data.get("tiering", [])):
            where = ("tiering", i)
            if item["minimum"] not in tiers:
                problems.append(
                    pack.where(
                        where + ("minimum",),
                        f"pack {pack.name} → tiering {item['id']}: {item['minimum']!r} "
                        f"is not one of the tiers {', '.join(tiers)}",
                    )
                )
                continue
            try:
                when = compile_expression(item["when"])
            except ValueError as exc:
                problems.append(
                    pack.where(where + ("when",), f"pack {pack.name} → tiering {item['id']} → when: {exc}")
                )
                continue
            out.append(TieringRule(item["id"], when, item["minimum"], item["reason"]))
    return out
