"""A configuration names installed plugins only: looked up as entry points before anything is imported."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import govcheck
from govcheck import plugins
from govcheck.config import Named
from govcheck.errors import PluginError

MARKER_MODULE = "from pathlib import Path\nPath({marker!r}).write_text('imported')\n"


def dist(site: Path, name: str, entry_points: str) -> None:
    info = site / f"{name.replace('-', '_')}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "entry_points.txt").write_text(entry_points, encoding="utf-8")
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n", encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    monkeypatch.setattr(sys, "path", [*sys.path, str(root)])
    return root


def test_a_module_that_is_no_govcheck_entry_point_is_refused_unimported(
    tmp_path: Path, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "ran"
    (site / "gc_gate_not_a_plugin.py").write_text(MARKER_MODULE.format(marker=str(marker)), encoding="utf-8")
    monkeypatch.delitem(sys.modules, "gc_gate_not_a_plugin", raising=False)
    with pytest.raises(PluginError) as caught:
        plugins.load_registry(installed_only=[Named("gc_gate_not_a_plugin", ".govcheck.yaml")])
    assert str(caught.value).startswith(
        ".govcheck.yaml: plugins: 'gc_gate_not_a_plugin' is not an installed govcheck plugin: no installed "
        "distribution declares it as a 'govcheck' entry point (installed: "
    )
    assert "a configuration may name installed plugins only" in str(caught.value)
    assert not marker.exists()  # before: imported (and run) because it is on sys.path


def test_a_standard_library_main_module_is_never_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "venv.__main__", raising=False)
    with pytest.raises(PluginError, match="'venv.__main__' is not an installed govcheck plugin"):
        plugins.load_registry(installed_only=["venv.__main__"])
    assert "venv.__main__" not in sys.modules  # before: imported, running venv's command line


def test_a_declared_entry_point_is_accepted_and_registered(
    tmp_path: Path, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dist(site, "gc-gate-demo", "[govcheck]\ngc_gate_demo = gc_gate_demo.hooks:PLUGIN\n")
    (site / "gc_gate_demo").mkdir()
    (site / "gc_gate_demo" / "__init__.py").write_text("", encoding="utf-8")
    (site / "gc_gate_demo" / "hooks.py").write_text(
        "import govcheck\n\nclass _Plugin:\n    @govcheck.hookimpl\n    def govcheck_checks(self):\n"
        "        return []\n\nPLUGIN = _Plugin()\n",
        encoding="utf-8",
    )
    for name in ("gc_gate_demo", "gc_gate_demo.hooks"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    pm = plugins.get_plugin_manager(entry_points=False, installed_only=["gc_gate_demo.hooks"])
    assert pm.get_plugin("gc_gate_demo") is sys.modules["gc_gate_demo.hooks"].PLUGIN
    assert plugins.Registry(pm).provider("check", "present") == "govcheck[govcheck.checks]"


def test_an_installed_plugin_named_again_is_not_registered_twice() -> None:
    pm = plugins.get_plugin_manager(installed_only=["govcheck.checks", "govcheck.report"])
    assert pm.get_plugin("govcheck.checks") is not None
    assert len(pm.get_plugins()) == len(plugins.get_plugin_manager().get_plugins())


def test_the_working_directory_is_not_searched_for_entry_points(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    dist(repo, "sneaky", "[govcheck]\ngc_gate_sneaky = gc_gate_sneaky\n")
    (repo / "gc_gate_sneaky.py").write_text("raise SystemExit('repository code ran')\n", encoding="utf-8")
    monkeypatch.chdir(repo)
    monkeypatch.setattr(sys, "path", ["", *sys.path])
    with pytest.raises(PluginError, match="'gc_gate_sneaky' is not an installed govcheck plugin"):
        plugins.load_registry(installed_only=["gc_gate_sneaky"])


def test_command_line_plugins_are_found_where_python_m_looked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `python -m govcheck` takes the working directory off sys.path (govcheck/__init__.py);
    # a --plugin module there, the user's own choice, is still imported as before.
    (tmp_path / "gc_gate_local.py").write_text("import govcheck\n", encoding="utf-8")
    monkeypatch.setattr(govcheck, "LAUNCH_DIR", str(tmp_path))
    monkeypatch.delitem(sys.modules, "gc_gate_local", raising=False)
    before = list(sys.path)
    pm = plugins.get_plugin_manager(["gc_gate_local"], entry_points=False)
    assert pm.get_plugin("gc_gate_local") is sys.modules["gc_gate_local"]
    assert sys.path == before
