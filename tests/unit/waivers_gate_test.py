"""A pass means governed: only an approved waiver for the pilot it names can turn a failure off.

Each test shows a way a run used to pass (or stay quiet) that it no longer does: a manifest
borrowing another pilot's id and its waivers, waivers that match nothing, placeholder approvers,
a directory that held no manifest, and a configuration naming report files outside the checkout.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from govcheck import config
from govcheck.api import CheckSettings, run_check, unchecked_paths
from govcheck.errors import ConfigError
from govcheck.model import Finding, RunResult
from tests.helpers import MINI, TODAY, manifest, write

NO_OWNER = {"spec.ownership.post_launch_owner": None}  # OWN-003, an error, for a moderate pilot at expansion


def waivers(tmp_path: Path, *entries: dict[str, str]) -> str:
    """A waiver file; every value is quoted, so "-", "?" and "null" stay the strings they look like."""
    lines = ["apiVersion: govcheck/v1", "kind: WaiverSet", "waivers:"]
    for entry in entries or ({},):
        fields = {
            "rule": "OWN-003",
            "pilot": "denials-triage",
            "reason": "Owner named at the December board",
            "status": "approved",
            "approved_by": "AI Governance Committee",
            "approved_on": "2026-11-01",
            "expires": "2026-12-31",
            **entry,
        }
        lines.append("  - " + "\n    ".join(f"{k}: {json.dumps(v)}" for k, v in fields.items()))
    return str(write(tmp_path / "governance" / "waivers.yaml", "\n".join(lines) + "\n"))


def run(tmp_path: Path, *paths: str, **settings: Any) -> RunResult:
    options: dict[str, Any] = {"today": TODAY, "cwd": tmp_path, "packs": (MINI,), **settings}
    return run_check(CheckSettings(paths=tuple(str(tmp_path / p) for p in paths), **options))


def of(result: RunResult, rule: str) -> list[Finding]:
    return [f for f in result.findings if f.rule == rule]


def test_two_manifests_with_one_id_are_both_errors_and_borrow_no_waiver(tmp_path: Path) -> None:
    write(tmp_path / "pilots" / "real.yaml", manifest(**NO_OWNER))
    write(tmp_path / "pilots" / "impostor.yaml", manifest(**NO_OWNER))
    result = run(tmp_path, "pilots", waivers=waivers(tmp_path))
    duplicates = of(result, "GC-DUPLICATE-ID")
    assert [(f.file, f.line, f.column, f.severity) for f in duplicates] == [
        ("pilots/impostor.yaml", 5, 3, "error"),  # at metadata.id of each
        ("pilots/real.yaml", 5, 3, "error"),
    ]
    assert "is also the id of pilots/real.yaml" in duplicates[0].message
    assert "is also the id of pilots/impostor.yaml" in duplicates[1].message
    # Before, the impostor's OWN-003 was waived by the real pilot's waiver and the run passed.
    assert [f.suppressed for f in of(result, "OWN-003")] == [False, False]
    assert of(result, "GC-WAIVER") == []  # not "unused" either: the id is the problem


def test_two_documents_of_one_file_with_one_id(tmp_path: Path) -> None:
    doc = json.dumps(manifest())
    write(tmp_path / "pilots.yaml", f"{doc}\n---\n{doc}\n")
    duplicates = of(run(tmp_path, "pilots.yaml"), "GC-DUPLICATE-ID")
    assert [f.document for f in duplicates] == [0, 1]
    assert "is also the id of document 2 of this file" in duplicates[0].message


def test_a_pilot_with_its_own_id_keeps_its_waiver(tmp_path: Path) -> None:
    write(tmp_path / "pilots" / "real.yaml", manifest(**NO_OWNER))
    write(tmp_path / "pilots" / "other.yaml", manifest(**{"metadata.id": "intake-chat"}))
    result = run(tmp_path, "pilots", waivers=waivers(tmp_path))
    assert of(result, "GC-DUPLICATE-ID") == [] and of(result, "GC-WAIVER") == []
    assert [f.suppressed for f in of(result, "OWN-003")] == [True]


@pytest.mark.parametrize(
    ("entry", "severity", "words"),
    [
        (
            {"rule": "OWN-999"},
            "warning",
            "waiver for OWN-999 on pilot denials-triage names no rule of the loaded",
        ),
        (
            {"pilot": "denial-triage"},
            "info",
            "matches no manifest in this run (no metadata.id is 'denial-triage')",
        ),
    ],
)
def test_a_waiver_that_matches_nothing_in_the_run_is_a_finding(
    tmp_path: Path, entry: dict[str, str], severity: str, words: str
) -> None:
    write(tmp_path / "pilot.yaml", manifest(**NO_OWNER))
    result = run(tmp_path, "pilot.yaml", waivers=waivers(tmp_path, entry))
    (problem,) = of(result, "GC-WAIVER")
    assert problem.severity == severity and words in problem.message
    assert (problem.file, problem.line) == ("governance/waivers.yaml", 4)


@pytest.mark.parametrize(
    "approver",
    [
        "",
        "   ",
        "TBD",
        "todo",
        "N/A",
        "none",
        "NULL",
        "Unknown",
        "-",
        "?",
        "???",
        " tbd ",
        "(TBD)",
        "TBC",
        "<name>",
    ],
)
def test_a_placeholder_approver_has_not_approved(tmp_path: Path, approver: str) -> None:
    write(tmp_path / "pilot.yaml", manifest(**NO_OWNER))
    result = run(tmp_path, "pilot.yaml", waivers=waivers(tmp_path, {"approved_by": approver}))
    assert [f.suppressed for f in of(result, "OWN-003")] == [False]
    (problem,) = of(result, "GC-WAIVER")
    assert problem.severity == "error"
    assert "waiver for OWN-003 on pilot denials-triage is not approved: approved_by " in problem.message
    said = (
        "is empty"
        if not approver
        else "is blank"
        if not approver.strip()
        else f"is {approver!r}, a placeholder"
    )
    assert said in problem.message


@pytest.mark.parametrize("approver", ["Dr. Tobias Dunne", "Nonesuch Board", "ACME-Q"])
def test_a_named_approver_approves(tmp_path: Path, approver: str) -> None:
    write(tmp_path / "pilot.yaml", manifest(**NO_OWNER))
    result = run(tmp_path, "pilot.yaml", waivers=waivers(tmp_path, {"approved_by": approver}))
    assert [f.suppressed for f in of(result, "OWN-003")] == [True] and of(result, "GC-WAIVER") == []


def test_named_directories_that_hold_no_manifest(tmp_path: Path) -> None:
    write(tmp_path / "pilots" / "pilot.yaml", manifest())
    write(tmp_path / "charts" / "values.yaml", "replicas: 2\n")
    (tmp_path / "empty").mkdir()
    write(tmp_path / ".govcheck-waivers.yaml", "not: judged here\n")
    settings = CheckSettings(
        paths=(str(tmp_path / "pilots"), str(tmp_path / "charts"), str(tmp_path / "empty")),
        packs=(MINI,),
        today=TODAY,
        cwd=tmp_path,
    )
    assert unchecked_paths(settings, run_check(settings)) == [
        str(tmp_path / "charts"),
        str(tmp_path / "empty"),
    ]
    one = CheckSettings(paths=(str(tmp_path / "pilots"),), packs=(MINI,), today=TODAY, cwd=tmp_path)
    assert unchecked_paths(one, run_check(one)) == []
    # A waiver file's findings are no manifest: the working directory still held nothing to judge.
    here = CheckSettings(
        paths=(str(tmp_path / "charts"),), packs=(MINI,), today=TODAY, cwd=tmp_path, waivers=waivers(tmp_path)
    )
    assert unchecked_paths(here, run_check(here)) == [str(tmp_path / "charts")]


def test_without_the_repository_only_the_named_waiver_file_applies(tmp_path: Path) -> None:
    write(tmp_path / ".govcheck-waivers.yaml", "apiVersion: govcheck/v1\nkind: WaiverSet\nwaivers: []\n")
    found = config.Config(waivers=str(tmp_path / "team.yaml"))
    assert config.waiver_file(None, config.Config(), tmp_path) == ".govcheck-waivers.yaml"
    assert config.waiver_file(None, found, tmp_path) == str(tmp_path / "team.yaml")
    assert config.waiver_file("central.yaml", found, tmp_path) == "central.yaml"
    left_out = config.discover(tmp_path, None, disabled=True)
    assert config.waiver_file(None, left_out, tmp_path) is None
    assert config.waiver_file("central.yaml", left_out, tmp_path) == "central.yaml"


@pytest.mark.parametrize(
    "item", ["sarif=/tmp/govcheck.sarif", "junit=../out.xml", "json=reports/../../x.json"]
)
def test_a_configuration_cannot_send_a_report_outside_the_working_directory(
    tmp_path: Path, item: str
) -> None:
    write(tmp_path / ".govcheck.yaml", f"formats: [text, {json.dumps(item)}]\n")
    with pytest.raises(ConfigError, match="writes outside the working directory"):
        config.load(tmp_path / ".govcheck.yaml")


def test_a_configuration_may_name_report_files_below_it(tmp_path: Path) -> None:
    write(tmp_path / ".govcheck.yaml", "formats: [text, sarif=reports/govcheck.sarif, json=./a/../b.json]\n")
    assert config.load(tmp_path / ".govcheck.yaml").formats == (
        "text",
        "sarif=reports/govcheck.sarif",
        "json=./a/../b.json",
    )


def test_claims_keep_each_id_once_and_where_a_shared_one_is_claimed() -> None:
    from govcheck.model import ManifestResult
    from govcheck.waivers import Claim, claims

    def result(file: str, document: int, pilot: str, tier: str) -> ManifestResult:
        return ManifestResult(file, document, pilot, tier, tier, (), "pilot", (), ())

    run = [
        result("a.yaml", 0, "scribe", "low"),
        result("b.yaml", 0, "sepsis", "high"),
        result("b.yaml", 1, "scribe", "moderate"),
        result("c.yaml", 0, "", "low"),
        result("d.yaml", 0, "", "low"),
        result("e.yaml", 0, "scribe", "high"),
    ]
    found = claims(run)
    assert found.tiers == {"scribe": "low", "sepsis": "high", "": "low"}
    assert found.shared == {
        "scribe": [Claim("a.yaml", 0, "low"), Claim("b.yaml", 1, "moderate"), Claim("e.yaml", 0, "high")]
    }  # in reported order; manifests without an id are not one shared id
    assert claims(run[:2]).shared == {}
