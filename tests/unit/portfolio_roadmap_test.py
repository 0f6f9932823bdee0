"""Platform gaps versus redesign, and the capability roadmap built from them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from govcheck.portfolio.report import FORMATS
from govcheck.portfolio.roadmap import plan
from tests.helpers import write
from tests.unit.portfolio_test import EXAMPLES, portfolio

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "schemas" / "portfolio.schema.json").read_text(encoding="utf-8"))


def test_the_greedy_order_unblocks_the_most_pilots_first() -> None:
    steps = plan(
        [
            ("a", (("feeds", ("R1",)),), True),
            ("b", (("feeds", ("R1",)), ("identity", ("R2",))), True),
            ("c", (("identity", ("R2",)),), True),
            ("d", (("identity", ("R3",)),), True),
            ("e", (("monitoring", ("R4",)),), False),  # its own design blocks it too
        ]
    )
    assert [(s.capability, s.blocks, s.unblocked, s.unblocked_so_far) for s in steps] == [
        ("identity", 3, 2, 2),  # c and d at once; feeds alone would free only a
        ("feeds", 2, 2, 4),  # a, and b now that identity is built
        ("monitoring", 1, 0, 4),  # e stays blocked by its own findings
    ]
    assert steps[0].rules == ("R2", "R3") and steps[0].pilots == ("b", "c", "d")
    assert steps[1].unblocked_pilots == ("a", "b")


def test_ties_go_to_the_capability_more_pilots_wait_on_then_to_the_name() -> None:
    steps = plan(
        [
            ("a", (("x", ("R1",)), ("y", ("R2",))), True),
            ("b", (("y", ("R2",)), ("z", ("R3",))), True),
        ]
    )
    assert [s.capability for s in steps][0] == "y"
    assert plan([]) == ()


PACK = """\
apiVersion: govcheck/v1
kind: PolicyPack
metadata: {name: platform, version: '1'}
rules:
  - {id: FEED-001, title: The shared feed reaches the site, category: data, severity: error,
     capability: shared-data-feeds, check: {present: spec.data.x-feed}, message: no feed}
  - {id: OWN-900, title: The pilot's own data design holds, category: data, severity: error,
     check: {present: spec.data.x-design}, message: no design}
"""


def _pilot(tmp_path: Path, **data: str) -> Path:
    extra = "".join(f"\n    {k}: {v}" for k, v in data.items())
    return write(
        tmp_path / "p.yaml",
        "apiVersion: govcheck/v1\nkind: AIPilot\nmetadata: {id: p}\nspec:\n  risk_tier: low\n"
        "  stage: pilot\n  data:\n    sources: []" + extra + "\n",
    )


@pytest.mark.parametrize(
    ("data", "verdict", "gaps"),
    [
        ({"x-design": "ok"}, "fix-gaps", (("shared-data-feeds", ("FEED-001",)),)),  # only a platform gap
        ({"x-feed": "ok"}, "redesign", ()),  # its own data design
        ({}, "redesign", (("shared-data-feeds", ("FEED-001",)),)),  # both: the design decides
        ({"x-feed": "ok", "x-design": "ok"}, "expand", ()),
    ],
)
def test_a_pilot_blocked_only_by_capabilities_has_gaps_to_fix_not_a_design_to_change(
    tmp_path: Path, data: dict[str, str], verdict: str, gaps: tuple[object, ...]
) -> None:
    pack = write(tmp_path / "platform" / "pack.yaml", PACK)
    result = portfolio(tmp_path, _pilot(tmp_path, **data), packs=(str(pack.parent),))
    (p,) = result.pilots
    assert (p.verdict, p.gaps) == (verdict, gaps)
    roadmap = [(s.capability, s.unblocked) for s in result.roadmap]
    assert roadmap == ([("shared-data-feeds", 1 if verdict == "fix-gaps" else 0)] if gaps else [])


def test_a_capability_must_be_a_kebab_case_name(tmp_path: Path) -> None:
    from govcheck.errors import PackError

    pack = write(tmp_path / "platform" / "pack.yaml", PACK.replace("shared-data-feeds", "Shared Feeds"))
    with pytest.raises(PackError):
        portfolio(tmp_path, _pilot(tmp_path), packs=(str(pack.parent),))


def test_the_example_roadmap_in_every_format(tmp_path: Path) -> None:
    result = portfolio(tmp_path, EXAMPLES)
    steps = result.roadmap
    assert steps[0].capability == "shared-data-feeds"
    assert steps[0].unblocked_pilots == ("imaging-triage",)
    assert {s.capability for s in steps} >= {"governance-process", "identity-matching"}
    document = json.loads(FORMATS["json"](result))
    Draft202012Validator(SCHEMA).validate(document)
    assert document["roadmap"][0]["capability"] == "shared-data-feeds"
    by_id = {p["id"]: p for p in document["pilots"]}
    assert by_id["imaging-triage"]["capabilities"] == [
        {"capability": "shared-data-feeds", "rules": ["DATA-009", "SRDATA-001", "SRDATA-005", "SRDATA-007"]}
    ]
    text = FORMATS["text"](result)
    assert (
        "capability roadmap (build in this order):\n  1. shared-data-feeds: blocks 2 pilot(s), unblocks 1"
        in text
    )
    assert "shared-data-feeds (DATA-009, SRDATA-001, SRDATA-005, SRDATA-007)" in FORMATS["csv"](result)
    page = FORMATS["html"](result)
    assert '<section id="roadmap"><h2>Capability roadmap</h2>' in page
    assert '<a href="#rule-srdata-001">SRDATA-001</a>' in page.split('<section id="roadmap">')[1]
