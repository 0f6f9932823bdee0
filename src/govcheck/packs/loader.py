"""Load policy packs: find them by name or path, validate them, follow ``extends``.

Every problem is collected with its file and line, so one run shows all of them; callers
raise ``PackError`` with the lot (``check``) or list them (``pack lint``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govcheck.errors import Problem
from govcheck.interfaces import PackSource
from govcheck.load.discover import display
from govcheck.load.yaml import Document, ParseError, load_all, read_file, read_text
from govcheck.schema import validate
from govcheck.schema.suggest import did_you_mean

DEFAULT_PACK = "healthcare-ai-baseline"
DEFAULT_TIERS = ("low", "moderate", "high", "critical")
DEFAULT_STAGES = ("pilot", "expansion", "enterprise")
MAX_EXTENDS_DEPTH = 32  # a real lineage is a few packs deep; this bounds hostile chains


@dataclass
class LoadedPack:
    """One pack file, schema-valid, with the packs it extends already loaded."""

    name: str
    version: str
    source: str
    digest: str
    data: dict[str, Any]
    doc: Document
    parents: list[LoadedPack] = field(default_factory=list)
    origin: str = ""  # how the pack was named: an installed name, or the file path

    def where(self, path: tuple[str | int, ...], message: str) -> Problem:
        line, column, _ = self.doc.locate(path)
        return Problem(self.source, line, column, message)

    def lineage(self) -> list[LoadedPack]:
        """This pack and everything it extends, parents first, each pack once."""
        seen: dict[str, LoadedPack] = {}

        def visit(pack: LoadedPack) -> None:  # each pack once: packs that share parents stay linear
            if pack.source in seen:
                return
            for parent in pack.parents:
                visit(parent)
            seen.setdefault(pack.source, pack)

        visit(self)
        return list(seen.values())


class PackLoader:
    def __init__(self, sources: Mapping[str, PackSource], cwd: Path | None = None) -> None:
        self.sources = sources
        self.cwd = cwd or Path.cwd()
        self.problems: list[Problem] = []
        self._cache: dict[Path, LoadedPack | None] = {}

    def load(self, ref: str, base: Path | None = None, chain: tuple[Path, ...] = ()) -> LoadedPack | None:
        path = self._find(ref, base or self.cwd)
        if path is None:
            known = ", ".join(self.sources) or "none installed"
            what = (
                "no such pack file or directory"
                if looks_like_path(ref)
                else f"not an installed pack name{did_you_mean(ref, self.sources)} (installed: {known}; "
                f"give a path as ./{ref} to load a local pack)"
            )
            self.problems.append(
                Problem(str(chain[-1]) if chain else ref, 0, 0, f"no policy pack {ref!r}: {what}")
            )
            return None
        if len(chain) >= MAX_EXTENDS_DEPTH:
            self.problems.append(
                Problem(
                    str(chain[-1]),
                    0,
                    0,
                    f"packs extend each other more than {MAX_EXTENDS_DEPTH} deep; "
                    "flatten the chain (a pack may extend several packs at once)",
                )
            )
            return None
        if path in chain:
            cycle = " -> ".join(str(p) for p in (*chain, path))
            self.problems.append(Problem(str(path), 0, 0, f"packs extend each other in a cycle: {cycle}"))
            return None
        if path not in self._cache:
            self._cache[path] = self._read(path, chain + (path,))
            pack = self._cache[path]
            if pack is not None:
                by_name = not looks_like_path(ref)
                pack.origin = f"installed:{ref}" if by_name else pack.source
                if by_name and pack.name != ref:
                    self.problems.append(
                        pack.where(
                            ("metadata", "name"),
                            f"the installed pack {ref!r} is named {pack.name!r} inside; "
                            "a plugin must offer a pack under its own name",
                        )
                    )
        return self._cache[path]

    def _find(self, ref: str, base: Path) -> Path | None:
        # A bare name is an installed pack, never a file that happens to be in the working
        # directory: a repository must not be able to replace the gate's pack with its own.
        if not looks_like_path(ref):
            return self.sources[ref].path.resolve() if ref in self.sources else None
        candidate = (base / ref).expanduser()
        if candidate.is_dir():
            candidate = candidate / "pack.yaml"
        return candidate.resolve() if candidate.is_file() else None

    def _read(self, path: Path, chain: tuple[Path, ...]) -> LoadedPack | None:
        shown = display(path, self.cwd)
        try:
            raw = read_file(path)
            docs = load_all(read_text(shown, raw), shown)
        except ParseError as exc:
            self.problems.append(exc.problem)
            return None
        except OSError as exc:
            self.problems.append(Problem(shown, 0, 0, f"cannot read: {exc.strerror}"))
            return None
        if len(docs) != 1:
            self.problems.append(
                Problem(shown, 1, 1, f"a pack file holds exactly one YAML document, found {len(docs)}")
            )
            return None
        doc = docs[0]
        found = validate.problems(doc, "policy-pack") if isinstance(doc.data, dict) else []
        if not isinstance(doc.data, dict):
            found = [
                Problem(
                    shown,
                    1,
                    1,
                    "a pack must be a mapping with apiVersion, kind: PolicyPack, metadata and rules",
                )
            ]
        self.problems.extend(found)
        if found:
            return None
        meta = doc.data["metadata"]
        pack = LoadedPack(
            meta["name"], str(meta["version"]), shown, hashlib.sha256(raw).hexdigest(), doc.data, doc
        )
        self.follow_extends(pack, path, chain)
        return pack

    def follow_extends(self, pack: LoadedPack, path: Path, chain: tuple[Path, ...]) -> None:
        """Load the packs ``pack`` (read from ``path``) extends, as its parents."""
        for i, ref in enumerate(pack.data.get("extends", [])):
            before = len(self.problems)
            parent = self.load(ref, path.parent, chain)
            if parent is not None:
                pack.parents.append(parent)
            elif len(self.problems) > before and self.problems[-1].line == 0:
                # Point the problem at the extends entry that caused it.
                self.problems[-1] = pack.where(("extends", i), self.problems[-1].message)


def looks_like_path(ref: str) -> bool:
    """``./mine``, ``packs/x.yaml``, ``/abs``: a path; ``healthcare-ai-baseline``: a name."""
    return "/" in ref or "\\" in ref or ref.endswith((".yaml", ".yml")) or ref in (".", "..")
