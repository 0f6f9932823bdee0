"""``govcheck init``: a skeleton that check rejects at every placeholder until it is filled in."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from govcheck.load.yaml import load_all

ROOT = Path(__file__).resolve().parents[2]
READY = ROOT / "examples" / "ready"
PLACEHOLDERS = ("", None, [], {})


def skeleton(run: Any, tier: str, use_case: str = "imaging") -> str:
    result = run("init", "--tier", tier, "--use-case", use_case, "--output", "-")
    assert result.exit_code == 0, result.stderr
    text: str = result.stdout
    return text


@pytest.mark.parametrize("tier", ["low", "moderate", "high", "critical"])
def test_check_reports_every_placeholder_of_a_fresh_skeleton(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tier: str
) -> None:
    monkeypatch.chdir(tmp_path)
    text = skeleton(run, tier)
    (tmp_path / "pilot.yaml").write_text(text, encoding="utf-8")
    result = run("check", "--today", "2026-11-25", "--format", "json", "pilot.yaml")
    assert result.exit_code == 1
    reported = {f["line"] for f in json.loads(result.stdout)["findings"]}
    todo = {n for n, line in enumerate(text.splitlines(), 1) if "# TODO" in line}
    assert todo and todo <= reported, f"placeholders nothing reports: lines {sorted(todo - reported)}"


def fill(node: Any, example: Any) -> Any:
    """Each placeholder replaced by the ready example's value at the same place; a field the
    example does not have is deleted, as its TODO says to do when its rule's guard is false
    (the rules report any other field left out)."""
    if isinstance(node, dict):
        return {
            k: example.get(k) if v in PLACEHOLDERS or isinstance(v, list) else fill(v, example.get(k, {}))
            for k, v in node.items()
            if k in example or not (v in PLACEHOLDERS or isinstance(v, (list, dict)))
        }
    return node


@pytest.mark.parametrize(
    ("tier", "scope"), [("high", {}), ("low", {"clinical_decision_support": False, "phi": False})]
)
def test_a_skeleton_filled_with_real_values_passes(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tier: str, scope: dict[str, bool]
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(READY / "docs", tmp_path / "docs")
    data = load_all(skeleton(run, tier), "pilot.yaml")[0].data
    example = load_all((READY / "pilot.yaml").read_text(encoding="utf-8"), "ready.yaml")[0].data
    filled = fill(data, example)
    filled["spec"]["scope"].update(scope)
    if tier == "low":  # the example informs care as a predictive DSI, which tiering raises to high
        filled["spec"]["intended_use"]["decision_role"] = "administrative"
        filled["spec"]["governance"]["regulatory"]["onc_dsi"] = "none"
    for feed in filled["spec"].get("data", {}).get("sources", []):  # a feed's PHI flag is the fact
        feed["phi"] = scope.get("phi", feed.get("phi"))
    (tmp_path / "pilot.yaml").write_text(json.dumps(filled, indent=2), encoding="utf-8")
    result = run("check", "--today", "2026-11-25", "pilot.yaml")
    assert result.exit_code == 0, result.stdout


def test_the_skeleton_is_written_to_a_file_never_over_one(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    first = run("init", "--tier", "moderate", "--use-case", "denials")
    assert first.exit_code == 0 and first.stdout == ""
    assert first.stderr == (
        "wrote pilot.yaml and .govcheck-manifest.schema.json (the schema its first line names, for editors);"
        " fill in the TODOs, then run govcheck check pilot.yaml\n"
    )
    assert "  risk_tier: moderate\n" in (tmp_path / "pilot.yaml").read_text()
    again = run("init", "--tier", "high", "--use-case", "denials")
    assert again.exit_code == 2 and "pilot.yaml already exists; give --force to overwrite it" in again.stderr
    forced = run("init", "--tier", "high", "--use-case", "denials", "--force")
    assert forced.exit_code == 0 and forced.stderr.startswith("wrote pilot.yaml; ")  # the schema is current
    assert "  risk_tier: high\n" in (tmp_path / "pilot.yaml").read_text()


def test_the_first_line_names_the_manifest_schema_for_editors(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pilots").mkdir()
    assert run("init", "--tier", "low", "--use-case", "coding", "-o", "pilots/a.yaml").exit_code == 0
    first = (tmp_path / "pilots" / "a.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=.govcheck-manifest.schema.json"
    # relative to the manifest, as yaml-language-server reads it: the schema govcheck schema manifest prints
    schema = tmp_path / "pilots" / ".govcheck-manifest.schema.json"
    assert schema.read_text(encoding="utf-8") == run("schema", "manifest").stdout
    schema.write_text("{}", encoding="utf-8")  # an older govcheck's, say: brought up to date
    assert (
        run("init", "--tier", "low", "--use-case", "coding", "-o", "pilots/a.yaml", "--force").exit_code == 0
    )
    assert schema.read_text(encoding="utf-8") == run("schema", "manifest").stdout
    assert run("init", "--tier", "low", "--use-case", "coding", "-o", "-").stdout.startswith(first + "\n")


def test_the_fields_follow_the_loaded_packs(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pack.yaml").write_text(
        "apiVersion: govcheck/v1\nkind: PolicyPack\nmetadata: {name: t, version: 1.0.0}\n"
        "rules:\n  - id: EXH-001\n"
        "    title: The escalation route is named\n    category: operating-model\n    severity: error\n"
        "    check: {present: spec.operating_model.support.escalation}\n    message: m\n",
        encoding="utf-8",
    )
    result = run("init", "--tier", "low", "--use-case", "other", "--pack", "./pack.yaml", "-o", "-")
    assert result.stdout.splitlines()[3:] == [
        "apiVersion: govcheck/v1",
        "kind: AIPilot",
        "metadata:",
        "  id:  # TODO a stable id",
        "spec:",
        "  use_case: other",
        "  risk_tier: low",
        "  stage: pilot",
        "  operating_model:",
        "    support:",
        '      escalation: ""  # TODO EXH-001: The escalation route is named',
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--tier", "urgent", "--use-case", "coding"),
            "--tier 'urgent' is not one of low, moderate, high, critical",
        ),
        (
            ("--tier", "low", "--use-case", "radiology"),
            "--use-case 'radiology' is not one of clinical-documentation, coding",
        ),
    ],
)
def test_unknown_tier_or_use_case(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("init", *args)
    assert result.exit_code == 2 and message in result.stderr and not (tmp_path / "pilot.yaml").exists()
