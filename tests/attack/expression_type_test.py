"""A manifest value of a type a JMESPath function does not take must not stop or soften the gate.

``length(spec.scope.sites)`` on ``sites: 7`` raised jmespath's type error through the
evaluator: the whole run ended as an internal error (exit 2, no findings for any manifest), and
the expr check reported a Python exception name at ``spec``. A guard that cannot be judged now
fails its rule, a tiering raise that cannot be judged is applied, and an expr check fails at its
own field, as for a bound overrun.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.helpers import TODAY, manifest, write

DAY = TODAY.isoformat()
ROOT = Path(__file__).resolve().parents[2]
PACK = """apiVersion: govcheck/v1
kind: PolicyPack
metadata: {name: typed, version: 1.0.0}
tiers: [low, moderate, high, critical]
stages: [pilot, expansion, enterprise]
tiering:
  - {id: TIER-SITES, when: "length(spec.scope.sites) > `1`", minimum: high, reason: more than one site}
rules:
  - id: TYP-001
    title: Multi-site pilots name their business owner
    category: ownership
    severity: error
    applies: {when: "length(spec.scope.sites) > `0`"}
    check: {present: spec.ownership.business_owner.name}
    message: Name the business owner
  - id: TYP-002
    title: High pilots say how many users they have
    category: workflow
    severity: warning
    applies: {tiers: [high, critical]}
    check: {present: spec.scope.users}
    message: Say how many users the pilot has
"""


def findings(run: Any, tmp_path: Path, doc: dict[str, Any], *args: str) -> tuple[int, list[dict[str, Any]]]:
    write(tmp_path / "pack.yaml", PACK)
    file = write(tmp_path / "pilot.yaml", doc)
    out = run(
        "check", "--pack", str(tmp_path / "pack.yaml"), "--today", DAY, "--format", "json", *args, str(file)
    )
    return out.exit_code, json.loads(out.output)["findings"]


def test_a_guard_that_meets_the_wrong_type_fails_its_rule(run: Any, tmp_path: Path) -> None:
    code, found = findings(run, tmp_path, manifest(**{"spec.scope.sites": 7}))
    assert code == 1
    typ = [f for f in found if f["rule"] == "TYP-001"]
    assert len(typ) == 1 and typ[0]["severity"] == "error"
    assert "applies.when could not be judged" in typ[0]["message"] and "length()" in typ[0]["message"]


def test_a_tiering_guard_that_meets_the_wrong_type_raises_the_tier(run: Any, tmp_path: Path) -> None:
    code, found = findings(run, tmp_path, manifest(**{"spec.scope.sites": 7, "spec.scope.users": None}))
    assert code == 1
    assert any("TIER-SITES: when could not be judged, so it is applied" in f["message"] for f in found)
    assert [f["tier"] for f in found if f["rule"] == "TYP-002"] == ["high"]  # judged as high


def test_well_typed_values_are_judged_as_before(run: Any, tmp_path: Path) -> None:
    owner = {"spec.ownership.business_owner": {"name": "Priya Raman", "role": "VP Operations"}}
    one_site = manifest(**{"spec.scope.sites": ["north"], "spec.scope.users": None})
    code, found = findings(run, tmp_path, one_site)
    assert code == 1 and [(f["rule"], f["message"]) for f in found] == [
        ("TYP-001", "Name the business owner (spec.ownership.business_owner.name: missing)")
    ]
    owned = manifest(**{"spec.scope.sites": ["north"], "spec.scope.users": None, **owner})
    assert findings(run, tmp_path, owned) == (0, [])
    two = manifest(**{"spec.scope.sites": ["north", "south"], "spec.scope.users": None, **owner})
    code, found = findings(run, tmp_path, two)
    assert code == 0 and [(f["rule"], f["tier"]) for f in found] == [("TYP-002", "high")]


def test_an_expr_check_on_the_wrong_type_fails_at_its_field(run: Any, tmp_path: Path) -> None:
    # GOV-038 asks for every approval condition to be closed; conditions as one line of text
    # is not a list its length() can count.
    fixture = ROOT / "policies/healthcare-ai-baseline/tests/fail/gov-038-high-condition-as-text.yaml"
    text = fixture.read_text(encoding="utf-8")
    listed = "      conditions: [report sensitivity for patients 65 and older]\n"
    assert listed in text
    file = write(tmp_path / "pilot.yaml", text.replace(listed, listed.replace("[", "").replace("]", "")))
    out = run("check", "--no-config", "--stage", "expansion", "--today", DAY, "--format", "json", str(file))
    assert out.exit_code == 1
    gov = [f for f in json.loads(out.output)["findings"] if f["rule"] == "GOV-038"]
    assert len(gov) == 1
    assert gov[0]["path"] == "spec.governance.approval.conditions"
    assert gov[0]["line"] == text.splitlines().index(listed.rstrip("\n")) + 1
    assert 'found "report sensitivity for patients 65 and older"' in gov[0]["message"]
    assert "Error" not in gov[0]["message"]


def test_pack_lint_names_a_constant_guard_that_can_never_be_judged(run: Any, tmp_path: Path) -> None:
    pack = PACK.replace('"length(spec.scope.sites) > `0`"', '"length(`7`) > `0`"')
    write(tmp_path / "pack.yaml", pack)
    out = run("pack", "lint", str(tmp_path / "pack.yaml"))
    assert out.exit_code == 1, out.output
    assert "can never be judged" in out.output
