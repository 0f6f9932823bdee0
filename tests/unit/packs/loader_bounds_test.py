"""Hostile extends: a chain too deep is a pack error, and packs that share parents stay linear."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.helpers import write

PACK = (
    "apiVersion: govcheck/v1\nkind: PolicyPack\nmetadata: {{name: {name}, version: '1'}}\n"
    "{extends}rules: []\n"
)
MANIFEST = Path(__file__).resolve().parents[3] / "examples" / "ready" / "pilot.yaml"


def _check(cwd: Path, pack: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "govcheck", "check", "--pack", pack, "--today", "2026-11-25", str(MANIFEST)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )


def test_a_thousand_deep_extends_chain_is_a_pack_error(tmp_path: Path) -> None:
    for i in range(1000):
        extends = f"extends: [./p{i + 1}.yaml]\n" if i < 999 else ""
        write(tmp_path / f"p{i}.yaml", PACK.format(name=f"p{i}", extends=extends))
    result = _check(tmp_path, "./p0.yaml")
    assert result.returncode == 2, result.stderr
    assert "more than 32 deep" in result.stderr and "internal error" not in result.stderr


def test_packs_that_share_parents_are_merged_once_each(tmp_path: Path) -> None:
    layers = 30  # each layer's two packs extend both packs of the next: 2**30 paths, 60 packs
    for i in range(layers):
        for side in "ab":
            extends = f"extends: [./p{i + 1}a.yaml, ./p{i + 1}b.yaml]\n" if i < layers - 1 else ""
            write(tmp_path / f"p{i}{side}.yaml", PACK.format(name=f"p{i}{side}", extends=extends))
    result = _check(tmp_path, "./p0a.yaml")
    assert result.returncode == 0, result.stderr
