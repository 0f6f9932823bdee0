"""Baselines: the findings a repository already had, so that only new ones fail the gate.

A governance team rolling a stricter pack across many existing pilots records each one's
current findings (``govcheck baseline create``); ``check --baseline`` then fails only on
findings whose fingerprint the baseline does not list, and names the entries that no longer
occur so they can be removed. A fingerprint ignores line numbers, so moving lines keeps a
finding baselined, and it includes the rule id, so a rule added after the baseline was made is
never hidden by it.

Baselined findings are suppressed, not dropped (``Suppression.kind`` "baseline"), as waived ones
are. Findings about the files and the governance instruments themselves are never baselined:
a manifest that cannot be read or does not follow the schema has not been judged by the rules
at all, and a broken waiver or a shared pilot id hides why the others do not hold, so a
baseline taken on a bad day must not let such a file pass silently from then on.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from govcheck.errors import ConfigError, Problem
from govcheck.load.yaml import Document, read_settings
from govcheck.model import (
    DUPLICATE_ID_RULE,
    KIND_RULE,
    PARSE_RULE,
    SCHEMA_RULE,
    WAIVER_RULE,
    BaselineEntry,
    BaselineUse,
    Finding,
    ManifestResult,
    Suppression,
)
from govcheck.packed import Lazy
from govcheck.schema import validate

DEFAULT_FILE = ".govcheck-baseline.yaml"
UNBASELINABLE = frozenset({PARSE_RULE, KIND_RULE, SCHEMA_RULE, WAIVER_RULE, DUPLICATE_ID_RULE})
_FIELDS = ("fingerprint", "rule", "pilot", "file", "path", "message", "created", "created_by")


@dataclasses.dataclass(frozen=True)
class Baseline:
    file: str
    entries: tuple[BaselineEntry, ...]
    sha256: str = ""  # of the file as read: the run says which baseline it applied


def load(path: str, shown: str, today: dt.date) -> Baseline:
    """Read and validate a baseline; a broken one, or one with an entry dated after ``today``, is
    a configuration error (exit 2): a baseline that cannot be read must not pass a run silently."""
    doc, sha256 = read_settings(path, shown, "baseline", "a baseline is one YAML mapping with kind: Baseline")
    problems = validate.problems(doc, "baseline")
    if problems:
        raise ConfigError(f"{len(problems)} problem(s) in the baseline:", tuple(problems))
    entries = tuple(_entry(doc, i, raw) for i, raw in enumerate(doc.data["entries"]))
    late = [_late(doc, i, e) for i, e in enumerate(entries) if dt.date.fromisoformat(e.created) > today]
    if late:
        raise ConfigError(f"{len(late)} baseline entr(ies) dated after {today.isoformat()}:", tuple(late))
    return Baseline(shown, entries, sha256)


def _entry(doc: Document, index: int, raw: Mapping[str, Any]) -> BaselineEntry:
    line, _, _ = doc.locate(("entries", index))
    return BaselineEntry(**{name: raw[name] for name in _FIELDS}, line=line)


def _late(doc: Document, index: int, e: BaselineEntry) -> Problem:
    line, column, _ = doc.locate(("entries", index, "created"))
    return Problem(
        doc.file,
        line,
        column,
        f"entries[{index}].created: {e.created} is after the run's day; an entry is recorded by"
        " govcheck baseline create on the day it is made, never ahead of time",
    )


def apply(
    findings: Sequence[Finding], baseline: Baseline | None, manifests: Iterable[ManifestResult]
) -> tuple[Sequence[Finding], BaselineUse | None]:
    """The findings with those the baseline lists suppressed, and what the run made of the baseline.

    Only the entries of files the run judged can be said to no longer occur: a run over the
    changed files alone leaves the others' entries alone. Already suppressed findings keep their
    waiver, whose expiry must still bite.
    """
    if baseline is None:
        return findings, None
    by_print = {e.fingerprint: e for e in baseline.entries}
    files = {m.file for m in manifests}
    seen: set[str] = set()
    for f in findings:  # one pass: each pass over a large run costs
        files.add(f.file)
        if _baselinable(f) and f.fingerprint in by_print:
            seen.add(f.fingerprint)
    gone = tuple(e for e in baseline.entries if e.fingerprint not in seen and e.file in files)
    use = BaselineUse(baseline.file, baseline.sha256, len(baseline.entries), gone)
    if not seen:
        return findings, use

    def baselined(f: Finding) -> Finding:
        entry = by_print.get(f.fingerprint) if _baselinable(f) else None
        if entry is None:
            return f
        why = Suppression("baseline", entry.created_by, "", baseline.file, kind="baseline")
        return dataclasses.replace(f, suppression=why)

    return Lazy(lambda: map(baselined, findings), len(findings)), use


def _baselinable(f: Finding) -> bool:
    return f.suppression is None and f.rule not in UNBASELINABLE


def entries(findings: Iterable[Finding], created_by: str, today: dt.date) -> list[BaselineEntry]:
    """One entry per fingerprint of the findings that count and can be baselined, sorted."""
    made = {
        f.fingerprint: BaselineEntry(
            f.fingerprint, f.rule, f.pilot, f.file, f.path, f.message, today.isoformat(), created_by
        )
        for f in findings
        if _baselinable(f)
    }
    return sorted(made.values(), key=lambda e: (e.file, e.pilot, e.rule, e.path, e.fingerprint))


def dump(found: Sequence[BaselineEntry]) -> str:
    """The baseline file: the same bytes for the same entries."""
    lines = [
        "# govcheck baseline: findings that existed when it was made; check --baseline fails only on others.",
        "# Written by govcheck baseline create. Review added entries as you would a waiver.",
        "apiVersion: govcheck/v1",
        "kind: Baseline",
        "entries:" + ("" if found else " []"),
    ]
    for e in found:
        values = dataclasses.asdict(e)
        lines += [
            f"{'  - ' if i == 0 else '    '}{name}: {_quoted(values[name])}" for i, name in enumerate(_FIELDS)
        ]
    return "\n".join(lines) + "\n"


# What JSON leaves raw but a YAML double-quoted scalar may not hold as is.
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]")


def _quoted(value: str) -> str:
    """A double-quoted YAML scalar: JSON's escapes are YAML's, and what YAML would fold is escaped."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))
