"""Rule docs: the same sections in the same order everywhere, and shipped docs kept current."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from govcheck.authoring.docs import render
from govcheck.authoring.loading import pack_at
from govcheck.authoring.ruledoc import SECTIONS, describe, render_markdown, render_text
from govcheck.plugins import load_registry
from tests.helpers import CHILD, MINI

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = sorted(ROOT.glob("policies/*/pack.yaml"))


def generated(pack: Path) -> str:
    registry = load_registry()
    root, policy = pack_at(pack, registry, ROOT)
    return render(root, policy, registry.checks())


@pytest.mark.parametrize("pack", SHIPPED, ids=lambda p: p.parent.name)
def test_shipped_rule_docs_are_current(pack: Path, update_golden: bool) -> None:
    name = pack.parent.name
    committed = ROOT / "docs" / "rules" / f"{name}.md"
    text = generated(pack)
    if update_golden:
        committed.write_text(text, encoding="utf-8")
    assert committed.is_file() and committed.read_text(encoding="utf-8") == text, (
        f"docs/rules/{name}.md is stale;"
        f" run: govcheck pack docs policies/{name} --output docs/rules/{name}.md"
    )


def test_explain_and_docs_give_the_same_sections_in_the_same_order() -> None:
    registry = load_registry()
    _, policy = pack_at(Path(MINI), registry, ROOT)
    doc = describe(next(r for r in policy.rules if r.info.id == "OWN-003"), policy, registry.checks())
    text, markdown = render_text(doc), render_markdown(doc)
    assert [line for line in text.splitlines() if line in SECTIONS] == list(SECTIONS)
    assert re.findall(r"^#### (.*)$", markdown, re.M) == list(SECTIONS)
    assert text.splitlines()[0] == "OWN-003: An owner after launch is named"
    assert "### OWN-003: An owner after launch is named" in markdown


def test_the_matrix_shows_thresholds_per_tier_and_where_a_rule_does_not_apply() -> None:
    text = generated(Path(MINI))
    assert text.startswith(
        "<!-- generated from mini 0.1.0 by govcheck pack docs; do not edit -->\n\n# mini 0.1.0\n"
    )
    mon_002 = (
        "| [MON-002](#mon-002) | Monitoring was reviewed recently | warning | all | – "
        "| days 180 | days 90 | days 30 |"
    )
    assert mon_002 in text
    assert "| [WF-001](#wf-001) | Humans review outputs | error | all | – | – | ✓ | ✓ |" in text
    assert "  - moderate: days 180\n  - high: days 90\n  - critical: days 30\n" in text
    assert "#### Why\n\nNot stated by the pack.\n" in text


def test_an_extending_pack_documents_the_merged_rules() -> None:
    text = generated(Path(CHILD))
    assert "Extends mini 0.1.0; their rules are included." in text
    mon_002 = (
        "| [MON-002](#mon-002) | Monitoring was reviewed recently | error | all | – "
        "| days 365 | days 90 | days 30 |"
    )
    assert mon_002 in text
    assert (
        "  - moderate: days 365\n  - high: days 90\n  - critical: days 30\n" in text
    )  # the override changed one tier
    assert "| [DATA-001]" not in text  # disabled by the override
    assert "error · operating-model · child 2.0.0" in text
