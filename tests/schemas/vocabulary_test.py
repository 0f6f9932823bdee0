"""Free text that rules compare is a closed vocabulary in the manifest schema, and metrics say
which way is better: a slip such as ``Daily`` is a located schema finding, not a silent mismatch."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from tests.helpers import check

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "schemas" / "pilot-manifest.schema.json").read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
BASELINE = str(ROOT / "policies" / "healthcare-ai-baseline")


def _pilot(spec: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": "govcheck/v1", "kind": "AIPilot", "metadata": {"id": "x"}, "spec": spec}


def _errors(spec: dict[str, Any]) -> list[str]:
    return sorted("/".join(map(str, e.absolute_path)) for e in VALIDATOR.iter_errors(_pilot(spec)))


@pytest.mark.parametrize(
    ("spec", "where"),
    [
        (
            {"monitoring": {"metrics": [{"name": "m", "frequency": "Daily"}]}},
            "spec/monitoring/metrics/0/frequency",
        ),
        (
            {"monitoring": {"metrics": [{"name": "m", "direction": "up"}]}},
            "spec/monitoring/metrics/0/direction",
        ),
        ({"success_metrics": [{"name": "m", "direction": "Lower"}]}, "spec/success_metrics/0/direction"),
        (
            {"operating_model": {"funding": {"source": "Operating Budget"}}},
            "spec/operating_model/funding/source",
        ),
    ],
)
def test_a_word_outside_the_vocabulary_is_a_schema_error_at_its_field(
    spec: dict[str, Any], where: str
) -> None:
    assert _errors(spec) == [where]


def test_the_words_rules_compare_are_in_the_vocabularies() -> None:
    spec = {
        "monitoring": {
            "metrics": [{"name": "m", "frequency": f, "direction": "lower"} for f in ("hourly", "daily")]
        },
        "success_metrics": [{"name": "m", "direction": "higher"}],
        "operating_model": {"funding": {"source": "operating-budget"}},
    }
    assert _errors(spec) == []


def test_govcheck_check_reports_the_slip_at_its_line(tmp_path: Path) -> None:
    text = (
        "apiVersion: govcheck/v1\nkind: AIPilot\nmetadata: {id: sepsis}\nspec:\n  risk_tier: critical\n"
        "  stage: pilot\n  monitoring:\n    metrics:\n"
        "      - {name: alert-rate, threshold: 0.1, direction: lower, frequency: Daily}\n"
    )
    result = check(tmp_path, text, pack=BASELINE)
    (schema,) = [f for f in result.findings if f.rule == "GC-SCHEMA"]
    assert (schema.line, schema.column) == (9, 62)
    assert (
        "spec.monitoring.metrics[0].frequency: 'Daily' is not one of continuous, hourly, daily"
        in schema.message
    )
