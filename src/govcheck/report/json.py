"""Machine-readable findings and per-rule outcomes (``schemas/findings.schema.json``)."""
from __future__ import annotations

import json as _json
from dataclasses import asdict
from typing import Any

from govcheck import __version__
from govcheck.finding import Finding, ManifestResult, RunResult
from govcheck.interfaces import ReporterSpec, ReportOptions

FORMAT_VERSION = "1"


def finding_dict(f: Finding) -> dict[str, Any]:
    out = asdict(f)
    out["references"] = list(f.references)
    out["fingerprint"] = f.fingerprint
    out["suppressed"] = f.suppressed
    return out


def _manifest(m: ManifestResult) -> dict[str, Any]:
    return {
        "file": m.file, "document": m.document, "pilot": m.pilot, "declared_tier": m.declared_tier,
        "tier": m.tier, "tier_reasons": list(m.tier_reasons), "stage": m.stage,
        "outcomes": [{"rule": o.rule, "status": o.status, "reason": o.reason} for o in m.outcomes],
        "findings": len(m.findings),
    }


def render(result: RunResult, options: ReportOptions) -> str:
    counts = result.counts()
    document = {
        "format": FORMAT_VERSION,
        "tool": {"name": "govcheck", "version": __version__},
        "today": result.today,
        "stage": result.stage or None,
        "packs": [asdict(p) for p in result.packs],
        "summary": {"manifests": len(result.manifests), **counts},
        "findings": [finding_dict(f) for f in result.findings],
        "manifests": [_manifest(m) for m in sorted(result.manifests, key=lambda m: (m.file, m.document))],
    }
    return _json.dumps(document, indent=2, ensure_ascii=False) + "\n"


SPEC = ReporterSpec("json", render, "findings and per-rule outcomes as JSON", ".json", needs_outcomes=True)
