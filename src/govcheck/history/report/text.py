"""The trend for the terminal: buckets, what changed last, who is blocked since when, by what."""

from __future__ import annotations

from govcheck.history.changes import Change
from govcheck.history.query import Trend
from govcheck.history.report._common import (
    blocked_now,
    changes_span,
    clean,
    dimensions_of,
    legend,
    mark,
    padded,
    runs_text,
    state_text,
    verdict_label,
    verdicts_of,
)
from govcheck.portfolio.report.text import CELLS, SHORT

RULE_COLUMNS = 8  # the rule table shows the latest buckets only; json and csv have them all


def _buckets(trend: Trend) -> list[str]:
    portfolio = trend.kind == "portfolio"
    verdicts = verdicts_of(trend) if portfolio else []
    head = [
        "BUCKET",
        "FIRST",
        "LAST",
        "RUNS",
        "PILOTS",
        "BLOCKED",
        *(verdict_label(v).upper() for v in verdicts),
    ]
    rows = [head]
    for b in trend.buckets:
        counts = [str(b.verdicts.get(v, 0)) for v in verdicts]
        rows.append([b.key, b.first, b.last, str(len(b.runs)), str(len(b.pilots)), str(b.blocked), *counts])
    return padded(rows)


def _dimensions(trend: Trend) -> list[str]:
    if trend.kind != "portfolio" or not trend.buckets:
        return []
    dims = dimensions_of(trend)
    rows = [["BUCKET", *(d.upper() for d in dims)]]
    rows += [[b.key, *(str(b.readiness.get(d, {}).get("blocked", 0)) for d in dims)] for b in trend.buckets]
    return ["", "Pilots blocked per dimension:", *padded(rows)]


def _changes(title: str, changes: tuple[Change, ...], worse: bool, span: str) -> list[str]:
    if not span:
        return []
    lines = ["", f"{title} from {span}: {len(changes)} pilot(s)"]
    lines += [f"  {clean(c.pilot)}: {clean('; '.join(c.worse if worse else c.better))}" for c in changes]
    return lines


def _blocked(trend: Trend) -> list[str]:
    found = blocked_now(trend)
    lines = ["", f"Blocked now: {len(found)} pilot(s)"]
    if found:
        rows = [["PILOT", "SINCE", "DAYS", "RUN", "RULES"]]
        rows += [
            [
                k,
                since.today,
                "" if since.days is None else str(since.days),
                f"#{since.position}",
                ", ".join(s.blocking),
            ]
            for k, s, since in found
        ]
        lines += ["  " + line for line in padded(rows)]
    return lines


def _rules(trend: Trend) -> list[str]:
    if not trend.rules:
        return []
    shown = trend.buckets[-RULE_COLUMNS:]
    skipped = len(trend.buckets) - len(shown)
    note = f" (the latest {len(shown)} of {len(trend.buckets)} buckets)" if skipped else ""
    rows = [["RULE", *(b.key for b in shown)]]
    rows += [[rule, *(str(n) for n in counts[skipped:])] for rule, counts in trend.rules]
    return ["", f"Pilots blocked per rule{note}:", *("  " + line for line in padded(rows))]


def _pilots(trend: Trend) -> list[str]:
    portfolio = trend.kind == "portfolio"
    dims = dimensions_of(trend) if portfolio else []
    rows = [["PILOT", "NOW", *(SHORT.get(d, d[:2].upper()) for d in dims), "TREND"]]
    for p in trend.pilots:
        cells = [CELLS.get(p.current.readiness.get(d, ""), "?") for d in dims]
        now = verdict_label(p.current.verdict) if portfolio else state_text(p.current, trend.kind)
        rows.append([p.pilot, now, *cells, "".join(mark(s, trend.kind) for s in p.states)])
    return ["", f"Pilots ({legend(trend.kind)}):", *("  " + line for line in padded(rows))]


def render(trend: Trend) -> str:
    """The whole trend as lines of text; a pilot's TREND has one letter per bucket."""
    lines = [clean(f"History: {runs_text(trend)}")]
    if not trend.runs:
        return "\n".join(lines) + "\n"
    lines += ["", *_buckets(trend), *_dimensions(trend)]
    span = changes_span(trend)
    lines += _changes("Regressed", trend.regressed, True, span)
    lines += _changes("Improved", trend.improved, False, span)
    lines += _blocked(trend)
    lines += _rules(trend) + _pilots(trend)
    return "\n".join(lines) + "\n"
