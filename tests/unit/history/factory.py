"""Records by hand: a run is a few pilots' states, written as short strings.

``pilot("denials", "fix-gaps", data="blocked", blocking=("SRDATA-001",))`` is one manifest;
``stored(1, "2026-01-15", [...])`` a run at position 1 judged as of that day.
"""

from __future__ import annotations

from typing import Any

from govcheck.history.record import FindingEntry, ManifestEntry, Record
from govcheck.history.store import StoredRun
from govcheck.portfolio.model import DIMENSIONS


def pilot(
    id: str,
    verdict: str = "",
    *,
    blocking: tuple[str, ...] = (),
    file: str = "",
    document: int = 0,
    **readiness: str,
) -> ManifestEntry:
    """A manifest entry; a verdict gives every dimension not named a status of ``ready``."""
    status = {d: readiness.get(d, "ready") for d in DIMENSIONS} if verdict else dict(readiness)
    return ManifestEntry(
        file=file or f"pilots/{id or 'unnamed'}.yaml",
        document=document,
        pilot=id,
        sha256="0" * 64,
        declared_tier="moderate",
        tier="moderate",
        stage="pilot",
        blocking=tuple(sorted(blocking)),
        verdict=verdict,
        readiness=status,
    )


def finding(pilot: str, rule: str, fingerprint: str = "", waiver: str = "", **changes: Any) -> FindingEntry:
    values: dict[str, Any] = {
        "fingerprint": fingerprint or f"{pilot}:{rule}",
        "rule": rule,
        "severity": "error",
        "pilot": pilot,
        "file": f"pilots/{pilot}.yaml",
        "document": 0,
        "line": 3,
        "path": "spec.data",
        "message": f"{rule} failed",
        "waiver": waiver,
    }
    return FindingEntry(**{**values, **changes})


def record(
    today: str,
    manifests: list[ManifestEntry],
    *,
    kind: str = "",
    findings: list[FindingEntry] | None = None,
    run_id: str = "",
) -> Record:
    """A run judged as of ``today``; portfolio when any manifest has a verdict, else check."""
    kind = kind or ("portfolio" if any(m.verdict for m in manifests) else "check")
    return Record(
        run_id=run_id or f"run-{today}-{kind}",
        kind=kind,  # type: ignore[arg-type]
        started=f"{today}T09:00:00Z",
        finished=f"{today}T09:00:05Z",
        govcheck_version="0.0.0",
        plugins=(),
        commit="abc123",
        dirty=False,
        packs=(),
        config=None,
        waivers=None,
        today=today,
        stage="",
        fail_on="error",
        exit_code=1 if any(m.blocking for m in manifests) else 0,
        rules=(),
        manifests=tuple(manifests),
        findings=tuple(findings or ()),
    )


def stored(position: int, today: str, manifests: list[ManifestEntry], **options: Any) -> StoredRun:
    rec = record(today, manifests, run_id=options.pop("run_id", f"run{position:04d}"), **options)
    return StoredRun(position, f"{position:064x}", f"{position - 1:064x}", rec)
