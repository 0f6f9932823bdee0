"""What is loaded: ``govcheck rules`` (filtered by tier, stage, category) and ``govcheck packs``.

They let a reviewer see what the gate enforces here, and where each pack came from (source,
version, digest), without running a check.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from govcheck import __version__
from govcheck.errors import UsageError
from govcheck.packs.applicability import applies_at
from govcheck.packs.policy import Policy
from govcheck.packs.rules import CompiledRule
from govcheck.plugins import BUILTINS, Registry
from govcheck.resources import schema


@dataclass(frozen=True)
class RuleFilter:
    """What ``govcheck rules`` was asked to show; a field left ``None`` does not filter."""

    tier: str | None = None
    stage: str | None = None
    category: str | None = None


def select(policy: Policy, wanted: RuleFilter) -> list[CompiledRule]:
    """The rules that apply at ``tier`` and ``stage`` and belong to ``category`` (each optional)."""
    categories = schema("policy-pack")["$defs"]["rule"]["properties"]["category"]["enum"]
    for option, value, known in (
        ("--tier", wanted.tier, policy.tiers),
        ("--stage", wanted.stage, policy.stages),
        ("--category", wanted.category, categories),
    ):
        if value is not None and value not in known:
            raise UsageError(f"{option} {value!r} is not one of {', '.join(known)}")
    return [
        r
        for r in policy.rules
        if (wanted.tier is None or applies_at(r, wanted.tier))
        and (wanted.stage is None or not r.stages or wanted.stage in r.stages)
        and (wanted.category is None or r.info.category == wanted.category)
    ]


def rule_record(rule: CompiledRule, policy: Policy) -> dict[str, Any]:
    """One rule as both listings show it, with its tiers and stages spelled out in policy order.

    A rule that names no stages lists every stage, so a reader need not know the default.
    """
    info = rule.info
    return {
        "id": info.id,
        "title": info.title,
        "category": info.category,
        "severity": info.severity,
        "pack": info.pack,
        "pack_version": rule.pack_version,
        "tiers": [t for t in policy.tiers if applies_at(rule, t)],
        "stages": list(rule.stages or policy.stages),
        "when": rule.when_text,
        "check": rule.check_name,
        "target": rule.target,
        "references": list(info.references),
    }


def rules_text(rules: list[CompiledRule], policy: Policy) -> str:
    """An aligned table: ``all`` for every tier or stage, ``*`` beside the stages of a guarded rule."""
    rows = [("ID", "SEVERITY", "CATEGORY", "TIERS", "STAGES", "TITLE")]
    for rule in rules:
        record = rule_record(rule, policy)
        tiers = "all" if len(record["tiers"]) == len(policy.tiers) else ",".join(record["tiers"]) or "none"
        stages = "all" if not rule.stages else ",".join(rule.stages)
        rows.append(
            (
                rule.info.id,
                rule.info.severity,
                rule.info.category,
                tiers,
                stages + ("*" if rule.when_text else ""),
                rule.info.title,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    # ``widths`` leaves out the title: zip stops short of it on purpose.
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + "  " + row[5] for row in rows
    ]
    lines.append(f"{len(rules)} rule(s); * applies only when its guard holds (govcheck explain RULE)")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def rules_json(rules: list[CompiledRule], policy: Policy) -> str:
    """The rules as JSON for scripts: one ``rule_record`` each, in policy order (by id)."""
    return json.dumps({"rules": [rule_record(r, policy) for r in rules]}, indent=2) + "\n"


def packs_record(policy: Policy, registry: Registry) -> dict[str, Any]:
    """The packs in use (after ``extends``) with source, version and digest, and every installed pack.

    A pack govcheck ships is labelled with govcheck's version rather than its entry point, and a
    pack given by path has no provider: only an installed pack comes from a plugin.
    """

    def provider(name: str) -> str:
        label = registry.provider("pack", name)
        return f"govcheck {__version__}, built in" if label in {f"govcheck[{b}]" for b in BUILTINS} else label

    in_use = [
        {
            "name": p.name,
            "version": p.version,
            "source": p.source,
            "sha256": p.digest,
            "provider": provider(p.source.removeprefix("installed:"))
            if p.source.startswith("installed:")
            else "",
        }
        for p in policy.packs
    ]
    installed = [
        {"name": name, "provider": provider(name), "path": source.path.as_posix()}
        for name, source in registry.pack_sources().items()
    ]
    return {"in_use": in_use, "installed": installed}


def packs_text(record: dict[str, Any]) -> str:
    """``packs_record`` for the terminal: each pack in use with source and sha256, then the installed."""
    lines = ["in use (after extends):"]
    for p in record["in_use"]:
        lines += [
            f"  {p['name']} {p['version']}",
            f"    source: {p['source']}" + (f" ({p['provider']})" if p["provider"] else ""),
            f"    sha256: {p['sha256']}",
        ]
    lines.append("installed:")
    lines += [f"  {p['name']} ({p['provider']}): {p['path']}" for p in record["installed"]]
    return "\n".join(lines) + "\n"


def packs_json(record: dict[str, Any]) -> str:
    """``packs_record`` as JSON, unchanged, so the JSON and the text listing cannot disagree."""
    return json.dumps(record, indent=2) + "\n"
