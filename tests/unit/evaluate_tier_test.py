"""Tier and stage come from the facts: a flag that contradicts them, or a blank, is a finding."""

from __future__ import annotations

from pathlib import Path

import pytest

from govcheck.api import exit_code
from tests.helpers import check, manifest, outcome, rules

PHI_FEED = {"name": "claims-extract", "system": "claims", "phi": True}
UNREVIEWED = {"spec.risk_tier": "low", "spec.governance.privacy_review.status": "pending"}


@pytest.mark.parametrize("scope_phi", [False, None])
def test_a_phi_data_source_is_judged_as_phi_whatever_the_scope_says(
    tmp_path: Path, scope_phi: bool | None
) -> None:
    doc = manifest(**UNREVIEWED, **{"spec.scope.phi": scope_phi, "spec.data.sources": [PHI_FEED]})
    result = check(tmp_path, doc)
    pilot = result.manifests[0]
    assert (pilot.declared_tier, pilot.tier) == ("low", "moderate")  # TIER-002: PHI is at least moderate
    assert pilot.tier_reasons[0].startswith("TIER-002")
    assert "GOV-004" in rules(result)  # the privacy review the PHI needs
    (contradiction,) = [f for f in result.findings if f.path == "spec.scope.phi"]
    said = "false" if scope_phi is False else "missing"
    assert contradiction.rule == "GC-SCHEMA" and contradiction.severity == "error"
    assert contradiction.message == (
        f"spec.scope.phi is {said}, but data source 'claims-extract' (spec.data.sources[0]) has phi: true; "
        "the pilot is judged as using PHI: set spec.scope.phi: true"
    )
    assert exit_code(result, "error") == 1


def test_the_contradiction_is_located_at_the_scope_flag(tmp_path: Path) -> None:
    text = (
        "apiVersion: govcheck/v1\nkind: AIPilot\nmetadata: {id: p}\nspec:\n  risk_tier: low\n  stage: pilot\n"
        "  scope:\n    phi: false\n"
        "  data:\n    sources:\n      - {system: ehr}\n      - {system: claims, phi: true}\n"
    )
    (finding,) = [f for f in check(tmp_path, text).findings if f.path == "spec.scope.phi"]
    assert (finding.line, finding.column) == (8, 5)
    assert "data source spec.data.sources[1] has phi: true" in finding.message


@pytest.mark.parametrize(
    "changes",
    [
        {"spec.scope.phi": True, "spec.data.sources": [PHI_FEED]},
        {"spec.data.sources": [{**PHI_FEED, "phi": False}]},
        {"spec.data.sources": None},
    ],
)
def test_agreeing_facts_are_no_finding(tmp_path: Path, changes: dict[str, object]) -> None:
    result = check(tmp_path, manifest(**changes))
    assert [f for f in result.findings if f.path == "spec.scope.phi"] == []


def test_a_missing_stage_is_a_finding_not_a_pass_of_every_stage_gated_rule(tmp_path: Path) -> None:
    doc = manifest(**{"spec.stage": None, "spec.ownership": None})
    result = check(tmp_path, doc)
    assert outcome(result, "OWN-003") == ("not-applicable", "stage (none) is not expansion, enterprise")
    (finding,) = [f for f in result.findings if f.path == "spec.stage"]
    assert finding.rule == "GC-SCHEMA"
    assert (
        finding.message
        == "spec.stage: missing; declare the pilot's stage, one of pilot, expansion, enterprise"
    )
    assert exit_code(result, "error") == 1
    at_gate = check(tmp_path, doc, stage="expansion")  # a gate's stage does not excuse the manifest
    assert "OWN-003" in rules(at_gate)
    assert [f.path for f in at_gate.findings if f.rule == "GC-SCHEMA"] == ["spec.stage"]


@pytest.mark.parametrize("tier", ["", "  ", "\t"])
def test_a_blank_risk_tier_is_a_finding(tmp_path: Path, tier: str) -> None:
    result = check(tmp_path, manifest(**{"spec.risk_tier": tier}))
    assert result.manifests[0].tier == ""
    assert outcome(result, "MON-002")[0] == "not-applicable"  # tier-gated: no tier, no rule
    (finding,) = [f for f in result.findings if f.path == "spec.risk_tier"]
    assert (
        finding.message == f"spec.risk_tier: {tier!r} is blank; declare one of low, moderate, high, critical"
    )
    assert exit_code(result, "error") == 1


def test_a_missing_tier_is_still_reported_as_missing(tmp_path: Path) -> None:
    result = check(tmp_path, manifest(**{"spec.risk_tier": None}))
    assert [f.message for f in result.findings if f.path == "spec.risk_tier"] == [
        "spec.risk_tier: missing; declare one of low, moderate, high, critical"
    ]
