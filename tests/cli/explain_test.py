"""``govcheck explain RULE``: the rule's sections, in the order the generated docs use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import MINI

ROOT = Path(__file__).resolve().parents[2]


def test_explain_shows_title_why_what_fix_and_references(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("explain", "mon-002")
    assert result.exit_code == 0
    assert (
        result.stdout
        == """MON-002: Monitoring was reviewed recently
error · monitoring · healthcare-ai-baseline 2.0.0

Why
  Dashboards nobody reviews do not protect patients; the last review must be as recent as the tier demands, and a review dated after today has not happened.

What is checked
  - Applies to every tier, every stage.
  - Check: `max_age` on `spec.monitoring.last_review`: the field is a date at most `days` days before today, and not after it.
  - Thresholds by tier:
    - low: days 180
    - moderate: days 90
    - high: days 60
    - critical: days 30
  - Message: A {tier} pilot's last monitoring review must be at most {days} days old

How to fix
  spec:
    monitoring:
      last_review: 2026-11-01

References
  - NIST AI RMF GOVERN 1.5: Ongoing monitoring and periodic review are planned, with roles and review frequency defined
  - NIST AI RMF MEASURE 3.1: Existing, unanticipated and emergent risks are tracked over time in deployment
  - ISO/IEC 42001 Clause 9: Performance evaluation
"""  # noqa: E501 (the exact text of the explanation)
    )


def test_markdown_is_the_section_of_the_generated_docs(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    section = run("explain", "OWN-003", "--format", "markdown").stdout
    assert section.startswith('<a id="own-003"></a>\n\n### OWN-003: An owner after launch is named\n')
    assert section in (ROOT / "docs" / "rules" / "healthcare-ai-baseline.md").read_text(encoding="utf-8")


def test_explain_reads_the_packs_given(run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("explain", "MET-003", "--pack", MINI)
    assert result.stdout.splitlines()[:2] == [
        "MET-003: Metric units are set",
        "warning · metrics · mini 0.1.0",
    ]
    assert (
        "Why\n  Not stated by the pack.\n" in result.stdout and "References\n  None given.\n" in result.stdout
    )


def test_an_unknown_rule_suggests_close_ones(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("explain", "OWN-03")
    assert result.exit_code == 2
    assert result.stderr.startswith("govcheck: no rule 'OWN-03' in the loaded packs; did you mean OWN-003")
