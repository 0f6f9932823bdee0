"""``govcheck coverage``: which items of a framework the loaded rules cite, and which they do not.

A rule cites an item through its ``references``; the items no rule cites show where the packs
say nothing about the framework.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from govcheck.authoring.frameworks import Framework, Item, load
from govcheck.packs.policy import Policy


@dataclass(frozen=True)
class Coverage:
    """Every item of one framework, in its data file's order, with the ids of the rules citing it.

    An item no rule cites has an empty tuple: the gaps are listed, not left out.
    """

    framework: Framework
    packs: tuple[str, ...]
    cited: tuple[tuple[Item, tuple[str, ...]], ...]  # every item with the rules that cite it

    @property
    def count(self) -> int:
        return sum(1 for _, rules in self.cited if rules)


def coverage(name: str, policy: Policy) -> Coverage:
    """Match the loaded rules' references to the framework's items; only an exact reference counts.

    A reference that names no item is not counted here; ``pack lint`` reports it.
    """
    framework = load(name)
    by_reference: dict[str, list[str]] = {}
    for rule in policy.rules:
        for ref in rule.info.references:
            by_reference.setdefault(ref, []).append(rule.info.id)
    cited = tuple((item, tuple(by_reference.get(item.reference, ()))) for item in framework.items)
    return Coverage(framework, tuple(f"{p.name} {p.version}" for p in policy.packs), cited)


def render_text(result: Coverage) -> str:
    """The share of items cited, then the cited items with their rules, then the gaps."""
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
    """The coverage as JSON: every item with its reference, group and citing rules (none for a gap)."""
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
