"""Waivers: approved, time-boxed exceptions that suppress a finding without hiding it.

An approved, unexpired waiver within the pack's maximum duration turns a finding into a
suppressed one. A waiver that is expired, unapproved, too long or unused suppresses nothing
and is reported itself, so an exception can never silently outlive its approval.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govcheck.errors import ConfigError, Problem
from govcheck.load.yaml import Document, ParseError, load_all, read_file, read_text
from govcheck.model import WAIVER_RULE, Finding, ManifestResult, Severity, Suppression
from govcheck.packed import Lazy
from govcheck.schema import validate

DEFAULT_FILE = ".govcheck-waivers.yaml"
_TITLE = "Waivers are approved, current and used"


@dataclass(frozen=True)
class Waiver:
    index: int
    rule: str
    pilot: str
    reason: str
    status: str
    approved_by: str
    approved_on: dt.date | None
    expires: dt.date
    reference: str
    line: int
    column: int


@dataclass(frozen=True)
class WaiverSet:
    file: str
    waivers: tuple[Waiver, ...]


def load(path: Path, shown: str) -> WaiverSet:
    """Read and validate a waiver file; a broken one is a configuration error (exit 2)."""
    try:
        docs = load_all(read_text(shown, read_file(path)), shown)
    except ParseError as exc:
        raise ConfigError(
            "cannot read the waiver file:", (Problem(exc.file, exc.line, exc.column, exc.message),)
        ) from None
    except OSError as exc:
        raise ConfigError(f"cannot read the waiver file {shown}: {exc.strerror or exc}") from None
    if len(docs) != 1 or not isinstance(docs[0].data, dict):
        raise ConfigError(f"{shown}: a waiver file is one YAML mapping with kind: WaiverSet")
    doc = docs[0]
    problems = validate.problems(doc, "waivers")
    if problems:
        raise ConfigError(
            f"{len(problems)} problem(s) in the waiver file:",
            tuple(Problem(shown, p.line, p.column, p.message) for p in problems),
        )
    return WaiverSet(shown, tuple(_waiver(doc, i, w) for i, w in enumerate(doc.data.get("waivers", []))))


def _waiver(doc: Document, index: int, raw: Mapping[str, Any]) -> Waiver:
    line, column, _ = doc.locate(("waivers", index))
    approved_on = dt.date.fromisoformat(raw["approved_on"]) if raw.get("approved_on") else None
    return Waiver(
        index,
        raw["rule"],
        raw["pilot"],
        raw["reason"],
        raw.get("status", "pending"),
        raw.get("approved_by", ""),
        approved_on,
        dt.date.fromisoformat(raw["expires"]),
        raw.get("reference", ""),
        line,
        column,
    )


def apply(
    findings: Sequence[Finding],
    manifests: Sequence[ManifestResult],
    waivers: WaiverSet,
    today: dt.date,
    max_days: Mapping[str, int],
) -> Sequence[Finding]:
    """Sorted findings with valid waivers applied, merged with a finding for every waiver that is not valid.

    The result is lazy, like ``findings``: a waiver applies as a reporter reads each finding.
    """
    tiers = {m.pilot: m.tier for m in manifests}
    valid: dict[tuple[str, str], Waiver] = {}
    problems: list[Finding] = []
    for w in waivers.waivers:
        problem = _invalid(w, today, max_days, tiers.get(w.pilot, ""))
        if problem:
            problems.append(_report(waivers.file, w, "error", problem))
        else:
            valid.setdefault((w.rule, w.pilot), w)
    used = {key for f in findings if f.rule != WAIVER_RULE and (key := (f.rule, f.pilot)) in valid}
    for key, w in valid.items():
        if key not in used and w.pilot in tiers:
            problems.append(
                _report(
                    waivers.file,
                    w,
                    "warning",
                    f"waiver for {w.rule} on pilot {w.pilot} matches no finding; remove it",
                )
            )
    suppressions = {
        key: Suppression(w.reason, w.approved_by, w.expires.isoformat(), w.reference)
        for key, w in valid.items()
    }

    def waived(f: Finding) -> Finding:
        match = suppressions.get((f.rule, f.pilot)) if f.rule != WAIVER_RULE else None
        return f if match is None else dataclasses.replace(f, suppression=match)

    extra = sorted(problems, key=Finding.sort_key)
    return Lazy(
        lambda: heapq.merge(map(waived, findings), extra, key=Finding.sort_key), len(findings) + len(extra)
    )


def _invalid(w: Waiver, today: dt.date, max_days: Mapping[str, int], tier: str) -> str:
    what = f"waiver for {w.rule} on pilot {w.pilot}"
    if w.status != "approved" or not w.approved_by or w.approved_on is None:
        return f"{what} is not approved (status {w.status}); it needs status: approved, approved_by and approved_on"
    if w.approved_on > today:
        return f"{what} is approved from {w.approved_on.isoformat()}, after today"
    if w.expires < today:
        return f"{what} expired on {w.expires.isoformat()}; fix the finding or renew the waiver"
    limit = max_days.get(tier)
    length = (w.expires - w.approved_on).days
    if limit is not None and length > limit:
        return f"{what} runs {length} days; the pack allows at most {limit} for a {tier} pilot"
    return ""


def _report(file: str, w: Waiver, severity: Severity, message: str) -> Finding:
    return Finding(
        rule=WAIVER_RULE,
        severity=severity,
        message=message,
        file=file,
        line=w.line,
        column=w.column,
        path=f"waivers[{w.index}]",
        pilot=w.pilot,
        category="waiver",
        title=_TITLE,
        remediation="Fix the finding the waiver covers, or have the governance body approve a new, time-boxed waiver.",
    )
