"""``govcheck pack lint|test|docs|lock`` and ``check --locked``, through the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import MINI, write
from tests.unit.authoring.lint_test import BROKEN, BROKEN_PROBLEMS

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted(ROOT.glob("policies/*/pack.yaml"))


def test_lint_reports_every_problem_of_a_broken_pack_and_exits_1(
    run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(BROKEN)
    result = run("pack", "lint", "pack.yaml")
    assert result.exit_code == 1
    *lines, summary = result.stdout.splitlines()
    assert [line.split(":")[1] for line in lines] == [str(line) for line, _, _ in BROKEN_PROBLEMS]
    assert lines[0] == (
        "pack.yaml:10:20: error pack broken → tiering TIER-001: '`false`' is always false and reads no "
        "field; never raises a tier"
    )
    assert summary == "pack.yaml: 16 error(s), 3 warning(s)"


def test_lint_json(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BROKEN)
    report = json.loads(run("pack", "lint", "--format", "json", ".").stdout)
    assert (report["pack"], report["errors"], report["warnings"]) == ("pack.yaml", 16, 3)
    assert report["problems"][1] == {
        "file": "pack.yaml",
        "line": 12,
        "column": 6,
        "severity": "error",
        "message": "pack broken → override GOV-999: overrides a rule that no extended pack defines",
    }


def test_lint_warnings_alone_exit_0_and_a_clean_pack_says_so(
    run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    warned = run("pack", "lint", "tests/data/packs/mini")
    assert warned.exit_code == 0 and warned.stdout.endswith(
        "tests/data/packs/mini/pack.yaml: 0 error(s), 9 warning(s)\n"
    )
    clean = run("pack", "lint", "policies/healthcare-ai-baseline")
    assert (clean.exit_code, clean.stdout) == (0, "policies/healthcare-ai-baseline/pack.yaml: no problems\n")


def test_lint_of_a_missing_path_is_a_usage_error(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("pack", "lint", "nowhere.yaml")
    assert result.exit_code == 2 and "does not exist" in result.stderr


@pytest.mark.parametrize("pack", SHIPPED, ids=lambda p: p.parent.name)
def test_every_shipped_pack_passes_its_fixtures_with_every_rule_shown_both_ways(
    run: Any, pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    result = run("pack", "test", "--strict", str(pack.parent.relative_to(ROOT)))
    assert result.exit_code == 0, result.stdout
    assert result.stdout.count("\n") == 1 and " passed, 0 failed in " in result.stdout


def test_pack_test_mismatches_exit_1_like_a_test_runner(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(Path(MINI) / "pack.yaml", tmp_path / "pack.yaml")
    write(
        tmp_path / "tests" / "fail" / "owner.yaml",
        "apiVersion: govcheck/v1\nkind: AIPilot\nmetadata: {id: x}\n"
        "spec: {risk_tier: moderate, stage: expansion}\n"
        "x-fixture: {today: 2026-11-25, rules: [OWN-003, META-001]}\n",
    )
    result = run("pack", "test", ".", "-v")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == [
        "PASSED tests/fail/owner.yaml::OWN-003 fail",
        "FAILED tests/fail/owner.yaml::META-001 expected fail, got pass",
    ]
    assert result.stdout.endswith("1 passed, 1 failed in 1 fixture file(s)\n")
    report = json.loads(run("pack", "test", ".", "--format", "json").stdout)
    assert (report["passed"], report["failed"]) == (1, 1) and "OWN-003" in report["no_fixture_passes"]


def test_pack_test_needs_fixtures_and_a_sound_pack(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(Path(MINI) / "pack.yaml", tmp_path / "pack.yaml")
    missing = run("pack", "test", "pack.yaml")
    assert missing.exit_code == 2 and "no fixture directory tests; give --fixtures DIR" in missing.stderr
    broken = run("pack", "test", str(BROKEN))
    assert broken.exit_code == 2 and "govcheck pack lint shows all" in broken.stderr


def test_pack_docs_to_standard_output_or_a_file(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    shown = run("pack", "docs", "policies/healthcare-ai-baseline")
    assert shown.exit_code == 0
    assert shown.stdout == (ROOT / "docs" / "rules" / "healthcare-ai-baseline.md").read_text(encoding="utf-8")
    out = tmp_path / "rules.md"
    assert run("pack", "docs", "tests/data/packs/mini", "--output", str(out)).stdout == ""
    assert out.read_text(encoding="utf-8").startswith(
        "<!-- generated from mini 0.1.0 by govcheck pack docs; do not edit -->"
    )


PILOT = "apiVersion: govcheck/v1\nkind: AIPilot\nmetadata: {id: x}\nspec: {risk_tier: low, stage: pilot}\n"


def test_a_changed_character_in_a_locked_pack_stops_the_gate(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(Path(MINI), tmp_path / "packs" / "mini")
    write(tmp_path / "pilot.yaml", PILOT)
    locked = run("pack", "lock", "--pack", "./packs/mini")
    assert locked.exit_code == 0 and locked.stderr == "wrote govcheck.lock: 1 pack(s) locked\n"
    lock = json.loads((tmp_path / "govcheck.lock").read_text())
    assert [(p["name"], p["version"]) for p in lock["packs"]] == [("mini", "0.1.0")]
    assert run("check", "--pack", "./packs/mini", "--locked", "pilot.yaml").exit_code == 0
    pack = tmp_path / "packs" / "mini" / "pack.yaml"
    pack.write_text(pack.read_text().replace("A small pack", "A smaller pack"))
    result = run("check", "--pack", "./packs/mini", "pilot.yaml", "--locked")
    assert result.exit_code == 2 and result.stdout == ""
    assert "govcheck.lock: pack mini changed: locked 0.1.0 sha256:" in result.stderr
    assert "(from packs/mini/pack.yaml)" in result.stderr


def test_the_lock_covers_what_extends_brings_in(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path / "pack.yaml",
        "apiVersion: govcheck/v1\nkind: PolicyPack\nmetadata: {name: mine, version: 1.0.0}\n"
        "extends: [healthcare-ai-baseline]\nrules: []\n",
    )
    write(tmp_path / "pilot.yaml", PILOT)
    assert run("pack", "lock", "--pack", "./pack.yaml", "--output", "my.lock").exit_code == 0
    names = [p["name"] for p in json.loads((tmp_path / "my.lock").read_text())["packs"]]
    assert names == ["healthcare-ai-baseline", "healthcare-ai-tiering", "mine"]  # sorted by name
    other = run("check", "--pack", "scale-readiness", "--locked", "--lock-file", "my.lock", "pilot.yaml")
    assert other.exit_code == 2
    assert (
        "pack healthcare-ai-baseline locked (2.0.0 sha256:" in other.stderr
        and "pack mine locked" in other.stderr
    )
    assert "pack scale-readiness in use" in other.stderr
    missing = run("check", "--pack", "./pack.yaml", "--locked", "--lock-file", "none.lock", "pilot.yaml")
    assert missing.exit_code == 2 and "cannot read the lock file none.lock" in missing.stderr
