"""``govcheck pack docs``: a pack's Markdown rule reference, generated, never handwritten.

Per category a tier-by-rule matrix (a cell shows the tier's threshold, a check mark when the
rule applies with the same parameters everywhere, a dash when it does not apply), then each
rule's sections as ``explain`` shows them. The output depends only on the pack: no dates, no
paths, so a test can tell when a committed copy is stale.
"""

from __future__ import annotations

from collections.abc import Mapping

from govcheck.authoring.ruledoc import code, describe, parameters, render_markdown
from govcheck.interfaces import CheckSpec
from govcheck.packs.applicability import applies_at
from govcheck.packs.loader import LoadedPack
from govcheck.packs.policy import Policy
from govcheck.packs.rules import CompiledRule
from govcheck.resources import schema

NOT_APPLICABLE = "–"
APPLIES = "✓"


def header(pack: LoadedPack) -> str:
    """The reference's first line: the pack version it was generated from, and not to edit it.

    It holds no date or path, so regenerating an unchanged pack gives the same file.
    """
    return f"<!-- generated from {pack.name} {pack.version} by govcheck pack docs; do not edit -->"


def render(pack: LoadedPack, policy: Policy, checks: Mapping[str, CheckSpec]) -> str:
    """The whole reference of ``pack`` and what it extends: categories in the schema's order, rules by id.

    The text depends only on the pack, so ``pack docs --check`` can compare a committed copy byte
    for byte.
    """
    parts = [header(pack), "", f"# {pack.name} {pack.version}", ""]
    description = str(pack.data["metadata"].get("description", "")).strip()
    if description:
        parts += [description, ""]
    parents = [p for p in pack.lineage() if p is not pack]
    if parents:
        parts += [
            "Extends " + ", ".join(f"{p.name} {p.version}" for p in parents) + "; their rules are included.",
            "",
        ]
    parts += [
        f"Tiers, lowest first: {', '.join(policy.tiers)}. Stages, in order: {', '.join(policy.stages)}. "
        f"{len(policy.rules)} rules.",
        "",
    ]
    parts += _tiering(policy)
    categories = schema("policy-pack")["$defs"]["rule"]["properties"]["category"]["enum"]
    for category in categories:
        rules = [r for r in policy.rules if r.info.category == category]
        if rules:
            parts += [f"## {category}", "", *_matrix(rules, policy), ""]
            parts += [render_markdown(describe(r, policy, checks)) for r in rules]
    return "\n".join(parts).rstrip("\n") + "\n"


def _tiering(policy: Policy) -> list[str]:
    if not policy.tiering:
        return []
    rows = [
        f"| {t.id} | {t.minimum} | {_cell(code(getattr(t.when, 'expression', '')))} | {_cell(t.reason)} |"
        for t in policy.tiering
    ]
    return [
        "## Tiering",
        "",
        "A declared tier is raised, never lowered, when a guard holds.",
        "",
        "| id | at least | when | why |",
        "| --- | --- | --- | --- |",
        *rows,
        "",
    ]


def _matrix(rules: list[CompiledRule], policy: Policy) -> list[str]:
    head = ["rule", "title", "severity", "stages", *policy.tiers]
    lines = ["| " + " | ".join(head) + " |", "| " + " | ".join("---" for _ in head) + " |"]
    for rule in rules:
        _, varying = parameters(rule, policy)
        cells = [_tier_cell(rule, tier, varying) for tier in policy.tiers]
        stages = ", ".join(rule.stages) if rule.stages else "all"
        if rule.when_text:
            stages += f" (when {code(rule.when_text)})"
        lines.append(
            f"| [{rule.info.id}](#{rule.info.id.lower()}) | {_cell(rule.info.title)} "
            f"| {rule.info.severity} | {_cell(stages)} | " + " | ".join(cells) + " |"
        )
    return lines


def _tier_cell(rule: CompiledRule, tier: str, varying: dict[str, str]) -> str:
    if not applies_at(rule, tier):
        return NOT_APPLICABLE
    shown = varying.get(tier, "")
    return _cell(shown) if shown and len(shown) <= 24 else APPLIES


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
