"""A manifest under the size and node limits must not make the gate's output (and memory) grow
with aliases: every finding that quotes an aliased large scalar copies all of it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

GOVCHECK = str(Path(sys.executable).with_name("govcheck"))


def amplifier(size: int, items: int) -> str:
    head = (
        "apiVersion: govcheck/v1\nkind: AIPilot\nmetadata: {id: amp}\n"
        f'x-junk: &j "{"x" * size}"\nspec:\n  risk_tier: low\n  stage: pilot\n  success_metrics:\n'
    )
    return head + "    - {current: {measured_on: *j}}\n" * items


def test_output_does_not_grow_with_aliases_of_one_value(tmp_path: Path) -> None:
    text = amplifier(50_000, 200)
    (tmp_path / "pilot.yaml").write_text(text, encoding="utf-8")
    result = subprocess.run(
        [GOVCHECK, "check", "--today", "2026-11-25", "-q", "pilot.yaml"],
        cwd=tmp_path,
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert len(result.stdout) < 20 * len(text), f"{len(result.stdout):,} bytes of output from {len(text):,}"
