"""Unit tests of the govcheck-hti1 plugin: the check function, its attribute table and the pack.

They need the module importable (installed, or ``PYTHONPATH=plugins/govcheck-hti1/src``) but
not its entry point: the plugin is registered the way ``--plugin govcheck_hti1`` does it.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip(
    "govcheck_hti1", reason="govcheck-hti1 is not installed (pip install ./plugins/govcheck-hti1)"
)

from ruamel.yaml import YAML  # noqa: E402

import govcheck_hti1  # noqa: E402
from govcheck.interfaces import MISSING, CheckContext  # noqa: E402
from govcheck.plugins import load_registry  # noqa: E402
from govcheck_hti1 import check  # noqa: E402
from govcheck_hti1.attributes import EVIDENCE_BASED, PREDICTIVE, PREDICTIVE_GROUPS, TABLES, UNAVAILABLE_CITE  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]
TARGET = "spec.governance.regulatory.x-hti1.source_attributes"
BASE = ("spec", "governance", "regulatory", "x-hti1", "source_attributes")
RULE_ID = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*-[0-9]{3}$")
FRAMEWORK_DIRS = (ROOT.parent / "shared" / "frameworks", ROOT / "src" / "govcheck" / "frameworks")


def _context(attributes: Any) -> CheckContext:
    data = {
        "spec": {
            "governance": {
                "regulatory": {"onc_dsi": "predictive", "x-hti1": {"source_attributes": attributes}}
            }
        }
    }
    return CheckContext(data, Path("pilot.yaml"), Path("."), dt.date(2026, 11, 25), "high", "pilot")


def _complete(dsi: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for attribute in TABLES[dsi]:
        node = out
        for part in attribute.key[:-1]:
            node = node.setdefault(part, {})
        node[attribute.key[-1]] = False if attribute.flag else "recorded"
    return out


def _pack() -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load(govcheck_hti1.PACK_PATH.read_text(encoding="utf-8"))
    return data


def test_the_tables_hold_13_evidence_based_and_31_predictive_attributes() -> None:
    assert len({a.cite for a in TABLES[EVIDENCE_BASED]}) == 13
    assert len({a.cite for a in TABLES[PREDICTIVE]}) == 31
    assert PREDICTIVE_GROUPS == (
        "details",
        "purpose",
        "out_of_scope",
        "development",
        "fairness",
        "external_validation",
        "performance",
        "maintenance",
        "updates",
    )


@pytest.mark.parametrize("dsi", [EVIDENCE_BASED, PREDICTIVE])
def test_a_complete_record_passes(dsi: str) -> None:
    run = check.compile_check(TARGET, {"dsi": dsi})
    assert list(run(_context(_complete(dsi)))) == []


def test_each_missing_attribute_is_its_own_failure_at_its_own_path() -> None:
    attributes = _complete(PREDICTIVE)
    del attributes["details"]["developer"]
    attributes["purpose"]["intended_users"] = ""
    failures = check.compile_check(TARGET, {"dsi": PREDICTIVE})(_context(attributes))
    assert [(f.path, f.detail) for f in failures] == [
        (
            BASE + ("details", "developer"),
            "missing: developer name and contact information (170.315(b)(11)(iv)(B)(1)(i))",
        ),
        (BASE + ("purpose", "intended_users"), "empty: intended user(s) (170.315(b)(11)(iv)(B)(2)(iii))"),
    ]
    assert failures[0].value is MISSING and failures[1].value == ""


def test_nothing_recorded_fails_every_attribute_of_the_groups_asked_for() -> None:
    failures = check.compile_check(TARGET, {"dsi": PREDICTIVE, "groups": ["fairness", "updates"]})(
        _context(None)
    )
    assert [f.path[len(BASE) :] for f in failures] == [
        ("fairness", "approach"),
        ("fairness", "bias_management"),
        ("updates", "update_process"),
        ("updates", "performance_correction"),
    ]


def test_a_value_that_is_not_a_mapping_is_one_failure() -> None:
    failures = check.compile_check(TARGET, {"dsi": EVIDENCE_BASED})(_context("see the vendor's model card"))
    assert [(f.path, f.detail) for f in failures] == [(BASE, "must be a mapping of source attributes")]


def test_whether_a_variable_is_used_must_be_true_or_false() -> None:
    attributes = _complete(EVIDENCE_BASED)
    attributes["uses"]["sex"] = "yes"
    (failure,) = check.compile_check(TARGET, {"dsi": EVIDENCE_BASED})(_context(attributes))
    assert failure.path == BASE + ("uses", "sex")
    assert (
        failure.detail == "whether sex is used (170.315(b)(11)(iv)(A)(10)) must be true or false, not 'yes'"
    )


def test_not_available_is_allowed_where_v_a_2_allows_it_with_a_reason() -> None:
    attributes = _complete(PREDICTIVE)
    attributes["external_validation"] = {"not_available": "No external validation yet"}
    attributes["updates"] = {"not_available": "No schedule published"}
    attributes["performance"]["outcome_evaluations"] = {"not_available": "None published"}
    attributes["maintenance"]["local_fairness"] = {"not_available": "After 90 days of use"}
    assert list(check.compile_check(TARGET, {"dsi": PREDICTIVE})(_context(attributes))) == []


def test_not_available_is_refused_elsewhere_and_needs_a_reason() -> None:
    attributes = _complete(PREDICTIVE)
    attributes["performance"] = {"not_available": "Not measured"}
    attributes["external_validation"] = {"not_available": " "}
    failures = check.compile_check(TARGET, {"dsi": PREDICTIVE})(_context(attributes))
    assert [f.path[len(BASE) :] for f in failures] == [
        ("external_validation",),  # one finding for the mark, not one per attribute it covers
        ("performance", "internal_validity"),
        ("performance", "internal_fairness"),
    ]
    assert failures[0].detail == "marked not available without saying why (not_available: <why>)"
    assert "cannot be marked not available" in failures[1].detail


@pytest.mark.parametrize(
    ("target", "params", "message"),
    [
        ("spec..x", {"dsi": PREDICTIVE}, "the target must be a dotted path"),
        ("spec.x[*]", {"dsi": PREDICTIVE}, "the target must be a dotted path"),
        (TARGET, {"dsi": "rules-based"}, "parameter 'dsi' must be one of evidence-based, predictive"),
        (TARGET, {"dsi": EVIDENCE_BASED, "groups": ["details"]}, "applies to predictive DSIs only"),
        (TARGET, {"dsi": PREDICTIVE, "groups": ["detail"]}, "parameter 'groups' must be a non-empty list"),
        (TARGET, {"dsi": PREDICTIVE, "groups": []}, "parameter 'groups' must be a non-empty list"),
    ],
)
def test_bad_targets_and_parameters_are_pack_errors(
    target: str, params: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        check.compile_check(target, params)


def test_the_plugin_module_provides_the_check_and_the_pack_without_its_entry_point() -> None:
    registry = load_registry(plugins=["govcheck_hti1"], entry_points=False)
    assert registry.checks()["hti1_source_attributes"] is check.SPEC
    source = registry.pack_sources()["onc-hti1"]
    assert source.path == govcheck_hti1.PACK_PATH and source.path.is_file()
    assert registry.provider("pack", "onc-hti1") == "govcheck_hti1"


def test_pack_rule_ids_and_guards_follow_the_format() -> None:
    pack = _pack()
    assert pack["metadata"]["name"] == govcheck_hti1.PACK_NAME
    assert "tiers" not in pack and "stages" not in pack  # so it combines with any pack
    for rule in pack["rules"]:
        assert RULE_ID.match(rule["id"]), rule["id"]
        assert rule["references"], rule["id"]


def _framework_ids() -> set[str]:
    for directory in FRAMEWORK_DIRS:
        path = directory / "onc-hti1-dsi.yaml"
        if path.is_file():
            return {
                str(item["id"]) for item in YAML(typ="safe").load(path.read_text(encoding="utf-8"))["items"]
            }
    pytest.skip(
        f"the ONC HTI-1 framework data (onc-hti1-dsi.yaml) is not in {', '.join(map(str, FRAMEWORK_DIRS))}"
    )


def test_every_reference_and_citation_is_an_id_of_the_framework_data() -> None:
    known = _framework_ids()
    for rule in _pack()["rules"]:
        for reference in rule["references"]:
            assert reference.startswith("ONC HTI-1 ") and reference[len("ONC HTI-1 ") :] in known, (
                rule["id"],
                reference,
            )
    cited = {a.cite for table in TABLES.values() for a in table} | {UNAVAILABLE_CITE}
    assert cited <= known, sorted(cited - known)
