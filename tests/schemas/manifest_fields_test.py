"""The manifest fields for intended use, local validation, change control, incident path, human
oversight, patient notice, regulatory detail, vendor, decommission, approval scope, research
determination and data conditions: a manifest using all of them is valid on both validators,
and a word outside a vocabulary is reported at its file and line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from ruamel.yaml import YAML

from govcheck.schema import fast
from tests.helpers import check

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "schemas" / "pilot-manifest.schema.json").read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
FAST = fast.compile_schema(SCHEMA)
BASELINE = str(ROOT / "policies" / "healthcare-ai-baseline")

# Every new field, in YAML as an author writes it; the line numbers below refer to this text.
FULL = """\
apiVersion: govcheck/v1
kind: AIPilot
metadata: {id: sepsis-alert}
spec:
  risk_tier: critical
  stage: expansion
  intended_use:
    population: adult inpatients on medical wards
    age_groups: [adult, geriatric]
    users: [hospitalist, rapid response nurse]
    decision_role: informs
    out_of_scope: [pediatric patients, ICU patients]
  operating_model:
    decommission_plan: docs/decommission.md
    decommission:
      triggers: [sensitivity below 0.70 for two months]
      fallback: {procedure: docs/fallback.md, tested: 2026-09-15}
  workflow:
    human_review:
      required: true
      reviewer_role: rapid response nurse
      sampling_rate: 1.0
      before_use: true
      qa_sampling_rate: 0.1
      override_capture: true
    kill_switch: {owner: CMIO on call, procedure: docs/kill-switch.md, tested: 2026-10-01}
    feedback: {channel: in-app feedback button, reviewed_by: Clinical AI Oversight Board}
    adoption_plan: docs/adoption-plan.md
  patient_notice:
    ambient_recording_consent: not-applicable
    ai_drafted_message_disclosure: true
    chatbot_disclosure: true
    notice: docs/patient-notice.md
  data:
    conditions:
      - name: nightly flat-file extract of vitals
        scope: pilot-only
        capability: enterprise FHIR vitals feed
        replacement_plan: switch to the FHIR feed before expansion
      - {name: enterprise MPI, scope: enterprise}
  governance:
    approval:
      body: AI Governance Committee
      date: 2026-06-01
      decision: approved
      scope: {stages: [pilot, expansion], sites: [north, south]}
      expires: 2027-06-01
      conditions:
        - monthly bias report
        - {condition: subgroup review at 90 days, status: closed, due: 2026-09-01, closed_on: 2026-08-28}
    validation:
      date: 2026-05-01
      subgroups: [age, sex]
      local:
        - site: north
          date: 2026-05-01
          model_version: "4.2"
          population: adult inpatients Jan-Mar 2026
          metrics:
            - {name: sensitivity, direction: higher, acceptance: 0.8, result: 0.84}
            - {name: alerts-per-100-patient-days, direction: lower, acceptance: 5, result: 3.9}
      subgroup_results:
        - {dimension: age, subgroup: 65+, metric: sensitivity, value: 0.82, disparity: 0.02,
           disparity_threshold: 0.05}
      factuality:
        method: clinician review of 200 summaries
        date: 2026-05-10
        hallucination_rate: 0.01
        acceptance: 0.02
        report: docs/factuality.md
    change_control:
      pinned_version: "4.2"
      vendor_update_notice_days: 30
      revalidation_triggers: [new model version, new site]
      rollback: redeploy 4.1 from the model registry
      plan: docs/change-control.md
    incident_response:
      runbook: docs/incident.md
      safety_event_system: hospital patient-safety event system
      severity_levels: [{level: sev1, respond_within_hours: 1}, {level: sev2, respond_within_hours: 24}]
      vendor_notice_hours: 24
      fda_reporting: not-applicable
    model: {name: sepsis-score, version: "4.2", type: predictive}
    regulatory:
      fda_device: false
      onc_dsi: predictive
      fda_clearance: K231234
      on_label: true
      non_device_cds_rationale: the clinician can review the basis of each alert
      not_dsi_rationale: not applicable, it is a predictive DSI
    vendor:
      name: Acme Health AI
      baa: signed
      data_use_rights: no-secondary-use
      security_review: {status: approved, date: 2026-04-01, reference: SEC-2026-031}
    research_determination: {type: quality-improvement, reference: QI-2026-07, date: 2026-03-01}
  monitoring:
    metrics:
      - {name: sensitivity, threshold: 0.75, direction: higher, frequency: weekly, kind: performance,
         action_on_breach: suspend at the site and convene the board, per_site: true}
  success_metrics:
    - {name: time-to-antibiotics, kind: clinical, direction: lower, baseline: 180, target: 120}
    - {name: rapid-response-calls, kind: balancing, direction: lower, baseline: 12, target: 12}
    - {name: sensitivity-gap, kind: equity, direction: lower, baseline: 0.05, target: 0.03}
"""


def _doc(text: str) -> Any:
    return json.loads(json.dumps(YAML(typ="safe").load(text), default=str))


def _errors(doc: Any) -> list[str]:
    return sorted("/".join(map(str, e.absolute_path)) for e in VALIDATOR.iter_errors(doc))


def test_a_manifest_using_every_new_field_is_valid_on_both_validators() -> None:
    doc = _doc(FULL)
    assert _errors(doc) == []
    assert FAST(doc) is True


def test_the_full_manifest_passes_the_schema_in_govcheck_check(tmp_path: Path) -> None:
    result = check(tmp_path, FULL, pack=BASELINE)
    assert [f.message for f in result.findings if f.rule == "GC-SCHEMA"] == []


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("decision_role: informs", "decision_role: decides", "spec/intended_use/decision_role"),
        ("[adult, geriatric]", "[adult, elderly]", "spec/intended_use/age_groups/1"),
        ("scope: pilot-only", "scope: pilot", "spec/data/conditions/0/scope"),
        ("stages: [pilot, expansion]", "stages: [pilot, rollout]", "spec/governance/approval/scope/stages/1"),
        ("status: closed", "status: done", "spec/governance/approval/conditions/1"),
        (
            "direction: higher, acceptance",
            "direction: up, acceptance",
            "spec/governance/validation/local/0/metrics/0/direction",
        ),
        ("dimension: age", "dimension: gender", "spec/governance/validation/subgroup_results/0/dimension"),
        (
            "disparity: 0.02,",
            "disparity: -0.02,",
            "spec/governance/validation/subgroup_results/0/disparity",
        ),
        (
            "hallucination_rate: 0.01",
            "hallucination_rate: 1.5",
            "spec/governance/validation/factuality/hallucination_rate",
        ),
        (
            "fda_reporting: not-applicable",
            "fda_reporting: maude",
            "spec/governance/incident_response/fda_reporting",
        ),
        ("type: predictive", "type: llm", "spec/governance/model/type"),
        ("baa: signed", "baa: yes", "spec/governance/vendor/baa"),
        ("type: quality-improvement", "type: qi", "spec/governance/research_determination/type"),
        ("kind: performance", "kind: accuracy", "spec/monitoring/metrics/0/kind"),
        ("kind: balancing", "kind: counter", "spec/success_metrics/1/kind"),
        (
            "ambient_recording_consent: not-applicable",
            "ambient_recording_consent: yes",
            "spec/patient_notice/ambient_recording_consent",
        ),
        (
            "respond_within_hours: 1}",
            "respond_within_hours: 0}",
            "spec/governance/incident_response/severity_levels/0/respond_within_hours",
        ),
    ],
)
def test_a_wrong_value_is_reported_at_its_field_file_and_line(
    tmp_path: Path, old: str, new: str, where: str
) -> None:
    assert FULL.count(old) == 1
    line = FULL[: FULL.index(old)].count("\n") + 1
    text = FULL.replace(old, new)
    assert _errors(_doc(text)) == [where]
    assert FAST(_doc(text)) is False
    result = check(tmp_path, text, pack=BASELINE)
    (finding,) = [f for f in result.findings if f.rule == "GC-SCHEMA"]
    assert finding.line == line, finding.message
    assert finding.file is not None and finding.file.endswith("pilot.yaml")
    assert where.split("/")[-1] in finding.message or where.split("/")[-2] in finding.message


def test_an_unknown_key_in_a_new_object_is_an_error() -> None:
    doc = _doc(FULL.replace("tested: 2026-10-01}", "tested: 2026-10-01, tester: me}"))
    assert _errors(doc) == ["spec/workflow/kill_switch"]


@pytest.mark.parametrize(
    "conditions",
    [
        "monthly bias report",
        [],
        ["a", "b"],
        [{"condition": "a", "status": "open", "due": "2026-12-01"}],
        ["a", {}],
    ],
)
def test_approval_conditions_stay_text_or_become_tracked(conditions: Any) -> None:
    doc = _doc(FULL)
    doc["spec"]["governance"]["approval"]["conditions"] = conditions
    assert _errors(doc) == []
    assert FAST(doc) is True


def test_the_approval_scope_stages_are_the_lifecycle_stages() -> None:
    assert SCHEMA["$defs"]["stage"]["enum"] == SCHEMA["properties"]["spec"]["properties"]["stage"]["enum"]
