"""Machine-readable findings and per-rule outcomes (``schemas/findings.schema.json``).

The complete record of a run, for scripts and audits: every finding, waived ones included,
each rule's outcome per manifest (with the sha256 of the file judged), where SARIF keeps a
capped number of results, and the run's provenance.
"""

from __future__ import annotations

import json as _json
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from typing import Any

from govcheck import __version__
from govcheck.interfaces import ReportOptions
from govcheck.model import BaselineUse, Finding, ManifestResult, Provenance, RunResult

FORMAT_VERSION = "1"


def finding_dict(f: Finding) -> dict[str, Any]:
    """The schema's finding object: every field, plus the ``fingerprint`` and ``suppressed`` properties."""
    out = asdict(f)
    out["references"] = list(f.references)
    out["fingerprint"] = f.fingerprint
    out["suppressed"] = f.suppressed
    if f.suppression is not None:
        del out["suppression"]["kind"]  # told apart by "baselined", so a waived finding reads as before
        if f.suppression.baseline:
            out["baselined"] = True
    return out


def baseline_dict(use: BaselineUse) -> dict[str, Any]:
    """The schema's baseline object: the file applied and the entries that no longer occur."""
    gone = [asdict(e) for e in use.gone]
    return {"file": use.file, "sha256": use.sha256, "entries": use.entries, "gone": gone}


def _manifest(m: ManifestResult) -> dict[str, Any]:
    return {
        "file": m.file,
        "document": m.document,
        "pilot": m.pilot,
        "declared_tier": m.declared_tier,
        "tier": m.tier,
        "tier_reasons": list(m.tier_reasons),
        "stage": m.stage,
        "outcomes": [{"rule": o.rule, "status": o.status, "reason": o.reason} for o in m.outcomes],
        "findings": len(m.findings),
        "sha256": m.sha256,
    }


def provenance_dict(result: RunResult, p: Provenance) -> dict[str, Any]:
    """The schema's provenance object: who judged, from which commit and settings, with what options.

    ``run`` (id and times) only for a recorded run: any other report of the same input is the
    same bytes, while a recorded one names the record it belongs to.
    """
    out: dict[str, Any] = {
        "govcheck_version": p.govcheck_version,
        "plugins": [{"name": name, "version": version} for name, version in p.plugins],
        "commit": p.commit,
        "dirty": p.dirty,
        "config": p.config._asdict() if p.config is not None else None,
        "waivers": p.waivers._asdict() if p.waivers is not None else None,
        "options": {"stage": result.stage or None, "today": result.today, "fail_on": p.fail_on},
        "exit_code": p.exit_code,
    }
    if p.recorded is not None:
        r = p.recorded
        out["run"] = {"id": r.run_id, "started": r.started, "finished": r.finished}
    return out


def stream(result: RunResult, options: ReportOptions) -> Iterator[str]:
    """The same text as ``json.dumps(document, indent=2)``, a finding or manifest at a time.

    Built whole, the report for 10,000 manifests (200,000 outcomes) took 300 MiB.
    """
    counts = result.counts()
    head = {
        "format": FORMAT_VERSION,
        "tool": {"name": "govcheck", "version": __version__},
        "today": result.today,
        "stage": result.stage or None,
        "packs": [asdict(p) for p in result.packs],
        **({"provenance": provenance_dict(result, result.provenance)} if result.provenance else {}),
        "summary": {"manifests": len(result.manifests), **counts},
        **({"baseline": baseline_dict(result.baseline)} if result.baseline else {}),
    }
    yield _dumps(head)[:-2]  # without the closing "\n}"
    yield ',\n  "findings": '
    yield from _array(finding_dict(f) for f in result.findings)
    yield ',\n  "manifests": '
    yield from _array(_manifest(m) for m in result.manifests)
    yield "\n}\n"


def _dumps(value: Any) -> str:
    return _json.dumps(value, indent=2, ensure_ascii=False)


def _array(items: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A list as the second level of an ``indent=2`` document: items indented by four spaces."""
    opener = "[\n    "
    for item in items:
        yield opener + _dumps(item).replace("\n", "\n    ")  # strings hold no raw newline: JSON escapes it
        opener = ",\n    "
    yield "[]" if opener.startswith("[") else "\n  ]"


def render(result: RunResult, options: ReportOptions) -> str:
    """``stream`` joined: the same document, whole."""
    return "".join(stream(result, options))
