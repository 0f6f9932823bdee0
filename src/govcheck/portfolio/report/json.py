"""The portfolio as JSON (``schemas/portfolio.schema.json``), for dashboards and scripts.

Unlike text and csv it lists every pilot's findings and metric judgements; ``write`` streams
it one pilot at a time.
"""

from __future__ import annotations

import json as _json
from dataclasses import asdict
from typing import Any

from govcheck import __version__
from govcheck.model import Finding
from govcheck.portfolio.model import (
    CATEGORY_DIMENSION,
    DIMENSIONS,
    FindingRow,
    PilotDetail,
    PilotReadiness,
    Portfolio,
    dimension_of,
)
from govcheck.portfolio.report._common import Sink, to_string

FORMAT_VERSION = "1"


def _finding(f: Finding | FindingRow) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "severity": f.severity,
        "category": f.category,
        "dimension": dimension_of(f.category),
        "message": f.message,
        "file": f.file,
        "line": f.line,
        "column": f.column,
        "path": f.path,
    }


def _pilot(p: PilotReadiness, d: PilotDetail) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "file": p.file,
        "document": p.document,
        "use_case": p.use_case,
        "declared_tier": p.declared_tier,
        "tier": p.tier,
        "tier_reasons": list(p.tier_reasons),
        "stage": p.stage,
        "next_stage": p.next_stage,
        "verdict": p.verdict,
        "reasons": list(p.reasons),
        "readiness": dict(p.readiness),
        "counts": dict(p.counts),
        "capabilities": [{"capability": c, "rules": list(rules)} for c, rules in p.gaps],
        "metrics": [asdict(m) for m in d.metrics],
        "findings": [_finding(f) for f in d.findings],
    }


def _head(portfolio: Portfolio) -> dict[str, Any]:
    """The document's members before "pilots"."""
    t = portfolio.totals
    return {
        "format": FORMAT_VERSION,
        "tool": {"name": "govcheck", "version": __version__},
        "today": portfolio.today,
        "packs": [asdict(p) for p in portfolio.packs],
        "dimensions": list(DIMENSIONS),
        "category_dimensions": dict(CATEGORY_DIMENSION),
        "totals": {
            "pilots": len(portfolio.pilots),
            "verdicts": dict(t.verdicts),
            "severity": dict(t.severity),
            "by_dimension": {k: dict(v) for k, v in t.by_dimension.items()},
            "by_tier": {k: dict(v) for k, v in t.by_tier.items()},
            "by_use_case": {k: dict(v) for k, v in t.by_use_case.items()},
            "by_category_tier": {k: dict(v) for k, v in t.by_category_tier.items()},
        },
    }


def _tail(portfolio: Portfolio) -> dict[str, Any]:
    """The document's members after "pilots"."""
    return {
        "roadmap": [step._asdict() for step in portfolio.roadmap],
        "problems": [_finding(f) for f in portfolio.problems],
        "rules": [
            {
                "id": r.id,
                "title": r.title,
                "category": r.category,
                "severity": r.severity,
                "pack": r.pack,
                "capability": r.capability,
            }
            for r in portfolio.rules
        ],
    }


def document(portfolio: Portfolio) -> dict[str, Any]:
    """The whole document as one value (``write`` streams the same text without building it)."""
    return {
        **_head(portfolio),
        "pilots": [_pilot(p, d) for p, d in portfolio.with_details()],
        **_tail(portfolio),
    }


def _dumps(value: Any, depth: int) -> str:
    """``value`` as ``json.dumps(document, indent=2)`` prints it at ``depth`` levels of nesting.

    Strings in JSON cannot hold a raw newline, so every newline is a line break to indent.
    """
    return _json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + "  " * depth)


def _member(name: str, value: Any) -> str:
    return f"  {_dumps(name, 1)}: {_dumps(value, 1)}"


def write(portfolio: Portfolio, out: Sink) -> None:
    """``json.dumps(document(portfolio), indent=2)``, written one pilot at a time."""
    out.write("{\n" + ",\n".join(_member(k, v) for k, v in _head(portfolio).items()) + ",\n")
    out.write(f"  {_dumps('pilots', 1)}: [")
    first = True
    for p, d in portfolio.with_details():
        out.write(("\n    " if first else ",\n    ") + _dumps(_pilot(p, d), 2))
        first = False
    out.write("]" if first else "\n  ]")
    out.write(",\n" + ",\n".join(_member(k, v) for k, v in _tail(portfolio).items()) + "\n}\n")


def render(portfolio: Portfolio) -> str:
    """``write`` into one string, as ``FORMATS`` lists the format."""
    return to_string(write, portfolio)
