"""One rule's documentation, in fixed sections: what ``explain`` prints and ``pack docs`` writes.

Sections, always in this order: the title (heading), Why (rationale), What is checked
(applicability, check, thresholds per tier, message), How to fix (remediation) and
References. Both renderers take these sections, so the two never drift apart.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from govcheck.authoring.frameworks import known_references
from govcheck.interfaces import CheckSpec
from govcheck.packs.policy import Policy
from govcheck.packs.rules import CompiledRule

SECTIONS = ("Why", "What is checked", "How to fix", "References")


@dataclass(frozen=True)
class RuleDoc:
    """One rule's documentation as plain text, before rendering; ``sections`` gives it in the fixed order."""

    id: str
    title: str
    byline: str  # severity · category · pack version
    why: str
    checked: tuple[str, ...]  # one item per line; nested items start with two spaces
    fix: str  # a YAML snippet
    references: tuple[str, ...]

    def sections(self) -> tuple[tuple[str, str], ...]:
        checked = "\n".join(f"{'  ' if c.startswith('  ') else ''}- {c.strip()}" for c in self.checked)
        refs = "\n".join(f"- {r}" for r in self.references) or "None given."
        texts = (self.why or "Not stated by the pack.", checked, self.fix, refs)
        return tuple(zip(SECTIONS, texts, strict=True))


def describe(rule: CompiledRule, policy: Policy, checks: Mapping[str, CheckSpec]) -> RuleDoc:
    """A rule's documentation from its compiled form: thresholds and message as in force after overrides.

    A cited framework item is shown with its title; a parameter with one value at every tier is
    listed once, the others per tier.
    """
    info = rule.info
    spec = checks.get(rule.check_name)
    what = f"`{rule.check_name}` on {code(rule.target)}" + (
        f": {spec.description}" if spec and spec.description else ""
    )
    checked = [f"Applies to {applies(rule, policy)}.", f"Check: {what}."]
    fixed, varying = parameters(rule, policy)
    checked += [f"Parameter {name}: {code(_show(value))}." for name, value in fixed.items()]
    if varying:
        checked.append("Thresholds by tier:")
        checked += [f"  {tier}: {cell}" for tier, cell in varying.items()]
    checked.append(f"Message: {rule.message}")
    if info.capability:
        checked.append(
            f"Capability: {code(info.capability)}, an enterprise capability built once for every"
            " pilot: a pilot blocked only by such rules has gaps to fix, not a design to change."
        )
    refs = tuple(_reference(r) for r in info.references)
    return RuleDoc(
        info.id,
        info.title,
        f"{info.severity} · {info.category} · {info.pack} {rule.pack_version}",
        info.rationale.strip(),
        tuple(checked),
        info.remediation.rstrip("\n"),
        refs,
    )


def applies(rule: CompiledRule, policy: Policy) -> str:
    """Where a rule applies, in words: its tiers, its stages ("every" when unrestricted) and its guard."""
    tiers = (
        f"tier{'s' if len(rule.tiers) > 1 else ''} {rule.tier_text}"
        if rule.tiers is not None
        else "every tier"
    )
    stages = (
        f"stage{'s' if len(rule.stages) > 1 else ''} {', '.join(rule.stages)}"
        if rule.stages
        else "every stage"
    )
    guard = f", when {code(rule.when_text)}" if rule.when_text else ""
    return f"{tiers}, {stages}{guard}"


def parameters(rule: CompiledRule, policy: Policy) -> tuple[dict[str, Any], dict[str, str]]:
    """Parameters with one value at every tier the rule applies to, and the others per tier."""
    allowed = [t for t in policy.tiers if rule.tiers is None or t in rule.tiers]
    per_tier = {t: dict(compiled[1]) if (compiled := rule.by_tier.get(t)) else None for t in allowed}
    given = [p for p in per_tier.values() if p is not None]
    names = sorted({k for p in given for k in p})
    fixed = {
        n: given[0][n]
        for n in names
        if len(given) == len(allowed) and len({_show(p.get(n)) for p in given}) == 1
    }
    if len(fixed) == len(names):
        return fixed, {}
    varying = {
        t: ", ".join(f"{n} {_show(p[n])}" for n in names if n not in fixed and n in p)
        if p is not None
        else "no threshold, not checked"
        for t, p in per_tier.items()
    }
    return fixed, varying


def code(text: str) -> str:
    """Inline code that survives backticks inside (JMESPath literals use them)."""
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def _show(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def _reference(ref: str) -> str:
    item = known_references().get(ref)
    return f"{ref}: {item.title}" if item is not None else ref


def render_text(doc: RuleDoc) -> str:
    """The doc for the terminal (``explain``): plain headings, bodies indented by two spaces."""
    lines = [f"{doc.id}: {doc.title}", doc.byline]
    for heading, body in doc.sections():
        lines += ["", heading, *(f"  {line}" if line else "" for line in body.splitlines())]
    return "\n".join(lines) + "\n"


def render_markdown(doc: RuleDoc, level: int = 3) -> str:
    """The doc as Markdown, headed at ``level`` under an anchor named by the lowercased rule id.

    ``pack docs`` links its matrix to that anchor, and SARIF's documentation links
    (``docs/rules/<pack>.md#<id>``) point at it too.
    """
    lines = [f'<a id="{doc.id.lower()}"></a>', "", f"{'#' * level} {doc.id}: {doc.title}", "", doc.byline]
    for heading, body in doc.sections():
        body = (
            f"```yaml\n{body}\n```" if heading == "How to fix" and body else body or "Not stated by the pack."
        )
        lines += ["", f"{'#' * (level + 1)} {heading}", "", body]
    return "\n".join(lines) + "\n"
