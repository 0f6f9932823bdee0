"""A pilot team that wants the shipped gates to pass without meeting the policy.

Each test starts from ``complete()``, a critical sepsis pilot that meets every rule of the
baseline and scale-readiness packs at every stage, changes the one thing a team would fake,
and asks whether the gate notices: the attacked manifest must fail a rule the complete one
passes (``caught``). The comparison is with the complete manifest at the same gate, not an
absolute exit code, so a rule added later that the complete manifest does not meet yet does
not make an attack look caught.

A test marked ``xfail(strict=True)`` is a hole that is still open: the gate passes the fake.
When the rule is fixed the test passes, strict xfail turns that into a failure, and the mark
is removed.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from govcheck.api import CheckSettings, run_check
from govcheck.model import RunResult

TODAY = dt.date(2026, 11, 25)
BOTH = ("healthcare-ai-baseline", "scale-readiness")
# (packs, stage): the default gate at the manifest's own stage, and the promotion gates.
PILOT = ((), None)
DEFAULT_EXPANSION = ((), "expansion")
EXPANSION = (BOTH, "expansion")
ENTERPRISE = (BOTH, "enterprise")
PROMOTION = (EXPANSION, ENTERPRISE)
EVERY_GATE = (PILOT, EXPANSION, ENTERPRISE)

EVIDENCE = (
    "adoption-plan",
    "change-control",
    "fallback",
    "kill-switch",
    "patient-notice",
    "runbook",
    "decommission",
    "exceptions",
    "training",
    "validation",
    "incident",
    "model-card",
)

COMPLETE: dict[str, Any] = {
    "apiVersion": "govcheck/v1",
    "kind": "AIPilot",
    "metadata": {"id": "sepsis-watch", "name": "Sepsis early warning", "organization": "Example Health"},
    "spec": {
        "use_case": "other",
        "summary": "Flags adult inpatients at risk of sepsis for the rapid response nurse.",
        "intended_use": {
            "population": "adult inpatients on medical and surgical wards",
            "age_groups": ["adult", "geriatric"],
            "users": ["rapid response nurse", "hospitalist"],
            "decision_role": "informs",
            "out_of_scope": ["pediatric patients", "emergency department triage"],
        },
        "risk_tier": "critical",
        "stage": "pilot",
        "scope": {
            "sites": ["north-campus", "south-campus"],
            "users": 120,
            "patient_facing": False,
            "clinical_decision_support": True,
            "phi": True,
            "start_date": "2026-04-01",
        },
        "ownership": {
            "executive_sponsor": {"name": "Elena Novak", "role": "Chief Medical Information Officer"},
            "business_owner": {"name": "Marcus Okafor", "role": "VP Patient Care Services"},
            "clinical_owner": {"name": "Aisha Haddad", "role": "Medical Director, Critical Care"},
            "technical_owner": {"name": "Kenji Tanaka", "role": "AI Platform Lead"},
            "post_launch_owner": {"name": "Lucia Moreno", "role": "Clinical Informatics Manager"},
        },
        "operating_model": {
            "funding": {"source": "operating-budget", "approved_through": "2027-12-31"},
            "support": {
                "model": "central-ai-ops",
                "runbook": "docs/runbook.md",
                "escalation": "ai-ops@example.org",
            },
            "decommission_plan": "docs/decommission.md",
            "decommission": {
                "triggers": ["sensitivity below 0.75 for two weeks", "vendor end of support"],
                "fallback": {"procedure": "docs/fallback.md", "tested": "2026-10-15"},
            },
        },
        "workflow": {
            "systems": ["ehr"],
            "integration": "embedded",
            "human_review": {
                "required": True,
                "reviewer_role": "rapid response nurse",
                "sampling_rate": 1.0,
                "before_use": True,
                "qa_sampling_rate": 0.1,
                "override_capture": True,
            },
            "exceptions_process": "docs/exceptions.md",
            "training": {"completed": True, "date": "2026-03-20", "materials": "docs/training.md"},
            "kill_switch": {
                "owner": "Lucia Moreno",
                "procedure": "docs/kill-switch.md",
                "tested": "2026-10-15",
            },
            "feedback": {
                "channel": "EHR in-line feedback button",
                "reviewed_by": "Clinical AI Oversight Board",
            },
            "adoption_plan": "docs/adoption-plan.md",
        },
        "patient_notice": {
            "ambient_recording_consent": "not-applicable",
            "ai_drafted_message_disclosure": False,
            "chatbot_disclosure": False,
            "notice": "docs/patient-notice.md",
        },
        "data": {
            "sources": [
                {
                    "name": "ehr-vitals",
                    "system": "ehr",
                    "phi": True,
                    "refresh": "hourly",
                    "sites": ["north-campus", "south-campus"],
                },
                {
                    "name": "ehr-labs",
                    "system": "ehr",
                    "phi": True,
                    "refresh": "hourly",
                    "sites": ["north-campus", "south-campus"],
                },
            ],
            "coverage": {
                "sites": ["north-campus", "south-campus"],
                "planned_sites": ["north-campus", "south-campus"],
            },
            "quality_checks": [
                {"name": "completeness", "threshold": 0.98, "last_run": "2026-11-24"},
                {"name": "timeliness-minutes", "threshold": 15, "last_run": "2026-11-24"},
                {"name": "duplicate-rate", "threshold": 0.01, "last_run": "2026-11-24"},
            ],
            "identifiers": {"reconciled_across_sites": True, "method": "enterprise MPI"},
            "retention_days": 2555,
            "conditions": [{"name": "hourly vitals feed", "scope": "enterprise"}],
        },
        "governance": {
            "risk_assessment": {"date": "2026-08-01", "reference": "RA-2026-041"},
            "validation": {
                "standard": "silent-mode prospective",
                "date": "2026-09-01",
                "report": "docs/validation.md",
                "subgroups": ["age", "sex", "race", "payer"],
                "local": [
                    {
                        "site": "north-campus",
                        "date": "2026-09-01",
                        "model_version": "4.0.1",
                        "population": "adult inpatients",
                        "metrics": [
                            {"name": "sensitivity", "direction": "higher", "acceptance": 0.8, "result": 0.86},
                            {
                                "name": "alerts-per-100-patient-days",
                                "direction": "lower",
                                "acceptance": 10,
                                "result": 7.5,
                            },
                        ],
                    },
                    {
                        "site": "south-campus",
                        "date": "2026-09-01",
                        "model_version": "4.0.1",
                        "population": "adult inpatients",
                        "metrics": [
                            {"name": "sensitivity", "direction": "higher", "acceptance": 0.8, "result": 0.84},
                            {
                                "name": "alerts-per-100-patient-days",
                                "direction": "lower",
                                "acceptance": 10,
                                "result": 8.1,
                            },
                        ],
                    },
                ],
                "subgroup_results": [
                    {
                        "dimension": "age",
                        "subgroup": "80 and over",
                        "metric": "sensitivity",
                        "value": 0.83,
                        "disparity": 0.03,
                        "disparity_threshold": 0.05,
                    },
                    {
                        "dimension": "sex",
                        "subgroup": "female",
                        "metric": "sensitivity",
                        "value": 0.85,
                        "disparity": 0.01,
                        "disparity_threshold": 0.05,
                    },
                    {
                        "dimension": "race",
                        "subgroup": "Black",
                        "metric": "sensitivity",
                        "value": 0.84,
                        "disparity": 0.02,
                        "disparity_threshold": 0.05,
                    },
                    {
                        "dimension": "payer",
                        "subgroup": "Medicaid",
                        "metric": "sensitivity",
                        "value": 0.84,
                        "disparity": 0.02,
                        "disparity_threshold": 0.05,
                    },
                    {
                        "dimension": "language",
                        "subgroup": "Spanish",
                        "metric": "sensitivity",
                        "value": 0.85,
                        "disparity": 0.01,
                        "disparity_threshold": 0.05,
                    },
                ],
            },
            "approval": {
                "body": "AI Governance Committee",
                "date": "2026-09-15",
                "decision": "approved",
                "scope": {
                    "stages": ["pilot", "expansion", "enterprise"],
                    "sites": ["north-campus", "south-campus"],
                },
                "expires": "2027-09-15",
                "conditions": [
                    {
                        "condition": "monthly subgroup report to the oversight board",
                        "status": "closed",
                        "due": "2026-10-31",
                        "closed_on": "2026-10-20",
                    }
                ],
            },
            "privacy_review": {"status": "approved", "date": "2026-07-20", "reference": "PR-2026-118"},
            "clinical_oversight": {"body": "Clinical AI Oversight Board", "meets": "monthly"},
            "audit_logging": True,
            "incident_response": {
                "runbook": "docs/incident.md",
                "contact": "ai-incidents@example.org",
                "safety_event_system": "RL Datix patient safety reporting",
                "severity_levels": [
                    {"level": "sev1", "respond_within_hours": 1},
                    {"level": "sev2", "respond_within_hours": 24},
                ],
                "vendor_notice_hours": 24,
                "fda_reporting": "not-applicable",
            },
            "model": {
                "name": "sepsis-risk",
                "version": "4.0.1",
                "vendor": "Northwind Health ML",
                "card": "docs/model-card.md",
                "type": "predictive",
            },
            "regulatory": {
                "fda_device": False,
                "onc_dsi": "predictive",
                "non_device_cds_rationale": "Shows the basis of each flag "
                "to the nurse, who decides "
                "independently; meets all four "
                "criteria.",
            },
            "change_control": {
                "pinned_version": "4.0.1",
                "vendor_update_notice_days": 30,
                "revalidation_triggers": ["model version change", "EHR upgrade", "sensitivity below 0.80"],
                "rollback": "Redeploy 4.0.0 from the model registry and re-enable the previous alert rule",
                "plan": "docs/change-control.md",
            },
            "vendor": {
                "name": "Northwind Health ML",
                "baa": "signed",
                "data_use_rights": "no-secondary-use",
                "security_review": {"status": "approved", "date": "2026-07-01", "reference": "SEC-2026-077"},
            },
            "research_determination": {
                "type": "quality-improvement",
                "reference": "QI-2026-019",
                "date": "2026-07-10",
            },
        },
        "monitoring": {
            "metrics": [
                {
                    "name": "sensitivity",
                    "threshold": 0.85,
                    "direction": "higher",
                    "frequency": "daily",
                    "kind": "performance",
                    "action_on_breach": "oversight board review within a week",
                    "per_site": True,
                },
                {
                    "name": "alert-rate-per-100-patients",
                    "threshold": 8,
                    "direction": "lower",
                    "frequency": "daily",
                    "kind": "usage",
                    "action_on_breach": "retune the alert threshold",
                    "per_site": True,
                },
                {
                    "name": "input-drift-psi",
                    "threshold": 0.2,
                    "direction": "lower",
                    "frequency": "weekly",
                    "kind": "drift",
                    "action_on_breach": "revalidate on recent data",
                    "per_site": True,
                },
                {
                    "name": "subgroup-sensitivity-gap",
                    "threshold": 0.05,
                    "direction": "lower",
                    "frequency": "weekly",
                    "kind": "fairness",
                    "action_on_breach": "suspend and revalidate by subgroup",
                    "per_site": True,
                },
            ],
            "alerting": {"channel": "pager:clinical-ai", "owner": "Lucia Moreno"},
            "review_cadence_days": 30,
            "last_review": "2026-11-10",
            "dashboard": "https://dashboards.example.org/ai/sepsis-watch",
        },
        "success_metrics": [
            {
                "name": "time-to-antibiotics-minutes",
                "kind": "clinical",
                "unit": "minutes",
                "direction": "lower",
                "baseline": 180.0,
                "target": 120.0,
                "across_sites": True,
                "horizon_quarters": 4,
                "data_source": "ehr-vitals",
                "current": {"value": 140.0, "measured_on": "2026-11-01"},
            },
            {
                "name": "sepsis-mortality-percent",
                "kind": "clinical",
                "unit": "percent",
                "direction": "lower",
                "baseline": 14.0,
                "target": 11.0,
                "across_sites": True,
                "horizon_quarters": 6,
                "data_source": "ehr-labs",
                "current": {"value": 12.5, "measured_on": "2026-11-01"},
            },
            {
                "name": "nurse-alerts-per-shift",
                "kind": "operational",
                "unit": "alerts",
                "direction": "lower",
                "baseline": 6.0,
                "target": 4.0,
                "across_sites": True,
                "horizon_quarters": 2,
                "data_source": "ehr-vitals",
                "current": {"value": 4.5, "measured_on": "2026-11-01"},
            },
        ],
    },
}


def changed(doc: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A copy of ``doc`` with dotted-path changes (``"spec.risk_tier": "low"``); None deletes.

    A number in a path indexes a list: ``spec.success_metrics.0.current.value``.
    """
    doc = copy.deepcopy(doc)
    for path, value in changes.items():
        *parents, last = path.split(".")
        node: Any = doc
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
        if isinstance(node, list):
            node[int(last)] = value
        elif value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return doc


def complete(**changes: Any) -> dict[str, Any]:
    return changed(COMPLETE, **changes)


def low(**changes: Any) -> dict[str, Any]:
    """A complete low-tier pilot: no PHI, no decision support, nobody outside the staff sees it."""
    doc = complete(
        **{
            "spec.risk_tier": "low",
            "spec.use_case": "knowledge-retrieval",
            "spec.summary": "Finds the nursing policy that answers a staff question.",
            "spec.scope.phi": False,
            "spec.scope.clinical_decision_support": False,
            "spec.governance.regulatory.onc_dsi": "none",
            "spec.intended_use.decision_role": "administrative",
            "spec.intended_use.population": "questions nursing staff ask about hospital policy",
            "spec.data.sources.0.phi": False,
            "spec.data.sources.1.phi": False,
        }
    )
    return changed(doc, **changes)


def repo(tmp_path: Path, text: str, evidence: dict[str, bytes] | None = None) -> Path:
    """A repository in ``tmp_path`` with the evidence files and the manifest ``pilot.yaml``."""
    root = tmp_path / "repo"
    (root / "docs").mkdir(parents=True, exist_ok=True)
    for name in EVIDENCE:
        (root / "docs" / f"{name}.md").write_text(f"# {name}\n\nWhat this document records, in full.\n")
    for rel, content in (evidence or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(content)
    file = root / "pilot.yaml"
    file.write_text(text, encoding="utf-8")
    return file


def gate(
    tmp_path: Path,
    doc: dict[str, Any] | str,
    at: tuple[tuple[str, ...], str | None],
    evidence: dict[str, bytes] | None = None,
) -> RunResult:
    text = doc if isinstance(doc, str) else json.dumps(doc, indent=1)
    file = repo(tmp_path, text, evidence)
    packs, stage = at
    return run_check(
        CheckSettings(paths=(str(file),), packs=packs, stage=stage, today=TODAY, cwd=file.parent)
    )


def found(result: RunResult, severities: Iterable[str] = ("error",)) -> set[tuple[str, str]]:
    wanted = set(severities)
    return {(f.rule, f.path) for f in result.findings if not f.suppressed and f.severity in wanted}


def caught(
    tmp_path: Path,
    attack: dict[str, Any] | str,
    gates: Iterable[tuple[tuple[str, ...], str | None]],
    base: dict[str, Any] | str | None = None,
    evidence: dict[str, bytes] | None = None,
    severities: Iterable[str] = ("error",),
) -> None:
    """At every gate, the attack fails a rule (of ``severities``) the honest manifest passes."""
    honest = COMPLETE if base is None else base
    assert attack != honest, "the attack changes nothing"
    passed = []
    for n, at in enumerate(gates):
        before = found(gate(tmp_path / f"honest{n}", honest, at), severities)
        after = found(gate(tmp_path / f"attack{n}", attack, at, evidence), severities)
        if not after - before:
            passed.append(_shown(at))
    assert not passed, f"passed the attack: {', '.join(passed)}"


def _shown(at: tuple[tuple[str, ...], str | None]) -> str:
    packs, stage = at
    return f"{'+'.join(packs) or 'default pack'} at {stage or 'its own stage'}"


TIERS = ("low", "moderate", "high", "critical")


def raised(
    tmp_path: Path, attack: dict[str, Any], gates: Iterable[tuple[tuple[str, ...], str | None]], minimum: str
) -> None:
    """At every gate, the pilot is judged at ``minimum`` or above whatever tier it declares.

    A complete manifest meets the higher tier's rules too, so a raised tier shows in the
    effective tier, not in new findings."""
    low_at = []
    for n, at in enumerate(gates):
        judged = [m.tier for m in gate(tmp_path / f"tier{n}", attack, at).manifests]
        if not judged or TIERS.index(judged[0]) < TIERS.index(minimum):
            low_at.append(f"{_shown(at)} ({judged[0] if judged else 'not judged'})")
    assert not low_at, f"judged below {minimum}: {', '.join(low_at)}"


def hole(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=reason)


# ------------------------------------------------------------------ the honest manifests pass


@pytest.mark.parametrize("at", [PILOT, DEFAULT_EXPANSION, EXPANSION, ENTERPRISE], ids=str)
def test_the_complete_manifest_passes_every_gate(tmp_path: Path, at: Any) -> None:
    result = gate(tmp_path, COMPLETE, at)
    assert not found(result, ("error", "warning")), sorted(found(result, ("error", "warning")))


@pytest.mark.parametrize("at", [PILOT, EXPANSION, ENTERPRISE], ids=str)
def test_the_low_manifest_passes_every_gate(tmp_path: Path, at: Any) -> None:
    result = gate(tmp_path, low(), at)
    assert not found(result), sorted(found(result))


# ------------------------------------------------------------------ values that say nothing

# Fields a `present`-style rule reads, with the gates where that rule is an error.
NAMED = {
    "spec.ownership.business_owner.name": EVERY_GATE,  # OWN-001, SROWN-003
    "spec.ownership.executive_sponsor.name": EVERY_GATE,  # OWN-002, SROWN-002
    "spec.ownership.post_launch_owner.name": EVERY_GATE,  # OWN-003, SROWN-001
    "spec.ownership.clinical_owner.name": EVERY_GATE,  # OWN-004, SROWN-004
    "spec.ownership.technical_owner.name": (PILOT,),  # OWN-005
    "spec.monitoring.alerting.owner": EVERY_GATE,  # MON-003, SRMON-003
    "spec.governance.clinical_oversight.body": EVERY_GATE,  # GOV-005, SRGOV-007
    "spec.workflow.human_review.reviewer_role": PROMOTION,  # SRWF-002 (WF-005 warns)
    "spec.governance.model.version": (PILOT,),  # GOV-009 (and GOV-025: it differs from the pinned version)
}

SAYS_NOTHING = {
    "tbd": "TBD",
    "n/a": "n/a",
    "dash": "-",
    "template": "<name>",
    "whitespace": " \t ",
    "zero-width-space": "\u200b",
    "none": "None",
}
# What the value checks do not recognise yet.
SAYS_NOTHING_OPEN = {
    "see-above": "see above",
    "same-as-above": "same as above",
    "pilot-id": "sepsis-watch",
    "pilot-name": "Sepsis early warning",
    "half-filled-template": "Dr. <name>",
    "jinja-template": "{{ owner }}",
    "shell-variable": "${POST_LAUNCH_OWNER}",
    "xxx": "XXX",
    "vacant": "Vacant",
    "unassigned": "unassigned",
    "pending-hire": "pending hire",
}


@pytest.mark.parametrize("value", list(SAYS_NOTHING.values()), ids=list(SAYS_NOTHING))
@pytest.mark.parametrize("field", list(NAMED))
def test_a_value_that_says_nothing_fails(tmp_path: Path, field: str, value: str) -> None:
    caught(tmp_path, complete(**{field: value}), NAMED[field])


# Judged only at the promotion gates, where scale-readiness turns these words away (SRWF-002, SRGOV-033).
NAMED_CLOSED = {"spec.workflow.human_review.reviewer_role"}


@pytest.mark.parametrize("value", list(SAYS_NOTHING_OPEN.values()), ids=list(SAYS_NOTHING_OPEN))
@pytest.mark.parametrize(
    "field",
    [
        pytest.param(
            f,
            marks=[]
            if f in NAMED_CLOSED
            else [
                hole(
                    "present accepts 'see above', the pilot's id or name, 'Dr. <name>', {{ }}/${ }, XXX,"
                    " vacant, unassigned"
                )
            ],
        )
        for f in NAMED
        if f != "spec.governance.model.version"
    ],
)
def test_a_value_that_only_looks_filled_in_fails(tmp_path: Path, field: str, value: str) -> None:
    caught(tmp_path, complete(**{field: value}), NAMED[field])


def test_gov009_a_floating_model_version_fails(tmp_path: Path) -> None:
    # "latest" everywhere a version is asked for, so the versions still agree with each other.
    attack = complete(
        **{
            "spec.governance.model.version": "latest",
            "spec.governance.change_control.pinned_version": "latest",
            "spec.governance.validation.local.0.model_version": "latest",
            "spec.governance.validation.local.1.model_version": "latest",
        }
    )
    caught(tmp_path, attack, EVERY_GATE)


def test_srmet007_a_horizon_of_zero_quarters_fails(tmp_path: Path) -> None:
    caught(tmp_path, complete(**{"spec.success_metrics.0.horizon_quarters": 0}), PROMOTION)


def test_mon004_a_review_cadence_of_zero_days_fails(tmp_path: Path) -> None:
    caught(
        tmp_path,
        complete(**{"spec.monitoring.review_cadence_days": 0}),
        (PILOT,),
        severities=("error", "warning"),
    )


@hole("MET-004 accepts data_source: see above")
def test_met004_a_data_source_that_says_see_above_fails(tmp_path: Path) -> None:
    caught(
        tmp_path,
        complete(**{"spec.success_metrics.1.data_source": "see above"}),
        (PILOT,),
        severities=("error", "warning"),
    )


# ------------------------------------------------------------------ dates


def test_gov001_a_risk_assessment_and_approval_scheduled_for_next_year_fail(tmp_path: Path) -> None:
    attack = complete(
        **{
            "spec.governance.risk_assessment.date": "2027-01-10",
            "spec.governance.approval.date": "2027-01-20",
        }
    )
    caught(tmp_path, attack, EVERY_GATE)


def test_gov001_a_low_pilot_risk_assessment_in_the_future_fails(tmp_path: Path) -> None:
    attack = low(
        **{
            "spec.governance.risk_assessment.date": "2027-01-10",
            "spec.governance.approval.date": "2027-01-20",
        }
    )
    caught(tmp_path, attack, (PILOT,), base=low())


@hole("GOV-008 only warns: a low pilot's risk assessment from 2019 passes the default gate")
def test_gov001_a_low_pilot_risk_assessment_years_old_fails(tmp_path: Path) -> None:
    attack = low(**{"spec.governance.risk_assessment.date": "2019-01-10"})
    caught(tmp_path, attack, (PILOT,), base=low())


def test_gov002_an_approval_dated_in_the_future_fails(tmp_path: Path) -> None:
    caught(tmp_path, complete(**{"spec.governance.approval.date": "2027-02-01"}), EVERY_GATE)


def test_gov015_an_approval_without_a_date_fails(tmp_path: Path) -> None:
    caught(tmp_path, complete(**{"spec.governance.approval.date": None}), EVERY_GATE)


def test_gov015_order_kept_only_because_the_validation_date_is_gone_fails(tmp_path: Path) -> None:
    # Approved on 2026-08-15, two weeks before the validation it relies on: drop the validation date.
    attack = complete(
        **{"spec.governance.approval.date": "2026-08-15", "spec.governance.validation.date": None}
    )
    caught(tmp_path, attack, (PILOT,))


def test_gov015_an_approval_before_the_validation_fails(tmp_path: Path) -> None:
    caught(tmp_path, complete(**{"spec.governance.approval.date": "2026-08-15"}), EVERY_GATE)


def test_gov010_a_validation_dated_in_the_future_fails(tmp_path: Path) -> None:
    attack = complete(
        **{"spec.governance.validation.date": "2027-01-05", "spec.governance.approval.date": "2027-01-06"}
    )
    caught(tmp_path, attack, EVERY_GATE)


def test_wf003_training_completed_on_a_date_in_the_future_fails(tmp_path: Path) -> None:
    caught(tmp_path, complete(**{"spec.workflow.training.date": "2027-03-01"}), PROMOTION)


@hole("WF-007 applies only when scope.start_date is there: drop it and training after go-live passes")
def test_wf007_training_after_go_live_hidden_by_dropping_the_start_date_fails(tmp_path: Path) -> None:
    attack = complete(**{"spec.workflow.training.date": "2026-05-01", "spec.scope.start_date": None})
    caught(tmp_path, attack, (PILOT,))


def test_wf007_training_after_go_live_fails(tmp_path: Path) -> None:
    caught(tmp_path, complete(**{"spec.workflow.training.date": "2026-05-01"}), (PILOT,))


def test_gov004_a_privacy_review_dated_in_the_future_fails(tmp_path: Path) -> None:
    caught(tmp_path, complete(**{"spec.governance.privacy_review.date": "2027-01-15"}), EVERY_GATE)


@hole("GOV-004/SRGOV-004: a privacy review dated after go-live passes")
def test_gov004_a_privacy_review_after_the_phi_started_flowing_fails(tmp_path: Path) -> None:
    caught(tmp_path, complete(**{"spec.governance.privacy_review.date": "2026-10-01"}), EVERY_GATE)


def test_mon002_a_review_dated_in_the_future_fails(tmp_path: Path) -> None:
    caught(tmp_path, complete(**{"spec.monitoring.last_review": "2026-12-20"}), EVERY_GATE)


def test_srmet005_a_result_measured_in_the_future_fails(tmp_path: Path) -> None:
    caught(tmp_path, complete(**{"spec.success_metrics.0.current.measured_on": "2027-01-01"}), PROMOTION)


def test_srdata004_a_quality_check_run_in_the_future_fails(tmp_path: Path) -> None:
    caught(tmp_path, complete(**{"spec.data.quality_checks.0.last_run": "2026-12-24"}), PROMOTION)


def test_max_age_a_date_with_words_after_it_fails(tmp_path: Path) -> None:
    caught(tmp_path, complete(**{"spec.monitoring.last_review": "2026-11-10 (planned)"}), EVERY_GATE)


# ------------------------------------------------------------------ duplicates counted twice


def _renamed(items: list[dict[str, Any]], names: list[str]) -> list[dict[str, Any]]:
    return [{**item, "name": name} for item, name in zip(items, names, strict=True)]


TWINS = {
    "case-and-space": ["sensitivity", "Sensitivity ", " SENSITIVITY", "input-drift-psi"],
    "zero-width": ["sensitivity", "sensitivity\u200b", "sensi\u200ctivity", "input-drift-psi"],
    "separator": ["time-to-x", "time to x", "time_to_x", "input-drift-psi"],
    "punctuation": ["sensitivity", "sensitivity.", "sensitivity:", "input-drift-psi"],
}
TWINS_OPEN = {"zero-width", "separator", "punctuation"}
TWINS3 = [
    pytest.param(
        v[:3],
        id=k,
        marks=[hole("names that differ by an invisible character or punctuation count twice")]
        if k in TWINS_OPEN
        else [],
    )
    for k, v in TWINS.items()
]


@pytest.mark.parametrize(
    "names",
    [
        pytest.param(
            v,
            id=k,
            marks=[hole("names that differ by an invisible character or punctuation count twice")]
            if k in TWINS_OPEN
            else [],
        )
        for k, v in TWINS.items()
    ],
)
def test_mon001_one_monitoring_metric_spelt_twice_counts_once(tmp_path: Path, names: list[str]) -> None:
    metrics = _renamed(COMPLETE["spec"]["monitoring"]["metrics"], names)
    caught(tmp_path, complete(**{"spec.monitoring.metrics": metrics}), EVERY_GATE)


@pytest.mark.parametrize("names", TWINS3)
def test_srdata003_one_quality_check_spelt_twice_counts_once(tmp_path: Path, names: list[str]) -> None:
    checks = _renamed(COMPLETE["spec"]["data"]["quality_checks"], names)
    caught(tmp_path, complete(**{"spec.data.quality_checks": checks}), PROMOTION)


@pytest.mark.parametrize("names", TWINS3)
def test_met001_one_success_metric_spelt_twice_counts_once(tmp_path: Path, names: list[str]) -> None:
    metrics = _renamed(COMPLETE["spec"]["success_metrics"], names)
    caught(tmp_path, complete(**{"spec.success_metrics": metrics}), EVERY_GATE)


def test_met001_one_success_metric_through_a_yaml_alias_counts_once(tmp_path: Path) -> None:
    text = json.dumps(complete(**{"spec.success_metrics": "@@"}), indent=1).replace(
        '"@@"',
        '[&m {"name": "time-to-antibiotics-minutes", "kind": "clinical", "unit": "minutes", '
        '"direction": "lower", "baseline": 180.0, "target": 120.0, "across_sites": true, '
        '"horizon_quarters": 4, "data_source": "ehr-vitals", '
        '"current": {"value": 140.0, "measured_on": "2026-11-01"}}, *m, *m]',
    )
    caught(tmp_path, text, EVERY_GATE)


# ------------------------------------------------------------------ results worse than promised


def test_srmet004_a_measured_result_worse_than_baseline_fails(tmp_path: Path) -> None:
    # Time to antibiotics went from 180 to 210 minutes: the pilot made it worse.
    caught(tmp_path, complete(**{"spec.success_metrics.0.current.value": 210.0}), PROMOTION)


def test_srmet004_a_measured_result_equal_to_baseline_fails(tmp_path: Path) -> None:
    caught(tmp_path, complete(**{"spec.success_metrics.0.current.value": 180.0}), PROMOTION)


def test_met006_a_target_no_better_than_the_baseline_fails(tmp_path: Path) -> None:
    caught(tmp_path, complete(**{"spec.success_metrics.0.target": 180.0}), EVERY_GATE)


def test_met006_a_target_better_only_the_wrong_way_fails(tmp_path: Path) -> None:
    caught(tmp_path, complete(**{"spec.success_metrics.0.target": 240.0}), EVERY_GATE)


def test_wf006_a_sampling_rate_written_in_percent_fails(tmp_path: Path) -> None:
    # 20 meant 20 %: above 1.0, so "every output reviewed" holds on paper.
    caught(tmp_path, complete(**{"spec.workflow.human_review.sampling_rate": 20}), EVERY_GATE)


def test_wf006_a_sampling_rate_nan_fails(tmp_path: Path) -> None:
    text = json.dumps(complete(**{"spec.workflow.human_review.sampling_rate": "@@"}), indent=1)
    caught(tmp_path, text.replace('"@@"', ".nan"), EVERY_GATE)


# ------------------------------------------------------------------ tiering


def test_tiering_leaving_the_scope_flags_unstated_is_not_low(tmp_path: Path) -> None:
    # The sepsis model, declared low, with no word on PHI, decision support or patients.
    attack = complete(
        **{
            "spec.risk_tier": "low",
            "spec.scope.phi": None,
            "spec.scope.clinical_decision_support": None,
            "spec.scope.patient_facing": None,
            "spec.data.sources.0.phi": None,
            "spec.data.sources.1.phi": None,
        }
    )
    raised(tmp_path, attack, EVERY_GATE, "moderate")


def test_tiering_a_predictive_dsi_declared_not_decision_support_is_high(tmp_path: Path) -> None:
    # onc_dsi: predictive says it is clinical decision support; the scope says it is not.
    raised(tmp_path, low(**{"spec.governance.regulatory.onc_dsi": "predictive"}), EVERY_GATE, "high")


def test_tiering_string_true_for_an_fda_device_fails(tmp_path: Path) -> None:
    caught(tmp_path, low(**{"spec.governance.regulatory.fda_device": "true"}), EVERY_GATE, base=low())


def test_tiering_string_false_for_decision_support_fails(tmp_path: Path) -> None:
    caught(
        tmp_path,
        complete(**{"spec.scope.clinical_decision_support": "false", "spec.risk_tier": "low"}),
        EVERY_GATE,
    )


@pytest.mark.parametrize("tier", ["Critical", " critical", "crit", ""])
def test_tiering_a_tier_the_pack_does_not_know_fails(tmp_path: Path, tier: str) -> None:
    caught(tmp_path, complete(**{"spec.risk_tier": tier}), EVERY_GATE)


def test_tiering_a_tier_dropped_fails(tmp_path: Path) -> None:
    caught(tmp_path, complete(**{"spec.risk_tier": None}), EVERY_GATE)


def test_tiering_phi_denied_in_scope_but_carried_by_a_feed_fails(tmp_path: Path) -> None:
    attack = low(**{"spec.data.sources.0.phi": True, "spec.governance.privacy_review.status": "pending"})
    caught(tmp_path, attack, EVERY_GATE, base=low())


# ------------------------------------------------------------------ YAML tricks


def _yaml(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=1)


def test_yaml_a_duplicate_key_that_lowers_the_tier_fails(tmp_path: Path) -> None:
    text = _yaml(complete()).replace(
        '"risk_tier": "critical",', '"risk_tier": "critical",\n  "risk_tier": "low",'
    )
    caught(tmp_path, text, EVERY_GATE)


def test_yaml_a_merge_key_cannot_hide_a_repeated_flag(tmp_path: Path) -> None:
    text = _yaml(complete(**{"spec.scope": "@@"})).replace(
        '"@@"', '{"<<": {"clinical_decision_support": true}, "<<": {"clinical_decision_support": false}}'
    )
    caught(tmp_path, text, EVERY_GATE)


def test_yaml_str_tag_on_a_boolean_fails(tmp_path: Path) -> None:
    text = _yaml(complete()).replace('"audit_logging": true', '"audit_logging": !!str true')
    caught(tmp_path, text, EVERY_GATE)


def test_yaml_a_timestamp_for_a_date_is_judged_by_its_day(tmp_path: Path) -> None:
    text = _yaml(complete()).replace('"last_review": "2026-11-10"', '"last_review": 2027-01-10T08:00:00Z')
    caught(tmp_path, text, EVERY_GATE)


# ------------------------------------------------------------------ evidence

EVIDENCE_FIELDS = {
    "spec.operating_model.support.runbook": EVERY_GATE,  # OPS-001, SROPS-003
    "spec.governance.incident_response.runbook": EVERY_GATE,  # GOV-006, SRGOV-006
    "spec.workflow.exceptions_process": PROMOTION,  # SRWF-004 (WF-002 warns)
    "spec.operating_model.decommission_plan": (ENTERPRISE,),  # OPS-002, SROPS-004
    "spec.governance.validation.report": EVERY_GATE,  # GOV-003, GOV-014
    "spec.governance.model.card": (PILOT,),  # GOV-013
}
BAD_PATHS = {
    "missing-file": ("docs/nothing-here.md", {}),
    "escapes-repo": ("../../outside.md", {}),
    "absolute": ("/etc/hostname", {}),
    "empty-file": ("docs/empty.md", {"docs/empty.md": b""}),
    "placeholder-file": ("docs/tbd.md", {"docs/tbd.md": b"TBD\n"}),
    "title-only-file": ("docs/stub.md", {"docs/stub.md": b"# Runbook\n"}),
    "directory": ("docs", {}),
}


SAY_NOTHING_FILES = {"placeholder-file", "title-only-file"}


def _evidence_cases() -> list[Any]:
    cases = []
    for field in EVIDENCE_FIELDS:
        for bad in BAD_PATHS:
            if bad in SAY_NOTHING_FILES:
                marks = [hole("file_exists accepts a file holding only TBD or only a heading")]
            else:
                marks = []
            cases.append(pytest.param(field, bad, id=f"{field}-{bad}", marks=marks))
    return cases


@pytest.mark.parametrize(("field", "bad"), _evidence_cases())
def test_evidence_that_is_not_there_fails(tmp_path: Path, field: str, bad: str) -> None:
    path, files = BAD_PATHS[bad]
    (tmp_path / "outside.md").write_text("# outside\n\nA real document, outside the repository.\n")
    caught(tmp_path, complete(**{field: path}), EVIDENCE_FIELDS[field], evidence=files)


# ------------------------------------------------------------------ stages


@hole("stage: retired skips WF-007 and every promotion gate")
def test_stage_retired_skips_the_go_live_training_order(tmp_path: Path) -> None:
    attack = complete(**{"spec.workflow.training.date": "2026-05-01", "spec.stage": "retired"})
    caught(tmp_path, attack, (PILOT,))


@hole("stage: retired is accepted with no end date, funding ahead and reviews ongoing")
def test_stage_retired_while_still_running_fails(tmp_path: Path) -> None:
    # No end date, funding through next year, reviewed last week: it is not retired.
    caught(tmp_path, complete(**{"spec.stage": "retired"}), (PILOT,))


@pytest.mark.parametrize("stage", ["production", "Pilot", "", "expansion "])
def test_stage_the_pack_does_not_know_fails(tmp_path: Path, stage: str) -> None:
    caught(tmp_path, complete(**{"spec.stage": stage}), (PILOT,))


def test_stage_dropped_fails(tmp_path: Path) -> None:
    caught(tmp_path, complete(**{"spec.stage": None}), (PILOT,))


# ------------------------------------------------------------------ what spec B grades at low and high


def test_low_a_rejected_approval_fails(tmp_path: Path) -> None:
    caught(tmp_path, low(**{"spec.governance.approval.decision": "rejected"}), (PILOT,), base=low())


def test_low_no_success_metric_fails(tmp_path: Path) -> None:
    caught(tmp_path, low(**{"spec.success_metrics": []}), (PILOT,), base=low())


def test_low_no_monitoring_fails(tmp_path: Path) -> None:
    caught(tmp_path, low(**{"spec.monitoring": None}), (PILOT,), base=low())


def test_low_no_quality_check_fails(tmp_path: Path) -> None:
    caught(tmp_path, low(**{"spec.data.quality_checks": None}), (PILOT,), base=low())


def test_high_no_clinical_oversight_without_decision_support_fails(tmp_path: Path) -> None:
    base = complete(**{"spec.risk_tier": "high", "spec.scope.clinical_decision_support": False})
    attack = changed(base, **{"spec.governance.clinical_oversight": None})
    caught(tmp_path, attack, (PILOT,), base=base)


def test_high_a_monitoring_review_61_days_old_fails_the_default_gate(tmp_path: Path) -> None:
    base = complete(**{"spec.risk_tier": "high"})
    caught(tmp_path, changed(base, **{"spec.monitoring.last_review": "2026-09-25"}), (PILOT,), base=base)


def test_data001_a_critical_pilot_with_two_quality_checks_fails(tmp_path: Path) -> None:
    checks = COMPLETE["spec"]["data"]["quality_checks"][:2]
    caught(tmp_path, complete(**{"spec.data.quality_checks": checks}), (PILOT,))


def test_mon001_a_critical_pilot_with_three_metrics_fails_the_default_gate(tmp_path: Path) -> None:
    metrics = COMPLETE["spec"]["monitoring"]["metrics"][:3]
    caught(tmp_path, complete(**{"spec.monitoring.metrics": metrics}), (PILOT,))
