"""Decision records of finished runs: a ``check`` result or a portfolio, with its provenance.

A record says what the gate said and why: each manifest's outcome per rule and its blocking
rules (those with an unwaived finding at or above ``--fail-on``), every finding with its
fingerprint and the waiver that suppressed it, and for a portfolio each pilot's verdict and
readiness. Nothing here reads a file or runs git: provenance is collected before.

Text a manifest, a waiver file or a pack wrote (a pilot id, a tier, a stage, a waiver's
approver and reference, a pack's version) is recorded as ``lang.values.one_line`` shows it,
control characters as escapes: PostgreSQL refuses a NUL in text, so one pilot's id could
otherwise keep a whole portfolio from being recorded, and the findings already name a pilot
so. A pilot's name past ``MAX_NAME`` characters is cut, with a digest of the whole to keep
it apart from others: the pilot columns are indexed, and PostgreSQL refuses an index entry of
more than about 2,700 bytes (a valid id is a slug of at most 64 characters).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable, Sequence

from govcheck.history.record import (
    STATUS_LETTER,
    FileDigest,
    FindingEntry,
    Kind,
    ManifestEntry,
    PackEntry,
    Record,
)
from govcheck.lang.values import one_line
from govcheck.model import (
    SEVERITY_RANK,
    Digest,
    Finding,
    ManifestResult,
    PackInfo,
    Provenance,
    Recorded,
    RunResult,
    fingerprint,
)
from govcheck.portfolio.model import BLOCKING, FindingRow, PilotReadiness, Portfolio

MAX_NAME = 256  # characters of a recorded pilot id, tier or stage


def new_run_id() -> str:
    """A random (version 4) UUID in its hyphenated form.

    SARIF's ``automationDetails.guid`` must be a version 1 to 5 GUID in exactly this form, so a
    recorded report carries the run id itself. Random rather than time-ordered: runs are
    ordered by their position in the database, and history commands name a run by a prefix of
    its id, which is unique after a few characters only when ids do not start alike.
    """
    return str(uuid.uuid4())


def utc_now() -> str:
    """Now, in UTC, ISO 8601 to the millisecond with a ``Z``: ``2026-11-25T09:30:00.125Z``."""
    return timestamp(dt.datetime.now(dt.timezone.utc))


def timestamp(moment: dt.datetime) -> str:
    """An aware time in UTC, ISO 8601 to the millisecond with a ``Z``."""
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def recorded(started: dt.datetime) -> Recorded:
    """A run that started at ``started`` (an aware time) and finishes now, under a new id."""
    return Recorded(new_run_id(), timestamp(started), utc_now())


def check_record(result: RunResult) -> Record:
    """The record of a ``check`` run; its ``provenance`` must be collected and ``recorded`` set."""
    provenance, run = _recorded(result.provenance)
    blocking = blocking_rules(result.findings, provenance.fail_on)
    manifests = tuple(_checked(m, blocking.get((m.file, m.document), ())) for m in result.manifests)
    return _record(
        "check",
        provenance,
        run,
        result.packs,
        result.today,
        result.stage,
        tuple(r.id for r in result.rules),
        manifests,
        tuple(map(finding_entry, result.findings)),
    )


def portfolio_record(portfolio: Portfolio, provenance: Provenance) -> Record:
    """The record of a portfolio run, made with its pilots' details (``run_portfolio(details=True)``).

    Each pilot is recorded as judged, at its next stage, with its verdict and readiness; its
    blocking rules are those of its errors (``portfolio.model.BLOCKING``; the portfolio
    applies no waivers), so ``fail_on`` is ``error``. Outcomes per rule are not kept.
    """
    provenance, run = _recorded(provenance)
    manifests: list[ManifestEntry] = []
    findings: list[FindingEntry] = []
    for row, detail in portfolio.with_details():
        blocking = sorted({f.rule for f in detail.findings if f.severity == BLOCKING})
        manifests.append(_judged(row, tuple(blocking)))
        findings.extend(_row_entry(f, row) for f in detail.findings)
    findings.extend(map(finding_entry, portfolio.problems))
    findings.sort(key=lambda f: (f.file, f.document, f.line, f.rule, f.path, f.message))
    return _record(
        "portfolio",
        provenance,
        run,
        portfolio.packs,
        portfolio.today,
        "",
        tuple(r.id for r in portfolio.rules),
        tuple(manifests),
        tuple(findings),
    )


def blocking_rules(findings: Iterable[Finding], fail_on: str) -> dict[tuple[str, int], tuple[str, ...]]:
    """Per manifest document (file, document), the rules of its unwaived findings at or above
    ``fail_on``, sorted: the reasons the gate said no. None under ``never``."""
    if fail_on == "never":
        return {}
    floor = SEVERITY_RANK[fail_on]
    found: dict[tuple[str, int], set[str]] = {}
    for f in findings:
        if not f.suppressed and SEVERITY_RANK[f.severity] >= floor:
            found.setdefault((f.file, f.document), set()).add(f.rule)
    return {key: tuple(sorted(rules)) for key, rules in found.items()}


def outcome_letters(m: ManifestResult) -> str:
    """``STATUS_LETTER`` per outcome, in policy order (the order of ``Record.rules``)."""
    return "".join(STATUS_LETTER[o.status] for o in m.outcomes)


def as_recorded(text: str) -> str:
    """Manifest text as recorded: on one line, and at most ``MAX_NAME`` characters."""
    shown = one_line(text)
    if len(shown) <= MAX_NAME:
        return shown
    digest = hashlib.sha256(shown.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{shown[: MAX_NAME - 24]}...({digest})"


def finding_entry(f: Finding) -> FindingEntry:
    waiver = ""
    if f.suppression is not None:
        s = f.suppression
        waiver = "|".join(one_line(str(v)) for v in (s.approved_by, s.expires, s.reference))
    return FindingEntry(
        f.fingerprint,
        f.rule,
        f.severity,
        as_recorded(f.pilot),
        f.file,
        f.document,
        f.line,
        f.path,
        f.message,
        waiver,
    )


def _row_entry(f: FindingRow, row: PilotReadiness) -> FindingEntry:
    """A portfolio finding, which keeps no pilot or document of its own: its pilot's row has them."""
    return FindingEntry(
        fingerprint(f.file, row.document, one_line(row.id), f.rule, f.path, f.message),
        f.rule,
        f.severity,
        as_recorded(row.id),
        f.file,
        row.document,
        f.line,
        f.path,
        f.message,
    )


def _checked(m: ManifestResult, blocking: tuple[str, ...]) -> ManifestEntry:
    return ManifestEntry(
        m.file,
        m.document,
        as_recorded(m.pilot),
        m.sha256,
        as_recorded(m.declared_tier),
        as_recorded(m.tier),
        as_recorded(m.stage),
        outcome_letters(m),
        blocking,
    )


def _judged(row: PilotReadiness, blocking: tuple[str, ...]) -> ManifestEntry:
    return ManifestEntry(
        row.file,
        row.document,
        as_recorded(row.id),
        row.sha256,
        as_recorded(row.declared_tier),
        as_recorded(row.tier),
        as_recorded(row.next_stage),
        "",
        blocking,
        row.verdict,
        dict(row.readiness),
    )


def _recorded(provenance: Provenance | None) -> tuple[Provenance, Recorded]:
    if provenance is None or provenance.recorded is None:
        raise ValueError("a record needs the run's provenance, with its id and times (Provenance.recorded)")
    return provenance, provenance.recorded


def _record(
    kind: Kind,
    provenance: Provenance,
    run: Recorded,
    packs: Sequence[PackInfo],
    today: str,
    stage: str,
    rules: tuple[str, ...],
    manifests: tuple[ManifestEntry, ...],
    findings: tuple[FindingEntry, ...],
) -> Record:
    return Record(
        run_id=run.run_id,
        kind=kind,
        started=run.started,
        finished=run.finished,
        govcheck_version=provenance.govcheck_version,
        plugins=provenance.plugins,
        commit=provenance.commit,
        dirty=provenance.dirty,
        packs=tuple(PackEntry(p.name, one_line(p.version), one_line(p.source), p.digest) for p in packs),
        config=_file(provenance.config),
        waivers=_file(provenance.waivers),
        today=today,
        stage=stage,
        fail_on=provenance.fail_on,
        exit_code=provenance.exit_code,
        rules=rules,
        manifests=manifests,
        findings=findings,
    )


def _file(digest: Digest | None) -> FileDigest | None:
    return FileDigest(digest.file, digest.sha256) if digest is not None else None
