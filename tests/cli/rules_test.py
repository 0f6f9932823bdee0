"""``govcheck rules``: the loaded rules, filtered."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import MINI


def test_rules_as_a_table(run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("rules", "--pack", MINI)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "SEVERITY", "CATEGORY", "TIERS", "STAGES", "TITLE"]
    assert lines[1].split(None, 5) == ["DATA-001", "info", "data", "all", "all", "Data quality is checked"]
    assert lines[3] == (
        "GOV-004   error     governance  all                     all*                  "
        "Privacy review approved when PHI is used"
    )
    assert lines[8] == (
        "OWN-003   error     ownership   moderate,high,critical  expansion,enterprise  "
        "An owner after launch is named"
    )
    assert lines[-1] == "9 rule(s); * applies only when its guard holds (govcheck explain RULE)"


@pytest.mark.parametrize(
    ("args", "ids"),
    [
        (("--tier", "low"), ["DATA-001", "GOV-004", "MET-002", "MET-003", "META-001"]),
        (("--tier", "high", "--category", "governance"), ["GOV-003", "GOV-004", "META-001"]),
        (("--stage", "pilot", "--category", "ownership"), []),
        (("--stage", "expansion", "--category", "ownership"), ["OWN-003"]),
    ],
)
def test_filters(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], ids: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("rules", "--pack", MINI, "--format", "json", *args)
    assert [r["id"] for r in json.loads(result.stdout)["rules"]] == ids


def test_json_record(run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    rules = json.loads(run("rules", "--pack", MINI, "--format", "json").stdout)["rules"]
    assert next(r for r in rules if r["id"] == "OWN-003") == {
        "id": "OWN-003",
        "title": "An owner after launch is named",
        "category": "ownership",
        "severity": "error",
        "pack": "mini",
        "pack_version": "0.1.0",
        "tiers": ["moderate", "high", "critical"],
        "stages": ["expansion", "enterprise"],
        "when": "",
        "check": "present",
        "target": "spec.ownership.post_launch_owner.name",
        "references": ["NIST AI RMF GOVERN 2.1"],
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--tier", "urgent"), "--tier 'urgent' is not one of low, moderate, high, critical"),
        (("--stage", "launch"), "--stage 'launch' is not one of pilot, expansion, enterprise"),
        (("--category", "finance"), "--category 'finance' is not one of governance, ownership"),
    ],
)
def test_unknown_filter_values_are_usage_errors(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("rules", *args)
    assert result.exit_code == 2 and message in result.stderr
