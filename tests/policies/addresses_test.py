"""What scale problem each shipped rule addresses, and whether the two packs address them all.

A rule's ``addresses`` names the scale problems it enforces an answer to: the five reasons
pilots fail to scale, the four scale-readiness questions and the six harder questions
(docs/policy-packs.md). Held here, across healthcare-ai-baseline and scale-readiness:

- every shipped rule carries ``addresses``, with items of the vocabulary only;
- each reason and each scale-readiness question is addressed by at least three rules graded
  across tiers: rules whose threshold differs from one tier to another, or that apply at some
  tiers and not at others (a rule that asks the same of every tier does not grade the answer
  by risk);
- each harder question is addressed by at least one rule;
- ``govcheck pack docs`` of each pack lists, under each item, every rule of that pack that
  addresses it.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from govcheck.api import load_policy
from govcheck.cli import cli
from govcheck.load.yaml import load_all, read_text
from govcheck.packs.applicability import applies_at
from govcheck.packs.policy import Policy
from govcheck.packs.rules import CompiledRule
from govcheck.plugins import load_registry
from govcheck.resources import data_dir

ROOT = Path(__file__).resolve().parents[2]
PACKS = {name: ROOT / "policies" / name for name in ("healthcare-ai-baseline", "scale-readiness")}
REASONS = ("reason:ownership", "reason:workflow", "reason:data", "reason:governance", "reason:evidence")
QUESTIONS = ("question:workflow", "question:data", "question:governance", "question:ownership")
HARDER = (
    "harder:owner-after-launch",
    "harder:governance-if-expanded",
    "harder:workflow-change",
    "harder:pilot-only-data",
    "harder:value-evidence",
    "harder:stop-or-change",
)
VOCABULARY = (*REASONS, *QUESTIONS, *HARDER)
GRADED_AT_LEAST, HARDER_AT_LEAST = 3, 1


@functools.cache
def raw_rules(pack: str) -> tuple[dict[str, Any], ...]:
    """The rules as the pack file writes them (``addresses`` included, whatever the compiler keeps)."""
    path = PACKS[pack] / "pack.yaml"
    data = load_all(read_text(path.name, path.read_bytes()), path.name)[0].data
    return tuple(data.get("rules", []))


@functools.cache
def policy(pack: str) -> Policy:
    return load_policy(load_registry(()), (str(PACKS[pack]),), ROOT)


def addresses() -> dict[str, tuple[str, ...]]:
    """Rule id -> what it addresses, over both packs."""
    return {r["id"]: tuple(r.get("addresses", ())) for pack in PACKS for r in raw_rules(pack)}


def graded(rule: CompiledRule, tiers: tuple[str, ...]) -> bool:
    """Whether the rule asks more of some tiers than of others: its parameters differ between
    tiers where it applies, or it applies at some tiers and not at others (at some stage)."""
    stages = tuple(rule.stages) or (None,)
    if len({applies_at(rule, t, s) for t in tiers for s in stages}) > 1:
        return True
    params = {
        json.dumps(dict(c[1]), sort_keys=True, default=str) for c in rule.by_tier.values() if c is not None
    }
    return len(params) > 1


def graded_rules() -> dict[str, bool]:
    return {r.info.id: graded(r, policy(pack).tiers) for pack in PACKS for r in policy(pack).rules}


def test_the_vocabulary_is_the_schemas() -> None:
    schema = json.loads((data_dir("schemas") / "policy-pack.schema.json").read_text(encoding="utf-8"))
    found: list[Any] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("properties"), dict) and "addresses" in node["properties"]:
                found.append(node["properties"]["addresses"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    assert found, "the policy-pack schema has no addresses field for rules"
    assert sorted(found[0]["items"]["enum"]) == sorted(VOCABULARY)


@pytest.mark.parametrize("pack", list(PACKS))
def test_every_shipped_rule_carries_addresses(pack: str) -> None:
    missing = [r["id"] for r in raw_rules(pack) if not r.get("addresses")]
    assert missing == [], f"{pack}: rules without addresses"
    unknown = {r["id"]: sorted(set(r["addresses"]) - set(VOCABULARY)) for r in raw_rules(pack)}
    assert {rule: items for rule, items in unknown.items() if items} == {}


@pytest.mark.parametrize("item", [*REASONS, *QUESTIONS])
def test_each_reason_and_question_is_addressed_by_rules_graded_across_tiers(item: str) -> None:
    grades = graded_rules()
    rules = sorted(rule for rule, items in addresses().items() if item in items)
    flat = [rule for rule in rules if not grades.get(rule, False)]
    assert len(rules) - len(flat) >= GRADED_AT_LEAST, (
        f"{item}: {len(rules) - len(flat)} rule(s) graded across tiers, at least {GRADED_AT_LEAST} needed"
        f" (graded: {', '.join(r for r in rules if r not in flat) or 'none'};"
        f" addressing it but the same at every tier: {', '.join(flat) or 'none'})"
    )


@pytest.mark.parametrize("item", HARDER)
def test_each_harder_question_is_addressed(item: str) -> None:
    rules = sorted(rule for rule, items in addresses().items() if item in items)
    assert len(rules) >= HARDER_AT_LEAST, f"{item}: no rule addresses it"


@functools.cache
def docs(pack: str) -> str:
    result = CliRunner().invoke(cli, ["pack", "docs", str(PACKS[pack])], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _sections(text: str, item: str) -> list[str]:
    """The docs from each mention of ``item`` to the next mention of any other item."""
    out = []
    for match in re.finditer(re.escape(item) + r"(?![a-z-])", text):
        start = match.end()
        ends = [i for other in VOCABULARY if other != item and (i := text.find(other, start)) >= 0]
        out.append(text[start : min(ends, default=len(text))])
    return out


def _unlisted(text: str, item: str, rules: list[str]) -> list[str]:
    """The rules no single section of ``item`` names (the best section's leftovers)."""
    best = list(rules)
    for section in _sections(text, item):
        left = [r for r in rules if not re.search(rf"(?<![A-Z0-9-]){re.escape(r)}(?![0-9])", section)]
        best = min(best, left, key=len)
    return best


@pytest.mark.parametrize("pack", list(PACKS))
def test_the_docs_list_the_rules_under_each_item(pack: str) -> None:
    text = docs(pack)
    wanted: dict[str, list[str]] = {}
    for rule in raw_rules(pack):
        for item in rule.get("addresses", ()):
            wanted.setdefault(item, []).append(rule["id"])
    assert wanted, f"{pack}: no rule addresses anything"
    missing = {item: _unlisted(text, item, rules) for item, rules in sorted(wanted.items())}
    assert {item: rules for item, rules in missing.items() if rules} == {}, (
        f"govcheck pack docs {pack}: rules not listed under the item they address"
    )
    assert [item for item in wanted if item not in text] == []
