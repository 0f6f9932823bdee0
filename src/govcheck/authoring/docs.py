"""``govcheck pack docs``: a pack's Markdown rule reference, generated, never handwritten.

When rules say what they address, first the scale problems (the reasons pilots fail to scale,
the scale-readiness questions, the harder questions) each with the rules enforcing an answer
and the tiers they apply at. Then per category a tier-by-rule matrix (a cell shows the tier's
threshold, a check mark when the rule applies with the same parameters everywhere, a dash when
it does not apply), then each rule's sections as ``explain`` shows them. The output depends
only on the pack: no dates, no paths, so a test can tell when a committed copy is stale.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from govcheck.authoring.ruledoc import code, describe, parameters, render_markdown
from govcheck.interfaces import CheckSpec
from govcheck.packs.applicability import applies_at
from govcheck.packs.loader import LoadedPack
from govcheck.packs.policy import Policy
from govcheck.packs.rules import CompiledRule
from govcheck.resources import schema

NOT_APPLICABLE = "–"
APPLIES = "✓"
LONGEST_CELL = 24  # a per-tier value longer than this (a schema fragment) is not shown inline

# The scale problems a rule's ``addresses`` names, in the order the docs list them, with the
# one-line wording shown there. The words are the policy-pack schema's enum (a test holds the
# two equal), so a pack cannot name a problem this list does not word.
SCALE_PROBLEMS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "The five reasons pilots fail to scale",
        (
            ("reason:ownership", "Ownership after launch and the operating model."),
            ("reason:workflow", "Workflow fit."),
            ("reason:data", "Enterprise data support."),
            (
                "reason:governance",
                "Governance: validation, risk tiering, privacy, clinical oversight, auditability,"
                " incident response.",
            ),
            ("reason:evidence", "Evidence: monitoring and strong success metrics."),
        ),
    ),
    (
        "The four scale-readiness questions",
        (
            ("question:workflow", "Does it fit the workflow?"),
            ("question:data", "Does it have enterprise-grade data support?"),
            ("question:governance", "Does governance exist?"),
            ("question:ownership", "Does ownership continue after launch?"),
        ),
    ),
    (
        "The six harder questions",
        (
            (
                "harder:owner-after-launch",
                "Who owns the model, its monitoring and support once the project team moves on?",
            ),
            (
                "harder:governance-if-expanded",
                "What governance model applies if the pilot expands: approval scope, sites, expiry,"
                " conditions?",
            ),
            (
                "harder:workflow-change",
                "What workflow changes does durable adoption need: training, adoption plan, feedback,"
                " fallback?",
            ),
            (
                "harder:pilot-only-data",
                "Which data conditions are pilot-only and which are reusable enterprise capabilities?",
            ),
            (
                "harder:value-evidence",
                "What evidence shows value strong enough to expand, measured across sites and over time?",
            ),
            (
                "harder:stop-or-change",
                "What happens when it fails or the model changes: change control, incident path,"
                " kill switch, decommission?",
            ),
        ),
    ),
)


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
    parts += scale_problems(policy)
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


def scale_problems(policy: Policy) -> list[str]:
    """Per scale problem, the rules that address it, by id, each with where it applies.

    Omitted when no rule says what it addresses, so packs that do not use ``addresses`` keep
    their reference unchanged. A problem no rule addresses is listed as such: a gap to see.
    """
    if not any(r.info.addresses for r in policy.rules):
        return []
    parts = [
        "## What the pack enforces, by scale problem",
        "",
        "Each scale problem, with the rules that enforce an answer to it: the tiers each applies"
        " at or, where its threshold differs by tier, the threshold at each tier.",
        "",
    ]
    for heading, items in SCALE_PROBLEMS:
        parts += [f"### {heading}", ""]
        for word, wording in items:
            parts.append(f"- `{word}`: {wording}")
            rules = sorted((r for r in policy.rules if word in r.info.addresses), key=lambda r: r.info.id)
            parts += [f"  - {_addressing(r, policy)}" for r in rules] or [
                "  - No rule of this pack addresses it."
            ]
        parts.append("")
    return parts


def _addressing(rule: CompiledRule, policy: Policy) -> str:
    """``OWN-003 (moderate, high, critical)`` or ``MON-002: moderate 90 days, high 60, critical 30``."""
    link = f"[{rule.info.id}](#{rule.info.id.lower()})"
    details = [f"stage{'s' if len(rule.stages) > 1 else ''} {', '.join(rule.stages)}"] if rule.stages else []
    if rule.when_text:
        details.append(f"when {code(rule.when_text)}")
    per_tier = {t: dict(c[1]) for t in policy.tiers if applies_at(rule, t) and (c := rule.by_tier.get(t))}
    if not per_tier:
        return "; ".join([f"{link}: applies at no tier", *details])
    names = sorted({n for p in per_tier.values() for n in p})
    varying = [n for n in names if len({_show(p.get(n)) for p in per_tier.values()}) > 1]
    shown = {t: [_worded(n, p.get(n)) for n in varying] for t, p in per_tier.items()}
    tiers = ", ".join(per_tier)
    if any(w is None or len(w) > LONGEST_CELL for words in shown.values() for w in words):
        # A per-tier schema fragment does not fit a line; the rule's own section shows it.
        details.insert(0, "thresholds differ by tier")
        varying = []
    if not varying:
        return f"{link} ({'; '.join([tiers, *details])})"
    lines = [", ".join(w for w in words if w) for words in shown.values()]
    if len(varying) == 1 and varying[0] in ABBREVIATED:
        # One threshold: its unit is said once, as in "moderate 90 days, high 60, critical 30".
        lines = [lines[0], *(_show(p.get(varying[0])) for p in list(per_tier.values())[1:])]
        values = ", ".join(f"{tier} {line}" for tier, line in zip(per_tier, lines, strict=True))
    else:
        values = "; ".join(f"{tier} {line}" for tier, line in zip(per_tier, lines, strict=True))
    return f"{link}: {values}" + (f" ({'; '.join(details)})" if details else "")


# How a per-tier parameter reads; the ones listed in ABBREVIATED are said in full once per line.
ABBREVIATED = {"days": "{} days", "count": "at least {}"}


def _show(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def _worded(name: str, value: Any) -> str | None:
    """A parameter's value in words, or None where it has none short (a schema fragment)."""
    if value is None:
        return f"no {name}"
    if isinstance(value, dict):
        return None
    if isinstance(value, list):
        if not all(isinstance(v, (str, int, float)) for v in value):
            return None
        return " or ".join(str(v) for v in value)
    if name in ABBREVIATED:
        return ABBREVIATED[name].format(_show(value))
    return f"{name} {_show(value)}"


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
    return _cell(shown) if shown and len(shown) <= LONGEST_CELL else APPLIES


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
