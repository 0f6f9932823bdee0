"""The framework reference data shipped with govcheck, and how rule references cite it.

A reference is a framework prefix followed by an item id, exactly as the item appears in
``govcheck/frameworks/<file>.yaml`` (docs/policy-packs.md, "References").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from govcheck.errors import UsageError
from govcheck.load.yaml import load_all, read_file, read_text
from govcheck.resources import frameworks_dir

# name -> (data file stem, citation prefix); the prefix is what a reference starts with.
FRAMEWORKS: dict[str, tuple[str, str]] = {
    "nist-ai-rmf": ("nist-ai-rmf-1.0", "NIST AI RMF "),
    "onc-hti1": ("onc-hti1-dsi", "ONC HTI-1 "),
    "fda-gmlp": ("fda-gmlp", "FDA "),
    "chai": ("chai", ""),
    "eu-ai-act": ("eu-ai-act", "EU AI Act "),
    "iso-42001": ("iso-42001", "ISO/IEC 42001 "),
}


@dataclass(frozen=True)
class Item:
    """One item as the framework's data file lists it; ``reference`` is what a rule cites, exactly."""

    framework: str
    id: str
    title: str
    group: str
    reference: str  # the citation form a rule puts in its references


@dataclass(frozen=True)
class Framework:
    """One shipped framework: its published title and version, and its items in the file's order."""

    name: str
    title: str
    version: str
    items: tuple[Item, ...]


@cache
def load(name: str) -> Framework:
    """A shipped framework by name, read once per process.

    An unknown name or a data file missing from the installation is a usage error (exit 2), not a
    traceback.
    """
    if name not in FRAMEWORKS:
        raise UsageError(f"unknown framework {name!r}; known: {', '.join(FRAMEWORKS)}")
    stem, prefix = FRAMEWORKS[name]
    path = frameworks_dir() / f"{stem}.yaml"
    try:
        raw = read_file(path)
    except OSError:
        raise UsageError(f"framework data {path} is missing from this installation") from None
    data = load_all(read_text(path.name, raw), path.name)[0].data
    items = tuple(
        Item(name, str(i["id"]), str(i.get("title", "")), str(i.get("group", "")), prefix + str(i["id"]))
        for i in data["items"]
    )
    return Framework(name, str(data.get("framework", name)), str(data.get("version", "")), items)


@cache
def known_references() -> dict[str, Item]:
    """Every citable reference string of every shipped framework."""
    out: dict[str, Item] = {}
    for name in FRAMEWORKS:
        out.update((item.reference, item) for item in load(name).items)
    return out
