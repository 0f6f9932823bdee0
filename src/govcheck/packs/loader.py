"""Load policy packs: find them by name or path, validate them, follow ``extends``.

Every problem is collected with its file and line, so one run shows all of them; callers
raise ``PackError`` with the lot (``check``) or list them (``pack lint``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from govcheck.errors import PackError, Problem
from govcheck.interfaces import PackSource
from govcheck.load.discover import display
from govcheck.load.yaml import Document, ParseError, load_all, read_file, read_text
from govcheck.packs import git
from govcheck.schema import validate
from govcheck.schema.suggest import did_you_mean

DEFAULT_PACK = "healthcare-ai-baseline"
DEFAULT_TIERS = ("low", "moderate", "high", "critical")
DEFAULT_STAGES = ("pilot", "expansion", "enterprise")
MAX_EXTENDS_DEPTH = 32  # a real lineage is a few packs deep; this bounds hostile chains


class LoadedPack:
    """One pack file, schema-valid, with the packs it extends already loaded."""

    __slots__ = ("data", "digest", "doc", "name", "origin", "parents", "source", "version")

    def __init__(
        self,
        name: str,
        version: str,
        source: str,
        digest: str,
        data: dict[str, Any],
        doc: Document,
        parents: list[LoadedPack] | None = None,
        origin: str = "",  # how the pack was named: an installed name, or the file path
    ) -> None:
        self.name, self.version, self.source, self.digest = name, version, source, digest
        self.data, self.doc = data, doc
        self.parents: list[LoadedPack] = [] if parents is None else parents
        self.origin = origin

    def __repr__(self) -> str:
        return f"LoadedPack({self.name!r}, {self.version!r}, source={self.source!r})"

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
        self._git_roots: dict[Path, git.Checkout] = {}  # exported trees, by their resolved root

    def load(self, ref: str, base: Path | None = None, chain: tuple[Path, ...] = ()) -> LoadedPack | None:
        if git.is_git_ref(ref):
            path = self._from_git(ref, chain)
            if path is None:
                return None
        else:
            path = self._find(ref, base or self.cwd)
        if path is not None and not self._confined(path, base, ref, chain):
            return None
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
                by_name = not looks_like_path(ref) and not git.is_git_ref(ref)
                pack.origin = f"installed:{ref}" if by_name else self._git_origin(path) or pack.source
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

    def _from_git(self, ref: str, chain: tuple[Path, ...]) -> Path | None:
        """The pack file a ``git+`` reference names, fetched into the cache; None after a problem."""
        try:
            found = git.checkout(ref, git.cache_root(self.cwd))
        except PackError as exc:
            self._git_problem(ref, chain, exc.message)
            return None
        root = found.root.resolve()
        self._git_roots[root] = found
        candidate = root / found.ref.subdir
        if candidate.is_dir():
            candidate = candidate / "pack.yaml"
        if not candidate.is_file():
            where = f"#{found.ref.subdir}" if found.ref.subdir else "the repository's root"
            self._git_problem(ref, chain, f"{ref}: no pack.yaml at {where} of commit {found.commit}")
            return None
        resolved = candidate.resolve()
        if not resolved.is_relative_to(root):
            self._git_problem(ref, chain, f"{ref}: #{found.ref.subdir} links out of the repository")
            return None
        return resolved

    def _git_problem(self, ref: str, chain: tuple[Path, ...], message: str) -> None:
        # Named on the command line, the reference is the problem's "file"; named by extends, the
        # pack that extends it is, and the message keeps the reference.
        where = str(chain[-1]) if chain else ref
        self.problems.append(Problem(where, 0, 0, message if chain else message.removeprefix(f"{ref}: ")))

    def _git_root(self, path: Path) -> Path | None:
        return next((root for root in self._git_roots if path.is_relative_to(root)), None)

    def _confined(self, path: Path, base: Path | None, ref: str, chain: tuple[Path, ...]) -> bool:
        """A pack from git extends packs in its own repository (or installed or git ones): a path
        out of it would make the gate depend on whatever the machine running it holds there."""
        root = self._git_root(base.resolve()) if base is not None else None
        if root is None or git.is_git_ref(ref) or not looks_like_path(ref) or path.is_relative_to(root):
            return True
        message = f"extends {ref!r} leaves the repository of {self._git_roots[root].ref.url}"
        self.problems.append(Problem(str(chain[-1]) if chain else ref, 0, 0, message))
        return False

    def _git_origin(self, path: Path) -> str:
        """``git+URL@COMMIT#DIR`` for a pack file inside a fetched repository, else ""."""
        root = self._git_root(path)
        if root is None:
            return ""
        found, where = self._git_roots[root], path.relative_to(root)
        where = where.parent if where.name == "pack.yaml" else where
        return found.ref.pinned(found.commit, "" if str(where) == "." else where.as_posix())

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
    """``./mine``, ``packs/x.yaml``, ``/abs``: a path; ``healthcare-ai-baseline`` (or
    ``git+URL...``): not one."""
    if git.is_git_ref(ref):
        return False
    return "/" in ref or "\\" in ref or ref.endswith((".yaml", ".yml")) or ref in (".", "..")
