"""Factories shared by tests: manifests with defaults, and one-call evaluation."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

from govcheck.api import CheckSettings, run_check
from govcheck.model import RunResult

DATA = Path(__file__).resolve().parent / "data"
MINI = str(DATA / "packs" / "mini")
CHILD = str(DATA / "packs" / "child")
TODAY = dt.date(2026, 11, 25)

BASE: dict[str, Any] = {
    "apiVersion": "govcheck/v1",
    "kind": "AIPilot",
    "metadata": {"id": "denials-triage", "name": "Denials triage"},
    "spec": {
        "use_case": "denials",
        "risk_tier": "moderate",
        "stage": "expansion",
        "scope": {"phi": False, "clinical_decision_support": False},
        "ownership": {"post_launch_owner": {"name": "Dana Whitfield"}},
        "operating_model": {"support": {"runbook": "docs/runbook.md"}},
        "workflow": {"human_review": {"required": True}},
        "data": {"quality_checks": [{"name": "completeness", "threshold": 0.98}]},
        "governance": {"privacy_review": {"status": "approved"}},
        "monitoring": {"last_review": "2026-10-01"},
        "success_metrics": [{"name": "days-to-appeal", "unit": "days", "baseline": 9.5, "target": 6.0}],
    },
}


def manifest(**changes: Any) -> dict[str, Any]:
    """BASE with dotted-path changes: ``manifest(**{"spec.risk_tier": "high"})``; None deletes."""
    doc = copy.deepcopy(BASE)
    for dotted, value in changes.items():
        *parents, last = dotted.split(".")
        node = doc
        for part in parents:
            node = node.setdefault(part, {})
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return doc


def write(path: Path, doc: dict[str, Any] | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc, indent=1), encoding="utf-8")
    return path


def check(tmp_path: Path, doc: dict[str, Any] | str, pack: str = MINI, **settings: Any) -> RunResult:
    file = write(tmp_path / "pilot.yaml", doc)
    options = {"today": TODAY, "cwd": tmp_path, "packs": (pack,), **settings}
    return run_check(CheckSettings(paths=(str(file),), **options))


def rules(result: RunResult) -> list[str]:
    return sorted(f.rule for f in result.findings if not f.suppressed)


def outcome(result: RunResult, rule: str) -> tuple[str, str]:
    found = [o for o in result.manifests[0].outcomes if o.rule == rule]
    return found[0].status, found[0].reason
