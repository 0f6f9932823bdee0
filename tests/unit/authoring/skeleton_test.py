"""``init``: the skeleton's fields come from the rules, and every placeholder is reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from govcheck.api import load_policy
from govcheck.authoring.skeleton import skeleton
from govcheck.authoring.skeleton_yaml import render
from govcheck.errors import UsageError
from govcheck.load.yaml import load_all
from govcheck.plugins import load_registry

RULE = """
  - id: EXH-001
    title: Patients can opt out
    category: workflow
    severity: error
    applies: {tiers: [high]}
    check: {present: spec.operating_model.support.escalation}
    message: "Document the opt-out"
"""


def text_for(tmp_path: Path, tier: str, rules: str = "") -> str:
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        "apiVersion: govcheck/v1\nkind: PolicyPack\nmetadata: {name: t, version: 1.0.0}\n"
        "extends: [healthcare-ai-baseline]\nrules:" + (rules or " []") + "\n",
        encoding="utf-8",
    )
    policy = load_policy(load_registry(), (str(pack),), tmp_path)
    return render(skeleton(policy, tier, "imaging"), ["heading"])


def test_a_packs_own_rule_adds_its_field_at_its_tier(tmp_path: Path) -> None:
    assert "escalation" not in text_for(tmp_path, "moderate", RULE)
    assert '      escalation: ""  # TODO EXH-001: Patients can opt out\n' in text_for(tmp_path, "high", RULE)


def test_placeholders_follow_the_field_type(tmp_path: Path) -> None:
    text = text_for(tmp_path, "critical")
    data = load_all(text, "pilot.yaml")[0].data
    spec = data["spec"]
    assert text.startswith("# heading\napiVersion: govcheck/v1\nkind: AIPilot\n")
    assert (spec["risk_tier"], spec["stage"], spec["use_case"]) == ("critical", "pilot", "imaging")
    assert spec["ownership"]["clinical_owner"] == {"name": ""}
    assert spec["monitoring"]["metrics"] == [] and spec["monitoring"]["review_cadence_days"] is None
    assert spec["governance"]["audit_logging"] is None and spec["governance"]["model"]["card"] == ""
    assert "operating_model" in spec and "decommission_plan" not in spec["operating_model"]  # enterprise only
    assert "phi:  # TODO true or false; decides TIER-003, DATA-005, GOV-004\n" in text


def test_unknown_tier_or_use_case_is_a_usage_error(tmp_path: Path) -> None:
    policy = load_policy(load_registry(), (), tmp_path)
    with pytest.raises(UsageError, match="--tier 'urgent' is not one of low, moderate, high, critical"):
        skeleton(policy, "urgent", "imaging")
    with pytest.raises(UsageError, match="--use-case 'radiology' is not one of clinical-documentation"):
        skeleton(policy, "high", "radiology")
