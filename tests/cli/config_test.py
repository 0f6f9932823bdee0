from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import CHILD, MINI, manifest, write

STALE = {"spec.monitoring.last_review": "2020-01-01"}  # one MON-002 warning with the mini pack


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "pilot.yaml", manifest(**STALE))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_config_is_found_upward_and_can_tighten_fail_on(
    run: Any, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(repo / ".govcheck.yaml", f"packs: [{MINI}]\nfail_on: warning\n")
    (repo / "sub").mkdir()
    monkeypatch.chdir(repo / "sub")
    result = run("check", "--pack", MINI, "../pilot.yaml")
    assert result.exit_code == 1 and "MON-002" in result.stdout
    assert run("check", "--pack", MINI, "--no-config", "../pilot.yaml").exit_code == 0


def test_pyproject_tool_table(run: Any, repo: Path) -> None:
    write(
        repo / "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.govcheck]\nfail_on = "warning"\nformats = ["json"]\n',
    )
    result = run("check", "--pack", MINI, "pilot.yaml")
    assert result.exit_code == 1 and json.loads(result.stdout)["summary"]["warning"] == 1


def test_config_packs_add_to_the_default_never_replace_it(run: Any, repo: Path) -> None:
    write(
        repo / "extra" / "pack.yaml",
        "apiVersion: govcheck/v1\nkind: PolicyPack\nmetadata: {name: extra, version: '1'}\n"
        "rules:\n  - {id: EXT-001, title: t, category: data, severity: error, message: needs retention,"
        " check: {present: spec.data.retention_days}}\n",
    )
    write(repo / ".govcheck.yaml", "packs: [./extra]\n")
    result = run("check", "--pack", MINI, "--format", "json", "pilot.yaml")
    report = json.loads(result.stdout)
    assert [p["name"] for p in report["packs"]] == ["mini", "extra"]
    assert {f["rule"] for f in report["findings"]} == {"MON-002", "EXT-001"}


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("fail_on: never\n", "fail_on: never would switch the gate off"),
        (
            "severity: {MON-002: info}\n",
            "MON-002 is warning in its pack; a configuration can raise a severity, not lower it",
        ),
        ("severity: {NOPE-001: error}\n", "no loaded rule NOPE-001"),
        ("fail_on: sometimes\n", "fail_on: 'sometimes' is not one of error, warning, info, never"),
        ("packs: [a\n", "invalid YAML"),
        ("plugins: [repo_local_plugin]\n", "a configuration may name installed plugins only"),
    ],
)
def test_a_configuration_cannot_soften_the_gate(run: Any, repo: Path, config: str, message: str) -> None:
    write(repo / ".govcheck.yaml", config)
    write(repo / "repo_local_plugin.py", "raise SystemExit('repository code must never run')\n")
    result = run("check", "--pack", MINI, "pilot.yaml")
    assert result.exit_code == 2
    assert message in result.stderr


def test_severity_can_be_raised(run: Any, repo: Path) -> None:
    write(repo / ".govcheck.yaml", "severity: {MON-002: error}\n")
    result = run("check", "--pack", MINI, "-q", "pilot.yaml")
    assert result.exit_code == 1 and " error MON-002 " in result.stdout


def test_explicit_config_and_a_central_gate_refusing_local_waivers(
    run: Any, repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    write(
        repo / ".govcheck-waivers.yaml",
        "apiVersion: govcheck/v1\nkind: WaiverSet\nwaivers:\n  - {rule: MON-002, pilot: denials-triage,"
        " reason: self-approved, status: approved, approved_by: the team, approved_on: 2026-11-01,"
        " expires: 2026-12-01}\n",
    )
    write(repo / ".govcheck.yaml", "fail_on: warning\n")
    local = run("check", "--pack", MINI, "--today", "2026-11-25", "pilot.yaml")
    assert local.exit_code == 0 and "waived MON-002" in local.stdout
    central_dir = tmp_path_factory.mktemp("governance")
    central = write(central_dir / "waivers.yaml", "apiVersion: govcheck/v1\nkind: WaiverSet\nwaivers: []\n")
    gate = write(central_dir / "gate.yaml", "fail_on: warning\n")
    result = run(
        "check",
        "--pack",
        CHILD,
        "--no-config",
        "--waivers",
        str(central),
        "--fail-on",
        "warning",
        "--today",
        "2026-11-25",
        "pilot.yaml",
    )
    assert result.exit_code == 1 and "waived" not in result.stdout
    assert (
        run("check", "--pack", MINI, "--config", str(gate), "--waivers", str(central), "pilot.yaml").exit_code
        == 1
    )
