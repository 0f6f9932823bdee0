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
