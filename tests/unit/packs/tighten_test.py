"""Packs added by configuration may only tighten: what counts as stricter, rule by rule and tier by tier."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from govcheck import hookimpl
from govcheck.api import load_policy
from govcheck.config import Named
from govcheck.errors import ConfigError
from govcheck.interfaces import CheckContext, CheckSpec, Failure, Stricter
from govcheck.model import MISSING
from govcheck.packs import tighten
from govcheck.plugins import Registry, get_plugin_manager

BASE = """\
apiVersion: govcheck/v1
kind: PolicyPack
metadata: {name: gov, version: '1'}
tiers: [low, moderate, high, critical]
stages: [pilot, expansion, enterprise]
waivers:
  max_days: {low: 365, moderate: 180, high: 120, critical: 90}
rules:
  - {id: MON-002, title: t, category: monitoring, severity: warning, message: m,
     applies: {tiers: {min: moderate}},
     check: {max_age: spec.monitoring.last_review, days: {moderate: 180, high: 90, critical: 30}}}
  - {id: MET-001, title: t, category: metrics, severity: error, message: m,
     check: {min_count: spec.success_metrics, count: 2}}
  - {id: GOV-002, title: t, category: governance, severity: error, message: m,
     check: {one_of: spec.governance.approval.decision, values: [approved, conditional]}}
  - {id: MON-004, title: t, category: monitoring, severity: warning, message: m,
     check: {schema: spec.monitoring.review_cadence_days, is: {type: integer, maximum: 90}}}
  - {id: META-001, title: t, category: governance, severity: error, message: m,
     check: {matches: metadata.id, pattern: "^[a-z-]+$"}}
  - {id: EXT-001, title: t, category: data, severity: error, message: m,
     check: {loose: spec.data, level: 3}}
"""


def _loose_check(target: str, params: Mapping[str, Any]) -> Any:
    def run(ctx: CheckContext) -> Sequence[Failure]:
        return ()

    return run


class _Plugin:
    """A plugin check that declares no stricter direction for its parameter."""

    @hookimpl
    def govcheck_checks(self) -> list[CheckSpec]:
        return [CheckSpec("loose", _loose_check, {"level": True})]


@pytest.fixture
def registry() -> Registry:
    pm = get_plugin_manager(entry_points=False)
    pm.register(_Plugin())
    return Registry(pm)


def policy_with(tmp_path: Path, registry: Registry, added: str) -> Any:
    (tmp_path / "gov.yaml").write_text(BASE, encoding="utf-8")
    header = (
        "apiVersion: govcheck/v1\nkind: PolicyPack\nmetadata: {name: local, version: '1'}\n"
        "extends: [./gov.yaml]\n"
    )
    (tmp_path / "local.yaml").write_text(header + added, encoding="utf-8")
    extra = (Named(str(tmp_path / "local.yaml"), str(tmp_path / ".govcheck.yaml")),)
    return load_policy(registry, (str(tmp_path / "gov.yaml"),), tmp_path, extra)


def refusal(tmp_path: Path, registry: Registry, added: str) -> str:
    with pytest.raises(ConfigError) as caught:
        policy_with(tmp_path, registry, added)
    return str(caught.value)


@pytest.mark.parametrize(
    ("kind", "old", "new", "ok"),
    [
        ("lower", 90, 30, True),
        ("lower", 90, 90, True),
        ("lower", 90, 100000, False),
        ("lower", 90, True, False),  # a boolean is not a number
        ("lower", 90, "30", False),
        ("higher", 2, 3, True),
        ("higher", 2, 1, False),
        ("subset", ["approved", "conditional"], ["approved"], True),
        ("subset", ["approved"], [], True),
        ("subset", ["approved"], ["approved", "pending"], False),
        ("subset", [1], [True], False),  # one_of compares types too
        ("subset", ["spec.a", "spec.b"], "spec.a", True),  # one text is a list of one
        ("superset", MISSING, ["pending review"], True),  # more placeholder words: stricter
        ("superset", ["tbc"], ["tbc", "fixme"], True),
        ("superset", ["tbc", "fixme"], ["tbc"], False),
        ("superset", "spec.validation.date", ["spec.validation.date", "today"], True),  # date_order after
        ("superset", ["tbc"], "not-a-list-of-words", False),
        ("superset", ["tbc"], 5, False),
        ("true", False, True, True),
        ("true", MISSING, True, True),  # nothing is stricter than true, whatever the default
        ("true", True, False, False),
        ("schema", {"maximum": 90}, {"maximum": 30}, True),
        (None, "^[a-z-]+$", "^[a-z-]+$", True),  # unchanged is always fine
        (None, "^[a-z-]+$", ".", False),
        (None, 3, 1, False),  # no direction declared: any change is refused
        ("lower", MISSING, 30, False),  # the default it replaces is unknown
        ("lower", 90, MISSING, False),
    ],
)
def test_what_is_stricter(kind: Stricter | None, old: Any, new: Any, ok: bool) -> None:
    assert tighter_is(kind, old, new) is ok


def tighter_is(kind: Stricter | None, old: Any, new: Any) -> bool:
    return tighten.tighter(kind, old, new)


@pytest.mark.parametrize(
    ("old", "new", "ok"),
    [
        ({"type": "integer", "maximum": 90}, {"type": "integer", "maximum": 30}, True),
        ({"type": "integer", "maximum": 90}, {"type": "integer", "maximum": 180}, False),
        ({"type": "integer", "maximum": 90}, {"type": "integer"}, False),  # a bound dropped
        ({"type": "integer"}, {"type": "integer", "minimum": 1, "title": "days"}, True),
        ({"type": "number"}, {"type": "integer"}, True),
        ({"type": ["string", "null"]}, {"type": "string"}, True),
        ({"type": "string"}, {"type": ["string", "null"]}, False),
        ({"enum": [1, 2, 3]}, {"enum": [1, 2]}, True),
        ({"required": ["a"]}, {"required": ["a", "b"]}, True),
        ({"required": ["a", "b"]}, {"required": ["a"]}, False),
        (
            {"type": "object", "properties": {"n": {"maximum": 9}}},
            {"type": "object", "properties": {"n": {"maximum": 5}}},
            True,
        ),
        # A new property name is let through by additionalProperties: false; refused.
        (
            {"additionalProperties": False, "properties": {"n": {}}},
            {"additionalProperties": False, "properties": {"n": {}, "m": {}}},
            False,
        ),
        ({"items": {"minimum": 1}}, {"items": {"minimum": 2}}, True),
        ({"unevaluatedItems": False}, {"unevaluatedItems": False, "items": {}}, False),
        ({"type": "integer"}, False, True),
        ({"type": "integer"}, {"anyOf": [{"type": "integer"}]}, False),  # cannot be shown
    ],
)
def test_which_schemas_are_stricter(old: Any, new: Any, ok: bool) -> None:
    assert tighten.schema_tighter(old, new) is ok


def test_tightening_is_accepted(tmp_path: Path, registry: Registry) -> None:
    policy = policy_with(
        tmp_path,
        registry,
        "tiers: [low, moderate, high, critical]\n"  # the same tiers again: no change
        "waivers:\n  max_days: {critical: 30}\n"
        "tiering:\n  - {id: TIER-009, when: spec.scope.phi, minimum: high, reason: r}\n"
        "overrides:\n"
        "  - {rule: MON-002, severity: error, params: {days: {critical: 14}}}\n"
        "  - {rule: MET-001, params: {count: {low: 2, high: 4}}}\n"
        "  - {rule: GOV-002, params: {values: [approved]}}\n"
        "  - {rule: MON-004, params: {is: {type: integer, maximum: 30, minimum: 1}}}\n"
        "  - {rule: META-001, params: {pattern: '^[a-z-]+$'}}\n"
        "  - {rule: EXT-001, params: {level: 3}}\n"
        "rules:\n  - {id: NEW-001, title: t, category: data, severity: error, message: m,"
        " check: {present: spec.data}}\n",
    )
    rules = {r.info.id: r for r in policy.rules}
    assert rules["MON-002"].info.severity == "error"
    assert rules["MON-002"].by_tier["critical"][1]["days"] == 14
    assert rules["MET-001"].by_tier["moderate"][1]["count"] == 2
    assert policy.waiver_max_days["critical"] == 30
    assert "NEW-001" in rules


@pytest.mark.parametrize(
    ("added", "expected"),
    [
        (
            "overrides:\n  - {rule: MON-002, params: {days: 100000}}\n",
            "local.yaml:6:30: pack local → override MON-002 → params → days: 100000 instead of 180 for a "
            "moderate pilot, 100000 instead of 90 for a high pilot, 100000 instead of 30 for a critical "
            "pilot (max_age: a lower days is stricter)",
        ),
        (
            "overrides:\n  - {rule: MET-001, params: {count: {moderate: 1}}}\n",
            "override MET-001 → params → count: 1 instead of 2 for a moderate, high or critical pilot",
        ),
        (
            # A per-tier value replacing a plain one: a tier below every listed one gets none.
            "overrides:\n  - {rule: MET-001, params: {count: {moderate: 3}}}\n",
            "override MET-001 → params: rule MET-001 would no longer apply to a low pilot",
        ),
        (
            "overrides:\n  - {rule: GOV-002, params: {values: [approved, pending]}}\n",
            'values: ["approved", "pending"] instead of ["approved", "conditional"]',
        ),
        (
            "overrides:\n  - {rule: MON-004, params: {is: {type: integer, maximum: 365}}}\n",
            "override MON-004 → params → is: ",
        ),
        (
            "overrides:\n  - {rule: META-001, params: {pattern: '.'}}\n",
            'pattern: "." instead of "^[a-z-]+$" for a low, moderate, high or critical pilot (matches: no '
            "stricter direction is declared for pattern, so it cannot change)",
        ),
        (
            "overrides:\n  - {rule: EXT-001, params: {level: 4}}\n",
            "override EXT-001 → params → level: 4 instead of 3",
        ),
        (
            "overrides:\n  - {rule: MON-002, disabled: true}\n",
            "override MON-002 → disabled: turns off rule MON-002",
        ),
        (
            "overrides:\n  - {rule: MET-001, severity: warning}\n",
            "override MET-001 → severity: warning where the packs in use say error",
        ),
        (
            "waivers:\n  max_days: {moderate: 1000}\n",
            "local.yaml:6:14: pack local → waivers → max_days → moderate: 1000 where the packs in use allow "
            "at most 180 days",
        ),
        (
            "tiers: [critical, low, moderate, high]\n",
            'local.yaml:5:1: pack local → tiers: ["critical", "low", "moderate", "high"] where the packs in '
            'use declare ["low", "moderate", "high", "critical"]; a pack added by configuration cannot '
            "redeclare or reorder tiers",
        ),
        (
            "stages: [pilot, expansion, enterprise, retired]\n",
            "pack local → stages: ",
        ),
    ],
)
def test_loosening_is_refused_naming_the_file_pack_rule_and_parameter(
    tmp_path: Path, registry: Registry, added: str, expected: str
) -> None:
    message = refusal(tmp_path, registry, added)
    assert message.startswith(".govcheck.yaml: ")  # as reports show files: relative to the working directory
    assert "would loosen the policy of gov" in message
    assert expected in message


def test_a_tier_raised_where_a_rule_asks_less_is_refused(tmp_path: Path, registry: Registry) -> None:
    # Raising a pilot's tier is only stricter when every rule asks at least as much at the
    # higher tier; here a rule of the packs in use applies to moderate pilots only, and a waiver
    # of a critical pilot may run longer than one of a high pilot.
    base = BASE.replace(
        "  - {id: MET-001, title: t, category: metrics, severity: error, message: m,\n",
        "  - {id: MET-001, title: t, category: metrics, severity: error, message: m,"
        " applies: {tiers: [moderate]},\n",
    ).replace("critical: 90}", "critical: 150}")
    (tmp_path / "gov.yaml").write_text(base, encoding="utf-8")
    (tmp_path / "local.yaml").write_text(
        "apiVersion: govcheck/v1\nkind: PolicyPack\nmetadata: {name: local, version: '1'}\n"
        "extends: [./gov.yaml]\n"
        "tiering:\n  - {id: TIER-009, when: spec.scope.phi, minimum: critical, reason: r}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_policy(registry, (str(tmp_path / "gov.yaml"),), tmp_path, (str(tmp_path / "local.yaml"),))
    message = str(caught.value)
    assert message.startswith("the configuration: 1 change(s)")  # no configuration file named it
    assert (
        "local.yaml:6:42: pack local → tiering TIER-009: raising a pilot to critical would ask less of it "
        "(rule MET-001 would no longer apply to a critical pilot; a waiver may run 150 days, where for a "
        "high pilot 120); a pack added by configuration may raise a tier only where every rule asks at "
        "least as much of the higher tier"
    ) in message


def test_packs_the_command_line_already_uses_are_no_addition(tmp_path: Path, registry: Registry) -> None:
    (tmp_path / "gov.yaml").write_text(BASE, encoding="utf-8")
    same = (Named(str(tmp_path / "gov.yaml"), ".govcheck.yaml"),)
    policy = load_policy(registry, (str(tmp_path / "gov.yaml"),), tmp_path, same)
    assert [p.name for p in policy.packs] == ["gov"]


def test_rule_level_narrowing_is_refused_even_where_overrides_cannot_say_it(
    tmp_path: Path, registry: Registry
) -> None:
    # Overrides cannot change where a rule applies (the pack schema refuses `applies`), but the
    # comparison does not rely on that: a compiled rule applying to fewer tiers is looser.
    (tmp_path / "gov.yaml").write_text(BASE, encoding="utf-8")
    base = load_policy(registry, (str(tmp_path / "gov.yaml"),), tmp_path)
    from govcheck.packs.loader import PackLoader

    narrowed = base._replace(
        rules=tuple(
            r._replace(tiers=frozenset({"critical"}), tier_text="critical") if r.info.id == "MET-001" else r
            for r in base.rules
        ),
    )
    local = tmp_path / "local.yaml"
    local.write_text(
        "apiVersion: govcheck/v1\nkind: PolicyPack\nmetadata: {name: local, version: '1'}\nrules: []\n",
        encoding="utf-8",
    )
    pack = PackLoader({}, tmp_path).load(str(local))
    assert pack is not None
    (problem,) = tighten.loosenings(base, narrowed, [pack], registry.checks())
    assert problem.message == (
        "pack local → rule MET-001: applies to the tiers critical instead of every tier"
    )
