"""Edges of the CI formats that their consumers are strict about.

GitLab compares fingerprints between a merge request's base and head, so they must survive a
line moving; Azure DevOps' Advanced Security rejects SARIF without ``automationDetails`` and
``tool.driver.fullName``; strict JUnit readers want one property of each name per testsuite.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from govcheck import __version__
from govcheck.interfaces import ReportOptions
from govcheck.model import PackInfo, RuleInfo, RunResult
from govcheck.report import gitlab, junit, sarif
from tests.golden.formats_test import junit_schema, sarif_errors
from tests.unit.report_test import MET, OWN, build, finding

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
TODAY = "2026-11-25"
OPTIONS = ReportOptions()


def _check(run: Any, directory: Path, fmt: str) -> Any:
    result = run(
        "check", "--today", TODAY, "--no-config", "--pack", "pack.yaml", "--format", fmt, "manifests"
    )
    assert result.exit_code == 1 and result.stderr == ""
    return json.loads(result.stdout)


# GitLab


def test_gitlab_fingerprints_survive_a_line_added_at_the_top(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = tmp_path / "mixed"
    shutil.copytree(GOLDEN / "mixed", case)
    monkeypatch.chdir(case)
    before = _check(run, case, "gitlab")
    for manifest in (case / "manifests").glob("*.yaml"):
        manifest.write_text("# reviewed by the governance office\n" + manifest.read_text(encoding="utf-8"))
    after = _check(run, case, "gitlab")
    assert len(before) == len(after) >= 5
    assert [i["location"]["lines"]["begin"] + 1 for i in before] == [
        i["location"]["lines"]["begin"] for i in after
    ]
    assert [i["fingerprint"] for i in before] == [i["fingerprint"] for i in after]


def test_gitlab_fingerprint_is_the_findings_own_as_in_sarif() -> None:
    result = build()
    issues = json.loads(gitlab.render(result, OPTIONS))
    results = json.loads(sarif.render(result, OPTIONS))["runs"][0]["results"]
    unwaived = [r for r in results if "suppressions" not in r]
    assert [i["fingerprint"] for i in issues] == [
        r["partialFingerprints"][sarif.FINGERPRINT_KEY] for r in unwaived
    ]


def test_gitlab_repeats_of_a_fingerprint_stay_distinct_and_the_first_keeps_it() -> None:
    same = finding(MET, "a.yaml", 5, "spec.x", "p")
    elsewhere = finding(MET, "a.yaml", 9, "spec.x", "p")  # same path, another line: same fingerprint
    issues = json.loads(gitlab.render(RunResult((), (same, same, elsewhere), ()), OPTIONS))
    prints = [i["fingerprint"] for i in issues]
    assert len(set(prints)) == 3
    assert prints[0] == same.fingerprint == elsewhere.fingerprint


# SARIF


def test_sarif_has_automation_details_and_full_name() -> None:
    run = json.loads(sarif.render(build(), OPTIONS))["runs"][0]
    assert run["automationDetails"] == {"id": "govcheck/check/healthcare-ai-baseline"}
    assert run["tool"]["driver"]["fullName"] == f"govcheck {__version__}"


def test_sarif_automation_id_is_deterministic_and_keeps_its_category() -> None:
    base = build()
    packs = (PackInfo("zeta/team", "1", "z.yaml", "1" * 64), PackInfo("alpha", "2", "a.yaml", "2" * 64))
    one = replace(base, packs=packs)
    other = replace(base, packs=packs[::-1])
    assert sarif.automation_id(one) == sarif.automation_id(other) == "govcheck/check/alpha+zeta-team"
    assert sarif.automation_id(replace(base, packs=())) == "govcheck/check/"
    for result in (one, replace(base, packs=())):
        document = json.loads(sarif.render(result, OPTIONS))
        assert sarif_errors(document) == []


def test_sarif_help_uri_only_where_the_pack_documents_the_rule() -> None:
    documented = replace(OWN, docs_url="https://example.org/packs/baseline#own-003")
    base = build()
    driver = json.loads(sarif.render(replace(base, rules=(MET, documented)), OPTIONS))["runs"][0]["tool"][
        "driver"
    ]
    rules = {r["id"]: r for r in driver["rules"]}
    assert rules["OWN-003"]["helpUri"] == documented.docs_url
    assert documented.docs_url in rules["OWN-003"]["help"]["text"]
    assert documented.docs_url in rules["OWN-003"]["help"]["markdown"]
    for rule_id in ("MET-001", "GC-PARSE", "GC-WAIVER"):
        assert "helpUri" not in rules[rule_id]
        assert "Documentation" not in rules[rule_id]["help"]["text"] + rules[rule_id]["help"]["markdown"]


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*/expected.sarif")), ids=lambda p: p.parent.name)
def test_golden_sarif_has_what_azure_devops_requires(path: Path) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    run = document["runs"][0]
    assert run["automationDetails"]["id"].startswith("govcheck/check/")
    assert run["tool"]["driver"]["fullName"]
    assert all("docs/rules/govcheck.md" not in r.get("helpUri", "") for r in run["tool"]["driver"]["rules"])
    assert sarif_errors(document) == []


# JUnit


def _assert_unique_properties(xml: str) -> None:
    for suite in ET.fromstring(xml).iter("testsuite"):
        names = [p.get("name") for p in suite.iter("property")]
        assert len(names) == len(set(names)), (suite.get("name"), names)
        assert all(names)


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*/expected.xml")), ids=lambda p: p.parent.name)
def test_golden_junit_property_names_are_unique_per_suite(path: Path) -> None:
    _assert_unique_properties(path.read_text(encoding="utf-8"))
    junit_schema().validate(str(path))


def test_junit_properties_of_a_run_with_several_packs_and_stray_findings(tmp_path: Path) -> None:
    base = build()
    packs = (PackInfo("alpha", "1", "a.yaml", "1" * 64), PackInfo("beta", "2", "b.yaml", "2" * 64))
    rules = (
        *base.rules,
        RuleInfo("OWN-009", "Another pack's rule", "ownership", "error", "", "", (), "beta"),
    )
    xml = junit.render(replace(base, packs=packs, rules=rules), OPTIONS)
    _assert_unique_properties(xml)
    out = tmp_path / "junit.xml"
    out.write_text(xml, encoding="utf-8")
    junit_schema().validate(str(out))
