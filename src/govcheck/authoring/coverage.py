"""``govcheck coverage``: which items of a framework the loaded rules cite, and which they do not."""

from __future__ import annotations

import json
from dataclasses import dataclass

from govcheck.authoring.frameworks import Framework, Item, load
from govcheck.packs.policy import Policy


@dataclass(frozen=True)
class Coverage:
    framework: Framework
    packs: tuple[str, ...]
    cited: tuple[tuple[Item, tuple[str, ...]], ...]  # every item with the rules that cite it

    @property
    def count(self) -> int:
        return sum(1 for _, rules in self.cited if rules)


def coverage(name: str, policy: Policy) -> Coverage:
    framework = load(name)
    by_reference: dict[str, list[str]] = {}
    for rule in policy.rules:
        for ref in rule.info.references:
            by_reference.setdefault(ref, []).append(rule.info.id)
    cited = tuple((item, tuple(by_reference.get(item.reference, ()))) for item in framework.items)
    return Coverage(framework, tuple(f"{p.name} {p.version}" for p in policy.packs), cited)


def render_text(result: Coverage) -> str:
    fw, total = result.framework, len(result.cited)
    width = max((len(item.id) for item, _ in result.cited), default=0)
    lines = [
        f"{fw.title}, {fw.version}",
        f"packs: {', '.join(result.packs)}",
        f"{result.count} of {total} items cited ({100 * result.count // max(total, 1)}%)",
        "",
        "cited:",
    ]
    lines += [
        f"  {item.id.ljust(width)}  {', '.join(rules)}  ({item.title})"
        for item, rules in result.cited
        if rules
    ]
    lines += ["", "not cited:"]
    lines += [f"  {item.id.ljust(width)}  {item.title}" for item, rules in result.cited if not rules]
    return "\n".join(lines) + "\n"


def render_json(result: Coverage) -> str:
    fw = result.framework
    body = {
        "framework": fw.name,
        "title": fw.title,
        "version": fw.version,
        "packs": list(result.packs),
        "items": len(result.cited),
        "cited": result.count,
        "coverage": [
            {
                "id": item.id,
                "reference": item.reference,
                "title": item.title,
                "group": item.group,
                "rules": list(rules),
            }
            for item, rules in result.cited
        ],
    }
    return json.dumps(body, indent=2) + "\n"
