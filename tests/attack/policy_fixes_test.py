"""Second-round fakes: ways round the checks added to close the first round's holes.

Version patterns that still float, word lists that miss a phrasing, identity checks that are
exact where a fake is not, substring checks that a negation satisfies, name lists that a
capital letter leaves, and date checks that apply only when the date is given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.attack.policy_content_test import caught, changed, complete
from tests.attack.policy_new_rules_test import ALL, PROMOTION, gates


@pytest.mark.parametrize("version", ["4.x", ">=4.0", "4.*", "^4.0.1"], ids=["x", "range", "star", "caret"])
@pytest.mark.parametrize(
    "at",
    gates(
        open=ALL, reason="GOV-009/024/SRGOV-012/SROPS-005 want a digit and no 'latest': '4.x' still floats"
    ),
)
def test_a_version_range_pins_no_version(tmp_path: Path, at: Any, version: str) -> None:
    attack = complete(
        **{
            "spec.governance.model.version": version,
            "spec.governance.change_control.pinned_version": version,
            "spec.governance.validation.local.0.model_version": version,
            "spec.governance.validation.local.1.model_version": version,
        }
    )
    caught(tmp_path, attack, (at,))


DISGUISED = {
    "pilot-id-capitalised": "Sepsis-Watch",
    "pilot-name-lowercase": "sepsis early warning",
    "same-as-another-role": "same as business owner",
    "as-per-above": "as per above",
    "recruiting": "recruiting",
    "bracket-template": "Dr. [name]",
}


@pytest.mark.parametrize("value", list(DISGUISED.values()), ids=list(DISGUISED))
@pytest.mark.parametrize(
    "at",
    gates(
        open=PROMOTION,
        reason="SROWN-001/SRGOV-033 compare with the pilot's id and name exactly and list words",
    ),
)
def test_a_post_launch_owner_that_names_nobody_fails(tmp_path: Path, at: Any, value: str) -> None:
    caught(tmp_path, complete(**{"spec.ownership.post_launch_owner.name": value}), (at,))


@pytest.mark.parametrize(
    "at",
    gates(
        open=PROMOTION,
        reason="SRGOV-032 looks for 'hild' in the population: 'children excluded' counts as pediatric",
    ),
)
def test_a_population_that_excludes_children_is_no_pediatric_validation(tmp_path: Path, at: Any) -> None:
    attack = complete(
        **{
            "spec.intended_use.age_groups": ["pediatric", "adult"],
            "spec.governance.validation.local.0.population": "adult inpatients, children excluded",
        }
    )
    caught(tmp_path, attack, (at,))


@pytest.mark.parametrize("name", ["Sensitivity", "true-positive-rate", "sensitivity@0.5"])
@pytest.mark.parametrize(
    "at",
    gates(
        open=ALL,
        reason="GOV-053/SRGOV-031 list exact names: 'Sensitivity, lower is better' still passes 0.70",
    ),
)
def test_a_capitalised_metric_name_does_not_turn_a_failed_validation_round(
    tmp_path: Path, at: Any, name: str
) -> None:
    attack = complete(
        **{
            "spec.governance.validation.local.1.metrics.0.name": name,
            "spec.governance.validation.local.1.metrics.0.result": 0.70,
            "spec.governance.validation.local.1.metrics.0.direction": "lower",
        }
    )
    caught(tmp_path, attack, (at,))


@pytest.mark.parametrize(
    "at",
    gates(
        open=ALL,
        reason="GOV-048 ages the security review only when it is dated: drop the date and it never ages",
    ),
)
def test_an_undated_security_review_fails(tmp_path: Path, at: Any) -> None:
    caught(tmp_path, complete(**{"spec.governance.vendor.security_review.date": None}), (at,))


@pytest.mark.parametrize(
    "at",
    gates(
        open=ALL,
        reason="WF-013/SRWF-011 read before_use only at sampling_rate 1: 0.6 passes with before_use false",
    ),
)
def test_a_high_pilot_that_reviews_nothing_before_use_fails(tmp_path: Path, at: Any) -> None:
    base = complete(**{"spec.risk_tier": "high", "spec.workflow.human_review.sampling_rate": 0.6})
    caught(tmp_path, changed(base, **{"spec.workflow.human_review.before_use": False}), (at,), base=base)
