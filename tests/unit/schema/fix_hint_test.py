"""A schema finding's fix says what to write there, not only that the field is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from govcheck.model import SCHEMA_RULE
from tests.helpers import check, manifest


def spec(**changes: Any) -> dict[str, Any]:
    doc = manifest()
    doc["spec"].update(changes)
    return doc


@pytest.mark.parametrize(
    ("doc", "path", "fix"),
    [
        (
            spec(stage="pilott"),
            "spec.stage",
            "Write `stage` as one of: pilot, expansion, enterprise, retired.",
        ),
        (
            spec(risk_tier="hihg"),
            "spec.risk_tier",
            "Write `risk_tier` as one of: low, moderate, high, critical",
        ),
        (
            spec(scope={"start_date": "2027-13-31"}),
            "spec.scope.start_date",
            "Write `start_date` as a day that exists, YYYY-MM-DD",
        ),
        (spec(scope={"sites": "north"}), "spec.scope.sites", "Write `sites` as a list."),
    ],
)
def test_the_fix_names_the_field_and_what_it_takes(
    tmp_path: Path, doc: dict[str, Any], path: str, fix: str
) -> None:
    found = [f for f in check(tmp_path, doc).findings if f.rule == SCHEMA_RULE and f.path == path]
    assert found, [f"{f.rule} {f.path} {f.message}" for f in check(tmp_path, doc).findings]
    assert found[0].remediation.startswith(fix), found[0].remediation
