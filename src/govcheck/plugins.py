"""Plugin manager set-up and a typed facade over it.

Core code asks ``Registry.checks()`` / ``reporters()`` / ``pack_sources()``, never
``pm.hook``. Names are validated and clashes are errors naming both plugins: pluggy's call
order must never decide silently which of two same-named checks runs.
"""
from __future__ import annotations

import importlib
import os
import re
import sys
from functools import cached_property
from typing import Any, Callable, Iterable, Mapping, TypeVar

import pluggy

from govcheck import hookspecs
from govcheck.errors import PluginError
from govcheck.interfaces import CheckSpec, PackSource, ReporterSpec

GROUP = "govcheck"
BUILTINS = ("govcheck.checks", "govcheck.report", "govcheck.packsource")
_NAME = {"check": re.compile(r"^[a-z][a-z0-9_]*$"), "reporter": re.compile(r"^[a-z][a-z0-9_-]*$"),
         "pack": re.compile(r"^[a-z0-9][a-z0-9._-]*$")}
T = TypeVar("T", CheckSpec, ReporterSpec, PackSource)


def get_plugin_manager(plugins: Iterable[str] = (), entry_points: bool = True,
                       installed_only: Iterable[str] = ()) -> pluggy.PluginManager:
    """Built-ins first, then installed entry points, then ``--plugin`` modules.

    ``installed_only`` modules (named by a repository's configuration) are imported with the
    working directory off ``sys.path``, so checking a repository never runs its code.
    """
    pm = pluggy.PluginManager(GROUP)
    pm.add_hookspecs(hookspecs)
    for name in BUILTINS:
        pm.register(importlib.import_module(name), name=name)
    if entry_points and _may_have_entry_points(GROUP):
        try:
            pm.load_setuptools_entrypoints(GROUP)
        except Exception as exc:  # a broken third-party install must not look like our crash
            raise PluginError(f"cannot load an installed govcheck plugin: {exc}") from None
    for module_name in plugins:
        _register(pm, module_name, local=True)
    for module_name in installed_only:
        _register(pm, module_name, local=False)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"plugin {exc.plugin!r} implements a hook govcheck does not have: {exc}") from None
    return pm


def _may_have_entry_points(group: str) -> bool:
    """False only when no installed distribution declares a plugin in ``group`` beyond the built-ins.

    Importing ``importlib.metadata`` (which pluggy's loader uses) costs about 20 ms, an eighth
    of a one-file run; reading the few ``entry_points.txt`` files on ``sys.path`` costs about 1.
    Anything this cannot read as a directory (a zip on ``sys.path``) counts as a maybe.
    """
    for entry in sys.path:
        try:
            listing = os.scandir(entry or ".")
        except NotADirectoryError:
            return True
        except OSError:
            continue
        with listing:
            for item in listing:
                if item.name.endswith((".dist-info", ".egg-info")) and _declares(os.path.join(item.path, "entry_points.txt"), group):
                    return True
    return False


def _declares(file: str, group: str) -> bool:
    try:
        with open(file, encoding="utf-8", errors="replace") as f:
            lines = [line.strip() for line in f]
    except OSError:
        return False
    section = ""
    for line in lines:
        if line.startswith("["):
            section = line
        elif section == f"[{group}]" and "=" in line and line.partition("=")[0].strip() not in BUILTINS:
            return True
    return False


def _register(pm: pluggy.PluginManager, module_name: str, local: bool) -> None:
    if pm.get_plugin(module_name) is not None:
        return
    saved = list(sys.path)
    if not local:
        cwd = os.getcwd()
        sys.path[:] = [p for p in sys.path if p not in ("", ".", cwd)]
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:
        where = "" if local else " (a configuration may name installed plugins only)"
        raise PluginError(f"cannot import plugin module {module_name!r}{where}: {exc}") from None
    finally:
        sys.path[:] = saved
    if not pm.is_registered(module):  # an installed plugin named again with --plugin
        pm.register(module, name=module_name)


class Registry:
    """What the loaded plugins provide, by name, each name checked once."""

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self.pm = pm

    def _plugin_label(self, plugin: object) -> str:
        name = self.pm.get_name(plugin) or repr(plugin)
        dist = dict(self.pm.list_plugin_distinfo()).get(plugin)
        if dist is not None:
            return f"{dist.project_name}[{name}]"
        return f"govcheck[{name}]" if name in BUILTINS else name

    def _collect(self, hook: Callable[..., Any], kind: str) -> dict[str, tuple[Any, str]]:
        out: dict[str, tuple[Any, str]] = {}
        for impl in hook.get_hookimpls():  # type: ignore[attr-defined]
            label = self._plugin_label(impl.plugin)
            for item in impl.function() or ():
                if not _NAME[kind].match(item.name):
                    raise PluginError(f"{label} provides a {kind} with an invalid name {item.name!r}")
                if item.name in out:
                    raise PluginError(f"two plugins provide the {kind} {item.name!r}: {out[item.name][1]} and {label}")
                out[item.name] = (item, label)
        return dict(sorted(out.items()))

    @cached_property
    def _checks(self) -> dict[str, tuple[CheckSpec, str]]:
        return self._collect(self.pm.hook.govcheck_checks, "check")

    @cached_property
    def _reporters(self) -> dict[str, tuple[ReporterSpec, str]]:
        return self._collect(self.pm.hook.govcheck_reporters, "reporter")

    @cached_property
    def _packs(self) -> dict[str, tuple[PackSource, str]]:
        return self._collect(self.pm.hook.govcheck_pack_sources, "pack")

    def checks(self) -> Mapping[str, CheckSpec]:
        return {k: v for k, (v, _) in self._checks.items()}

    def reporters(self) -> Mapping[str, ReporterSpec]:
        return {k: v for k, (v, _) in self._reporters.items()}

    def pack_sources(self) -> Mapping[str, PackSource]:
        return {k: v for k, (v, _) in self._packs.items()}

    def provider(self, kind: str, name: str) -> str:
        """Which plugin provides a name, as ``dist[module]``, for listings."""
        tables: dict[str, Mapping[str, tuple[Any, str]]] = {"check": self._checks, "reporter": self._reporters,
                                                            "pack": self._packs}
        table = tables[kind]
        return table[name][1] if name in table else ""


def load_registry(plugins: Iterable[str] = (), entry_points: bool = True, installed_only: Iterable[str] = ()) -> Registry:
    return Registry(get_plugin_manager(plugins, entry_points, installed_only))
