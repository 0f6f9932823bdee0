"""Waivers: approved, time-boxed exceptions that suppress a finding without hiding it.

An approved, unexpired waiver within the pack's maximum duration turns a finding into a
suppressed one. A waiver that is expired, unapproved, too long or unused suppresses nothing
and is reported itself, so an exception can never silently outlive its approval.

A waiver names a pilot by its ``metadata.id``, so an id must belong to one manifest: two
manifests that claim the same id in a run are both ``GC-DUPLICATE-ID`` errors, and no waiver
applies to either (otherwise a manifest could borrow another pilot's exceptions by its id).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from govcheck.errors import ConfigError
from govcheck.lang.values import one_line, text_problem
from govcheck.load.yaml import Document, ParseError, load_all, read_file, read_settings, read_text
from govcheck.model import DUPLICATE_ID_RULE, WAIVER_RULE, Finding, ManifestResult, Severity, Suppression
from govcheck.packed import Lazy
from govcheck.schema import validate

DEFAULT_FILE = ".govcheck-waivers.yaml"
_TITLE = "Waivers are approved, current and used"


class Waiver(NamedTuple):
    """One waiver of a waiver file, read as written; ``_judge`` decides whether it applies."""

    position: int  # in the file's list of waivers
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


class WaiverSet(NamedTuple):
    """A waiver file: where it is, its waivers in file order, and its sha256."""

    file: str
    waivers: tuple[Waiver, ...]
    sha256: str = ""  # of the file as read: the record says which waivers were applied


def load(path: Path, shown: str) -> WaiverSet:
    """Read and validate a waiver file; a broken one is a configuration error (exit 2)."""
    doc, sha256 = read_settings(
        path, shown, "waiver file", "a waiver file is one YAML mapping with kind: WaiverSet"
    )
    problems = validate.problems(doc, "waivers")
    if problems:
        raise ConfigError(
            f"{len(problems)} problem(s) in the waiver file:",
            tuple(problems),
        )
    return WaiverSet(
        shown, tuple(_waiver(doc, i, w) for i, w in enumerate(doc.data.get("waivers", []))), sha256
    )


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


class Claim(NamedTuple):
    """A manifest that claims a pilot id: where it is, and its effective tier."""

    file: str
    document: int
    tier: str


class Claims(NamedTuple):
    """Every pilot id of a run: its effective tier, and the manifests behind an id claimed twice.

    Held per pilot as its id and tier only: this lives for the rest of the run, and where each
    manifest is matters only for a shared id, which is an error and rare.
    """

    tiers: Mapping[str, str]  # each id to the tier of the first manifest that claims it
    shared: Mapping[str, Sequence[Claim]]  # ids two or more manifests claim, in reported order

    def tier_of(self, pilot: str) -> str | None:
        """The pilot's effective tier: "" when its id is shared, None when no manifest claims it."""
        if pilot in self.shared:
            return ""
        return self.tiers.get(pilot)


def claims(manifests: Collection[ManifestResult]) -> Claims:
    """Who claims each pilot id: one pass over the manifests, and a second only when an id is
    shared (each pass over a large run costs; packed results are unpacked again)."""
    tiers: dict[str, str] = {}
    twice: set[str] = set()
    for m in manifests:
        if m.pilot in tiers:
            twice.add(m.pilot)
        else:
            tiers[m.pilot] = m.tier
    twice.discard("")  # a manifest without an id is reported by the schema, not as a shared id
    shared: dict[str, list[Claim]] = {}
    if twice:
        for m in manifests:
            if m.pilot in twice:
                shared.setdefault(m.pilot, []).append(Claim(m.file, m.document, m.tier))
    return Claims(tiers, shared)


def apply(
    findings: Sequence[Finding],
    pilots: Claims,
    waivers: WaiverSet | None,
    today: dt.date,
    max_days: Mapping[str, int],
    rules: Collection[str],
    cwd: Path,
) -> Sequence[Finding]:
    """Sorted findings with valid waivers applied, merged with a finding for every pilot id that
    two manifests claim and for every waiver that is not valid or matches nothing.

    The result is lazy, like ``findings``: a waiver applies as a reporter reads each finding.
    ``rules`` are the ids of the loaded rules; ``cwd`` is where the manifests' shown paths start.
    """
    shared = pilots.shared
    problems = _duplicates(shared, cwd) if shared else []
    valid: dict[tuple[str, str], Waiver] = {}
    if waivers is not None:
        for w in waivers.waivers:
            severity, problem = _judge(w, pilots.tier_of(w.pilot), today, max_days, rules)
            if problem:
                problems.append(_report(waivers.file, w, severity, problem))
            elif w.pilot not in shared:  # a shared id is an error already, and no waiver applies to it
                valid.setdefault((w.rule, w.pilot), w)
        used = {key for f in findings if f.rule not in _UNWAIVABLE and (key := (f.rule, f.pilot)) in valid}
        problems.extend(
            _report(
                waivers.file,
                w,
                "warning",
                f"waiver for {w.rule} on pilot {w.pilot} matches no finding; remove it",
            )
            for key, w in valid.items()
            if key not in used
        )
    if not problems and not valid:
        return findings
    import heapq  # only for a run with waivers or a shared id: most runs return above

    suppressions = {
        key: Suppression(w.reason, w.approved_by, w.expires.isoformat(), w.reference)
        for key, w in valid.items()
    }

    def waived(f: Finding) -> Finding:
        match = suppressions.get((f.rule, f.pilot)) if f.rule not in _UNWAIVABLE else None
        return f if match is None else dataclasses.replace(f, suppression=match)

    extra = sorted(problems, key=Finding.sort_key)
    return Lazy(
        lambda: heapq.merge(map(waived, findings), extra, key=Finding.sort_key), len(findings) + len(extra)
    )


def _judge(
    w: Waiver, tier: str | None, today: dt.date, max_days: Mapping[str, int], rules: Collection[str]
) -> tuple[Severity, str]:
    """Why a waiver cannot apply in this run, and how much that matters; "" when it can.

    ``tier`` is ``Claims.tier_of`` the waived pilot.
    """
    invalid = _invalid(w, today, max_days, tier or "")
    if invalid:
        return "error", invalid
    what = f"waiver for {w.rule} on pilot {w.pilot}"
    if w.rule not in rules:
        return "warning", f"{what} names no rule of the loaded packs; fix the rule id or remove the waiver"
    if tier is None:
        # Info, not warning: a run over some of the files (pre-commit passes only the changed
        # ones) rightly leaves the other pilots' waivers unmatched.
        return "info", (
            f"{what} matches no manifest in this run (no metadata.id is {w.pilot!r});"
            " fix the pilot id or remove the waiver"
        )
    return "info", ""


# Findings about waivers and pilot ids themselves: a waiver that could hide them would hide
# why the others do not hold (the waiver schema's rule pattern keeps them out as well).
_UNWAIVABLE = frozenset({WAIVER_RULE, DUPLICATE_ID_RULE})


def _duplicates(shared: Mapping[str, Sequence[Claim]], cwd: Path) -> list[Finding]:
    """One error per manifest that claims a shared id, at its metadata.id, naming the others.

    Each file is read once however many of its documents share an id, and a message names at
    most ``_NAMED`` of the others: a file of many documents with one id must stay cheap.
    """
    files = {c.file for found in shared.values() for c in found}
    positions = {file: _id_positions(cwd / file, file) for file in files}
    return [
        _duplicate(pilot, claim, found, positions[claim.file].get(claim.document, (1, 1)))
        for pilot, found in shared.items()
        for claim in found
    ]


def _duplicate(pilot: str, claim: Claim, found: Sequence[Claim], at: tuple[int, int]) -> Finding:
    others = list(itertools.islice((o for o in found if o is not claim), _NAMED))
    named = ", ".join(
        f"document {o.document + 1} of this file" if o.file == claim.file else o.file for o in others
    )
    more = len(found) - 1 - len(others)
    return Finding(
        rule=DUPLICATE_ID_RULE,
        severity="error",
        message=(
            f"metadata.id {pilot!r} is also the id of {named}{f' and {more} more' if more else ''};"
            " a waiver names a pilot by its id, so no waiver applies to either until each pilot has its own"
        ),
        file=claim.file,
        line=at[0],
        column=at[1],
        path="metadata.id",
        pilot=pilot,
        category="schema",
        title="Each pilot has its own id",
        remediation="Give each pilot manifest its own metadata.id, and keep it for the pilot's life.",
        document=claim.document,
    )


_NAMED = 3  # other claims a GC-DUPLICATE-ID message names; the rest are counted


def _id_positions(path: Path, shown: str) -> dict[int, tuple[int, int]]:
    """Where each document's metadata.id is, read again: rare (only for a shared id), so not carried."""
    try:
        docs = load_all(read_text(shown, read_file(path)), shown)
    except (OSError, ParseError):  # changed since it was checked: the findings point at line 1
        return {}
    return {doc.index: doc.locate(("metadata", "id"))[:2] for doc in docs}


def _invalid(w: Waiver, today: dt.date, max_days: Mapping[str, int], tier: str) -> str:
    what = f"waiver for {w.rule} on pilot {w.pilot}"
    if w.status != "approved":
        return (
            f"{what} is not approved (status {w.status}); it needs status: approved, approved_by"
            " and approved_on"
        )
    why = text_problem(w.approved_by)  # judged as manifest text is: "TBD", "(TBD)", "N/A", "-", "<name>"
    if why is not None:
        said = why if why in ("empty", "blank") else f"{w.approved_by!r}, {why}"
        return f"{what} is not approved: approved_by is {said}; it needs the person or body that approved it"
    if w.approved_on is None:
        return f"{what} is not approved: approved_on is missing; it needs the day it was approved"
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
        message=one_line(message),
        file=file,
        line=w.line,
        column=w.column,
        path=f"waivers[{w.position}]",
        pilot=w.pilot,
        category="waiver",
        title=_TITLE,
        remediation=(
            "Fix the finding the waiver covers, or have the governance body approve a new, time-boxed waiver."
        ),
    )
