"""The portfolio as JSON (``schemas/portfolio.schema.json``)."""
from __future__ import annotations

import json as _json
from dataclasses import asdict
from typing import Any

from govcheck import __version__
from govcheck.finding import Finding
from govcheck.portfolio import CATEGORY_DIMENSION, DIMENSIONS, PilotReadiness, Portfolio, dimension_of

FORMAT_VERSION = "1"


def _finding(f: Finding) -> dict[str, Any]:
    return {"rule": f.rule, "severity": f.severity, "category": f.category, "dimension": dimension_of(f.category),
            "message": f.message, "file": f.file, "line": f.line, "column": f.column, "path": f.path}


def _pilot(p: PilotReadiness) -> dict[str, Any]:
    return {
        "id": p.id, "name": p.name, "file": p.file, "document": p.document, "use_case": p.use_case,
        "declared_tier": p.declared_tier, "tier": p.tier, "tier_reasons": list(p.tier_reasons),
        "stage": p.stage, "next_stage": p.next_stage, "verdict": p.verdict, "reasons": list(p.reasons),
        "readiness": dict(p.readiness), "counts": dict(p.counts),
        "metrics": [asdict(m) for m in p.metrics],
        "findings": [_finding(f) for f in p.findings],
    }


def document(portfolio: Portfolio) -> dict[str, Any]:
    t = portfolio.totals
    return {
        "format": FORMAT_VERSION,
        "tool": {"name": "govcheck", "version": __version__},
        "today": portfolio.today,
        "packs": [asdict(p) for p in portfolio.packs],
        "dimensions": list(DIMENSIONS),
        "category_dimensions": dict(CATEGORY_DIMENSION),
        "totals": {"pilots": len(portfolio.pilots), "verdicts": dict(t.verdicts), "severity": dict(t.severity),
                   "by_dimension": {k: dict(v) for k, v in t.by_dimension.items()},
                   "by_tier": {k: dict(v) for k, v in t.by_tier.items()},
                   "by_use_case": {k: dict(v) for k, v in t.by_use_case.items()},
                   "by_category_tier": {k: dict(v) for k, v in t.by_category_tier.items()}},
        "pilots": [_pilot(p) for p in portfolio.pilots],
        "problems": [_finding(f) for f in portfolio.problems],
        "rules": [{"id": r.id, "title": r.title, "category": r.category, "severity": r.severity, "pack": r.pack}
                  for r in portfolio.rules],
    }


def render(portfolio: Portfolio) -> str:
    return _json.dumps(document(portfolio), indent=2, ensure_ascii=False) + "\n"
