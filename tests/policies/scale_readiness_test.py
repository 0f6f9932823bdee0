"""The scale-readiness pack against its fixture manifests.

Each fixture in ``policies/scale-readiness/tests/{pass,fail,not-applicable}/`` is a pilot
manifest with an ``x-fixture`` block naming the rules it is about and the day to evaluate on.
In ``pass/`` every named rule must pass (not merely be not applicable); in ``fail/`` every
named rule must fail; in ``not-applicable/`` it must not apply. Each fail fixture starts
``# Copy of pass/NAME.yaml with PATH, ... changed.`` and differs from that pass fixture only
there, so it fails for what its rule checks and nothing else. Adding a case means adding a
file.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from govcheck.api import CheckSettings, load_policy, run_check
from govcheck.load.yaml import load_all, read_text
from govcheck.plugins import load_registry
from govcheck.resources import frameworks_dir

PACK = Path(__file__).resolve().parents[2] / "policies" / "scale-readiness"
FIXTURES = sorted((PACK / "tests").glob("*/*.yaml"))
# Framework data file -> the prefix a reference carries (docs/policy-packs.md, "References").
PREFIXES = {
    "nist-ai-rmf-1.0": "NIST AI RMF ",
    "onc-hti1-dsi": "ONC HTI-1 ",
    "fda-gmlp": "FDA ",
    "chai": "",
    "eu-ai-act": "EU AI Act ",
    "iso-42001": "ISO/IEC 42001 ",
}


def _fixture(path: Path) -> dict[str, Any]:
    doc = load_all(read_text(path.name, path.read_bytes()), path.name)[0].data
    spec: dict[str, Any] = doc["x-fixture"]
    return spec


def _outcomes(path: Path, tmp_path: Path) -> dict[str, str]:
    spec = _fixture(path)
    settings = CheckSettings(
        paths=(str(path),),
        packs=(str(PACK),),
        today=dt.date.fromisoformat(spec["today"]),
        stage=spec.get("stage"),
        cwd=tmp_path,
        jobs=1,
    )
    result = run_check(settings)
    assert not [f for f in result.findings if f.rule.startswith("GC-")], "fixture must be a valid manifest"
    return {o.rule: o.status for o in result.manifests[0].outcomes}


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixture(path: Path, tmp_path: Path) -> None:
    expected = path.parent.name
    outcomes = _outcomes(path, tmp_path)
    wrong = {
        rule: outcomes.get(rule, "no such rule")
        for rule in _fixture(path)["rules"]
        if outcomes.get(rule) != expected
    }
    assert not wrong, f"expected {expected} for every named rule"


def _rules() -> list[dict[str, Any]]:
    pack = load_all(read_text("pack.yaml", (PACK / "pack.yaml").read_bytes()), "pack.yaml")[0].data
    rules: list[dict[str, Any]] = pack["rules"]
    return rules


def test_every_rule_has_a_pass_and_a_fail_fixture() -> None:
    covered: dict[str, set[str]] = {"pass": set(), "fail": set(), "not-applicable": set()}
    for path in FIXTURES:
        covered[path.parent.name].update(_fixture(path)["rules"])
    ids = {r["id"] for r in _rules()}
    assert ids - covered["pass"] == set()
    assert ids - covered["fail"] == set()
    assert (covered["pass"] | covered["fail"] | covered["not-applicable"]) - ids == set()


COPY = re.compile(r"^# Copy of pass/(?P<name>[a-z0-9-]+)\.yaml with (?P<paths>.+) changed\.$", re.M)


def _parts(path: str) -> list[str | int]:
    return [int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", path)]


def _strip(doc: Any, parts: list[str | int]) -> None:
    """Remove ``parts`` from ``doc`` where it exists, so what is left can be compared."""
    *parents, last = parts
    for part in parents:
        try:
            doc = doc[part]
        except (KeyError, IndexError, TypeError):
            return
    if isinstance(doc, dict):
        doc.pop(last, None)
    elif isinstance(doc, list) and isinstance(last, int) and last < len(doc):
        doc[last] = None


def _without(doc: dict[str, Any], paths: list[str]) -> dict[str, Any]:
    doc = {k: v for k, v in doc.items() if k not in ("metadata", "x-fixture")}
    for path in paths:
        _strip(doc, _parts(path))
    return doc


@pytest.mark.parametrize(
    "path",
    [p for p in FIXTURES if p.parent.name != "pass"],
    ids=lambda p: f"{p.parent.name}/{p.stem}",
)
def test_a_fail_fixture_is_a_pass_fixture_changed_only_where_its_rule_looks(path: Path) -> None:
    header = COPY.search(path.read_text(encoding="utf-8"))
    assert header, "the first comment names the pass fixture it was copied from"
    twin = PACK / "tests" / "pass" / f"{header['name']}.yaml"
    paths = [p.strip() for p in header["paths"].split(",")]
    assert twin.is_file()
    mine = load_all(read_text(path.name, path.read_bytes()), path.name)[0].data
    theirs = load_all(read_text(twin.name, twin.read_bytes()), twin.name)[0].data
    assert _fixture(path)["rules"] == _fixture(twin)["rules"], "the same rule as its twin"
    assert _without(mine, paths) == _without(theirs, paths)
    assert mine != theirs


def test_tiering_is_shared_with_the_baseline() -> None:
    pack = load_all(read_text("pack.yaml", (PACK / "pack.yaml").read_bytes()), "pack.yaml")[0].data
    assert pack["extends"] == ["healthcare-ai-tiering"]
    assert "tiering" not in pack and "waivers" not in pack
    policy = load_policy(load_registry(), ("scale-readiness",), PACK)
    tiering = load_policy(load_registry(), ("healthcare-ai-tiering",), PACK)
    assert [t.id for t in policy.tiering] == [t.id for t in tiering.tiering]
    assert [t.id for t in policy.tiering][:4] == ["TIER-001", "TIER-002", "TIER-003", "TIER-004"]


def test_every_rule_is_documented_and_graded() -> None:
    rules = _rules()
    for rule in rules:
        assert rule["id"].startswith("SR"), rule["id"]
        for key in ("title", "rationale", "message", "remediation", "references"):
            assert rule.get(key), f"{rule['id']} has no {key}"
        assert rule["remediation"].startswith("spec:"), rule["id"]
    assert all(r.get("applies", {}).get("stages") for r in rules if r["category"] != "metrics")
    per_tier = [
        r["id"]
        for r in rules
        if any(
            isinstance(v, dict) and v and set(v) <= {"low", "moderate", "high", "critical"}
            for k, v in r["check"].items()
        )
    ]
    assert len(per_tier) >= 10
    assert {r["category"] for r in rules} == {
        "workflow",
        "data",
        "governance",
        "ownership",
        "operating-model",
        "monitoring",
        "metrics",
    }


def test_the_pack_compiles_as_the_installed_pack() -> None:
    policy = load_policy(load_registry(), ("scale-readiness",), PACK)
    assert len(policy.rules) == len(_rules())
    assert policy.stages == ("pilot", "expansion", "enterprise")


def test_references_are_framework_ids_in_prefixed_form() -> None:
    if not frameworks_dir().is_dir():
        pytest.skip(f"framework data is not installed at {frameworks_dir()}")
    known = set()
    for name, prefix in PREFIXES.items():
        data = load_all(read_text(name, (frameworks_dir() / f"{name}.yaml").read_bytes()), name)[0].data
        known.update(prefix + item["id"] for item in data["items"])
    unknown = {(r["id"], ref) for r in _rules() for ref in r["references"] if ref not in known}
    assert unknown == set()
