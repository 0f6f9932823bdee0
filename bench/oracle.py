"""The plain-Python oracle for bench/RULES.md: what every tool's answer is compared with.

``reference_violations(doc, today)`` is RULES.md read literally, with no library and no
shortcut; ``load(path)`` parses a manifest with a YAML library other than govcheck's own
(PyYAML's libyaml loader when installed, else ruamel's safe loader), keeping dates as text
as JSON-based tools see them. Standard library otherwise.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

RULE_IDS = [
    "META-001",
    "OWN-001",
    "OWN-002",
    "OWN-003",
    "OWN-004",
    "OPS-001",
    "WF-001",
    "DATA-001",
    "DATA-002",
    "GOV-001",
    "GOV-002",
    "GOV-003",
    "GOV-004",
    "GOV-005",
    "GOV-006",
    "GOV-007",
    "MON-001",
    "MON-002",
    "MET-001",
    "MET-002",
]
TIER_RANK = {"low": 0, "moderate": 1, "high": 2, "critical": 3}
SLUG = re.compile(r"^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$")
AS_OF = dt.date(2026, 11, 25)  # gen_corpus.py's AS_OF: "today" for every tool


def _get(doc: Any, dotted: str) -> Any:
    node = doc
    for key in dotted.split("."):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def reference_violations(doc: Any, today: dt.date = AS_OF) -> dict[str, int]:
    """Rule id -> number of problems, straight from RULES.md."""
    spec = doc.get("spec") if isinstance(doc, dict) else None
    spec = spec if isinstance(spec, dict) else {}
    tier = spec.get("risk_tier")
    rank = TIER_RANK.get(tier, -1) if isinstance(tier, str) else -1
    mod, high = rank >= 1, rank >= 2

    def present(path: str) -> bool:
        v = _get(doc, path)
        return isinstance(v, str) and v != ""

    def is_true(path: str) -> bool:
        return _get(doc, path) is True

    def at_least(path: str, n: int) -> bool:
        v = _get(doc, path)
        return isinstance(v, list) and len(v) >= n

    def reviewed_within(days: int) -> bool:
        v = _get(doc, "spec.monitoring.last_review")
        try:
            return (today - dt.date.fromisoformat(v)).days <= days
        except (TypeError, ValueError):
            return False

    out: dict[str, int] = {}

    def check(rule: str, applies: bool, ok: bool) -> None:
        if applies and not ok:
            out[rule] = 1

    ident = _get(doc, "metadata.id")
    check("META-001", True, isinstance(ident, str) and bool(SLUG.match(ident)))
    check("OWN-001", True, present("spec.ownership.business_owner.name"))
    check("OWN-002", mod, present("spec.ownership.executive_sponsor.name"))
    check("OWN-003", mod, present("spec.ownership.post_launch_owner.name"))
    check("OWN-004", high, present("spec.ownership.clinical_owner.name"))
    check("OPS-001", mod, present("spec.operating_model.support.runbook"))
    check("WF-001", mod, is_true("spec.workflow.human_review.required"))
    check("DATA-001", mod, at_least("spec.data.quality_checks", 1))
    check(
        "DATA-002",
        spec.get("stage") in ("expansion", "enterprise"),
        is_true("spec.data.identifiers.reconciled_across_sites"),
    )
    check("GOV-001", True, present("spec.governance.risk_assessment.date"))
    check("GOV-002", mod, _get(doc, "spec.governance.approval.decision") == "approved")
    check("GOV-003", high, present("spec.governance.validation.report"))
    check(
        "GOV-004", is_true("spec.scope.phi"), _get(doc, "spec.governance.privacy_review.status") == "approved"
    )
    check(
        "GOV-005",
        is_true("spec.scope.clinical_decision_support"),
        present("spec.governance.clinical_oversight.body"),
    )
    check("GOV-006", high, present("spec.governance.incident_response.runbook"))
    check("GOV-007", high, is_true("spec.governance.audit_logging"))
    check("MON-001", mod, at_least("spec.monitoring.metrics", 1))
    check("MON-002", high, reviewed_within(90))
    check("MET-001", mod, at_least("spec.success_metrics", 2))
    metrics = spec.get("success_metrics")
    gaps = (
        sum(1 for m in metrics for f in ("baseline", "target") if not isinstance(m, dict) or m.get(f) is None)
        if isinstance(metrics, list)
        else 0
    )
    if gaps:
        out["MET-002"] = gaps
    return out


def _yaml_loader() -> Callable[[bytes], Any]:
    try:
        import yaml
    except ImportError:
        from ruamel.yaml import YAML
        from ruamel.yaml.constructor import SafeConstructor

        class _Dates(SafeConstructor):
            pass

        _Dates.add_constructor("tag:yaml.org,2002:timestamp", _Dates.construct_yaml_str)
        yml = YAML(typ="safe")
        yml.Constructor = _Dates
        return yml.load

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = type("_DatesAsText", (base,), {})
    loader.add_constructor("tag:yaml.org,2002:timestamp", loader.construct_yaml_str)
    return lambda raw: yaml.load(raw, Loader=loader)


def run(files: list[Path], today: dt.date = AS_OF) -> dict[tuple[str, str], int]:
    """(manifest file name, rule) -> problems, for every violation in ``files``."""
    load = _yaml_loader()
    found: dict[tuple[str, str], int] = {}
    for f in files:
        for rule, n in reference_violations(load(f.read_bytes()), today).items():
            found[(f.name, rule)] = n
    return found
