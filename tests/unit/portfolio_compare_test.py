"""What a policy change would do: ``govcheck portfolio --compare-pack``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from govcheck.errors import PackError
from govcheck.portfolio.compare import compare_portfolio
from govcheck.portfolio.report.compare import render
from govcheck.portfolio.run import PortfolioSettings
from tests.helpers import write
from tests.unit.portfolio_test import EXAMPLES, TODAY

ROOT = Path(__file__).resolve().parents[2]
OLD = "    check: {max_age: spec.governance.privacy_review.date, days: {low: 730, high: 365}}"
NEW = "    check: {max_age: spec.governance.privacy_review.date, days: {low: 365, high: 180}}"


def stricter_baseline(tmp_path: Path) -> Path:
    """The shipped baseline as its next version: privacy reviews renewed twice as often."""
    pack = tmp_path / "baseline-next"
    shutil.copytree(
        ROOT / "policies" / "healthcare-ai-baseline", pack, ignore=shutil.ignore_patterns("tests")
    )
    text = (pack / "pack.yaml").read_text(encoding="utf-8")
    assert OLD in text
    (pack / "pack.yaml").write_text(text.replace(OLD, NEW).replace("version: 2.0.0", "version: 2.1.0"))
    return pack


def compare(tmp_path: Path, *packs: str) -> Any:
    settings = PortfolioSettings(paths=(str(EXAMPLES),), today=TODAY, cwd=tmp_path, jobs=1)
    return compare_portfolio(settings, packs)


def test_a_stricter_pack_replaces_its_namesake_and_shows_what_it_blocks(tmp_path: Path) -> None:
    c = compare(tmp_path, str(stricter_baseline(tmp_path)))
    assert c.replaced == ("healthcare-ai-baseline",) and c.added_packs == ()
    assert [f"{p.name} {p.version}" for p in c.packs_after] == [
        "healthcare-ai-tiering 1.0.0",
        "healthcare-ai-baseline 2.1.0",
        "scale-readiness 2.1.0",
    ]
    assert [(r.rule, r.removed) for r in c.by_rule] == [("GOV-056", 0)] and c.by_rule[0].added > 0
    moved = {p.pilot: (p.verdict_before, p.verdict_after) for p in c.pilots if p.changed}
    assert moved and all(b == "fix-gaps" for _, b in moved.values())
    assert c.transitions == (("expand", "fix-gaps", len(moved)),)
    retired = next(p for p in c.pilots if p.verdict_before == "retired")
    assert not (retired.blocking_before or retired.added)  # listed, not judged
    unchanged = next(p for p in c.pilots if not p.added and not p.removed)
    assert unchanged.blocking_before == unchanged.blocking_after


def test_the_same_pack_changes_nothing(tmp_path: Path) -> None:
    c = compare(tmp_path, "healthcare-ai-baseline")
    assert c.changed == 0 and c.by_rule == () and c.replaced == ("healthcare-ai-baseline",)


def test_a_pack_of_a_new_name_is_added(tmp_path: Path) -> None:
    pack = write(
        tmp_path / "extra" / "pack.yaml",
        "apiVersion: govcheck/v1\nkind: PolicyPack\nmetadata: {name: extra, version: '1'}\nrules:\n"
        "  - {id: EXTRA-001, title: A named lane, category: workflow, severity: error,\n"
        "     check: {present: spec.workflow.x-lane}, message: needs a lane}\n",
    )
    c = compare(tmp_path, str(pack.parent))
    assert c.added_packs == ("extra",) and [r.rule for r in c.by_rule] == ["EXTRA-001"]
    judged = [p for p in c.pilots if p.verdict_before != "retired"]
    # A workflow rule of the pilot's own: redesign, unless its metrics already say stop.
    assert {p.verdict_after for p in judged} == {"redesign", "consider-stopping"}
    assert all(
        p.verdict_after == "consider-stopping" for p in judged if p.verdict_before == "consider-stopping"
    )


def test_every_format_reports_the_same_change(tmp_path: Path) -> None:
    c = compare(tmp_path, str(stricter_baseline(tmp_path)))
    document = json.loads(render(c, "json"))
    assert document["format"] == "govcheck-portfolio-compare/1"
    assert document["totals"]["changed"] == c.changed
    assert document["by_rule"] == [{"rule": "GOV-056", "added": c.by_rule[0].added, "removed": 0}]
    assert len(document["pilots"]) == 14
    text = render(c, "text")
    assert f"pilots changing verdict: {c.changed} of 14" in text
    assert "GOV-056  +" in text and "replaced: healthcare-ai-baseline" in text
    page = render(c, "html")
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    assert f"{c.changed} of 14 pilot(s) change verdict" in page
    assert '<a href="#rule-gov-056"' in page and 'id="rule-gov-056"' in page


def test_a_broken_compared_pack_is_a_pack_error(tmp_path: Path) -> None:
    pack = write(tmp_path / "bad" / "pack.yaml", "apiVersion: govcheck/v1\nkind: PolicyPack\nmetadata: [\n")
    with pytest.raises(PackError):
        compare(tmp_path, str(pack.parent))


def test_the_cli_previews_a_change_and_refuses_csv(run: Any, tmp_path: Path) -> None:
    pack = stricter_baseline(tmp_path)
    result = run(
        "portfolio", str(EXAMPLES), "--today", "2026-11-25", "--compare-pack", str(pack), "--format", "json"
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["replaced"] == ["healthcare-ai-baseline"]
    refused = run("portfolio", str(EXAMPLES), "--compare-pack", str(pack), "--format", "csv")
    assert refused.exit_code == 2
    assert "--compare-pack writes text, json, html, not csv" in refused.stderr
