"""Hooks are called through pluggy, so a plugin's hookwrapper and tryfirst are honoured."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from govcheck.errors import PluginError
from govcheck.plugins import load_registry

WRAPPER = """
    import govcheck
    from govcheck.interfaces import CheckSpec

    SEEN = []


    def _compile(target, params):
        return lambda ctx: ()


    @govcheck.hookimpl(wrapper=True)
    def govcheck_checks():
        result = yield
        SEEN.extend(spec.name for specs in result for spec in specs)
        return [*result, [CheckSpec("wrapped", _compile)]]
"""

CLASH = """
    import govcheck
    from govcheck.interfaces import CheckSpec


    @govcheck.hookimpl(tryfirst=True)
    def govcheck_checks():
        return [CheckSpec("present", lambda target, params: lambda ctx: ())]
"""


def _module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, source: str) -> str:
    (tmp_path / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, name, raising=False)
    return name


def test_a_hookwrapper_wraps_the_built_in_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name = _module(tmp_path, monkeypatch, "gc_wrapper_plugin", WRAPPER)
    registry = load_registry(plugins=[name], entry_points=False)
    checks = registry.checks()
    assert "wrapped" in checks and "present" in checks
    assert {"present", "max_age", "expr"} <= set(sys.modules[name].SEEN)  # it saw the built-ins' result


def test_a_tryfirst_plugin_cannot_take_over_a_built_in_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = _module(tmp_path, monkeypatch, "gc_clash_plugin", CLASH)
    registry = load_registry(plugins=[name], entry_points=False)
    with pytest.raises(PluginError, match=r"two plugins provide the check 'present': .*gc_clash_plugin"):
        registry.checks()
