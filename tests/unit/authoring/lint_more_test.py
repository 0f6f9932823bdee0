"""``pack lint``: parameter values no manifest can satisfy, remediation that is not YAML, ``expr`` fields."""

from __future__ import annotations

from pathlib import Path

import pytest

from govcheck.authoring.lint import lint
from govcheck.plugins import load_registry

HEAD = "apiVersion: govcheck/v1\nkind: PolicyPack\nmetadata: {name: t, version: 1.0.0}\nrules:\n"
RULE = """  - id: OWN-001
    title: An owner is named
    rationale: Someone answers for it.
    category: ownership
    severity: error
    check:
      present: spec.ownership.business_owner.name
    message: "Name the owner"
    remediation: "spec: {}"
    references: ["NIST AI RMF GOVERN 2.1"]
"""
CHECK = "      present: spec.ownership.business_owner.name\n"


def problems(tmp_path: Path, rules: str) -> list[tuple[int, str, str]]:
    path = tmp_path / "pack.yaml"
    path.write_text(HEAD + rules, encoding="utf-8")
    return [(p.line, p.severity, p.message) for p in lint(path, load_registry(), tmp_path).problems]


@pytest.mark.parametrize(
    ("check", "line", "fragment"),
    [
        ("      max_age: spec.monitoring.last_review\n      days: -5\n", 12, "check → days: -5 is negative"),
        (
            "      max_age: spec.monitoring.last_review\n      days:\n        low: 30\n        high: -1\n",
            14,
            "check → days → high: -1 is negative",
        ),
        ("      min_count: spec.data.sources\n      count: -1\n", 12, "check → count: -1 is negative"),
        (
            "      one_of: spec.scope.phi\n      values: []\n",
            12,
            "check → values: the list is empty, so no value can ever pass",
        ),
    ],
)
def test_parameters_no_manifest_can_satisfy_are_errors_at_their_line(
    tmp_path: Path, check: str, line: int, fragment: str
) -> None:
    found = problems(tmp_path, RULE.replace(CHECK, check))
    assert [(ln, sev) for ln, sev, _ in found] == [(line, "error")]
    assert fragment in found[0][2]


def test_zero_days_and_a_listed_value_are_fine(tmp_path: Path) -> None:
    check = "      max_age: spec.monitoring.last_review\n      days: 0\n"
    assert problems(tmp_path, RULE.replace(CHECK, check)) == []


def test_an_expr_target_reading_a_field_the_schema_forbids_warns(tmp_path: Path) -> None:
    check = "      expr: spec.ownership.bizowner.name\n"
    found = problems(tmp_path, RULE.replace(CHECK, check))
    assert [(ln, sev) for ln, sev, _ in found] == [(11, "warning")]
    assert "check → expr: the pilot manifest schema has no field 'bizowner' in spec.ownership" in found[0][2]


def test_an_expr_target_on_known_fields_is_fine(tmp_path: Path) -> None:
    check = "      expr: spec.ownership.business_owner.name\n"
    assert problems(tmp_path, RULE.replace(CHECK, check)) == []


def test_a_duplicate_key_is_reported_and_the_rest_of_the_pack_still_linted(tmp_path: Path) -> None:
    second = (
        RULE.replace("OWN-001", "OWN-002")
        .replace("    category: ownership\n", "    category: ownership\n    category: ownership\n")
        .replace('["NIST AI RMF GOVERN 2.1"]', '["NIST GOVERN 2.1"]')
    )
    found = problems(tmp_path, RULE + second)
    assert [(ln, sev) for ln, sev, _ in found] == [(19, "error"), (25, "warning")]
    assert "duplicate key 'category'" in found[0][2]
    assert "rule OWN-002 → references: 'NIST GOVERN 2.1' is not an item" in found[1][2]


def test_a_remediation_that_is_not_yaml_warns_at_the_remediation(tmp_path: Path) -> None:
    found = problems(tmp_path, RULE.replace('remediation: "spec: {}"', 'remediation: "spec: {a: [}"'))
    assert [(ln, sev) for ln, sev, _ in found] == [(13, "warning")]
    assert "remediation: not a valid YAML snippet (" in found[0][2]


def test_a_block_remediation_snippet_is_fine(tmp_path: Path) -> None:
    block = "remediation: |\n      spec:\n        ownership:\n          business_owner: {name: <name>}\n"
    assert problems(tmp_path, RULE.replace('remediation: "spec: {}"\n', block)) == []
