"""Wording shared by the history formats: a state, a streak and a trend read alike in each."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from govcheck.history.changes import State
from govcheck.history.query import BlockedSince, Trend
from govcheck.portfolio.model import DIMENSIONS, VERDICTS
from govcheck.portfolio.report._common import STATUS_LABELS, VERDICT_LABELS

# One letter per verdict in a pilot's trend; a verdict without one is "?".
VERDICT_MARKS = {"expand": "E", "fix-gaps": "F", "redesign": "R", "consider-stopping": "S", "retired": "r"}
BLOCKED_MARKS = {True: "X", False: "o"}
ABSENT = "."
BY_WORDS = {"run": "run", "month": "month", "quarter": "quarter"}


def verdict_label(verdict: str) -> str:
    return VERDICT_LABELS.get(verdict, verdict.replace("-", " "))


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status.replace("-", " "))


def verdicts_of(trend: Trend) -> list[str]:
    """The model's verdicts in precedence order, then any other a record carries, by name."""
    extra = sorted({v for b in trend.buckets for v in b.verdicts} - set(VERDICTS))
    return [*VERDICTS, *extra]


def dimensions_of(trend: Trend) -> list[str]:
    extra = sorted({d for b in trend.buckets for d in b.readiness} - set(DIMENSIONS))
    return [*DIMENSIONS, *extra]


def mark(state: State | None, kind: str) -> str:
    if state is None:
        return ABSENT
    if kind == "portfolio":
        return VERDICT_MARKS.get(state.verdict, "?")
    return BLOCKED_MARKS[state.blocked]


def legend(kind: str) -> str:
    if kind == "portfolio":
        marks = ", ".join(f"{m} {verdict_label(v)}" for v, m in VERDICT_MARKS.items())
    else:
        marks = "X blocked, o not blocked"
    return f"{marks}, {ABSENT} not judged"


def state_text(state: State, kind: str) -> str:
    """``fix gaps, blocked by A, B``; for a check run only whether it blocks, and by what."""
    blocked = "blocked by " + ", ".join(state.blocking) if state.blocked else "not blocked"
    return f"{verdict_label(state.verdict)}, {blocked}" if kind == "portfolio" else blocked


def since_text(since: BlockedSince) -> str:
    days = "" if since.days is None else f", {since.days} day(s)"
    return f"since {since.today} (run #{since.position}{days})"


def runs_text(trend: Trend) -> str:
    """What the trend covers, and the runs of the other kind it leaves out."""
    n = len(trend.runs)
    span = f", {trend.runs[0].today} to {trend.latest}" if trend.runs else ""
    others = [
        f"{count} {kind} run(s): --kind {kind}" for kind, count in trend.kinds.items() if kind != trend.kind
    ]
    also = f" (also {'; '.join(others)})" if others else ""
    return f"{n} {trend.kind} run(s) by {BY_WORDS.get(trend.by, trend.by)}{span}{also}"


def changes_span(trend: Trend) -> str:
    """The two buckets the regressions and improvements are between."""
    if len(trend.buckets) < 2:
        return ""
    return f"{trend.buckets[-2].key} to {trend.buckets[-1].key}"


def blocked_now(trend: Trend) -> list[tuple[str, State, BlockedSince]]:
    """Pilots blocked in their latest state: the longest-blocked first, then by pilot."""
    found = [(p.pilot, p.current, p.since) for p in trend.pilots if p.current.blocked and p.since]
    return sorted(
        ((k, s, since) for k, s, since in found if since is not None),
        key=lambda row: (-(row[2].days or 0), row[0]),
    )


# Control characters from a record (a pilot id is manifest text, and a database can be edited)
# shown as escapes, never sent to a terminal: C0, DEL, C1 (U+009B is a CSI, as ESC [ is) and the
# Unicode line and paragraph separators, as ``lang.values.one_line`` escapes them in findings.
_CONTROL = {i: f"\\x{i:02x}" for i in (*range(32), *range(0x7F, 0xA0))} | {
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def clean(text: str) -> str:
    return text.translate(_CONTROL)


def padded(rows: Iterable[Sequence[str]]) -> list[str]:
    """Rows as lines of columns padded to their widest cell, but the last; no trailing spaces."""
    table = [[clean(c) for c in r] for r in rows]
    widths = [0] * max(map(len, table), default=0)
    for row in table:
        for i, cell in enumerate(row[:-1]):
            widths[i] = max(widths[i], len(cell))
    return [
        "  ".join([*(c.ljust(widths[i]) for i, c in enumerate(row[:-1])), *row[-1:]]).rstrip()
        for row in table
    ]
