"""The plugin contract: every hook govcheck calls, and what it expects back.

Built-in checks, reporters and packs are registered through these same hooks. Hooks are
called with keyword arguments only, so a spec can grow new arguments without breaking
implementations that take a subset.
"""

from __future__ import annotations

import pluggy

from govcheck.interfaces import CheckSpec, PackSource, ReporterSpec

hookspec = pluggy.HookspecMarker("govcheck")


@hookspec
def govcheck_checks() -> list[CheckSpec]:  # type: ignore[empty-body]
    """Return the check functions this plugin provides.

    Called once per run, when packs are compiled. Each ``CheckSpec.name`` must match
    ``[a-z][a-z0-9_]*`` and be unique across all plugins; a clash is an error naming both.
    """


@hookspec
def govcheck_reporters() -> list[ReporterSpec]:  # type: ignore[empty-body]
    """Return the output formats this plugin provides (``--format NAME``).

    Called once per run, before options are checked. Names must be unique across plugins.
    """


@hookspec
def govcheck_pack_sources() -> list[PackSource]:  # type: ignore[empty-body]
    """Return the policy packs this plugin ships, by name.

    Called when a pack is named (``--pack NAME`` or ``extends: [NAME]``) rather than given
    as a path, and by ``govcheck packs``. Names must be unique across plugins.
    """
