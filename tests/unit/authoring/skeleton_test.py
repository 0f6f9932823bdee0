"""``init``: the skeleton's fields come from the rules, and every placeholder is reported."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from govcheck.api import load_policy
from govcheck.authoring.skeleton import STAGE, skeleton
from govcheck.authoring.skeleton_yaml import render
from govcheck.errors import UsageError
from govcheck.lang.fieldpath import WILD, parse
from govcheck.load.yaml import load_all
from govcheck.packs.applicability import applies_at
from govcheck.plugins import load_registry
from govcheck.resources import schema
from govcheck.schema.fields import schema_at

ROOT = Path(__file__).resolve().parents[3]
TIERS = ("low", "moderate", "high", "critical")

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
    assert spec["monitoring"]["review_cadence_days"] is None
    (metric,) = spec["monitoring"]["metrics"]  # one entry shows the fields each metric needs
    assert {"name", "direction", "kind"} <= set(metric)
    assert spec["governance"]["audit_logging"] is None and spec["governance"]["model"]["card"] == ""
    assert "operating_model" in spec and "decommission_plan" not in spec["operating_model"]  # enterprise only
    assert "phi:  # TODO true or false; decides TIER-003, TIER-011, DATA-005, GOV-004" in text


def test_unknown_tier_or_use_case_is_a_usage_error(tmp_path: Path) -> None:
    policy = load_policy(load_registry(), (), tmp_path)
    with pytest.raises(UsageError, match="--tier 'urgent' is not one of low, moderate, high, critical"):
        skeleton(policy, "urgent", "imaging")
    with pytest.raises(UsageError, match="--use-case 'radiology' is not one of clinical-documentation"):
        skeleton(policy, "high", "radiology")


def _baseline(tier: str, use_case: str = "imaging") -> tuple[Any, str]:
    policy = load_policy(load_registry(), (), ROOT)
    return policy, render(skeleton(policy, tier, use_case), ["heading"])


def _has(data: Any, parts: tuple[Any, ...]) -> bool:
    """Whether the skeleton writes the field: a list stands for its entries (one entry shows
    their fields; an empty list is the placeholder of a list the rules count)."""
    for part in parts:
        if part is WILD or isinstance(part, int):
            if not isinstance(data, list):
                return False
            if not data:
                return True
            data = data[0]
        elif isinstance(data, dict) and part in data:
            data = data[part]
        else:
            return False
    return True


def _read_field(rule: Any) -> tuple[Any, ...]:
    """The field a rule reports: its target, or for an expression the field it points at."""
    if rule.check_name == "expr":
        at = dict(rule.by_tier[next(iter(rule.by_tier))][1]).get("at") if rule.by_tier else None
        return tuple(parse(at).parts) if at else ()
    return tuple(parse(rule.target).parts)


@pytest.mark.parametrize("use_case", ["imaging", "clinical-documentation"])
@pytest.mark.parametrize("tier", TIERS)
def test_every_rule_that_applies_at_the_tier_reads_a_field_the_skeleton_writes(
    tier: str, use_case: str
) -> None:
    policy, text = _baseline(tier, use_case)
    data = load_all(text, "pilot.yaml")[0].data
    rules = [r for r in policy.rules if applies_at(r, tier, STAGE)]
    assert rules
    guarded_off = {"GOV-041"} if use_case != "clinical-documentation" else set()
    missing = [
        r.info.id
        for r in rules
        if r.info.id not in guarded_off and _read_field(r) and not _has(data, _read_field(r))
    ]
    assert missing == [], f"{tier} {use_case}: rules whose field the skeleton does not write"


def _valid_value(node: dict[str, Any]) -> Any:
    """A value the manifest schema accepts for a field of this schema, to fill a placeholder."""
    root = schema("pilot-manifest")
    while "$ref" in node:
        node = {
            **root["$defs"][node["$ref"].rsplit("/", 1)[-1]],
            **{k: v for k, v in node.items() if k != "$ref"},
        }
    if "enum" in node:
        return node["enum"][0]
    kinds = node.get("type", "string")
    kind = kinds[0] if isinstance(kinds, list) else kinds
    if node.get("format") == "date":
        return str(dt.date(2026, 10, 1))
    if kind == "array":
        return [_valid_value(node.get("items", {}))]
    return {"boolean": True, "number": 0.5, "integer": 1, "object": {}}.get(kind, "x")


def _filled(data: Any, path: tuple[Any, ...] = ()) -> Any:
    if isinstance(data, dict):
        return {k: _filled(v, path + (k,)) for k, v in data.items()}
    if isinstance(data, list):
        return [_filled(v, path + (0,)) for v in data] or [_valid_value(schema_at(path + (0,)) or {})]
    if data in ("", None):
        return _valid_value(schema_at(path) or {})
    return data


@pytest.mark.parametrize("tier", TIERS)
def test_the_skeleton_parses_and_only_its_placeholders_break_the_schema(tier: str) -> None:
    _, text = _baseline(tier)
    data = load_all(text, "pilot.yaml")[0].data
    validator = Draft202012Validator(
        schema("pilot-manifest"), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    # every key is a manifest field: once each placeholder holds a value, the schema accepts it
    assert [e.message for e in validator.iter_errors(_filled(data))] == []
    todo = {n for n, line in enumerate(text.splitlines(), 1) if "# TODO" in line}
    assert todo


def test_a_critical_skeleton_writes_list_entries_with_their_fields() -> None:
    _, text = _baseline("critical")
    spec = load_all(text, "pilot.yaml")[0].data["spec"]
    (local,) = spec["governance"]["validation"]["local"]
    assert {"site", "date", "model_version", "metrics"} <= set(local)
    assert {"direction", "acceptance", "result"} <= set(local["metrics"][0])
    (level,) = spec["governance"]["incident_response"]["severity_levels"]
    assert set(level) == {"level", "respond_within_hours"}
    (metric,) = spec["success_metrics"]
    assert {"name", "direction", "baseline", "target"} <= set(metric)
    assert {"name", "direction"} <= set(spec["monitoring"]["metrics"][0])
    # the rule counting a list's entries stays beside the list's key
    assert "  success_metrics:  # TODO MET-001:" in text
    assert '        direction: ""  # TODO MET-006:' not in text  # success metrics sit at 4 spaces
    assert '      direction: ""  # TODO MET-006: ' in text


def test_improves_asks_for_the_direction_of_each_success_metric(tmp_path: Path) -> None:
    rule = """
  - id: EXH-002
    title: Targets improve
    category: metrics
    severity: error
    check: {improves: "spec.success_metrics[*]", value: current.value}
    message: "m"
"""
    spec = load_all(text_for(tmp_path, "low", rule), "pilot.yaml")[0].data["spec"]
    (metric,) = spec["success_metrics"]
    assert {"direction", "baseline", "current"} <= set(metric) and "value" in metric["current"]
