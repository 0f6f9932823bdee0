"""GC-DUPLICATE-ID reporting must stay cheap: a small file of many documents sharing one id
must not hang the gate (each file is read once, and a message names a few of the other claims)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

GOVCHECK = str(Path(sys.executable).with_name("govcheck"))
DOC = (
    "---\napiVersion: govcheck/v1\nkind: AIPilot\nmetadata: {{id: {id}}}\n"
    "spec: {{risk_tier: low, stage: pilot}}\n"
)


def check(tmp_path: Path, ids: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    (tmp_path / "many.yaml").write_text("".join(DOC.format(id=i) for i in ids), encoding="utf-8")
    try:
        return subprocess.run(
            [GOVCHECK, "check", "--today", "2026-11-25", "-q", "many.yaml"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"govcheck check of {len(ids)} documents did not finish within {timeout} s")


def test_many_documents_with_their_own_ids_are_quick(tmp_path: Path) -> None:
    result = check(tmp_path, [f"p{i}" for i in range(400)], timeout=10)  # about 2 s
    assert result.returncode == 1 and "GC-DUPLICATE-ID" not in result.stdout


def test_many_documents_sharing_an_id_are_quick(tmp_path: Path) -> None:
    result = check(tmp_path, ["x"] * 400, timeout=10)  # 39 KB; quadratic, 250 documents took 13 s
    assert result.returncode == 1 and "GC-DUPLICATE-ID" in result.stdout
