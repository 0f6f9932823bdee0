"""The trend as one self-contained page, in the portfolio page's style and head.

First what the committee asks: how many pilots each verdict (or blocked) had per bucket, as
stacked bars with the numbers after them; readiness per dimension in the latest bucket; what
regressed and improved between the last two buckets; who is blocked, since when and by which
rules. Then pilots blocked per rule per bucket, and every pilot with its current readiness and
a sparkline of its trend (and the same trend in letters, for readers who do not see graphics).

No scripts, fonts or images, and the portfolio page's Content-Security-Policy. Every value
from a record (pilot ids, rule ids, verdicts, statuses) is escaped: manifests are hostile input.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from govcheck.history.changes import Change
from govcheck.history.query import Trend
from govcheck.history.report._common import (
    blocked_now,
    changes_span,
    dimensions_of,
    legend,
    mark,
    runs_text,
    state_text,
    status_label,
    verdict_label,
    verdicts_of,
)
from govcheck.history.report._html_spark import sparkline
from govcheck.portfolio.model import STATUSES
from govcheck.portfolio.report._html_charts import Series, stacked_bars
from govcheck.portfolio.report._html_style import STATUS_FILLS, status_fill, verdict_fill
from govcheck.portfolio.report.html import e, page_start


def _slug(key: str) -> str:
    return "".join(c if c.isalnum() or c == "-" else "_" for c in key.lower())


def _scroll(name: str, table: str) -> str:
    """A table's own scrolling box, focusable and named so that keyboard users can scroll it."""
    return f'<div class="scroll" tabindex="0" role="region" aria-label="{e(name)}">{table}</div>'


def _table(name: str, head: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A named table of pre-escaped cells; a row's first cell is its header."""
    thead = "".join(f'<th scope="col">{e(h)}</th>' for h in head)
    body = "".join(f'<tr><th scope="row">{r[0]}</th>{"".join(r[1:])}</tr>' for r in rows)
    return _scroll(name, f"<table><thead><tr>{thead}</tr></thead><tbody>{body}</tbody></table>")


def _num(n: int) -> str:
    return f'<td class="num">{n:,}</td>'


def _counts_chart(trend: Trend) -> str:
    rows: list[tuple[str, Mapping[str, int]]]
    if trend.kind == "portfolio":
        keys = verdicts_of(trend)
        series = [Series(v, verdict_label(v), verdict_fill(v, i)) for i, v in enumerate(keys)]
        rows = [(b.key, b.verdicts) for b in trend.buckets]
        title = f"Verdicts per {trend.by} (pilots)"
    else:
        keys = ["blocked", "not-blocked"]
        series = [Series("blocked", "blocked", STATUS_FILLS["blocked"])]
        series.append(Series("not-blocked", "not blocked", STATUS_FILLS["ready"]))
        rows = [
            (b.key, {"blocked": b.blocked, "not-blocked": len(b.pilots) - b.blocked}) for b in trend.buckets
        ]
        title = f"Pilots blocked per {trend.by}"
    numbers = _table(
        title,
        ["", *(s.label for s in series), "total"],
        ([e(label), *(_num(c.get(k, 0)) for k in keys), _num(sum(c.values()))] for label, c in rows),
    )
    table = f'<details class="numbers"><summary>The numbers</summary>{numbers}</details>'
    return stacked_bars("chart-counts", title, rows, series, table)


def _readiness_chart(trend: Trend) -> str:
    if trend.kind != "portfolio" or not trend.buckets:
        return ""
    latest = trend.buckets[-1]
    found = sorted({s for c in latest.readiness.values() for s in c} - set(STATUSES))
    series = [Series(s, status_label(s), status_fill(s, i)) for i, s in enumerate([*STATUSES, *found])]
    rows = [(d.capitalize(), latest.readiness.get(d, {})) for d in dimensions_of(trend)]
    return stacked_bars("chart-readiness", f"Readiness per dimension, {latest.key}", rows, series)


def _changes(title: str, ident: str, changes: tuple[Change, ...], worse: bool, kind: str) -> str:
    rows = (
        [
            e(c.pilot),
            f"<td>{e('; '.join(c.worse if worse else c.better))}</td>",
            f"<td>{e(state_text(c.before, kind))}</td><td>{e(state_text(c.after, kind))}</td>",
        ]
        for c in changes
    )
    table = _table(title, ["Pilot", "What changed", "Before", "After"], rows) if changes else ""
    return f'<section id="{ident}"><h2>{e(title)}: {len(changes):,} pilot(s)</h2>{table}</section>'


def _blocked(trend: Trend) -> str:
    found = blocked_now(trend)
    rows = (
        [
            e(k),
            f"<td>{e(since.today)}</td>",
            _num(since.days) if since.days is not None else "<td>-</td>",
            f"<td>#{since.position} <small>{e(since.run_id)}</small></td>",
            f"<td>{e(', '.join(s.blocking))}</td>",
        ]
        for k, s, since in found
    )
    table = (
        _table("Blocked now", ["Pilot", "Blocked since", "Days", "First run", "Rules"], rows) if found else ""
    )
    return f'<section id="blocked"><h2>Blocked now: {len(found):,} pilot(s)</h2>{table}</section>'


def _rules(trend: Trend) -> str:
    if not trend.rules:
        return ""
    rows = ([e(rule), *(_num(n) for n in counts)] for rule, counts in trend.rules)
    table = _table("Pilots blocked per rule", ["Rule", *(b.key for b in trend.buckets)], rows)
    return f'<section id="rules"><h2>Pilots blocked per rule, per {e(trend.by)}</h2>{table}</section>'


def _pilots(trend: Trend) -> str:
    portfolio = trend.kind == "portfolio"
    dims = dimensions_of(trend) if portfolio else []
    keys, verdicts = [b.key for b in trend.buckets], verdicts_of(trend)
    rows = []
    for p in trend.pilots:
        now = verdict_label(p.current.verdict) if portfolio else state_text(p.current, trend.kind)
        cells = [f"<td>{e(now)}</td>"]
        for d in dims:
            status = p.current.readiness.get(d, "")
            cells.append(f'<td class="cell s-{_slug(status)}">{e(status_label(status) or "-")}</td>')
        letters = "".join(mark(s, trend.kind) for s in p.states)
        spark = sparkline(p.pilot, keys, p.states, trend.kind, verdicts)
        rows.append([e(p.pilot), *cells, f"<td>{spark}</td>", f"<td><code>{e(letters)}</code></td>"])
    head = ["Pilot", "Now", *(d.capitalize() for d in dims), "Trend", "Per " + trend.by]
    return (
        f'<section id="pilots"><h2>Pilots: {len(trend.pilots):,}</h2>'
        '<p class="meta">Now: each pilot\'s latest state. Trend: the strip is the verdict (or blocked)'
        f" per {e(trend.by)}, the line its readiness (or, for check runs, its blocking rules: up is"
        f" fewer). Letters: {e(legend(trend.kind))}.</p>" + _table("Pilots", head, rows) + "</section>"
    )


def _title(trend: Trend) -> str:
    return f"Decision history: {trend.kind} runs by {trend.by}"


def render(trend: Trend) -> str:
    """The page; the same trend gives the same bytes."""
    parts = [page_start(_title(trend)), f"<header><h1>{e(_title(trend))}</h1>"]
    parts.append(f'<p class="meta">{e(runs_text(trend))}</p></header>\n<main>')
    if trend.buckets:
        charts = _counts_chart(trend) + _readiness_chart(trend)
        parts.append(f'<section id="charts"><h2>At a glance</h2><div class="charts">{charts}</div></section>')
        span = changes_span(trend)
        if span:
            parts.append(_changes(f"Regressed, {span}", "regressed", trend.regressed, True, trend.kind))
            parts.append(_changes(f"Improved, {span}", "improved", trend.improved, False, trend.kind))
        parts += [_blocked(trend), _rules(trend), _pilots(trend)]
    else:
        parts.append('<p class="meta">No runs of this kind are recorded.</p>')
    return "\n".join(parts) + "\n</main>\n</body></html>\n"
