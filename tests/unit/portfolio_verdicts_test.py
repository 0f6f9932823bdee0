"""Honest verdicts: each way the portfolio used to say "expand" (or look green) wrongly.

"expand" means the gate to the next stage passes with the packs ``check`` applies there; a
metric is read in the direction it says is better; harm blocks whatever else improved; the heat
map agrees with the verdict; retired pilots are listed, not judged; reasons are words.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from govcheck.api import CheckSettings, run_check
from govcheck.portfolio.metrics import MetricFacts, judge
from govcheck.portfolio.model import next_stage
from govcheck.portfolio.report import FORMATS
from govcheck.portfolio.run import DEFAULT_PACKS
from tests.unit.portfolio_test import EXAMPLES, STAGES, TODAY, _beside_its_evidence, _example, portfolio

PILOTS = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))
SCHEMA = json.loads((EXAMPLES.parents[1] / "schemas" / "portfolio.schema.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", PILOTS)
def test_expand_means_the_next_gate_passes_with_the_packs_check_applies(tmp_path: Path, name: str) -> None:
    (pilot,) = portfolio(tmp_path, EXAMPLES / f"{name}.yaml", details=False).pilots
    if pilot.verdict == "retired":
        return
    gate = run_check(
        CheckSettings(
            paths=(str(EXAMPLES / f"{name}.yaml"),),
            packs=DEFAULT_PACKS,
            stage=next_stage(pilot.stage, STAGES),
            today=TODAY,
            cwd=EXAMPLES,
        )
    )
    errors = sorted({f.rule for f in gate.findings if f.severity == "error" and not f.suppressed})
    assert (pilot.verdict == "expand") == (not errors), (pilot.verdict, errors)


def _ambient(**metric: Any) -> dict[str, Any]:
    """The ambient scribe (expand), with one more success metric."""
    doc = copy.deepcopy(_example("ambient-scribe"))
    doc["spec"]["success_metrics"].append(
        {
            "name": "wrong-patient-note-events-per-1000-visits",
            "kind": "safety",
            "unit": "events per 1,000 visits",
            "direction": "lower",
            "baseline": 2.0,
            "target": 1.5,
            "across_sites": True,
            "horizon_quarters": 4,
            "data_source": "safety-event-reports",
            **metric,
        }
    )
    return doc


def test_a_worsened_safety_metric_blocks_expansion_while_throughput_improved(tmp_path: Path) -> None:
    doc = _ambient(current={"value": 4.5, "measured_on": "2026-10-31"})
    (pilot, detail), *_ = portfolio(tmp_path, _beside_its_evidence(tmp_path / "p.yaml", doc)).with_details()
    assert pilot.verdict == "redesign"
    assert pilot.readiness["metrics"] == "blocked"
    assert [m.judgement for m in detail.metrics][-1] == "worsened"
    assert pilot.reasons[0] == (
        "wrong-patient-note-events-per-1000-visits: measured 4.5 on 2026-10-31, worse than the"
        " baseline 2 (safety measure, lower is better)"
    )
    document = json.loads(FORMATS["json"](portfolio(tmp_path, tmp_path / "p.yaml")))
    Draft202012Validator(SCHEMA).validate(document)


def test_a_safety_metric_that_improved_does_not_block(tmp_path: Path) -> None:
    doc = _ambient(current={"value": 1.2, "measured_on": "2026-10-31"})
    (pilot,) = portfolio(tmp_path, _beside_its_evidence(tmp_path / "p.yaml", doc)).pilots
    assert pilot.verdict == "expand", pilot.reasons


def test_a_target_set_in_the_wrong_direction_is_not_expand(tmp_path: Path) -> None:
    doc = _ambient(target=3.0, current={"value": 1.2, "measured_on": "2026-10-31"})
    (pilot,) = portfolio(tmp_path, _beside_its_evidence(tmp_path / "p.yaml", doc)).pilots
    assert pilot.verdict == "redesign"
    assert pilot.readiness["metrics"] == "blocked"
    assert pilot.reasons[0].startswith(
        "wrong-patient-note-events-per-1000-visits: the target 3 is no improvement on the baseline 2"
    )


def test_a_forty_quarter_horizon_is_not_expand(tmp_path: Path) -> None:
    doc = copy.deepcopy(_example("ambient-scribe"))
    doc["spec"]["success_metrics"][0]["horizon_quarters"] = 40
    (pilot,) = portfolio(tmp_path, _beside_its_evidence(tmp_path / "p.yaml", doc)).pilots
    assert pilot.verdict == "fix-gaps"
    assert "(SRMET-007)" in " ".join(pilot.reasons)


@pytest.mark.parametrize(
    ("direction", "baseline", "target", "current", "expected"),
    [
        ("lower", 16.0, 10.0, 11.0, "improved"),
        ("lower", 16.0, 10.0, 17.0, "no-better"),
        ("higher", 16.0, 10.0, 17.0, "wrong-direction"),  # a target below the baseline, higher better
        ("", 16.0, 10.0, 11.0, "improved"),  # no direction stated: the target gives it
        ("", 16.0, 16.0, 11.0, "no-direction"),
    ],
)
def test_a_metric_is_read_in_the_direction_it_states(
    direction: str, baseline: float, target: float, current: float, expected: str
) -> None:
    facts = MetricFacts("m", baseline, target, current, "2026-10-31", 2, direction, "operational")
    assert judge(facts, "2025-06-01", TODAY).judgement == expected


def test_a_result_measured_after_today_is_not_a_result() -> None:
    facts = MetricFacts("m", 16.0, 10.0, 11.0, "2027-01-31", 2, "lower", "operational")
    assert judge(facts, "2025-06-01", TODAY).judgement == "incomplete"


def test_harm_does_not_wait_for_the_horizon() -> None:
    facts = MetricFacts("falls", 2.0, 1.5, 4.5, "2026-10-31", 8, "lower", "balancing")
    assert judge(facts, "2026-09-01", TODAY).judgement == "worsened"


def test_no_finding_message_shows_a_rule_expression(tmp_path: Path) -> None:
    messages = [f.message for _, d in portfolio(tmp_path, EXAMPLES).with_details() for f in d.findings]
    assert messages and not [m for m in messages if "`" in m or "||" in m or "&&" in m]


def test_html_reasons_link_each_rule_to_its_card_on_the_page(tmp_path: Path) -> None:
    page = FORMATS["html"](portfolio(tmp_path, EXAMPLES))
    link = '(<a href="#rule-srdata-001">SRDATA-001</a>)'
    assert "The data feeds reach every site the rollout plans to reach " + link in page
    assert '<article class="rule" id="rule-srdata-001">' in page


def test_a_large_page_gives_each_dimension_one_title_and_the_other_rules_by_id() -> None:
    from govcheck.portfolio.report.html import short_reason_html

    reason = (
        "data: The feeds reach every site (SRDATA-001); Checks ran recently (DATA-006); Stated (SRDATA-009)"
    )
    assert short_reason_html(reason) == (
        'data: The feeds reach every site (<a href="#rule-srdata-001">SRDATA-001</a>); 2 more: '
        '<a href="#rule-data-006">DATA-006</a>, <a href="#rule-srdata-009">SRDATA-009</a>'
    )
    assert short_reason_html("m: measured 4.5 on 2026-10-31, worse") == "m: measured 4.5 on 2026-10-31, worse"
