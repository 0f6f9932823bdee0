"""``govcheck coverage``: which items of a framework the loaded rules cite, and which they do not.

A rule cites an item through its ``references``, and so does a tiering rule (``TIER-004``
raising a medical device to critical cites what it enforces too); the items nothing cites show
where the packs say nothing about the framework. Tiering rules are listed apart from rules,
so a reader can tell a tier raise from a check.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from govcheck.authoring.frameworks import Framework, Item, load
from govcheck.packs.loader import LoadedPack, PackLoader
from govcheck.packs.policy import Policy, lineage
from govcheck.plugins import Registry

INSTALLED = "installed:"


@dataclass(frozen=True)
class Coverage:
    """Every item of one framework, in its data file's order, with the ids of the rules citing it.

    An item no rule cites has an empty tuple: the gaps are listed, not left out.
    """

    framework: Framework
    packs: tuple[str, ...]
    cited: tuple[tuple[Item, tuple[str, ...]], ...]  # every item with the rules that cite it
    # Every item (same order) with the tiering rules that cite it; empty tuples when none do.
    tiering: tuple[tuple[str, ...], ...] = ()

    @property
    def count(self) -> int:
        """Items cited by a rule or by a tiering rule."""
        return sum(1 for _, cited_by in self.citations() if cited_by)

    def citations(self) -> list[tuple[Item, tuple[str, ...]]]:
        """Every item with what cites it: rules first, then tiering rules as ``tiering TIER-004``."""
        raises = self.tiering or ((),) * len(self.cited)
        return [
            (item, rules + tuple(f"tiering {t}" for t in tiers))
            for (item, rules), tiers in zip(self.cited, raises, strict=True)
        ]

    def tiering_of(self, index: int) -> tuple[str, ...]:
        return self.tiering[index] if self.tiering else ()


def coverage(name: str, policy: Policy, tiering: Mapping[str, Sequence[str]] | None = None) -> Coverage:
    """Match the loaded rules' and tiering rules' references to the framework's items.

    ``tiering`` maps each tiering rule id to its references (``tiering_references`` reads them
    from the packs); only an exact reference counts. A reference that names no item is not
    counted here; ``pack lint`` reports it.
    """
    framework = load(name)
    by_reference: dict[str, list[str]] = {}
    for rule in policy.rules:
        for ref in rule.info.references:
            by_reference.setdefault(ref, []).append(rule.info.id)
    raised_by: dict[str, list[str]] = {}
    for tier_id, refs in (tiering or {}).items():
        for ref in dict.fromkeys(refs):
            raised_by.setdefault(ref, []).append(tier_id)
    cited = tuple((item, tuple(by_reference.get(item.reference, ()))) for item in framework.items)
    raises = tuple(tuple(raised_by.get(item.reference, ())) for item in framework.items)
    return Coverage(framework, tuple(f"{p.name} {p.version}" for p in policy.packs), cited, raises)


def tiering_references(policy: Policy, registry: Registry, cwd: Path) -> dict[str, tuple[str, ...]]:
    """The references of every tiering rule in ``policy``, by tiering rule id, in pack order.

    The compiled policy keeps what a tier raise does, not what it cites, so the packs it was
    built from are read again (by installed name or by path, as they were loaded).
    """
    loader = PackLoader(registry.pack_sources(), cwd)
    packs: list[LoadedPack] = []
    for info in policy.packs:
        ref = info.source.removeprefix(INSTALLED)
        found = loader.load(ref)
        if found is not None:
            packs.append(found)
    in_use = {t.id for t in policy.tiering}
    out: dict[str, tuple[str, ...]] = {}
    for pack in lineage(packs):
        for item in pack.data.get("tiering", []):
            if item.get("id") in in_use and item["id"] not in out:
                out[item["id"]] = tuple(item.get("references", ()))
    return out


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
        f"  {item.id.ljust(width)}  {', '.join(cited_by)}  ({item.title})"
        for item, cited_by in result.citations()
        if cited_by
    ]
    lines += ["", "not cited:"]
    lines += [
        f"  {item.id.ljust(width)}  {item.title}" for item, cited_by in result.citations() if not cited_by
    ]
    return "\n".join(lines) + "\n"


def render_json(result: Coverage) -> str:
    """The coverage as JSON: every item with its reference, group, citing rules and citing tiering
    rules (empty lists for a gap)."""
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
                "tiering": list(result.tiering_of(i)),
            }
            for i, (item, rules) in enumerate(result.cited)
        ],
    }
    return json.dumps(body, indent=2) + "\n"
