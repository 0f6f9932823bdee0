"""Judging an editor's unsaved text of a manifest the way ``govcheck check`` judges the file.

The policy is compiled once per repository and configuration, not once per keystroke: it is
kept per root and compiled again only when the configuration file, or a pack file it or the
command line names, changes on disk. The root of a document is the deeper of the workspace
folder holding it and its git work tree, which is where ``govcheck check`` runs in CI; the
configuration is found from there as ``check`` finds it (``config.discover``).

The text is read as ``check`` reads a file found below a directory: only YAML that could hold a
pilot manifest is judged, so the editor can hand the server every YAML file. Evidence paths
(``file_exists``) resolve against the document's real place on disk.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from govcheck import config, waivers
from govcheck.api import load_policy
from govcheck.evaluate import evaluate
from govcheck.load import discover
from govcheck.load import manifest as manifests
from govcheck.model import Finding, sort_findings
from govcheck.packs.loader import looks_like_path
from govcheck.packs.policy import Policy, raise_severities
from govcheck.packs.rules import CompiledRule
from govcheck.plugins import Registry, load_registry

Stamp = tuple[tuple[str, int, int], ...]  # (path, mtime_ns, size) of each file the policy was read from


@dataclass(frozen=True)
class Loaded:
    """The policy in force below ``root``, with what is needed to judge a manifest there."""

    root: Path
    registry: Registry
    policy: Policy
    config: config.Config
    stamp: Stamp

    def rule(self, rule_id: str) -> CompiledRule | None:
        return next((r for r in self.policy.rules if r.info.id == rule_id), None)


@dataclass(frozen=True)
class Checked:
    """One document's findings (waived ones carry their suppression), and the policy that gave them."""

    findings: tuple[Finding, ...]
    loaded: Loaded


class Checker:
    """The server's one evaluator; ``packs`` and ``plugins`` are the command line's, as for ``check``."""

    def __init__(self, packs: Iterable[str] = (), plugins: Iterable[str] = ()) -> None:
        self.packs = tuple(str(Path(p).resolve()) if looks_like_path(p) else p for p in packs)
        self.plugins = tuple(plugins)
        self._by_root: dict[Path, Loaded] = {}

    def check(self, text: str, path: Path, folders: Iterable[Path] = ()) -> Checked:
        """The findings ``govcheck check`` would report for ``path`` if it held ``text``.

        Raises ``GovcheckError`` when the configuration or the packs cannot be loaded (``check``
        exits 2 then): the caller says so instead of showing findings.
        """
        path = path.absolute()
        loaded = self.loaded(root_of(path, folders))
        shown = discover.display(path, loaded.root)
        targets, problems = manifests.parse(text.encode("utf-8"), path, shown, explicit=False)
        today = dt.date.today()
        results = [evaluate(t, loaded.policy, today, None) for t in targets]
        findings = sort_findings([*problems, *(f for r in results for f in r.findings)])
        waiver_file = config.waiver_file(None, loaded.config, loaded.root)
        waiver_set = (
            waivers.load(loaded.root / waiver_file, discover.display(loaded.root / waiver_file, loaded.root))
            if waiver_file is not None
            else None
        )
        rules = {r.info.id for r in loaded.policy.rules}
        judged = waivers.apply(
            findings,
            waivers.claims(results),
            waiver_set,
            today,
            loaded.policy.waiver_max_days,
            rules,
            loaded.root,
        )
        # A waiver that matches nothing here may match another manifest: only this file's findings.
        return Checked(tuple(f for f in judged if f.file == shown), loaded)

    def loaded(self, root: Path) -> Loaded:
        """The policy for ``root``, compiled again only when a file it was read from has changed."""
        known = self._by_root.get(root)
        if known is not None and _stamp(f for f, _, _ in known.stamp) == known.stamp:
            return known
        cfg = config.discover(root, None, False)
        registry = load_registry(self.plugins, installed_only=cfg.plugins)
        policy = load_policy(registry, self.packs, root, cfg.packs)
        if cfg.severity:
            policy = raise_severities(policy, cfg.severity)
        read = [cfg.file, *(p for p in (*self.packs, *cfg.packs) if looks_like_path(p))]
        # A configuration added later must be noticed too: stamp where it would be.
        read += [str(root / name) for name in (*config.NAMES, "pyproject.toml") if not cfg.file]
        self._by_root[root] = Loaded(root, registry, policy, cfg, _stamp(read))
        return self._by_root[root]


def root_of(path: Path, folders: Iterable[Path]) -> Path:
    """The deeper of the workspace folder holding ``path`` and its git work tree; else its directory."""
    holding = [f for f in folders if path.is_relative_to(f)]
    tree = discover.work_tree(path.parent)
    candidates = [*holding, *([tree] if tree is not None else [])]
    return max(candidates, key=lambda p: len(p.parts)) if candidates else path.parent


def _stamp(files: Iterable[str]) -> Stamp:
    out = []
    for file in files:
        if not file:
            continue
        target = Path(file) / "pack.yaml" if os.path.isdir(file) else Path(file)
        try:
            info = target.stat()
        except OSError:
            out.append((file, 0, -1))
            continue
        out.append((file, info.st_mtime_ns, info.st_size))
    return tuple(out)
