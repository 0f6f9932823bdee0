"""Decision records with every field filled, for the store's tests on SQLite and PostgreSQL.

``decision("run-1")`` is a check run over two manifests with outcomes, blocking rules, a
portfolio verdict and readiness, and two findings (one waived), with text outside ASCII, so a
round trip through either database shows any field it loses or changes.
"""

from __future__ import annotations

from govcheck.history.record import FileDigest, FindingEntry, ManifestEntry, PackEntry, Record

RULES = ("GOV-001", "DATA-002", "MET-003", "WF-004")


def decision(run_id: str, *, today: str = "2026-11-25", message: str = "", exit_code: int = 1) -> Record:
    return Record(
        run_id=run_id,
        kind="check",
        started=f"{today}T09:00:00Z",
        finished=f"{today}T09:00:02Z",
        govcheck_version="1.4.0",
        plugins=(("govcheck-evidence", "0.3.1"), ("govcheck-hti1", "1.0.0")),
        commit="3f2a9c1e0b7d4a5f6e8c9b0a1d2e3f4a5b6c7d8e",
        dirty=False,
        packs=(
            PackEntry("baseline", "2.0.0", "shipped", "a" * 64),
            PackEntry("scale-readiness", "2.1.0", "shipped", "b" * 64),
        ),
        config=FileDigest(".govcheck.yaml", "c" * 64),
        waivers=FileDigest("waivers.yaml", "d" * 64),
        today=today,
        stage="expansion",
        fail_on="error",
        exit_code=exit_code,
        rules=RULES,
        manifests=(
            ManifestEntry(
                file="pilots/denials-triage.yaml",
                document=0,
                pilot="denials-triage",
                sha256="e" * 64,
                declared_tier="moderate",
                tier="high",
                stage="expansion",
                outcomes="pffn",
                blocking=("DATA-002",),
                verdict="fix-gaps",
                readiness={"data": "blocked", "governance": "ready", "workflow": "attention"},
            ),
            ManifestEntry(
                file="pilots/sepsis-alert.yaml",
                document=1,
                pilot="sepsis-alert",
                sha256="f" * 64,
                declared_tier="high",
                tier="high",
                stage="pilot",
                outcomes="pppn",
            ),
        ),
        findings=(
            FindingEntry(
                fingerprint="1" * 16,
                rule="DATA-002",
                severity="error",
                pilot="denials-triage",
                file="pilots/denials-triage.yaml",
                document=0,
                line=14,
                path="spec.data.quality_checks",
                message=message or "Données de qualité: seuil 0,98 non atteint — 0,91 mesuré",
            ),
            FindingEntry(
                fingerprint="2" * 16,
                rule="MET-003",
                severity="warning",
                pilot="denials-triage",
                file="pilots/denials-triage.yaml",
                document=0,
                line=30,
                path="spec.success_metrics[0]",
                message="the target is not dated",
                waiver="Dana Whitfield|2027-03-31|GOV-TICKET-118",
            ),
        ),
    )
