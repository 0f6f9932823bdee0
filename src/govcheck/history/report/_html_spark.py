"""A pilot's trend as a small inline SVG: a strip coloured by verdict (or blocked) per bucket,
and above it a line of its readiness (dimensions ready) or, for check runs, its blocking rules.

Consecutive buckets of one colour are one rectangle, so 100 buckets stay a few elements. The
picture has a text equivalent: its label names each stretch of buckets and what held there.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from govcheck.history.changes import State
from govcheck.history.report._common import verdict_label
from govcheck.portfolio.report._html_style import FALLBACK_FILLS, STATUS_FILLS, verdict_fill

HEIGHT = 24
LINE = FALLBACK_FILLS[0]
ABSENT = "not judged"


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _step(n: int) -> int:
    return max(3, min(24, 120 // max(n, 1)))


def _value(s: State, kind: str) -> tuple[int, int]:
    """Dimensions ready of those judged, or (check runs) rules blocking and no scale."""
    if kind == "portfolio":
        return sum(1 for v in s.readiness.values() if v == "ready"), max(len(s.readiness), 1)
    return len(s.blocking), 0


def _good(s: State, kind: str, most: int) -> float:
    """How high the line is, 0 to 1: up is better (more ready, fewer blocking rules)."""
    value, scale = _value(s, kind)
    return value / scale if scale else 1 - value / most


def _words(s: State | None, kind: str) -> str:
    if s is None:
        return ABSENT
    value, scale = _value(s, kind)
    if kind == "portfolio":
        return f"{verdict_label(s.verdict)}, {value} of {scale} ready"
    return f"blocked by {value} rule(s)" if s.blocked else "not blocked"


def describe(keys: Sequence[str], states: Sequence[State | None], kind: str) -> str:
    """Each stretch of buckets alike in words: ``2026-Q1 to 2026-Q2: fix gaps, 4 of 6 ready``."""
    parts, start = [], 0
    words = [_words(s, kind) for s in states]
    for i in range(1, len(states) + 1):
        if i == len(states) or words[i] != words[start]:
            span = keys[start] if i - 1 == start else f"{keys[start]} to {keys[i - 1]}"
            parts.append(f"{span}: {words[start]}")
            start = i
    return "; ".join(parts)


def _fill(s: State, kind: str, verdicts: Sequence[str]) -> str:
    if kind != "portfolio":
        return STATUS_FILLS["blocked" if s.blocked else "ready"]
    position = verdicts.index(s.verdict) if s.verdict in verdicts else len(verdicts)
    return verdict_fill(s.verdict, position)


def _strip(states: Sequence[State | None], kind: str, verdicts: Sequence[str], step: int) -> list[str]:
    rects, start = [], 0
    fills = [None if s is None else _fill(s, kind, verdicts) for s in states]
    for i in range(1, len(states) + 1):
        if i == len(states) or fills[i] != fills[start]:
            if fills[start] is not None:
                rects.append(
                    f'<rect x="{start * step}" y="{HEIGHT - 6}" width="{(i - start) * step}" height="6"'
                    f' fill="{_e(fills[start])}"/>'
                )
            start = i
    return rects


def _line(states: Sequence[State | None], kind: str, step: int) -> list[str]:
    """The line, broken where a bucket has no state; a lone point is a short dash."""
    most = max((len(s.blocking) for s in states if s is not None), default=0) or 1
    marks: list[str] = []
    segment: list[tuple[int, int]] = []
    for i, s in enumerate([*states, None]):
        if s is not None:
            segment.append((i * step + step // 2, 2 + round((1 - _good(s, kind, most)) * 13)))
            continue
        if len(segment) == 1:
            ((x, y),) = segment
            segment = [(x - step // 2, y), (x + step // 2, y)]
        if segment:
            points = " ".join(f"{x},{y}" for x, y in segment)
            marks.append(f'<polyline points="{points}" fill="none" stroke="{LINE}" stroke-width="1.5"/>')
        segment = []
    return marks


def sparkline(
    pilot: str, keys: Sequence[str], states: Sequence[State | None], kind: str, verdicts: Sequence[str]
) -> str:
    step = _step(len(states))
    width = step * max(len(states), 1)
    label = f"{pilot}: {describe(keys, states, kind)}"
    shapes = _strip(states, kind, verdicts, step) + _line(states, kind, step)
    return (
        f'<svg class="spark" width="{width}" height="{HEIGHT}" viewBox="0 0 {width} {HEIGHT}" role="img"'
        f' focusable="false"><title>{_e(label)}</title>{"".join(shapes)}</svg>'
    )
