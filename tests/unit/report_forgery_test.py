"""Manifest text cannot forge CI output: no key or value starts a line of any report."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

READY = Path(__file__).resolve().parents[2] / "examples" / "ready"
FORGED = re.compile(r"^\s*(::(error|warning|notice)\b|##vso\[|\x1b)", re.M)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("forgery")
    shutil.copytree(READY, root, dirs_exist_ok=True)
    pilot = root / "pilot.yaml"
    text = pilot.read_text(encoding="utf-8")
    text = text.replace("metadata:\n", 'metadata:\n  "evil\\n::error file=x.yaml::forged key": 1\n', 1)
    text = re.sub(
        r"(post_launch_owner: \{name: )[^,]*",
        r'\1"TBD\\n::error file=y.yaml::forged\\r\\n##vso[task.complete result=Succeeded]\\u001b[2K"',
        text,
        count=1,
    )
    assert "forged key" in text and "##vso" in text
    pilot.write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github", "gitlab"])
def test_no_report_line_is_forged(repo: Path, fmt: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "govcheck", "check", "--today", "2026-11-25", "--format", fmt, "pilot.yaml"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "forged" in result.stdout  # the text is reported, escaped
    assert "\x1b" not in result.stdout
    legit = "::error file=pilot.yaml," if fmt == "github" else None  # govcheck's own annotations
    forged = [
        line
        for line in result.stdout.splitlines()
        if FORGED.match(line) and not (legit and line.startswith(legit))
    ]
    assert forged == [], result.stdout
