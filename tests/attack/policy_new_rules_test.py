"""Fakes aimed at the rules for the newer manifest fields: approval scope and conditions, local
and subgroup validation, change control, the incident path, kill switch and fallback, vendor,
generative factuality, patient notice, research determination and the tiering they feed.

The harness is ``policy_content_test``'s: an attack passes the gate when it fails no rule the
complete manifest passes there. Tests are split by gate, so a hole open at one gate and closed
at another shows as one xfail and one pass.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.attack.policy_content_test import (
    DEFAULT_EXPANSION,
    ENTERPRISE,
    EXPANSION,
    PILOT,
    caught,
    changed,
    complete,
    hole,
    low,
    raised,
)

NAMES = {
    PILOT: "default",
    DEFAULT_EXPANSION: "default-expansion",
    EXPANSION: "expansion",
    ENTERPRISE: "enterprise",
}


def gates(*closed: Any, open: tuple[Any, ...] = (), reason: str = "") -> list[Any]:
    """One case per gate: those in ``open`` still pass the attack (strict xfail with ``reason``)."""
    cases = [pytest.param(at, id=NAMES[at]) for at in closed]
    cases += [pytest.param(at, id=NAMES[at], marks=[hole(reason)]) for at in open]
    return cases


ALL = (PILOT, EXPANSION, ENTERPRISE)
PROMOTION = (EXPANSION, ENTERPRISE)


# ------------------------------------------------------------------ approval: scope, expiry, conditions


@pytest.mark.parametrize("at", gates(EXPANSION, DEFAULT_EXPANSION))
def test_an_approval_scoped_to_the_pilot_stage_does_not_cover_expansion(tmp_path: Path, at: Any) -> None:
    caught(tmp_path, complete(**{"spec.governance.approval.scope.stages": ["pilot"]}), (at,))


@pytest.mark.parametrize("at", gates(*PROMOTION))
def test_a_low_pilot_approval_scoped_to_the_pilot_stage_does_not_cover_expansion(
    tmp_path: Path, at: Any
) -> None:
    base = low()
    caught(tmp_path, changed(base, **{"spec.governance.approval.scope.stages": ["pilot"]}), (at,), base=base)


@pytest.mark.parametrize("at", gates(*ALL))
def test_an_approval_that_leaves_out_a_site_in_use_fails(tmp_path: Path, at: Any) -> None:
    caught(tmp_path, complete(**{"spec.governance.approval.scope.sites": ["north-campus"]}), (at,))


@pytest.mark.parametrize("at", gates(*PROMOTION, PILOT))
def test_dropping_the_sites_in_use_does_not_skip_approval_and_validation_coverage(
    tmp_path: Path, at: Any
) -> None:
    # Runs at both campuses (the feeds say so), approved and validated at one.
    attack = complete(
        **{
            "spec.scope.sites": None,
            "spec.governance.approval.scope.sites": ["north-campus"],
            "spec.governance.validation.local": complete()["spec"]["governance"]["validation"]["local"][:1],
        }
    )
    caught(tmp_path, attack, (at,))


@pytest.mark.parametrize("at", gates(*ALL))
def test_an_expired_approval_fails(tmp_path: Path, at: Any) -> None:
    caught(tmp_path, complete(**{"spec.governance.approval.expires": "2026-11-24"}), (at,))


@pytest.mark.parametrize("at", gates(*PROMOTION, DEFAULT_EXPANSION))
def test_an_open_approval_condition_blocks_expansion(tmp_path: Path, at: Any) -> None:
    condition = {"condition": "monthly subgroup report to the board", "status": "open", "due": "2026-12-31"}
    caught(tmp_path, complete(**{"spec.governance.approval.conditions": [condition]}), (at,))


@pytest.mark.parametrize(
    "at",
    gates(DEFAULT_EXPANSION, *PROMOTION),
)
def test_an_approval_condition_written_as_text_is_judged(tmp_path: Path, at: Any) -> None:
    attack = complete(**{"spec.governance.approval.conditions": "monthly subgroup report to the board"})
    caught(tmp_path, attack, (at,))


@pytest.mark.parametrize("at", gates(*PROMOTION, DEFAULT_EXPANSION))
def test_a_condition_closed_on_a_date_in_the_future_fails(tmp_path: Path, at: Any) -> None:
    caught(tmp_path, complete(**{"spec.governance.approval.conditions.0.closed_on": "2026-12-20"}), (at,))


@pytest.mark.parametrize("at", gates(*PROMOTION, DEFAULT_EXPANSION))
def test_a_condition_closed_without_a_date_fails(tmp_path: Path, at: Any) -> None:
    caught(tmp_path, complete(**{"spec.governance.approval.conditions.0.closed_on": None}), (at,))


@pytest.mark.parametrize("at", gates(*PROMOTION, DEFAULT_EXPANSION))
def test_a_condition_closed_before_the_approval_set_it_fails(tmp_path: Path, at: Any) -> None:
    caught(tmp_path, complete(**{"spec.governance.approval.conditions.0.closed_on": "2026-09-01"}), (at,))


# ------------------------------------------------------------------ local validation


@pytest.mark.parametrize("at", gates(*ALL))
def test_a_local_result_below_its_acceptance_fails(tmp_path: Path, at: Any) -> None:
    caught(tmp_path, complete(**{"spec.governance.validation.local.1.metrics.0.result": 0.74}), (at,))


@pytest.mark.parametrize("at", gates(*ALL))
def test_a_lower_is_better_local_result_above_its_acceptance_fails(tmp_path: Path, at: Any) -> None:
    caught(tmp_path, complete(**{"spec.governance.validation.local.1.metrics.1.result": 12.0}), (at,))


@pytest.mark.parametrize("at", gates(*ALL))
def test_one_site_validated_twice_does_not_cover_another(tmp_path: Path, at: Any) -> None:
    caught(tmp_path, complete(**{"spec.governance.validation.local.1.site": "North-Campus "}), (at,))


@pytest.mark.parametrize("at", gates(*ALL))
def test_a_local_validation_without_metrics_fails(tmp_path: Path, at: Any) -> None:
    caught(tmp_path, complete(**{"spec.governance.validation.local.1.metrics": []}), (at,))


@pytest.mark.parametrize("at", gates(*PROMOTION, PILOT))
def test_a_site_validated_on_an_older_model_version_fails(tmp_path: Path, at: Any) -> None:
    caught(tmp_path, complete(**{"spec.governance.validation.local.1.model_version": "3.2.0"}), (at,))


@pytest.mark.parametrize("at", gates(*PROMOTION, PILOT))
def test_an_approval_before_the_local_validation_fails(tmp_path: Path, at: Any) -> None:
    caught(tmp_path, complete(**{"spec.governance.validation.local.1.date": "2026-10-01"}), (at,))


@pytest.mark.parametrize("at", gates(*ALL))
def test_a_pediatric_use_with_adult_only_validation_fails(tmp_path: Path, at: Any) -> None:
    attack = complete(**{"spec.intended_use.age_groups": ["pediatric", "adult"]})
    caught(tmp_path, attack, (at,))


# ------------------------------------------------------------------ subgroup results


@pytest.mark.parametrize("at", gates(*ALL))
def test_a_disparity_above_its_threshold_fails(tmp_path: Path, at: Any) -> None:
    caught(tmp_path, complete(**{"spec.governance.validation.subgroup_results.0.disparity": 0.09}), (at,))


@pytest.mark.parametrize("at", gates(*ALL))
def test_a_negative_disparity_fails(tmp_path: Path, at: Any) -> None:
    caught(tmp_path, complete(**{"spec.governance.validation.subgroup_results.0.disparity": -0.09}), (at,))


@pytest.mark.parametrize("at", gates(*PROMOTION, PILOT))
def test_a_disparity_threshold_that_excuses_any_gap_fails(tmp_path: Path, at: Any) -> None:
    attack = complete(
        **{
            "spec.governance.validation.subgroup_results.0.disparity": 0.4,
            "spec.governance.validation.subgroup_results.0.disparity_threshold": 1.0,
        }
    )
    caught(tmp_path, attack, (at,))


def _hollow_subgroups() -> dict[str, Any]:
    results = complete()["spec"]["governance"]["validation"]["subgroup_results"]
    return complete(
        **{
            "spec.governance.validation.subgroup_results": [
                {**r, "subgroup": "TBD", "metric": "n/a"} for r in results
            ]
        }
    )


@pytest.mark.parametrize("at", gates(*PROMOTION, PILOT))
def test_subgroup_results_that_name_no_subgroup_fail(tmp_path: Path, at: Any) -> None:
    caught(tmp_path, _hollow_subgroups(), (at,))


@pytest.mark.parametrize("at", gates(*PROMOTION))
def test_one_subgroup_dimension_reported_five_times_counts_once(tmp_path: Path, at: Any) -> None:
    results = complete()["spec"]["governance"]["validation"]["subgroup_results"]
    attack = complete(
        **{"spec.governance.validation.subgroup_results": [{**r, "dimension": "age"} for r in results]}
    )
    caught(tmp_path, attack, (at,))


# ------------------------------------------------------------------ words that say nothing in the new fields

NEW_TEXT = {
    "spec.governance.change_control.rollback": ALL,  # GOV-024, SROPS-005
    "spec.workflow.kill_switch.owner": (PILOT, ENTERPRISE),  # WF-009, SRWF-008
    "spec.governance.incident_response.safety_event_system": ALL,  # GOV-027
    "spec.intended_use.population": ALL,  # GOV-018
    "spec.monitoring.metrics.0.action_on_breach": ALL,  # MON-007, SRMON-008
}
HOLLOW_OPEN = {"see-above": "see above", "pilot-id": "sepsis-watch", "jinja-template": "{{ rollback }}"}


@pytest.mark.parametrize(
    "value", ["TBD", "n/a", "<name>", "\u200b"], ids=["tbd", "n/a", "template", "zero-width"]
)
@pytest.mark.parametrize("field", list(NEW_TEXT))
def test_a_placeholder_in_a_new_field_fails(tmp_path: Path, field: str, value: str) -> None:
    caught(tmp_path, complete(**{field: value}), NEW_TEXT[field])


@hole("present/schema accept 'see above', the pilot's id and {{ }} templates in the new fields too")
@pytest.mark.parametrize("value", list(HOLLOW_OPEN.values()), ids=list(HOLLOW_OPEN))
@pytest.mark.parametrize("field", list(NEW_TEXT))
def test_a_value_that_only_looks_filled_in_fails_in_a_new_field(
    tmp_path: Path, field: str, value: str
) -> None:
    caught(tmp_path, complete(**{field: value}), NEW_TEXT[field])


# ------------------------------------------------------------------ incident path, oversight, vendor


@pytest.mark.parametrize("hours", [0, -1], ids=["zero", "negative"])
@pytest.mark.parametrize("at", gates(*ALL))
def test_a_response_time_of_no_hours_fails(tmp_path: Path, at: Any, hours: int) -> None:
    attack = complete(**{"spec.governance.incident_response.severity_levels.0.respond_within_hours": hours})
    caught(tmp_path, attack, (at,))


@pytest.mark.parametrize("at", gates(*PROMOTION, PILOT))
def test_review_after_use_is_not_review_before_use(tmp_path: Path, at: Any) -> None:
    caught(tmp_path, complete(**{"spec.workflow.human_review.before_use": False}), (at,))


@pytest.mark.parametrize("at", gates(*PROMOTION, PILOT))
def test_a_kill_switch_tested_in_the_future_fails(tmp_path: Path, at: Any) -> None:
    caught(tmp_path, complete(**{"spec.workflow.kill_switch.tested": "2026-12-20"}), (at,))


@pytest.mark.parametrize("at", gates(*ALL))
def test_a_security_review_dated_in_the_future_fails(tmp_path: Path, at: Any) -> None:
    caught(tmp_path, complete(**{"spec.governance.vendor.security_review.date": "2027-01-15"}), (at,))


@pytest.mark.parametrize("at", gates(*ALL))
def test_a_vendor_without_a_signed_baa_fails(tmp_path: Path, at: Any) -> None:
    caught(tmp_path, complete(**{"spec.governance.vendor.baa": "pending"}), (at,))


@pytest.mark.parametrize("at", gates(*ALL))
def test_a_vendor_that_may_train_on_phi_fails(tmp_path: Path, at: Any) -> None:
    caught(tmp_path, complete(**{"spec.governance.vendor.data_use_rights": "vendor-may-train"}), (at,))


@pytest.mark.parametrize("at", gates(*ALL))
def test_a_research_determination_dated_in_the_future_fails(tmp_path: Path, at: Any) -> None:
    caught(tmp_path, complete(**{"spec.governance.research_determination.date": "2027-01-15"}), (at,))


# ------------------------------------------------------------------ evidence paths of the new fields

NEW_EVIDENCE = {
    "spec.workflow.kill_switch.procedure": (PILOT, ENTERPRISE),  # WF-009, SRWF-008
    "spec.workflow.adoption_plan": (DEFAULT_EXPANSION, EXPANSION),  # WF-012, SRWF-006
    "spec.operating_model.decommission.fallback.procedure": (ENTERPRISE,),  # OPS-004
}
NOT_EVIDENCE = {
    "missing-file": ("docs/nothing-here.md", {}),
    "escapes-repo": ("../../outside.md", {}),
    "empty-file": ("docs/empty.md", {"docs/empty.md": b""}),
}


@pytest.mark.parametrize("bad", list(NOT_EVIDENCE))
@pytest.mark.parametrize(
    "field",
    [pytest.param(f) for f in NEW_EVIDENCE],
)
def test_new_evidence_that_is_not_there_fails(tmp_path: Path, field: str, bad: str) -> None:
    path, files = NOT_EVIDENCE[bad]
    (tmp_path / "outside.md").write_text("# outside\n\nA real document, outside the repository.\n")
    caught(tmp_path, complete(**{field: path}), NEW_EVIDENCE[field], evidence=files)


# ------------------------------------------------------------------ generative models


def generative() -> dict[str, Any]:
    return complete(
        **{
            "spec.governance.model.type": "generative",
            "spec.governance.validation.factuality": {
                "method": "clinician review of 500 drafted summaries",
                "date": "2026-09-01",
                "hallucination_rate": 0.02,
                "acceptance": 0.05,
                "report": "docs/validation.md",
            },
        }
    )


@pytest.mark.parametrize("at", gates(*ALL))
def test_a_hallucination_rate_above_its_acceptance_fails(tmp_path: Path, at: Any) -> None:
    base = generative()
    attack = changed(base, **{"spec.governance.validation.factuality.hallucination_rate": 0.09})
    caught(tmp_path, attack, (at,), base=base)


@pytest.mark.parametrize("at", gates(*ALL))
def test_a_generative_model_that_leaves_out_its_type_still_needs_factuality(tmp_path: Path, at: Any) -> None:
    base = generative()
    attack = changed(
        base, **{"spec.governance.model.type": None, "spec.governance.validation.factuality": None}
    )
    caught(tmp_path, attack, (at,), base=base)


@pytest.mark.parametrize("at", gates(*ALL))
def test_a_factuality_evaluation_dated_in_the_future_fails(tmp_path: Path, at: Any) -> None:
    base = generative()
    attack = changed(base, **{"spec.governance.validation.factuality.date": "2027-02-01"})
    caught(tmp_path, attack, (at,), base=base)


@pytest.mark.parametrize(
    "at",
    gates(
        open=ALL, reason="GOV-035 accepts any acceptance, so acceptance 1.0 excuses a 50 % hallucination rate"
    ),
)
def test_a_factuality_acceptance_that_excuses_anything_fails(tmp_path: Path, at: Any) -> None:
    base = generative()
    attack = changed(
        base,
        **{
            "spec.governance.validation.factuality.hallucination_rate": 0.5,
            "spec.governance.validation.factuality.acceptance": 1.0,
        },
    )
    caught(tmp_path, attack, (at,), base=base)


# ------------------------------------------------------------------ patient notice


def chatbot() -> dict[str, Any]:
    return complete(
        **{
            "spec.scope.patient_facing": True,
            "spec.patient_notice.chatbot_disclosure": True,
            "spec.patient_notice.ai_drafted_message_disclosure": False,
        }
    )


@pytest.mark.parametrize(
    "at",
    gates(
        open=ALL,
        reason="GOV-040 takes either disclosure: a chatbot that hides it passes on the drafting flag",
    ),
)
def test_a_patient_facing_chatbot_that_does_not_disclose_itself_fails(tmp_path: Path, at: Any) -> None:
    base = chatbot()
    attack = changed(
        base,
        **{
            "spec.patient_notice.chatbot_disclosure": False,
            "spec.patient_notice.ai_drafted_message_disclosure": True,
        },
    )
    caught(tmp_path, attack, (at,), base=base)


@pytest.mark.parametrize("at", gates(*ALL))
def test_a_patient_facing_pilot_that_discloses_nothing_fails(tmp_path: Path, at: Any) -> None:
    base = chatbot()
    caught(tmp_path, changed(base, **{"spec.patient_notice.chatbot_disclosure": False}), (at,), base=base)


@pytest.mark.parametrize("at", gates(*ALL))
def test_a_patient_notice_that_is_not_there_fails(tmp_path: Path, at: Any) -> None:
    base = chatbot()
    caught(
        tmp_path, changed(base, **{"spec.patient_notice.notice": "docs/nothing-here.md"}), (at,), base=base
    )


# ------------------------------------------------------------------ tiering from the new fields


@pytest.mark.parametrize("at", gates(*ALL))
def test_a_cleared_device_declared_not_a_device_is_critical(tmp_path: Path, at: Any) -> None:
    raised(tmp_path, low(**{"spec.governance.regulatory.fda_clearance": "K231234"}), (at,), "critical")


@pytest.mark.parametrize(
    ("role", "minimum"), [("informs", "moderate"), ("drives", "high"), ("automates", "critical")]
)
@pytest.mark.parametrize("at", gates(*ALL))
def test_an_ai_with_a_clinical_decision_role_is_not_low(
    tmp_path: Path, at: Any, role: str, minimum: str
) -> None:
    raised(tmp_path, low(**{"spec.intended_use.decision_role": role}), (at,), minimum)


@pytest.mark.parametrize("flag", ["chatbot_disclosure", "ai_drafted_message_disclosure"])
@pytest.mark.parametrize("at", gates(*ALL))
def test_an_ai_that_discloses_itself_to_patients_is_patient_facing(
    tmp_path: Path, at: Any, flag: str
) -> None:
    raised(tmp_path, low(**{f"spec.patient_notice.{flag}": True}), (at,), "moderate")


# ------------------------------------------------------------------ success evidence at the default gate


@pytest.mark.parametrize("at", gates(EXPANSION, DEFAULT_EXPANSION))
def test_expansion_without_any_measured_result_fails(tmp_path: Path, at: Any) -> None:
    metrics = [{k: v for k, v in m.items() if k != "current"} for m in complete()["spec"]["success_metrics"]]
    caught(tmp_path, complete(**{"spec.success_metrics": metrics}), (at,))


@pytest.mark.parametrize("at", gates(EXPANSION, DEFAULT_EXPANSION))
def test_expansion_on_a_result_measured_two_years_ago_fails(tmp_path: Path, at: Any) -> None:
    caught(tmp_path, complete(**{"spec.success_metrics.0.current.measured_on": "2024-11-01"}), (at,))


# ------------------------------------------------------------------ self-declared directions and gaps


@pytest.mark.parametrize("at", gates(*PROMOTION, PILOT))
def test_a_failed_local_validation_turned_round_by_its_direction_fails(tmp_path: Path, at: Any) -> None:
    # Monitoring says higher sensitivity is better; the local validation says lower, to pass 0.70.
    attack = complete(
        **{
            "spec.governance.validation.local.1.metrics.0.result": 0.70,
            "spec.governance.validation.local.1.metrics.0.direction": "lower",
        }
    )
    caught(tmp_path, attack, (at,))


@pytest.mark.parametrize(
    "at",
    gates(
        open=(DEFAULT_EXPANSION, *PROMOTION),
        reason="MET-006/007, SRMET-010 trust the metric's direction: longer time to antibiotics 'improves'",
    ),
)
def test_a_worse_result_turned_round_by_its_direction_fails(tmp_path: Path, at: Any) -> None:
    # Time to antibiotics rose from 180 to 210 minutes; declared "higher is better" with target 240.
    attack = complete(
        **{
            "spec.success_metrics.0.direction": "higher",
            "spec.success_metrics.0.target": 240.0,
            "spec.success_metrics.0.current.value": 210.0,
        }
    )
    caught(tmp_path, attack, (at,))


@pytest.mark.parametrize(
    "at",
    gates(
        open=ALL,
        reason="GOV-023/SRGOV-022 trust the declared disparity: value 0.70 vs results 0.84-0.86 claims 0.01",
    ),
)
def test_an_understated_disparity_fails(tmp_path: Path, at: Any) -> None:
    attack = complete(**{"spec.governance.validation.subgroup_results.0.value": 0.70})
    caught(tmp_path, attack, (at,))


@pytest.mark.parametrize(
    "at",
    gates(*PROMOTION),
)
def test_funding_of_nothing_is_not_funding(tmp_path: Path, at: Any) -> None:
    caught(tmp_path, complete(**{"spec.operating_model.funding.amount": 0}), (at,))


def test_stage_retired_cannot_be_asked_for_on_the_command_line(run: Any, tmp_path: Path) -> None:
    file = tmp_path / "pilot.yaml"
    file.write_text(json.dumps(complete()), encoding="utf-8")
    result = run("check", "--stage", "retired", "--today", "2026-11-25", "-q", str(file))
    assert result.exit_code != 0


@pytest.mark.parametrize(
    "at",
    gates(
        open=ALL,
        reason="SRMON-002/MON-007 accept threshold 0 on a higher-is-better metric: the alarm can never fire",
    ),
)
def test_an_alarm_that_can_never_fire_fails(tmp_path: Path, at: Any) -> None:
    # Sensitivity is never below 0, so "alert when sensitivity falls below 0" watches nothing.
    caught(tmp_path, complete(**{"spec.monitoring.metrics.0.threshold": 0}), (at,))


@pytest.mark.parametrize(
    "at",
    gates(
        open=PROMOTION, reason="DATA-002/SRDATA-002 read reconciled_across_sites only, not how (method: TBD)"
    ),
)
def test_identifiers_reconciled_by_no_method_fail(tmp_path: Path, at: Any) -> None:
    caught(tmp_path, complete(**{"spec.data.identifiers.method": "TBD"}), (at,))
