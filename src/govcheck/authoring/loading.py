"""Loading packs for the authoring commands, the way ``govcheck check`` loads them.

The listings, ``explain`` and ``init`` then show what the gate enforces in this repository,
configured packs and plugins included; the ``pack`` commands take one pack by path, with the
same plugins.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from govcheck import config
from govcheck.api import load_policy
from govcheck.errors import PackError
from govcheck.packs.loader import LoadedPack, PackLoader
from govcheck.packs.policy import Policy, build_or_raise
from govcheck.plugins import Registry, load_registry


def configured(packs: Iterable[str], plugins: Iterable[str], cwd: Path) -> tuple[Registry, Policy]:
    """The policy the gate would use here: ``--pack`` (default: the baseline) plus configured packs."""
    cfg = config.discover(cwd, None, False)
    registry = load_registry(plugins, installed_only=cfg.plugins)
    return registry, load_policy(registry, packs, cwd, cfg.packs)


def registry_for(plugins: Iterable[str], cwd: Path) -> Registry:
    """The plugins ``check`` would load here (``--plugin`` and the configuration's), without its packs.

    The pack commands work on one pack given by path, whose rules may still use a plugin's checks.
    """
    return load_registry(plugins, installed_only=config.discover(cwd, None, False).plugins)


def pack_at(path: Path, registry: Registry, cwd: Path) -> tuple[LoadedPack, Policy]:
    """One pack by path (a file or its directory), with what it extends, compiled."""
    loader = PackLoader(registry.pack_sources(), cwd)
    root = loader.load(path.resolve().as_posix())
    if root is None or loader.problems:
        raise PackError(
            f"{len(loader.problems)} problem(s) loading {path} (govcheck pack lint shows all):",
            tuple(loader.problems),
        )
    return root, build_or_raise([root], registry.checks())
