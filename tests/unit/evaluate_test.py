from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import CHILD, check, manifest, outcome, rules


def test_a_compliant_manifest_has_no_findings(tmp_path: Path) -> None:
    result = check(tmp_path, manifest())
    assert rules(result) == []
    assert {o.status for o in result.manifests[0].outcomes} == {"pass", "not-applicable"}


def test_every_rule_has_an_outcome_with_a_reason_when_not_applicable(tmp_path: Path) -> None:
    result = check(tmp_path, manifest(**{"spec.risk_tier": "low", "spec.stage": "pilot"}))
    assert outcome(result, "OWN-003") == ("not-applicable", "tier low is not moderate and above")
    assert outcome(result, "WF-001") == ("not-applicable", "tier low is not high, critical")
    assert outcome(result, "GOV-004") == ("not-applicable", "guard spec.scope.phi is false")
    assert outcome(result, "META-001") == ("pass", "")


def test_stage_gate_applies_only_at_named_stages(tmp_path: Path) -> None:
    doc = manifest(**{"spec.ownership": None, "spec.stage": "pilot"})
    assert outcome(check(tmp_path, doc), "OWN-003")[1] == "stage pilot is not expansion, enterprise"
    assert rules(check(tmp_path, doc, stage="expansion")) == ["OWN-003"]


def test_tiering_raises_the_tier_and_says_why(tmp_path: Path) -> None:
    doc = manifest(
        **{
            "spec.scope.clinical_decision_support": True,
            "spec.workflow.human_review.required": False,
            "spec.governance.validation": {"report": "docs/validation.md"},
        }
    )
    result = check(tmp_path, doc)
    m = result.manifests[0]
    assert (m.declared_tier, m.tier) == ("moderate", "high")
    assert m.tier_reasons[0].startswith("TIER-001: Clinical decision support is at least high risk")
    assert "WF-001" in rules(result) and "GOV-003" in rules(result)
    assert all(f.tier == "high" for f in result.findings)


def test_tiering_never_lowers_a_declared_tier(tmp_path: Path) -> None:
    result = check(tmp_path, manifest(**{"spec.risk_tier": "critical", "spec.scope.phi": True}))
    assert result.manifests[0].tier == "critical"
    assert result.manifests[0].tier_reasons == ()


@pytest.mark.parametrize(
    ("tier", "age_days", "failing"),
    [
        ("moderate", 180, False),
        ("moderate", 181, True),
        ("high", 90, False),
        ("high", 91, True),
        ("critical", 30, False),
        ("critical", 31, True),
        ("low", 999, False),
    ],
)
def test_per_tier_parameters(tmp_path: Path, tier: str, age_days: int, failing: bool) -> None:
    import datetime as dt

    review = (dt.date(2026, 11, 25) - dt.timedelta(days=age_days)).isoformat()
    doc = manifest(
        **{
            "spec.risk_tier": tier,
            "spec.monitoring.last_review": review,
            "spec.workflow.human_review.required": True,
            "spec.governance.validation": {"report": "v.md"},
            "spec.data.quality_checks": [{"name": "a"}, {"name": "b"}],
        }
    )
    (tmp_path / "v.md").write_text("validated")
    result = check(tmp_path, doc)
    assert ("MON-002" in rules(result)) is failing
    if failing:
        finding = next(f for f in result.findings if f.rule == "MON-002")
        days = {"moderate": "180", "high": "90"}.get(tier, "30")
        assert f"at most {days} days old for a {tier} pilot" in finding.message


def test_extends_and_overrides(tmp_path: Path) -> None:
    import datetime as dt

    old = (dt.date(2026, 11, 25) - dt.timedelta(days=300)).isoformat()
    doc = manifest(
        **{"spec.monitoring.last_review": old, "spec.data.quality_checks": [], "spec.operating_model": None}
    )
    result = check(tmp_path, doc, pack=CHILD)
    by_rule = {f.rule: f for f in result.findings}
    assert "MON-002" not in by_rule  # days raised to 365 for moderate by the override
    assert "DATA-001" not in {o.rule for o in result.manifests[0].outcomes}  # disabled
    assert by_rule["OPS-001"].pack == "child" and by_rule["OPS-001"].pack_version == "2.0.0"
    stale = (dt.date(2026, 11, 25) - dt.timedelta(days=400)).isoformat()
    result = check(tmp_path, manifest(**{"spec.monitoring.last_review": stale}), pack=CHILD)
    mon = next(f for f in result.findings if f.rule == "MON-002")
    assert (mon.severity, mon.pack) == ("error", "mini")  # severity overridden, rule still from mini
    assert [p.name for p in result.packs] == ["mini", "child"]


def test_wildcard_paths_report_each_failing_item(tmp_path: Path) -> None:
    text = """\
apiVersion: govcheck/v1
kind: AIPilot
metadata: {id: p}
spec:
  risk_tier: low
  success_metrics:
    - name: a
      unit: days
      baseline: 1
    - name: b
      unit: days
    - name: c
      unit: days
"""
    result = check(tmp_path, text)
    found = [(f.line, f.column, f.path) for f in result.findings if f.rule == "MET-002"]
    assert found == [(10, 7, "spec.success_metrics[1].baseline"), (12, 7, "spec.success_metrics[2].baseline")]


def test_missing_field_is_located_at_its_closest_existing_parent(tmp_path: Path) -> None:
    text = """\
apiVersion: govcheck/v1
kind: AIPilot
metadata:
  id: p
spec:
  risk_tier: moderate
  stage: expansion
  ownership:
    business_owner: {name: Ann}
"""
    result = check(tmp_path, text)
    own = next(f for f in result.findings if f.rule == "OWN-003")
    assert (own.line, own.column, own.path) == (8, 3, "spec.ownership.post_launch_owner.name")
    assert own.message.startswith("A moderate pilot at stage expansion must name who owns it after launch")
    assert own.references == ("NIST AI RMF GOVERN 2.1",)


def test_unknown_and_missing_tiers_are_findings_at_the_tier_line(tmp_path: Path) -> None:
    text = "apiVersion: govcheck/v1\nkind: AIPilot\nmetadata: {id: p}\nspec:\n  risk_tier: hgih\n"
    finding = next(f for f in check(tmp_path, text).findings if f.path == "spec.risk_tier")
    assert finding.rule == "GC-SCHEMA"
    assert (finding.line, finding.column) == (5, 3)
    assert finding.message == "spec.risk_tier: 'hgih' is not one of low, moderate, high, critical"
    missing = check(tmp_path, "apiVersion: govcheck/v1\nkind: AIPilot\nmetadata: {id: p}\nspec: {}\n")
    assert "spec.risk_tier: missing; declare one of low, moderate, high, critical" in [
        f.message for f in missing.findings
    ]


def test_schema_violations_are_worded_for_people(tmp_path: Path) -> None:
    text = (
        "apiVersion: govcheck/v1\nkind: AIPilot\nmetadata: {id: p}\n"
        "spec:\n  risk_tier: low\n  risk_teir: low\n"
        "  monitoring: {last_review: last week}\n  scope: {users: many}\n"
    )
    messages = {f.line: f.message for f in check(tmp_path, text).findings if f.rule == "GC-SCHEMA"}
    assert messages[6] == "spec.risk_teir: unknown key 'risk_teir'; did you mean 'risk_tier'?"
    assert messages[7] == "spec.monitoring.last_review: 'last week' is not a date; write it as YYYY-MM-DD"
    assert messages[8].startswith("spec.scope.users: expected a whole number")
