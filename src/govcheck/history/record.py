"""What one ``check`` or ``portfolio`` run decided, as plain values: the unit the store keeps.

A record says who judged (govcheck and plugin versions, the packs and their digests, the
configuration and waiver files' digests), what (each manifest's path and sha256, at which
commit, whether the tree was dirty), how (``--stage``, ``--today``, ``--fail-on``) and with what
result (each rule's outcome per manifest, the findings and waivers, verdicts, the exit code).

``canonical`` is the one serialization the hash chain is computed over: the store recomputes
it from the rows it reads back, so an edited row changes the hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["check", "portfolio"]
# One letter per rule of ``Record.rules`` in ``ManifestEntry.outcomes``: a manifest's outcomes
# in a few hundred bytes instead of a row per rule (10,000 manifests x 124 rules).
STATUS_LETTER = {"pass": "p", "fail": "f", "not-applicable": "n"}
LETTER_STATUS = {v: k for k, v in STATUS_LETTER.items()}
GENESIS = "0" * 64  # the previous hash of a database's first run


@dataclass(frozen=True)
class FileDigest:
    """A file the run read (configuration, waivers), as shown in reports, and its sha256."""

    file: str
    sha256: str


@dataclass(frozen=True)
class PackEntry:
    name: str
    version: str
    source: str
    digest: str


@dataclass(frozen=True)
class ManifestEntry:
    """One manifest document as judged. ``blocking``: rules with an unwaived finding at or above
    ``fail_on`` (the gate's reason to say no), sorted; ``verdict`` and ``readiness``
    (dimension -> status) only for portfolio runs."""

    file: str
    document: int
    pilot: str
    sha256: str
    declared_tier: str
    tier: str
    stage: str
    outcomes: str = ""  # STATUS_LETTER per rule of Record.rules; "" when the run kept none
    blocking: tuple[str, ...] = ()
    verdict: str = ""
    readiness: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FindingEntry:
    """A finding as the gate saw it; ``waiver`` is the approver, expiry and reference of the
    waiver that suppressed it (``approved_by|expires|reference``), "" when it counts."""

    fingerprint: str
    rule: str
    severity: str
    pilot: str
    file: str
    document: int
    line: int
    path: str
    message: str
    waiver: str = ""


@dataclass(frozen=True)
class Record:
    """One run. Times are UTC, ISO 8601 with a ``Z``; ``today`` is the date rules judged against
    (``--today``), the time axis of ``govcheck history``. ``commit`` is "" outside a git work
    tree, and ``dirty`` None when it could not be told."""

    run_id: str
    kind: Kind
    started: str
    finished: str
    govcheck_version: str
    plugins: tuple[tuple[str, str], ...]  # (distribution, version), sorted
    commit: str
    dirty: bool | None
    packs: tuple[PackEntry, ...]
    config: FileDigest | None
    waivers: FileDigest | None
    today: str
    stage: str
    fail_on: str
    exit_code: int
    rules: tuple[str, ...]
    manifests: tuple[ManifestEntry, ...]
    findings: tuple[FindingEntry, ...] = ()


def canonical(record: Record) -> bytes:
    """The record as sorted, compact JSON: equal records give equal bytes on every machine."""
    return json.dumps(_plain(record), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def chain_hash(previous: str, record: Record) -> str:
    """The hash a run carries: of the previous run's hash and this record's canonical bytes."""
    return hashlib.sha256(previous.encode("ascii") + b"\n" + canonical(record)).hexdigest()


def _plain(record: Record) -> dict[str, Any]:
    """The record as JSON-ready values, one level at a time (``asdict`` deep-copies every
    value, which was most of the time of recording or verifying a run)."""
    out = dict(vars(record))
    out["plugins"] = [list(p) for p in record.plugins]
    out["packs"] = [vars(p) for p in record.packs]
    out["config"] = vars(record.config) if record.config else None
    out["waivers"] = vars(record.waivers) if record.waivers else None
    out["manifests"] = [{**vars(m), "readiness": dict(sorted(m.readiness.items()))} for m in record.manifests]
    out["findings"] = [vars(f) for f in record.findings]
    return out
