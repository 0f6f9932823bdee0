"""A document whose kind reads as AIPilot in review is never passed over in silence.

``kind: aipilot`` is a GC-KIND error in a directory scan; ``kind: AIPilot`` followed by an
invisible U+200B, or spelt with a Greek capital Rho, looks the same in a diff and is skipped.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import MINI, TODAY, manifest, write

DAY = TODAY.isoformat()


def scan(run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> Any:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "pilot.yaml", manifest())
    hidden = manifest(**{"metadata.id": "hidden", "spec.ownership.post_launch_owner": None, "kind": kind})
    write(tmp_path / "team" / "hidden.yaml", json.dumps(hidden, indent=1, ensure_ascii=False))
    monkeypatch.chdir(tmp_path)
    return run("check", "--pack", MINI, "--today", DAY, "-q", ".")


def test_another_case_is_a_finding(run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = scan(run, tmp_path, monkeypatch, "aipilot")
    assert result.exit_code == 1 and "GC-KIND" in result.stdout


@pytest.mark.parametrize(
    "kind", ["AIPilot\u200b", "AIPilot\u00ad", "AI\u03a1ilot"], ids=["zero-width", "soft-hyphen", "greek-rho"]
)
def test_a_look_alike_kind_is_a_finding(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    result = scan(run, tmp_path, monkeypatch, kind)
    assert result.exit_code == 1
