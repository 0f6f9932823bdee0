"""``govcheck coverage``: a framework's items, cited by the loaded rules or not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import MINI


def test_cited_and_uncited_items(run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("coverage", "--framework", "nist-ai-rmf", "--pack", MINI)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:6] == [
        "NIST AI Risk Management Framework (AI RMF), 1.0 (NIST AI 100-1, January 2023)",
        "packs: mini 0.1.0",
        "1 of 72 items cited (1%)",
        "",
        "cited:",
        "  GOVERN 2.1    OWN-003  "
        "(Roles, responsibilities and communication lines for AI risk are documented and clear)",
    ]
    assert lines[7] == "not cited:" and len(lines) == 8 + 71


def test_json_for_every_framework(run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("nist-ai-rmf", "onc-hti1", "fda-gmlp", "chai", "eu-ai-act", "iso-42001"):
        report = json.loads(run("coverage", "--framework", name, "--format", "json").stdout)
        assert report["framework"] == name and report["items"] == len(report["coverage"]) > 0
        assert report["cited"] == sum(1 for item in report["coverage"] if item["rules"]) > 0
    iso = json.loads(run("coverage", "--framework", "iso-42001", "--format", "json").stdout)
    clause9 = next(item for item in iso["coverage"] if item["id"] == "Clause 9")
    assert clause9["reference"] == "ISO/IEC 42001 Clause 9" and "MON-002" in clause9["rules"]


def test_an_unknown_framework_is_a_usage_error(run: Any) -> None:
    result = run("coverage", "--framework", "hipaa")
    assert result.exit_code == 2 and "'hipaa' is not one of" in result.stderr
