"""A pack a repository's configuration adds must not hang the gate: a JMESPath guard that
doubles the document 29 times (``[@,@][].[@,@][]...``) passes ``pack lint`` and never ends."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import MINI, manifest, write

GOVCHECK = str(Path(sys.executable).with_name("govcheck"))
DOUBLING = "[@,@][]" + ".[@,@][]" * 28
PACK = f"""apiVersion: govcheck/v1
kind: PolicyPack
metadata: {{name: local, version: 1.0.0}}
rules:
  - id: LOC-001
    title: The summary is given
    category: governance
    severity: error
    applies: {{when: "length({DOUBLING}) > `0`"}}
    check: {{present: spec.use_case}}
    message: Give the use case
"""


def test_a_configured_pack_cannot_hang_the_gate(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "pilot.yaml", manifest())
    write(tmp_path / "p" / "pack.yaml", PACK)
    write(tmp_path / ".govcheck.yaml", "packs: [./p]\n")
    try:
        result = subprocess.run(
            [GOVCHECK, "check", "--pack", MINI, "--today", "2026-11-25", "pilot.yaml"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=10,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("govcheck check did not finish within 10 s")
    assert result.returncode == 2, result.stderr
    assert "can build a result up to" in result.stderr, result.stderr
