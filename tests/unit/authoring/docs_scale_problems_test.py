"""``pack docs`` lists, under each scale problem, the rules that address it and where they apply."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from govcheck.authoring.docs import SCALE_PROBLEMS, render
from govcheck.authoring.loading import pack_at
from govcheck.plugins import load_registry
from tests.helpers import MINI

ROOT = Path(__file__).resolve().parents[3]
HEADING = "## What the pack enforces, by scale problem"


def _docs(pack: Path) -> str:
    registry = load_registry()
    root, policy = pack_at(pack, registry, ROOT)
    return render(root, policy, registry.checks())


def _mini(tmp_path: Path, addresses: dict[str, list[str]]) -> Path:
    """The mini pack with ``addresses`` added to the rules named."""
    pack = tmp_path / "mini"
    shutil.copytree(MINI, pack)
    file = pack / "pack.yaml"
    text = file.read_text(encoding="utf-8")
    for rule, items in addresses.items():
        anchor = f"  - id: {rule}\n"
        assert text.count(anchor) == 1
        text = text.replace(anchor, f"{anchor}    addresses: {json.dumps(items)}\n")
    file.write_text(text, encoding="utf-8")
    return pack


def _section(text: str) -> str:
    start = text.index(HEADING)
    return text[start : text.index("\n## ", start + 1)]


def test_the_problems_are_the_schema_s_vocabulary_in_its_order() -> None:
    schema = json.loads((ROOT / "schemas" / "policy-pack.schema.json").read_text(encoding="utf-8"))
    vocabulary = schema["$defs"]["rule"]["properties"]["addresses"]["items"]["enum"]
    assert [word for _, items in SCALE_PROBLEMS for word, _ in items] == vocabulary
    assert [len(items) for _, items in SCALE_PROBLEMS] == [5, 4, 6]


def test_each_rule_is_listed_under_what_it_addresses_with_its_tiers_or_per_tier_thresholds(
    tmp_path: Path,
) -> None:
    pack = _mini(
        tmp_path,
        {
            "OWN-003": ["reason:ownership", "question:ownership", "harder:owner-after-launch"],
            "MON-002": ["reason:evidence"],
            "DATA-001": ["reason:data"],
            "WF-001": ["reason:workflow"],
            "GOV-004": ["reason:governance"],
        },
    )
    section = _section(_docs(pack))
    lines = section.splitlines()
    # the items in the vocabulary's order, each with its wording, under its group's heading
    items = [line for line in lines if line.startswith("- `")]
    assert [re.match(r"- `([a-z:-]+)`", line).group(1) for line in items] == [  # type: ignore[union-attr]
        word for _, group in SCALE_PROBLEMS for word, _ in group
    ]
    assert "- `reason:ownership`: Ownership after launch and the operating model." in lines
    assert [line for line in lines if line.startswith("### ")] == [
        "### The five reasons pilots fail to scale",
        "### The four scale-readiness questions",
        "### The six harder questions",
    ]
    after = {word: lines[lines.index(line) + 1] for line in items for word in [line.split("`")[1]]}
    assert (
        after["reason:ownership"]
        == "  - [OWN-003](#own-003) (moderate, high, critical; stages expansion, enterprise)"
    )
    assert after["harder:owner-after-launch"] == after["reason:ownership"]
    assert after["reason:evidence"] == "  - [MON-002](#mon-002): moderate 180 days, high 90, critical 30"
    assert after["reason:workflow"] == "  - [WF-001](#wf-001) (high, critical)"
    assert (
        after["reason:governance"]
        == "  - [GOV-004](#gov-004) (low, moderate, high, critical; when `spec.scope.phi`)"
    )
    assert after["reason:data"] == "  - [DATA-001](#data-001): low at least 1, moderate 1, high 2, critical 2"
    assert after["question:data"] == "  - No rule of this pack addresses it."


def test_rules_are_listed_by_id_and_the_output_is_the_same_every_run(tmp_path: Path) -> None:
    pack = _mini(tmp_path, {"WF-001": ["reason:workflow"], "MET-002": ["reason:workflow"]})
    first = _docs(pack)
    assert first == _docs(pack)
    lines = _section(first).splitlines()
    start = lines.index("- `reason:workflow`: Workflow fit.")
    assert [line.split("]")[0] for line in lines[start + 1 : start + 3]] == ["  - [MET-002", "  - [WF-001"]


def test_a_pack_whose_rules_address_nothing_has_no_such_section() -> None:
    assert HEADING not in _docs(Path(MINI))
