"""``govcheck packs``: what is loaded, from where, with version and digest."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from govcheck import __version__
from tests.helpers import CHILD

ROOT = Path(__file__).resolve().parents[2]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_default_pack_and_who_provides_it(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("packs")
    baseline = ROOT / "policies" / "healthcare-ai-baseline" / "pack.yaml"
    tiering = ROOT / "policies" / "healthcare-ai-tiering" / "pack.yaml"
    assert result.exit_code == 0
    assert result.stdout.startswith(
        "in use (after extends):\n  healthcare-ai-tiering 1.0.0\n"
        f"    source: installed:healthcare-ai-tiering (govcheck {__version__}, built in)\n"
        f"    sha256: {sha256(tiering)}\n"
        "  healthcare-ai-baseline 2.0.0\n"
        f"    source: installed:healthcare-ai-baseline (govcheck {__version__}, built in)\n"
        f"    sha256: {sha256(baseline)}\ninstalled:\n"
    )
    assert f"  scale-readiness (govcheck {__version__}, built in): " in result.stdout


def test_local_packs_and_what_they_extend(run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    record = json.loads(run("packs", "--pack", CHILD, "--format", "json").stdout)
    child = Path(CHILD) / "pack.yaml"
    assert [(p["name"], p["version"], p["provider"]) for p in record["in_use"]] == [
        ("mini", "0.1.0", ""),
        ("child", "2.0.0", ""),
    ]
    assert record["in_use"][1]["sha256"] == sha256(child)
    assert {p["name"] for p in record["installed"]} >= {"healthcare-ai-baseline", "scale-readiness"}
