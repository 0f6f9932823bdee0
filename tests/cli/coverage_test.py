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
        assert (
            report["cited"] == sum(1 for item in report["coverage"] if item["rules"] or item["tiering"]) > 0
        )
    iso = json.loads(run("coverage", "--framework", "iso-42001", "--format", "json").stdout)
    clause9 = next(item for item in iso["coverage"] if item["id"] == "Clause 9")
    assert clause9["reference"] == "ISO/IEC 42001 Clause 9" and "MON-002" in clause9["rules"]


def test_an_unknown_framework_is_a_usage_error(run: Any) -> None:
    result = run("coverage", "--framework", "hipaa")
    assert result.exit_code == 2 and "'hipaa' is not one of" in result.stderr


PARENT = """\
apiVersion: govcheck/v1
kind: PolicyPack
metadata: {name: shared-tiers, version: 2.0.0}
tiers: [low, moderate, high, critical]
tiering:
  - id: TIER-004
    when: "spec.governance.regulatory.fda_device == `true`"
    minimum: critical
    reason: A regulated medical device is critical risk
    references: ["NIST AI RMF GOVERN 1.1", "NIST AI RMF MAP 1.1"]
  - id: TIER-009
    when: "spec.scope.phi == `true`"
    minimum: moderate
    reason: PHI is at least moderate risk
"""

CHILD = """\
apiVersion: govcheck/v1
kind: PolicyPack
metadata: {name: checks, version: 1.0.0}
extends: [../shared]
rules:
  - id: GOV-001
    title: Legal obligations are written down
    category: governance
    severity: error
    check: {present: spec.governance.regulatory.fda_device}
    message: "state the regulatory status"
    references: ["NIST AI RMF GOVERN 1.1"]
"""


def _tiering_packs(tmp_path: Path) -> Path:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "pack.yaml").write_text(PARENT, encoding="utf-8")
    (tmp_path / "checks").mkdir()
    (tmp_path / "checks" / "pack.yaml").write_text(CHILD, encoding="utf-8")
    return tmp_path / "checks"


def test_tiering_rules_cite_items_too(run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A tiering rule's references count, from an extended pack too, named apart from rules."""
    _tiering_packs(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = run("coverage", "--framework", "nist-ai-rmf", "--pack", "./checks")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1] == "packs: shared-tiers 2.0.0, checks 1.0.0"
    assert lines[2] == "2 of 72 items cited (2%)"
    assert lines[4:6] == [
        "cited:",
        "  GOVERN 1.1    GOV-001, tiering TIER-004  "
        "(AI-related legal and regulatory obligations are identified, managed and recorded)",
    ]
    assert lines[6].startswith("  MAP 1.1       tiering TIER-004  (Intended purpose, users,")
    assert "TIER-009" not in result.stdout  # it cites nothing

    report = json.loads(
        run("coverage", "--framework", "nist-ai-rmf", "--pack", "./checks", "--format", "json").stdout
    )
    assert report["cited"] == 2
    by_id = {item["id"]: item for item in report["coverage"]}
    assert (by_id["GOVERN 1.1"]["rules"], by_id["GOVERN 1.1"]["tiering"]) == (["GOV-001"], ["TIER-004"])
    assert (by_id["MAP 1.1"]["rules"], by_id["MAP 1.1"]["tiering"]) == ([], ["TIER-004"])
    assert all(item["tiering"] == [] for key, item in by_id.items() if key not in ("GOVERN 1.1", "MAP 1.1"))


def test_the_shipped_tiering_rules_are_counted(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shipped packs load by installed name; every reference of their tiering rules is counted."""
    monkeypatch.chdir(tmp_path)
    report = json.loads(run("coverage", "--framework", "nist-ai-rmf", "--format", "json").stdout)
    tiering = {t for item in report["coverage"] for t in item["tiering"]}
    assert tiering and all(t.startswith("TIER-") for t in tiering)
    assert report["cited"] == sum(1 for item in report["coverage"] if item["rules"] or item["tiering"])


def test_coverage_without_tiering_references_lists_rules_alone() -> None:
    from govcheck.api import load_policy
    from govcheck.authoring.coverage import coverage, render_text
    from govcheck.plugins import load_registry

    policy = load_policy(load_registry(()), (MINI,), Path.cwd())
    text = render_text(coverage("nist-ai-rmf", policy))
    assert "tiering" not in text and "OWN-003" in text
