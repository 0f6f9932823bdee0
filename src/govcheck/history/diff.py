"""Two runs compared: the findings opened and closed between them, by fingerprint, and the pilots
whose state changed.

A finding is open when it counts (no waiver suppressed it). Opened: open in the second run and
not in the first (new, or its waiver lapsed). Closed: open in the first and absent from the
second. Waived: open in the first, suppressed by a waiver in the second (still there, no longer
counted). Still open: open in both. A fingerprint names the same problem in two runs
(``Finding.fingerprint``: file, document, pilot, rule and where), so a moved line is no change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from govcheck.history.changes import Change, compare
from govcheck.history.query import RunInfo, run_info, states
from govcheck.history.record import FindingEntry

if TYPE_CHECKING:
    from govcheck.history.store import StoredRun


@dataclass(frozen=True)
class Diff:
    before: RunInfo
    after: RunInfo
    opened: tuple[FindingEntry, ...]  # as the second run has them
    closed: tuple[FindingEntry, ...]  # as the first run had them
    waived: tuple[FindingEntry, ...]  # as the second run has them, with the waiver
    still_open: tuple[FindingEntry, ...]  # as the second run has them
    regressed: tuple[Change, ...]
    improved: tuple[Change, ...]


def _order(f: FindingEntry) -> tuple[str, str, int, int, str, str]:
    return (f.pilot, f.file, f.document, f.line, f.rule, f.fingerprint)


def _by_fingerprint(findings: Iterable[FindingEntry]) -> dict[str, FindingEntry]:
    out: dict[str, FindingEntry] = {}
    for f in findings:
        out.setdefault(f.fingerprint, f)
    return out


def _sorted(findings: Iterable[FindingEntry]) -> tuple[FindingEntry, ...]:
    return tuple(sorted(findings, key=_order))


def diff(before: StoredRun, after: StoredRun) -> Diff:
    """What changed from ``before`` to ``after`` (two runs read with their findings)."""
    was = _by_fingerprint(before.record.findings)
    now = _by_fingerprint(after.record.findings)
    open_before = {k for k, f in was.items() if not f.waiver}
    open_now = {k for k, f in now.items() if not f.waiver}
    regressed, improved = compare(states(before), states(after))
    return Diff(
        run_info(before),
        run_info(after),
        _sorted(now[k] for k in open_now - open_before),
        _sorted(was[k] for k in open_before - now.keys()),
        _sorted(now[k] for k in open_before & (now.keys() - open_now)),
        _sorted(now[k] for k in open_now & open_before),
        regressed,
        improved,
    )
