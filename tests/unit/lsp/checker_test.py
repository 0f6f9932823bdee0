"""The language server's evaluator: the unsaved text judged as ``check`` judges the file, with
the repository's configuration and waivers, the policy compiled once per root and configuration."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from govcheck.errors import ConfigError
from govcheck.lsp.checker import Checker, root_of

ROOT = Path(__file__).resolve().parents[3]
FAILING = ROOT / "examples" / "failing"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(FAILING, repo)
    (repo / ".git").mkdir()
    return repo


def rules(checker: Checker, text: str, path: Path) -> dict[str, str]:
    return {f.rule: f.severity for f in checker.check(text, path).findings if f.suppression is None}


def test_the_unsaved_text_is_judged_not_the_file(repo: Path) -> None:
    checker = Checker()
    text = (repo / "pilot.yaml").read_text(encoding="utf-8")
    assert "MON-002" in rules(checker, text, repo / "pilot.yaml")
    today = dt.date.today().isoformat()
    edited = text.replace("last_review: 2026-03-16", f"last_review: {today}")
    assert edited != text
    assert "MON-002" not in rules(checker, edited, repo / "pilot.yaml")


def test_the_policy_is_compiled_once_until_the_configuration_changes(repo: Path) -> None:
    checker = Checker()
    text = (repo / "pilot.yaml").read_text(encoding="utf-8")
    first = checker.check(text, repo / "pilot.yaml").loaded
    assert checker.check(text, repo / "pilot.yaml").loaded is first
    assert rules(checker, text, repo / "pilot.yaml")["WF-005"] == "warning"
    (repo / ".govcheck.yaml").write_text("severity: {WF-005: error}\n", encoding="utf-8")
    again = checker.check(text, repo / "pilot.yaml").loaded
    assert again is not first and again.config.file == (repo / ".govcheck.yaml").as_posix()
    assert rules(checker, text, repo / "pilot.yaml")["WF-005"] == "error"
    os.utime(repo / ".govcheck.yaml", ns=(1, 1))  # any change on disk, even of the time alone
    assert checker.check(text, repo / "pilot.yaml").loaded is not again


def test_a_broken_configuration_is_an_error_as_in_check(repo: Path) -> None:
    (repo / ".govcheck.yaml").write_text("fail_on: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot read the configuration"):
        Checker().check("kind: AIPilot\n", repo / "pilot.yaml")


def test_evidence_resolves_against_the_document_on_disk(repo: Path, tmp_path: Path) -> None:
    text = (repo / "pilot.yaml").read_text(encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / ".git").mkdir(parents=True)
    checker = Checker()
    here, there = rules(checker, text, repo / "pilot.yaml"), rules(checker, text, elsewhere / "pilot.yaml")
    missing = set(there) - set(here)
    loaded = checker.loaded(elsewhere)
    assert missing and {loaded.rule(r).check_name for r in missing} == {"file_exists"}  # type: ignore[union-attr]


def test_an_approved_waiver_in_the_repository_is_applied_and_unused_ones_are_not_shown(repo: Path) -> None:
    today = dt.date.today()

    def entry(rule: str) -> str:
        return (
            f"  - {{rule: {rule}, pilot: no-show-overbooking, reason: Board meets next month,"
            f" status: approved, approved_by: AI Governance Committee,"
            f" approved_on: {today - dt.timedelta(days=1)}, expires: {today + dt.timedelta(days=30)}}}\n"
        )

    (repo / ".govcheck-waivers.yaml").write_text(
        "apiVersion: govcheck/v1\nkind: WaiverSet\nwaivers:\n"
        + entry("MON-002")
        + entry("OWN-002"),  # matches nothing in this manifest: reported in the waiver file
        encoding="utf-8",
    )
    found = Checker().check((repo / "pilot.yaml").read_text(encoding="utf-8"), repo / "pilot.yaml").findings
    (waived,) = [f for f in found if f.rule == "MON-002"]
    assert waived.suppression is not None and waived.suppression.approved_by == "AI Governance Committee"
    assert {f.file for f in found} == {"pilot.yaml"}


def test_yaml_that_is_not_a_manifest_is_not_judged(repo: Path) -> None:
    assert Checker().check("services: {web: {image: nginx}}\n", repo / "compose.yaml").findings == ()


def test_the_root_is_the_deeper_of_the_workspace_folder_and_the_work_tree(tmp_path: Path) -> None:
    (tmp_path / "mono" / "pilot-a" / ".git").mkdir(parents=True)
    file = tmp_path / "mono" / "pilot-a" / "deploy" / "pilot.yaml"
    assert root_of(file, [tmp_path / "mono"]) == tmp_path / "mono" / "pilot-a"
    assert root_of(file, [tmp_path / "mono" / "pilot-a" / "deploy"]) == file.parent
    assert root_of(tmp_path / "loose" / "pilot.yaml", []) == tmp_path / "loose"
