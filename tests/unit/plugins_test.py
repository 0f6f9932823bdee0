"""Installed plugins are found through entry points; a run without any skips the metadata scan."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from govcheck import plugins


def dist(site: Path, name: str, entry_points: str | None) -> None:
    info = site / f"{name}-1.0.dist-info"
    info.mkdir(parents=True)
    if entry_points is not None:
        (info / "entry_points.txt").write_text(entry_points, encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(sys, "path", [str(tmp_path / "missing"), str(tmp_path)])
    return tmp_path


def test_no_plugin_is_declared_when_only_the_built_ins_and_other_groups_are(site: Path) -> None:
    dist(site, "govcheck", "[console_scripts]\ngovcheck = govcheck.cli:main\n\n[govcheck]\n"
                           "govcheck.checks = govcheck.checks\ngovcheck.report = govcheck.report\n")
    dist(site, "other", "[pytest11]\nplugin = other.plugin\n[govcheck-extra]\nx = y\n")
    dist(site, "bare", None)
    assert not plugins._may_have_entry_points("govcheck")


def test_a_third_party_entry_point_is_found(site: Path) -> None:
    dist(site, "govcheck", "[govcheck]\ngovcheck.checks = govcheck.checks\n")
    dist(site, "govcheck_hti1", "[govcheck]\n  hti1 = govcheck_hti1\n")
    assert plugins._may_have_entry_points("govcheck")


def test_a_zip_on_the_path_counts_as_a_maybe(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = site / "plugins.zip"
    archive.write_bytes(b"PK\x05\x06" + bytes(18))
    monkeypatch.setattr(sys, "path", [str(archive)])
    assert plugins._may_have_entry_points("govcheck")


def test_the_scan_agrees_with_importlib_metadata_here() -> None:
    from importlib.metadata import entry_points

    declared = {ep.value for ep in entry_points(group="govcheck")} - set(plugins.BUILTINS)
    assert plugins._may_have_entry_points("govcheck") == bool(declared)
