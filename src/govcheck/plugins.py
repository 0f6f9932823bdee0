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
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import pluggy

from govcheck import hookspecs
from govcheck.errors import PluginError
from govcheck.interfaces import CheckSpec, PackSource, ReporterSpec

GROUP = "govcheck"
BUILTINS = ("govcheck.checks", "govcheck.report", "govcheck.packs.shipped")
_NAME = {
    "check": re.compile(r"^[a-z][a-z0-9_]*$"),
    "reporter": re.compile(r"^[a-z][a-z0-9_-]*$"),
    "pack": re.compile(r"^[a-z0-9][a-z0-9._-]*$"),
}
T = TypeVar("T", CheckSpec, ReporterSpec, PackSource)
_HOOKS = {"check": "govcheck_checks", "reporter": "govcheck_reporters", "pack": "govcheck_pack_sources"}


class _Manager(pluggy.PluginManager):
    """pluggy's manager, knowing which distribution installed each entry-point plugin."""

    def __init__(self, project_name: str) -> None:
        super().__init__(project_name)
        self.distributions: dict[object, str] = {}


def get_plugin_manager(
    plugins: Iterable[str] = (), entry_points: bool = True, installed_only: Iterable[str] = ()
) -> pluggy.PluginManager:
    """Built-ins first, then installed entry points, then ``--plugin`` modules.

    ``installed_only`` modules (named by a repository's configuration) are imported with the
    working directory off ``sys.path``, so checking a repository never runs its code.
    """
    pm = _Manager(GROUP)
    pm.add_hookspecs(hookspecs)
    for name in BUILTINS:
        pm.register(importlib.import_module(name), name=name)
    if entry_points:
        try:
            _load_entry_points(pm)
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


def _load_entry_points(pm: _Manager) -> None:
    with _without_cwd():
        declared = installed_entry_points(GROUP)
        if declared is None:  # something on sys.path is not a directory: let importlib.metadata read it
            pm.load_setuptools_entrypoints(GROUP)
            return
        for dist, name, value in declared:
            _register_entry_point(pm, dist, name, value)


def _register_entry_point(pm: pluggy.PluginManager, dist: str, name: str, value: str) -> None:
    """Import and register one installed entry point, unless that name is registered or blocked."""
    if pm.get_plugin(name) is not None or pm.is_blocked(name):
        return
    plugin = _resolve(value)
    if not pm.is_registered(plugin):
        pm.register(plugin, name=name)
        if isinstance(pm, _Manager):
            pm.distributions[plugin] = dist


def installed_entry_points(group: str) -> list[tuple[str, str, str]] | None:
    """(distribution, name, value) of every entry point in ``group`` installed on ``sys.path``.

    Read straight from ``*.dist-info``/``*.egg-info`` directories: importing
    ``importlib.metadata`` for this costs about 20 ms, an eighth of a one-file run. The working
    directory is never searched (a repository being checked must not install plugins), and
    None means "cannot tell" (a zip on ``sys.path``).
    """
    found: list[tuple[str, str, str]] = []
    for entry in _search_path():
        try:
            listing = os.scandir(entry)
        except NotADirectoryError:
            return None
        except OSError:
            continue
        with listing:
            infos = sorted(item.path for item in listing if item.name.endswith((".dist-info", ".egg-info")))
        for info in infos:
            points = _section(os.path.join(info, "entry_points.txt"), group)
            if points:
                dist = _distribution_name(info)
                found.extend((dist, name, value) for name, value in points)
    return found


def _section(file: str, group: str) -> list[tuple[str, str]]:
    """The ``name = value`` lines of one section of an ``entry_points.txt`` (an INI file)."""
    try:
        with open(file, encoding="utf-8", errors="replace") as f:
            lines = [line.strip() for line in f]
    except OSError:
        return []
    out, section = [], ""
    for line in lines:
        if line.startswith("["):
            section = line[1 : line.find("]")].strip() if "]" in line else ""
        elif section == group and "=" in line and not line.startswith(("#", ";")):
            name, _, value = line.partition("=")
            out.append((name.strip(), value.strip()))
    return out


def _distribution_name(info: str) -> str:
    for metadata in ("METADATA", "PKG-INFO"):
        try:
            with open(os.path.join(info, metadata), encoding="utf-8", errors="replace") as f:
                for line in f:
                    if not line.strip():
                        break
                    if line.lower().startswith("name:"):
                        return line[5:].strip()
        except OSError:
            continue
    return os.path.basename(info).split("-")[0]


def _resolve(value: str) -> object:
    """``module`` or ``module:attribute.path``, with any ``[extras]`` ignored."""
    attribute = value.split("[")[0].partition(":")[2]
    target: object = importlib.import_module(_module_of(value))
    for part in filter(None, attribute.strip().split(".")):
        target = getattr(target, part)
    return target


def _register(pm: pluggy.PluginManager, module_name: str, local: bool) -> None:
    if pm.get_plugin(module_name) is not None:
        return
    if not local:
        _register_installed(pm, module_name)
        return
    try:
        with _as_launched():
            module = importlib.import_module(module_name)
    except Exception as exc:
        raise PluginError(f"cannot import plugin module {module_name!r}: {exc}") from None
    if not pm.is_registered(module):  # an installed plugin named again with --plugin
        pm.register(module, name=module_name)


def _register_installed(pm: pluggy.PluginManager, module_name: str) -> None:
    """A plugin named by a repository's configuration: looked up before anything is imported.

    Only a module that an installed distribution declares as a ``govcheck`` entry point is
    accepted, so a configuration cannot run any other module (``venv.__main__``, the
    repository's own code) by naming it; it is imported with the working directory off
    ``sys.path``.
    """
    with _without_cwd():
        declared = installed_entry_points(GROUP)
        if declared is None:  # something on sys.path is not a directory: let importlib.metadata read it
            from importlib.metadata import entry_points

            points = entry_points(group=GROUP)
            declared = [(ep.dist.name if ep.dist else "", ep.name, ep.value) for ep in points]
        found = [(d, n, v) for d, n, v in declared if _module_of(v) == module_name]
        if not found:
            from govcheck.config import Named
            from govcheck.load.discover import display

            where = (
                f"{display(Path(module_name.file), Path.cwd())}: "
                if isinstance(module_name, Named) and module_name.file
                else ""
            )
            installed = ", ".join(sorted({_module_of(v) for _, n, v in declared if n not in BUILTINS}))
            raise PluginError(
                f"{where}plugins: {module_name!r} is not an installed govcheck plugin: no installed "
                f"distribution declares it as a {GROUP!r} entry point (installed: {installed or 'none'}); "
                "a configuration may name installed plugins only (--plugin on the command line imports "
                "any module)"
            )
        for dist, name, value in found:
            try:
                _register_entry_point(pm, dist, name, value)
            except Exception as exc:
                raise PluginError(f"cannot import the installed plugin {value!r} of {dist}: {exc}") from None


def _module_of(value: str) -> str:
    """The module an entry point's value names: ``pkg.mod`` of ``pkg.mod:attr [extra]``."""
    return value.split("[")[0].partition(":")[0].strip()


def _search_path() -> list[str]:
    """``sys.path`` without the working directory: where installed code lives."""
    cwd = os.getcwd()
    return [p for p in sys.path if p not in ("", ".") and os.path.abspath(p) != cwd]


@contextmanager
def _as_launched() -> Iterator[None]:
    """``sys.path`` as Python set it up: ``python -m govcheck`` had the working directory first,
    which ``govcheck/__init__.py`` took off; a ``--plugin`` module (the user's choice) sees it."""
    import govcheck

    saved = list(sys.path)
    if govcheck.LAUNCH_DIR is not None:
        sys.path.insert(0, govcheck.LAUNCH_DIR)
    try:
        yield
    finally:
        sys.path[:] = saved


@contextmanager
def _without_cwd() -> Iterator[None]:
    """Import installed plugins only: a module in the repository being checked must not shadow one."""
    saved = list(sys.path)
    sys.path[:] = _search_path()
    try:
        yield
    finally:
        sys.path[:] = saved


class Registry:
    """What the loaded plugins provide, by name, each name checked once."""

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self.pm = pm

    def _plugin_label(self, plugin: object) -> str:
        name = self.pm.get_name(plugin) or repr(plugin)
        dist = getattr(self.pm, "distributions", {}).get(plugin)
        if dist is None:
            dist = next((d.project_name for p, d in self.pm.list_plugin_distinfo() if p is plugin), None)
        if dist is not None:
            return f"{dist}[{name}]"
        return f"govcheck[{name}]" if name in BUILTINS else name

    def _collect(self, kind: str) -> dict[str, Any]:
        """Call the hook through pluggy (hookwrappers, tryfirst and new arguments all work), then
        check each name once: pluggy's call order must never settle a clash silently."""
        out: dict[str, Any] = {}
        for items in getattr(self.pm.hook, _HOOKS[kind])():
            for item in items or ():
                if not _NAME[kind].match(item.name):
                    raise PluginError(
                        f"{self._label(kind, item.name)} provides a {kind} with an invalid name {item.name!r}"
                    )
                if item.name in out:
                    owners = " and ".join(self._owners(kind, item.name)) or "a hookwrapper"
                    raise PluginError(f"two plugins provide the {kind} {item.name!r}: {owners}")
                out[item.name] = item
        return dict(sorted(out.items()))

    def _owners(self, kind: str, name: str) -> list[str]:
        """Which plugins' own implementations give ``name``: for messages and listings, never a run."""
        owners = []
        for impl in getattr(self.pm.hook, _HOOKS[kind]).get_hookimpls():
            if impl.hookwrapper or impl.wrapper:
                continue
            if any(getattr(item, "name", None) == name for item in impl.function() or ()):
                owners.append(self._plugin_label(impl.plugin))
        return owners

    def _label(self, kind: str, name: str) -> str:
        return next(iter(self._owners(kind, name)), "a plugin")

    @cached_property
    def _checks(self) -> dict[str, CheckSpec]:
        return self._collect("check")

    @cached_property
    def _reporters(self) -> dict[str, ReporterSpec]:
        return self._collect("reporter")

    @cached_property
    def _packs(self) -> dict[str, PackSource]:
        return self._collect("pack")

    def checks(self) -> Mapping[str, CheckSpec]:
        return self._checks

    def reporters(self) -> Mapping[str, ReporterSpec]:
        return self._reporters

    def pack_sources(self) -> Mapping[str, PackSource]:
        return self._packs

    def distributions(self) -> dict[str, str]:
        """Each plugin loaded beyond the built-ins, by name, with the distribution that installed
        it; "" for a ``--plugin`` module that no distribution declares. For a run's provenance."""
        known: dict[object, str] = getattr(self.pm, "distributions", {})
        out = {}
        for name, plugin in self.pm.list_name_plugin():
            if name in BUILTINS or plugin is None:  # None: a blocked name
                continue
            dist = known.get(plugin)
            if dist is None:  # loaded by pluggy's own entry-point loader (a zip on sys.path)
                dist = next((d.project_name for p, d in self.pm.list_plugin_distinfo() if p is plugin), "")
            out[name] = dist
        return dict(sorted(out.items()))

    def provider(self, kind: str, name: str) -> str:
        """Which plugin provides a name, as ``dist[module]``, for listings."""
        tables: dict[str, Mapping[str, object]] = {
            "check": self._checks,
            "reporter": self._reporters,
            "pack": self._packs,
        }
        return next(iter(self._owners(kind, name)), "") if name in tables[kind] else ""


def load_registry(
    plugins: Iterable[str] = (), entry_points: bool = True, installed_only: Iterable[str] = ()
) -> Registry:
    return Registry(get_plugin_manager(plugins, entry_points, installed_only))
