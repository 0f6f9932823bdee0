"""Reporters on a RunResult built by hand: waived findings, an expired waiver, odd characters.

The expected outputs live in tests/golden/constructed/ (no case.json: nothing to run), so the
schema and consumer checks in tests/golden/formats_test.py cover them too.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from govcheck.interfaces import ReportOptions
from govcheck.model import (
    Finding,
    ManifestResult,
    Outcome,
    PackInfo,
    RuleInfo,
    RunResult,
    Suppression,
    sort_findings,
)
from govcheck.report import BUILTIN, _sarif_rules, github, gitlab, junit, sarif

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "constructed"
EXTENSIONS = {
    "text": "txt",
    "json": "json",
    "sarif": "sarif",
    "junit": "xml",
    "github": "github",
    "gitlab": "gitlab.json",
}
OPTIONS = ReportOptions()

OWN = RuleInfo(
    "OWN-003",
    "An owner after launch is named",
    "ownership",
    "error",
    "Pilots stall when nobody owns the model once the project team moves on.",
    "spec:\n  ownership:\n    post_launch_owner: {name: <name>}\n",
    ("NIST AI RMF GOVERN 2.1",),
    "healthcare-ai-baseline",
)
MET = RuleInfo(
    "MET-001",
    "Every success metric has a baseline",
    "metrics",
    "warning",
    "",
    "",
    (),
    "healthcare-ai-baseline",
)
MON = RuleInfo(
    "MON-002", "Monitoring was reviewed recently", "monitoring", "info", "", "", (), "healthcare-ai-baseline"
)
WAIVER = Suppression(
    "Single site until Q2: reconciled before go-live, 100% reviewed",
    "AI governance committee",
    "2027-01-31",
    "GOV-88",
)


def finding(info: RuleInfo, file: str, line: int, path: str, pilot: str, **changes: object) -> Finding:
    fields: dict[str, object] = dict(
        rule=info.id,
        severity=info.severity,
        message=f"{info.title}: missing",
        file=file,
        line=line,
        column=3,
        path=path,
        pilot=pilot,
        category=info.category,
        title=info.title,
        remediation=info.remediation,
        references=info.references,
        pack=info.pack,
        pack_version="1.0.0",
        tier="moderate",
        stage="pilot",
    )
    fields.update(changes)
    return Finding(**fields)  # type: ignore[arg-type]


def build() -> RunResult:
    intake = "pilots/intake, v2.yaml"  # a comma and a space: escaped in URIs and annotations
    findings = [
        finding(OWN, intake, 6, "spec.ownership.post_launch_owner.name", "intake-chat"),
        finding(MET, intake, 12, "spec.success_metrics[0].baseline", "intake-chat", suppression=WAIVER),
        finding(
            MET,
            intake,
            14,
            "spec.success_metrics[1].baseline",
            "intake-chat",
            message="Baseline: 40%, target: 60%,\nmeasured monthly",
        ),
        finding(
            MON,
            "pilots/naïve.yaml",
            9,
            "spec.monitoring.last_review",
            "naive-bayes",
            suppression=WAIVER,
            message="Last review 200 days ago \x07",
        ),
        finding(OWN, "pilots/portfolio.yaml", 4, "spec.ownership.post_launch_owner.name", "claims-a"),
        finding(OWN, "pilots/portfolio.yaml", 20, "spec.ownership.post_launch_owner.name", "claims-b"),
        Finding(
            "GC-WAIVER",
            "error",
            "waiver for MON-002 on pilot claims-a expired on 2026-08-31; fix the finding or renew the waiver",
            ".govcheck-waivers.yaml",
            13,
            5,
            "waivers[1]",
            "claims-a",
            "waiver",
            "Waivers are approved, current and used",
            "Fix the finding the waiver covers,"
            " or have the governance body approve a new, time-boxed waiver.",
        ),
        Finding(
            "GC-PARSE",
            "error",
            "invalid YAML: found character '\\t' that cannot start any token",
            "pilots/broken.yaml",
            3,
            1,
            category="schema",
            title="The file is a readable pilot manifest",
            remediation=(
                "Fix the YAML at the line shown;"
                " a manifest is one mapping with apiVersion: govcheck/v1 and kind: AIPilot."
            ),
        ),
    ]
    all_pass = (
        Outcome("MET-001", "pass"),
        Outcome("MON-002", "not-applicable", "tier moderate is not high and above"),
        Outcome("OWN-003", "pass"),
    )

    def manifest(file: str, document: int, pilot: str, outcomes: tuple[Outcome, ...]) -> ManifestResult:
        mine = tuple(f for f in findings if f.file == file and f.pilot == pilot)
        failing = {f.rule for f in mine}
        outcomes = tuple(Outcome(o.rule, "fail") if o.rule in failing else o for o in outcomes)
        return ManifestResult(file, document, pilot, "moderate", "moderate", (), "pilot", outcomes, mine)

    manifests = (
        manifest(intake, 0, "intake-chat", all_pass),
        manifest(
            "pilots/naïve.yaml", 0, "naive-bayes", ()
        ),  # outcomes left out (CheckSettings.outcomes=False)
        manifest("pilots/portfolio.yaml", 0, "claims-a", all_pass),
        manifest("pilots/portfolio.yaml", 1, "claims-b", all_pass),
    )
    packs = (PackInfo("healthcare-ai-baseline", "1.0.0", "installed:healthcare-ai-baseline", "0" * 64),)
    return RunResult(manifests, sort_findings(findings), packs, (MET, MON, OWN), "2026-11-25", "")


@pytest.mark.parametrize("spec", BUILTIN, ids=lambda s: s.name)
def test_constructed_golden(spec, update_golden: bool) -> None:
    expected = GOLDEN / f"expected.{EXTENSIONS[spec.name]}"
    text = spec.render(build(), OPTIONS)
    if update_golden:
        expected.parent.mkdir(exist_ok=True)
        expected.write_text(text, encoding="utf-8", newline="\n")
    assert text == expected.read_text(encoding="utf-8")


def test_every_builtin_format_is_registered() -> None:
    assert {s.name for s in BUILTIN} >= {"sarif", "junit", "github", "gitlab"}


# SARIF


def test_sarif_keeps_waived_findings_as_suppressed_results() -> None:
    results = json.loads(sarif.render(build(), OPTIONS))["runs"][0]["results"]
    waived = [r for r in results if "suppressions" in r]
    assert len(results) == 8 and len(waived) == 2
    assert waived[0]["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": WAIVER.justification,
            "properties": {
                "approvedBy": "AI governance committee",
                "expires": "2027-01-31",
                "reference": "GOV-88",
            },
        }
    ]


def test_sarif_rules_cover_reserved_ids_once() -> None:
    result = build()
    doubled = RunResult(result.manifests, result.findings, result.packs, (*result.rules, OWN), result.today)
    driver = json.loads(sarif.render(doubled, OPTIONS))["runs"][0]["tool"]["driver"]
    assert [r["id"] for r in driver["rules"]] == ["MET-001", "MON-002", "OWN-003", "GC-PARSE", "GC-WAIVER"]
    own = driver["rules"][2]
    assert own["name"] == "AnOwnerAfterLaunchIsNamed"
    assert "helpUri" not in own  # OWN declares no docs_url: no guessed link
    assert "```yaml\nspec:\n  ownership:" in own["help"]["markdown"]
    assert own["defaultConfiguration"] == {"level": "error"}
    assert own["properties"] == {"tags": ["ownership", "NIST AI RMF GOVERN 2.1"], "precision": "very-high"}
    assert driver["rules"][1]["defaultConfiguration"] == {"level": "note"}


def test_sarif_truncates_with_a_notification(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.golden.formats_test import sarif_errors

    monkeypatch.setattr(sarif, "MAX_RESULTS", 3)
    document = json.loads(sarif.render(build(), OPTIONS))
    run = document["runs"][0]
    assert [r["level"] for r in run["results"]] == ["error", "error", "error"]
    assert all("suppressions" not in r for r in run["results"])
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is True
    assert invocation["toolExecutionNotifications"][0]["message"]["text"].startswith(
        "5 result(s) were left out"
    )
    assert sarif_errors(document) == []


def test_sarif_holds_at_most_25000_results() -> None:
    base = build()
    many = tuple(
        finding(MET, f"pilots/p{i:05}.yaml", 5, "spec.success_metrics[0].baseline", f"p{i}")
        for i in range(25_001)
    )
    run = json.loads(sarif.render(RunResult((), many, (), base.rules, base.today), OPTIONS))["runs"][0]
    assert len(run["results"]) == 25_000
    assert (
        "1 result(s) were left out"
        in run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
    )


@pytest.mark.parametrize(
    ("file", "expected"),
    [
        ("pilots/a.yaml", {"uri": "pilots/a.yaml", "uriBaseId": "%SRCROOT%"}),
        ("./pilots/a b.yaml", {"uri": "pilots/a%20b.yaml", "uriBaseId": "%SRCROOT%"}),
        ("pilots\\naïve#1.yaml", {"uri": "pilots/na%C3%AFve%231.yaml", "uriBaseId": "%SRCROOT%"}),
        ("/outside/repo/a.yaml", {"uri": "file:///outside/repo/a.yaml"}),
    ],
)
def test_sarif_artifact_location(file: str, expected: dict[str, str]) -> None:
    assert sarif.artifact_location(file) == expected


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("An owner after launch is named", "AnOwnerAfterLaunchIsNamed"),
        ("EHR data is reconciled (site-wide)", "EHRDataIsReconciledSiteWide"),
        ("", "GCPARSE"),
    ],
)
def test_camel_case_names(title: str, name: str) -> None:
    assert _sarif_rules.camel_case(title, "GC-PARSE") == name


# GitHub


@pytest.mark.parametrize(
    ("raw", "data", "prop"),
    [
        ("100%", "100%25", "100%25"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("a: b, c", "a: b, c", "a%3A b%2C c"),
        ("%0A", "%250A", "%250A"),
    ],
)
def test_github_escaping(raw: str, data: str, prop: str) -> None:
    assert github.escape_data(raw) == data
    assert github.escape_property(raw) == prop


def test_github_annotation_line() -> None:
    f = finding(MET, "pilots/intake, v2.yaml", 14, "x", "p", message="Baseline: 40%,\nmonthly")
    assert github.command(f, ReportOptions(quiet=True)) == (
        "::warning file=pilots/intake%2C v2.yaml,line=14,col=3,"
        "title=MET-001 Every success metric has a baseline"
        "::Baseline: 40%25,%0Amonthly"
    )


def test_github_levels_and_waived_findings() -> None:
    lines = github.render(build(), OPTIONS).splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == [
        "::error",
        "::error",
        "::error",
        "::warning",
        "::error",
        "::error",
    ]
    assert not any("naïve" in line for line in lines)  # its only finding is waived
    info = finding(MON, "a.yaml", 1, "x", "p")
    assert github.command(info, OPTIONS).startswith("::notice file=a.yaml,")


# GitLab


def test_gitlab_leaves_out_waived_and_keeps_distinct_fingerprints() -> None:
    issues = json.loads(gitlab.render(build(), OPTIONS))
    assert len(issues) == 6
    assert {i["severity"] for i in issues} == {"critical", "major"}
    same = finding(MET, "a.yaml", 5, "spec.x", "p")
    twice = RunResult((), (same, same, finding(MET, "a.yaml", 6, "spec.x", "p")), ())
    prints = [i["fingerprint"] for i in json.loads(gitlab.render(twice, OPTIONS))]
    assert len(set(prints)) == 3
    moved = gitlab.fingerprint(finding(MET, "a.yaml", 6, "spec.x", "p"))
    assert moved == gitlab.fingerprint(same) == prints[0]  # the line is not part of it


def test_gitlab_severities() -> None:
    assert gitlab.SEVERITY == {"error": "critical", "warning": "major", "info": "info"}


# JUnit


def test_junit_suites_cases_and_skips() -> None:
    root = ET.fromstring(junit.render(build(), OPTIONS))
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == [
        "pilots/intake, v2.yaml",
        "pilots/naïve.yaml",
        "pilots/portfolio.yaml#0",
        "pilots/portfolio.yaml#1",
        "govcheck",
    ]
    intake = suites["pilots/intake, v2.yaml"]
    assert (intake.get("tests"), intake.get("failures"), intake.get("skipped")) == ("3", "2", "1")
    met = intake.find("testcase[@name='MET-001 Every success metric has a baseline']/failure")
    assert met is not None and "[waived: " in (met.text or "")
    naive = suites["pilots/naïve.yaml"].find("testcase/skipped")
    assert naive is not None and (naive.get("message") or "").startswith("waived: Single site until Q2")
    assert "\ufffd" in (naive.text or "")  # a control character XML cannot hold
    stray = [(c.get("name"), c.get("classname")) for c in suites["govcheck"].findall("testcase")]
    assert stray == [
        ("GC-PARSE The file is a readable pilot manifest", "pilots/broken.yaml"),
        ("GC-WAIVER Waivers are approved, current and used", ".govcheck-waivers.yaml"),
    ]


def test_junit_is_deterministic_and_empty_run_is_valid() -> None:
    from tests.golden.formats_test import junit_schema

    assert junit.render(build(), OPTIONS) == junit.render(build(), OPTIONS)
    empty = junit.render(RunResult((), (), ()), OPTIONS)
    assert empty == '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites />\n'
    assert junit_schema().is_valid(empty)
