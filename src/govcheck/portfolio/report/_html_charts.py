"""Inline SVG charts for the portfolio page: no scripts, nothing fetched, the same bytes every time.

Each chart is a ``<figure>``: one row per category, its label and counts as HTML text (so they
stay readable at any width and in any zoom), its bar an SVG that stretches to the row's width.
Every segment's size is an integer share of a fixed 1000-unit view box, computed by largest
remainder, so the output depends on the counts alone. The numbers behind a chart follow it in a
table, for readers and tools that do not see graphics.

The charts take plain rows and series, never the portfolio model: whatever verdicts, statuses
or dimensions the model carries are the series, in the order given.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import NamedTuple

VIEW = 1000  # view-box width of every bar; segments are integer widths that add up to it


class Series(NamedTuple):
    """One kind of segment: the key in each row's counts, its label and its fill colour."""

    key: str
    label: str
    colour: str


class RoadmapStep(NamedTuple):
    """One capability in build order: pilots it blocks, and pilots unblocked once it is built.

    ``unblocked`` counts the pilots whose last blocking capability this one is, given the steps
    before it, so the running sum is the pilots unblocked so far.
    """

    capability: str
    blocks: int
    unblocked: int


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def shares(counts: Sequence[int], total: int) -> list[int]:
    """``counts`` scaled to integers adding up to ``VIEW`` (largest remainder; ties by position).

    Deterministic, and every non-zero count keeps at least one unit so it stays visible.
    """
    if total <= 0:
        return [0 for _ in counts]
    exact = [c * VIEW / total for c in counts]
    out = [int(x) for x in exact]
    for i, c in enumerate(counts):
        if c and not out[i]:
            out[i] = 1
    short = VIEW - sum(out)
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] - int(exact[i])), i))
    for i in order:
        if short <= 0:
            break
        if counts[i]:
            out[i] += 1
            short -= 1
    while short < 0:  # the minimum of one unit overshot: take back from the widest
        widest = max(range(len(out)), key=lambda i: (out[i], -i))
        out[widest] -= 1
        short += 1
    return out


def _bar(label: str, counts: Mapping[str, int], series: Sequence[Series]) -> str:
    values = [counts.get(s.key, 0) for s in series]
    total = sum(values)
    described = ", ".join(f"{v} {s.label}" for s, v in zip(series, values, strict=True) if v) or "none"
    rects, x = [], 0
    for s, v, w in zip(series, values, shares(values, total), strict=True):
        if w:
            rects.append(
                f'<rect x="{x}" y="0" width="{w}" height="20" fill="{_e(s.colour)}">'
                f"<title>{_e(s.label)}: {v}</title></rect>"
            )
        x += w
    svg = (
        f'<svg class="bar" viewBox="0 0 {VIEW} 20" preserveAspectRatio="none" role="img" '
        f'aria-label="{_e(label)}: {_e(described)}" focusable="false">{"".join(rects)}</svg>'
    )
    return (
        f'<div class="chart-row"><span class="chart-label">{_e(label)}</span>{svg}'
        f'<span class="chart-total">{total:,}</span></div>'
    )


def legend(series: Sequence[Series]) -> str:
    """The colour key: a small SVG swatch and the label for each series."""
    items = "".join(
        f'<li><svg class="swatch" viewBox="0 0 10 10" aria-hidden="true" focusable="false">'
        f'<rect width="10" height="10" fill="{_e(s.colour)}"/></svg>{_e(s.label)}</li>'
        for s in series
    )
    return f'<ul class="legend">{items}</ul>'


def stacked_bars(
    ident: str,
    title: str,
    rows: Sequence[tuple[str, Mapping[str, int]]],
    series: Sequence[Series],
    table: str = "",
) -> str:
    """A horizontal stacked bar per row (label, counts by series key), with legend and caption.

    Only the series that occur in some row are drawn and listed. ``table`` (HTML) is the same
    numbers as a table, shown after the chart.
    """
    used = [s for s in series if any(counts.get(s.key, 0) for _, counts in rows)]
    body = "".join(_bar(label, counts, used) for label, counts in rows) or '<p class="meta">none</p>'
    return (
        f'<figure class="chart" id="{_e(ident)}"><figcaption><h3>{_e(title)}</h3></figcaption>'
        f"{legend(used) if used else ''}{body}{table}</figure>"
    )


def roadmap(steps: Sequence[RoadmapStep], colour: str, total: int) -> str:
    """The capability roadmap: each capability in build order, with the pilots unblocked so far.

    Empty when there are no steps: a portfolio without roadmap data shows no roadmap at all,
    not an empty frame. Bars are scaled to ``total`` (the pilots judged), so the last bar shows
    how much of the portfolio the whole roadmap unblocks.
    """
    if not steps:
        return ""
    rows, running = [], 0
    for step in steps:
        running += step.unblocked
        width = min(VIEW, running * VIEW // max(total, 1))
        label = f"{step.capability}: blocks {step.blocks} pilot(s); {running} unblocked once built"
        rows.append(
            f'<div class="chart-row"><span class="chart-label">{_e(step.capability)}'
            f"<small> blocks {step.blocks}</small></span>"
            f'<svg class="bar" viewBox="0 0 {VIEW} 20" preserveAspectRatio="none" role="img" '
            f'aria-label="{_e(label)}" focusable="false">'
            f'<rect x="0" y="0" width="{width}" height="20" fill="{_e(colour)}">'
            f"<title>unblocked so far: {running}</title></rect></svg>"
            f'<span class="chart-total">{running:,}</span></div>'
        )
    return (
        '<figure class="chart" id="chart-roadmap"><figcaption><h3>Capability roadmap: build in this '
        f"order</h3></figcaption>{legend([Series('done', 'pilots unblocked so far', colour)])}"
        f"{''.join(rows)}</figure>"
    )
