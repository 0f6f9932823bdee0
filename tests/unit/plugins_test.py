"""Installed plugins are found by reading entry_points.txt on sys.path, never in the working directory."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from govcheck import plugins


def dist(site: Path, name: str, entry_points: str | None, metadata: str = "") -> None:
    info = site / f"{name.replace('-', '_')}-1.0.dist-info"
    info.mkdir(parents=True)
    if entry_points is not None:
        (info / "entry_points.txt").write_text(entry_points, encoding="utf-8")
    (info / "METADATA").write_text(
        metadata or f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n\nName: not-this\n", encoding="utf-8"
    )


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    monkeypatch.setattr(sys, "path", [str(tmp_path / "missing"), str(root)])
    return root


def test_entry_points_of_the_group_are_read_with_their_distribution(site: Path) -> None:
    dist(
        site,
        "govcheck",
        "[console_scripts]\ngovcheck = govcheck.cli:main\n\n[govcheck]\ngovcheck.checks = govcheck.checks\n",
    )
    dist(site, "govcheck-hti1", "[govcheck]\n  hti1 = govcheck_hti1\n# note\n; other = x\n[other]\nz = y\n")
    dist(site, "other", "[pytest11]\nplugin = other.plugin\n[govcheck-extra]\nx = y\n")
    dist(site, "bare", None)
    assert plugins.installed_entry_points("govcheck") == [
        ("govcheck", "govcheck.checks", "govcheck.checks"),
        ("govcheck-hti1", "hti1", "govcheck_hti1"),
    ]


def test_the_working_directory_is_never_searched(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dist(site, "sneaky", "[govcheck]\nsneaky = sneaky_module\n")
    monkeypatch.chdir(site)
    monkeypatch.setattr(sys, "path", ["", str(site)])
    assert plugins.installed_entry_points("govcheck") == []


def test_a_zip_on_the_path_hands_over_to_importlib_metadata(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = site / "plugins.zip"
    archive.write_bytes(b"PK\x05\x06" + bytes(18))
    monkeypatch.setattr(sys, "path", [str(archive)])
    assert plugins.installed_entry_points("govcheck") is None


def test_values_resolve_to_modules_and_attributes() -> None:
    import govcheck.checks.schema as schema_module

    assert plugins._resolve("govcheck.checks.schema") is schema_module
    assert plugins._resolve("govcheck.checks.schema:SPEC.compile [extra]") is schema_module.SPEC.compile


def test_the_reader_agrees_with_importlib_metadata_here() -> None:
    from importlib.metadata import entry_points

    mine = {(name, value) for _, name, value in plugins.installed_entry_points("govcheck") or ()}
    assert mine == {(ep.name, ep.value) for ep in entry_points(group="govcheck")}


def test_installed_plugins_are_labelled_with_their_distribution() -> None:
    from importlib.metadata import entry_points

    registry = plugins.load_registry()
    for ep in entry_points(group="govcheck"):
        if ep.name in plugins.BUILTINS:
            continue
        labels = {registry.provider("pack", n) for n in registry.pack_sources()} | {
            registry.provider("check", n) for n in registry.checks()
        }
        assert any(label.endswith(f"[{ep.name}]") and not label.startswith("govcheck[") for label in labels)


def test_a_module_in_the_working_directory_never_shadows_an_installed_plugin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, repo = tmp_path / "site", tmp_path / "repo"
    site.mkdir()
    repo.mkdir()
    dist(site, "shadow-demo", "[govcheck]\nshadow_demo_plugin = shadow_demo_plugin\n")
    (site / "shadow_demo_plugin.py").write_text("WHERE = 'installed'\n", encoding="utf-8")
    (repo / "shadow_demo_plugin.py").write_text("raise SystemExit('repository code ran')\n", encoding="utf-8")
    monkeypatch.chdir(repo)
    monkeypatch.setattr(sys, "path", ["", *sys.path, str(site)])
    monkeypatch.delitem(sys.modules, "shadow_demo_plugin", raising=False)
    pm = plugins.get_plugin_manager()
    assert pm.get_plugin("shadow_demo_plugin").WHERE == "installed"
    assert sys.path[0] == ""  # restored
