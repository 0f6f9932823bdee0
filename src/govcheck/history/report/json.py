"""The trend, a diff and a verification as JSON (``schemas/history.schema.json``).

Each document names itself (``"report": "trend" | "diff" | "verify"``). The trend lists every
pilot's state in every bucket; each pilot is one compact line, so that 1,000 pilots over 100
runs stay a document that is written, and read, in a fraction of a second.
"""

from __future__ import annotations

import json as _json
from collections.abc import Iterable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from govcheck import __version__
from govcheck.history.changes import Change, State
from govcheck.history.diff import Diff
from govcheck.history.query import Bucket, PilotTrend, Trend
from govcheck.history.record import FindingEntry
from govcheck.history.report._common import changes_span, dimensions_of

if TYPE_CHECKING:
    from govcheck.history.store import Verification

FORMAT_VERSION = "1"


def state(s: State | None) -> dict[str, Any] | None:
    if s is None:
        return None
    readiness = s.readiness if type(s.readiness) is dict else dict(s.readiness)  # keys sorted when dumped
    return {
        "run": s.position,
        "today": s.today,
        "blocked": bool(s.blocking),
        "blocking": list(s.blocking),
        "verdict": s.verdict,
        "readiness": readiness,
    }


def _bucket(b: Bucket) -> dict[str, Any]:
    return {
        "key": b.key,
        "first": b.first,
        "last": b.last,
        "runs": list(b.runs),
        "pilots": len(b.pilots),
        "blocked": b.blocked,
        "verdicts": dict(b.verdicts),
        "readiness": {d: dict(c) for d, c in b.readiness.items()},
    }


def _pilot(p: PilotTrend) -> dict[str, Any]:
    return {
        "pilot": p.pilot,
        "current": state(p.current),
        "blocked_since": asdict(p.since) if p.since else None,
        "states": [state(s) for s in p.states],
    }


def change(c: Change) -> dict[str, Any]:
    return {
        "pilot": c.pilot,
        "worse": list(c.worse),
        "better": list(c.better),
        "before": state(c.before),
        "after": state(c.after),
    }


def _head(report: str) -> dict[str, Any]:
    return {"format": FORMAT_VERSION, "report": report, "tool": {"name": "govcheck", "version": __version__}}


def _lines(name: str, items: Iterable[Any]) -> str:
    """A member whose items are one compact line each, each made and dumped in turn (so none outlives
    its line: 100,000 states kept alive at once cost more in garbage collection than in dumping)."""
    body = ",\n".join("    " + _json.dumps(i, ensure_ascii=False, sort_keys=True) for i in items)
    return f'  "{name}": [\n{body}\n  ]' if body else f'  "{name}": []'


def _member(name: str, value: Any) -> str:
    return f'  "{name}": ' + _json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True).replace(
        "\n", "\n  "
    )


def render(trend: Trend) -> str:
    span = changes_span(trend)
    members = {
        **_head("trend"),
        "kind": trend.kind,
        "by": trend.by,
        "latest": trend.latest,
        "kinds": dict(trend.kinds),
        "dimensions": dimensions_of(trend) if trend.kind == "portfolio" else [],
        "changes": {
            "from": trend.buckets[-2].key if span else None,
            "to": trend.buckets[-1].key if span else None,
        },
    }
    parts = [_member(k, v) for k, v in members.items()]
    parts.append(_lines("regressed", [change(c) for c in trend.regressed]))
    parts.append(_lines("improved", [change(c) for c in trend.improved]))
    parts.append(_lines("runs", [asdict(r) for r in trend.runs]))
    parts.append(_lines("buckets", [_bucket(b) for b in trend.buckets]))
    parts.append(_lines("rules", [{"rule": r, "blocked": list(n)} for r, n in trend.rules]))
    parts.append(_lines("pilots", map(_pilot, trend.pilots)))
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _finding(f: FindingEntry) -> dict[str, Any]:
    return asdict(f)


def render_diff(d: Diff) -> str:
    document = {
        **_head("diff"),
        "before": asdict(d.before),
        "after": asdict(d.after),
        "opened": [_finding(f) for f in d.opened],
        "closed": [_finding(f) for f in d.closed],
        "waived": [_finding(f) for f in d.waived],
        "still_open": [_finding(f) for f in d.still_open],
        "regressed": [change(c) for c in d.regressed],
        "improved": [change(c) for c in d.improved],
    }
    return _json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def render_verify(v: Verification) -> str:
    document = {**_head("verify"), "runs": v.runs, "head": v.head, "intact": not v.problems}
    document["problems"] = list(v.problems)
    return _json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
