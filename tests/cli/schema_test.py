"""``govcheck schema NAME``: the shipped JSON Schemas, exactly as shipped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("name", "file"),
    [
        ("manifest", "pilot-manifest"),
        ("pack", "policy-pack"),
        ("waivers", "waivers"),
        ("findings", "findings"),
    ],
)
def test_prints_the_shipped_schema(run: Any, name: str, file: str) -> None:
    result = run("schema", name)
    assert result.exit_code == 0
    assert result.stdout == (ROOT / "schemas" / f"{file}.schema.json").read_text(encoding="utf-8")
    assert json.loads(result.stdout)["$schema"].startswith("https://json-schema.org/")


def test_a_schema_missing_from_the_installation_is_a_clear_error(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("govcheck.authoring.schemas.data_dir", lambda name: tmp_path)
    result = run("schema", "waivers")
    assert result.exit_code == 2
    assert result.stderr == (
        "govcheck: the waivers schema (waivers.schema.json)"
        " is not shipped with this installation of govcheck\n"
    )


def test_an_unknown_name_is_a_usage_error(run: Any) -> None:
    result = run("schema", "policy")
    assert result.exit_code == 2 and "'policy' is not one of" in result.stderr


def test_manifest_schema_for_packs_names_their_tiers_and_stages(
    run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor given this schema flags ``risk_tier: hihg``; the shipped one only suggests tiers."""
    from jsonschema import Draft202012Validator

    monkeypatch.chdir(ROOT)
    result = run("schema", "manifest", "--pack", "healthcare-ai-baseline")
    assert result.exit_code == 0, result.stderr
    exported = json.loads(result.stdout)
    spec = exported["properties"]["spec"]["properties"]
    assert spec["risk_tier"]["enum"] == ["low", "moderate", "high", "critical"]
    assert spec["stage"]["enum"] == ["pilot", "expansion", "enterprise", "retired"]
    shipped = json.loads((ROOT / "schemas" / "pilot-manifest.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(exported)
    typo = {
        "apiVersion": "govcheck/v1",
        "kind": "AIPilot",
        "metadata": {"id": "x"},
        "spec": {"risk_tier": "hihg"},
    }
    at_tier = [
        e for e in Draft202012Validator(exported).iter_errors(typo) if list(e.path) == ["spec", "risk_tier"]
    ]
    assert at_tier and "hihg" in at_tier[0].message
    assert not [
        e for e in Draft202012Validator(shipped).iter_errors(typo) if list(e.path) == ["spec", "risk_tier"]
    ]


def test_manifest_schema_for_a_pack_of_its_own_tiers(run: Any, tmp_path: Path) -> None:
    text = (ROOT / "tests" / "data" / "packs" / "mini" / "pack.yaml").read_text(encoding="utf-8")
    assert "tiers: [low, moderate, high, critical]" in text
    (tmp_path / "pack.yaml").write_text(
        text.replace(
            "tiers: [low, moderate, high, critical]", "tiers: [low, moderate, high, critical, extreme]"
        ),
        encoding="utf-8",
    )
    result = run("schema", "manifest", "--pack", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    tiers = json.loads(result.stdout)["properties"]["spec"]["properties"]["risk_tier"]["enum"]
    assert tiers == ["low", "moderate", "high", "critical", "extreme"]


def test_pack_options_shape_only_the_manifest_schema(run: Any) -> None:
    result = run("schema", "pack", "--pack", "healthcare-ai-baseline")
    assert result.exit_code == 2
    assert "manifest schema only" in result.stderr
