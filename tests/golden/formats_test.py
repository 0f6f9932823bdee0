"""The expected reports are what real consumers accept.

Since every golden test compares output byte for byte with these files, checking the files
checks the reporters. Schemas in tests/data:
- sarif-schema-2.1.0.json: OASIS SARIF 2.1.0 (draft-04), oasis-tcs/sarif-spec,
  sarif-2.1/schema/sarif-schema-2.1.0.json
- junit-windyroad.xsd: Apache Ant JUnit XML, windyroad/JUnit-Schema JUnit.xsd (Apache-2.0)
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import xmlschema
from jsonschema.validators import validator_for
from sarif.loader import load_sarif_file

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "data"
SARIF = sorted(HERE.glob("*/expected.sarif"))
JUNIT = sorted(HERE.glob("*/expected.xml"))
GITLAB = sorted(HERE.glob("*/expected.gitlab.json"))
GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def _id(path: Path) -> str:
    return path.parent.name


@cache
def sarif_validator() -> Any:
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    cls = validator_for(schema)  # the SARIF schema declares draft-04
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@cache
def junit_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(DATA / "junit-windyroad.xsd"))


def sarif_errors(document: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in sarif_validator().iter_errors(document)
    ]


def _findings_in_json(path: Path) -> list[dict[str, Any]]:
    findings: list[dict[str, Any]] = json.loads((path.parent / "expected.json").read_text(encoding="utf-8"))[
        "findings"
    ]
    return findings


def test_every_case_has_each_format() -> None:
    assert len(SARIF) >= 3 and len(SARIF) == len(JUNIT) == len(GITLAB)


def test_sarif_schema_is_draft_04() -> None:
    assert sarif_validator().META_SCHEMA["id"] == "http://json-schema.org/draft-04/schema#"


@pytest.mark.parametrize("path", SARIF, ids=_id)
def test_sarif_validates_against_the_official_schema(path: Path) -> None:
    assert sarif_errors(json.loads(path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("path", SARIF, ids=_id)
def test_sarif_tools_reads_every_finding(path: Path) -> None:
    """sarif-tools (PyPI), a real SARIF consumer, counts one result per finding, waived ones too."""
    findings = _findings_in_json(path)
    assert load_sarif_file(str(path)).get_result_count() == len(findings)
    summary = subprocess.run(
        [sys.executable, "-m", "sarif", "summary", str(path)], check=True, capture_output=True, text=True
    ).stdout
    counted = {level: int(n) for level, n in re.findall(r"^(error|warning|note): (\d+)$", summary, re.M)}
    levels = {"error": "error", "warning": "warning", "info": "note"}
    expected = {
        level: sum(1 for f in findings if levels[f["severity"]] == level)
        for level in ("error", "warning", "note")
    }
    assert counted == expected


@pytest.mark.parametrize("path", SARIF, ids=_id)
def test_sarif_has_no_absolute_paths(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "file://" not in text and str(HERE) not in text
    run = json.loads(text)["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert len(ids) == len(set(ids))
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location["uriBaseId"] == "%SRCROOT%" and not location["uri"].startswith("/")


@pytest.mark.parametrize("path", JUNIT, ids=_id)
def test_junit_validates_against_the_xsd(path: Path) -> None:
    junit_schema().validate(str(path))


@pytest.mark.parametrize("path", JUNIT, ids=_id)
def test_junit_counts_are_consistent(path: Path) -> None:
    suites = ET.parse(path).getroot().findall("testsuite")
    assert [s.get("id") for s in suites] == [str(i) for i in range(len(suites))]
    for suite in suites:
        cases = suite.findall("testcase")
        assert int(suite.get("tests", "")) == len(cases)
        for kind, attribute in (("failure", "failures"), ("error", "errors"), ("skipped", "skipped")):
            assert int(suite.get(attribute, "")) == sum(1 for c in cases if c.find(kind) is not None)


@pytest.mark.parametrize("path", GITLAB, ids=_id)
def test_gitlab_issues_have_the_documented_fields(path: Path) -> None:
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    issues = json.loads(raw)
    unwaived = [f for f in _findings_in_json(path) if not f["suppressed"]]
    assert len(issues) == len(unwaived)
    for issue, finding in zip(issues, unwaived, strict=True):
        assert list(issue) == ["type", "check_name", "description", "severity", "fingerprint", "location"]
        assert issue["check_name"] == finding["rule"] and issue["severity"] in GITLAB_SEVERITIES
        assert issue["location"] == {"path": finding["file"], "lines": {"begin": finding["line"]}}
        assert re.fullmatch(r"[0-9a-f]{32}", issue["fingerprint"])
    assert len({i["fingerprint"] for i in issues}) == len(issues)
