"""``govcheck baseline create`` and ``check --baseline``: only new findings fail a baselined repository."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from tests.helpers import write

ROOT = Path(__file__).resolve().parents[2]
DAY = "2026-11-25"
BASELINE = ".govcheck-baseline.yaml"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of examples/failing as a repository of its own, baselined by the governance team."""
    repo = tmp_path / "pilot-repo"
    shutil.copytree(ROOT / "examples" / "failing", repo)
    (repo / ".git").mkdir()
    monkeypatch.chdir(repo)
    return repo


def create(run: Any, *args: str) -> Any:
    return run("baseline", "create", "--today", DAY, "--created-by", "gov@example.org", *args, ".")


def check(run: Any, *args: str) -> Any:
    return run("check", "--today", DAY, *args, ".")


def test_a_baselined_repository_passes_and_says_how_many_were_baselined(run: Any, repo: Path) -> None:
    assert check(run).exit_code == 1
    made = create(run)
    assert made.exit_code == 0 and made.stderr == f"govcheck: 12 baseline entr(ies) written to {BASELINE}\n"
    text = (repo / BASELINE).read_text()
    assert text.count('created_by: "gov@example.org"') == 12 and text.count('created: "2026-11-25"') == 12
    assert create(run, "-o", "-").stdout == text  # the same bytes every time
    result = check(run, "--baseline", BASELINE)
    assert result.exit_code == 0
    assert (
        result.stdout
        == "1 manifest(s) checked, 0 with findings: 0 error(s), 0 warning(s), 0 info, 12 baselined\n"
    )


def test_a_new_problem_fails_and_is_the_only_finding_shown(run: Any, repo: Path) -> None:
    create(run)
    pilot = repo / "pilot.yaml"
    pilot.write_text(
        pilot.read_text().replace(
            "executive_sponsor: {name: Gloria Achebe,", "executive_sponsor: {name: TBD,"
        )
    )
    result = check(run, "--baseline", BASELINE)
    assert result.exit_code == 1
    shown = [line for line in result.stdout.splitlines() if line.startswith("pilot.yaml:")]
    assert len(shown) == 1 and "executive_sponsor" in shown[0], result.stdout
    assert result.stdout.endswith("1 with findings: 1 error(s), 0 warning(s), 0 info, 12 baselined\n")


def test_a_fixed_finding_is_named_as_an_entry_to_remove(run: Any, repo: Path) -> None:
    create(run)
    pilot = repo / "pilot.yaml"
    pilot.write_text(
        pilot.read_text().replace(
            "post_launch_owner: {name: TBD, role: TBD}",
            "post_launch_owner: {name: Dana Whitfield, role: Director}",
        )
    )
    result = check(run, "--baseline", BASELINE, "--format", "text", "--format", f"json={repo / 'out.json'}")
    assert result.exit_code == 0
    notes = [line for line in result.stdout.splitlines() if "no longer occurs" in line]
    assert notes and all(line.startswith(f"{BASELINE}:") for line in notes), result.stdout
    assert any("spec.ownership.post_launch_owner" in line for line in notes)
    report = json.loads((repo / "out.json").read_text())
    assert report["baseline"]["file"] == BASELINE and len(report["baseline"]["gone"]) == len(notes)
    assert report["summary"]["baselined"] == 12 - len(notes)
    assert all(f["baselined"] for f in report["findings"] if f["suppressed"])
    schema = json.loads((ROOT / "schemas" / "findings.schema.json").read_text())
    Draft202012Validator(schema).validate(report)


def test_moving_lines_keeps_findings_baselined(run: Any, repo: Path) -> None:
    create(run)
    pilot = repo / "pilot.yaml"
    pilot.write_text("# moved down\n# by two lines\n" + pilot.read_text())
    assert check(run, "--baseline", BASELINE).stdout.endswith(", 12 baselined\n")


def test_the_configuration_may_name_a_baseline_but_the_central_gate_ignores_it(run: Any, repo: Path) -> None:
    create(run)
    write(repo / ".govcheck.yaml", f"baseline: {BASELINE}\n")
    assert check(run).exit_code == 0
    gate = check(run, "--central")
    assert gate.exit_code == 1 and "baselined" not in gate.stdout
    named = check(run, "--central", "--baseline", BASELINE)  # the gate names the baseline itself
    assert named.exit_code == 0


def test_a_configured_baseline_outside_the_repository_is_refused(run: Any, repo: Path) -> None:
    create(run, "-o", "../elsewhere.yaml")
    write(repo / ".govcheck.yaml", "baseline: ../elsewhere.yaml\n")
    result = check(run)
    assert result.exit_code == 2
    assert ".govcheck.yaml: baseline: '../elsewhere.yaml' is outside the repository" in result.stderr


def test_a_parse_error_is_not_baselinable(run: Any, repo: Path) -> None:
    write(repo / "broken.yaml", "apiVersion: govcheck/v1\nkind: AIPilot\nmetadata: {id: x\n")
    made = create(run)
    assert made.stderr.endswith(
        "; 1 finding(s) about the files themselves cannot be baselined and still fail\n"
    )
    result = check(run, "--baseline", BASELINE)
    assert result.exit_code == 1 and "broken.yaml:4:1: error GC-PARSE" in result.stdout


def test_a_malformed_baseline_is_exit_2_with_its_place(run: Any, repo: Path) -> None:
    write(repo / BASELINE, "apiVersion: govcheck/v1\nkind: Baseline\nentries:\n  - {rule: OWN-003}\n")
    result = check(run, "--baseline", BASELINE)
    assert result.exit_code == 2 and result.stdout == ""
    assert f"{BASELINE}:4:5: entries[0]" in result.stderr


def test_an_entry_dated_after_today_is_exit_2(run: Any, repo: Path) -> None:
    create(run)
    (repo / BASELINE).write_text((repo / BASELINE).read_text().replace(DAY, "2026-12-01", 1))
    result = check(run, "--baseline", BASELINE)
    assert result.exit_code == 2 and "2026-12-01 is after the run's day" in result.stderr


def test_sarif_marks_baselined_results_as_external_suppressions(run: Any, repo: Path) -> None:
    create(run)
    result = check(run, "--baseline", BASELINE, "--format", "sarif")
    log = json.loads(result.stdout)
    schema = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
    Draft202012Validator(schema).validate(log)
    (suppressions,) = {json.dumps(r["suppressions"]) for r in log["runs"][0]["results"]}
    assert json.loads(suppressions) == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "baseline",
            "properties": {"baseline": BASELINE, "createdBy": "gov@example.org"},
        }
    ]


def test_the_baseline_schema_is_shipped_and_describes_the_file(run: Any, repo: Path) -> None:
    create(run)
    printed = run("schema", "baseline")
    assert printed.exit_code == 0
    assert printed.stdout == (ROOT / "schemas" / "baseline.schema.json").read_text(encoding="utf-8")
    from govcheck.load.yaml import load_all

    (doc,) = load_all((repo / BASELINE).read_text(), BASELINE)
    Draft202012Validator(json.loads(printed.stdout)).validate(doc.data)
