"""The README's manifest gives the findings the README shows."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_manifest_and_its_findings(run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = re.search(r"```yaml\n(apiVersion: govcheck/v1\nkind: AIPilot\n.*?)```", README, re.S)
    shown = re.search(r"```text\n(pilot\.yaml:.*?)```", README, re.S)
    assert manifest and shown
    (tmp_path / "pilot.yaml").write_text(manifest.group(1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("check", "--today", "2026-11-25", "pilot.yaml")
    assert result.exit_code == 1
    first, *_, last = [block for block in shown.group(1).split("...\n")]
    assert first in result.stdout
    assert result.stdout.endswith(last)


def test_readme_pack_lints_clean(run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pack = re.search(r"```yaml\n(apiVersion: govcheck/v1\nkind: PolicyPack\n.*?)```", README, re.S)
    assert pack
    (tmp_path / "pack.yaml").write_text(pack.group(1), encoding="utf-8")
    (tmp_path / "pilot.yaml").write_text(
        (ROOT / "examples" / "failing" / "pilot.yaml").read_text(), encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    result = run("check", "--pack", "./pack.yaml", "--today", "2026-11-25", "pilot.yaml")
    assert result.exit_code == 1, result.stderr
    assert "MON-002" in result.stdout and "OWN-003" in result.stdout
