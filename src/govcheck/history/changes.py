"""How a pilot's state changed between two runs or buckets: what got worse, what got better.

Worse: it became blocked; its verdict moved toward ``consider-stopping`` in the verdict
precedence order (``portfolio.model.VERDICTS``); a dimension went from ready to attention or
blocked, from attention to blocked, or became blocked. Better is the reverse, except that a
dimension no longer assessed has not improved. A move to or from ``retired`` is neither: a
retired pilot is listed, not judged. A pilot can be worse in one way and better in another,
and is then both a regression and an improvement, each with its own reasons.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from govcheck.portfolio.model import DIMENSIONS, RETIRED, VERDICTS

# Worst first; retired is not a judgement, so it has no rank.
VERDICT_RANK = {v: i for i, v in enumerate(v for v in VERDICTS if v != RETIRED)}
STATUS_RANK = {"ready": 0, "attention": 1, "blocked": 2}


@dataclass(frozen=True, slots=True)
class State:
    """A pilot as one run judged it: its blocking rules and, for portfolio runs, verdict and readiness."""

    position: int  # the run's
    today: str
    blocking: tuple[str, ...] = ()
    verdict: str = ""
    readiness: Mapping[str, str] = field(default_factory=dict)

    @property
    def blocked(self) -> bool:
        return bool(self.blocking)


@dataclass(frozen=True)
class Change:
    pilot: str
    before: State
    after: State
    worse: tuple[str, ...]  # what got worse, in words
    better: tuple[str, ...]


def _worst_verdict(a: str, b: str) -> str:
    return min(a, b, key=lambda v: VERDICT_RANK.get(v, len(VERDICT_RANK)))


def _worst_status(a: str, b: str) -> str:
    return max(a, b, key=lambda s: STATUS_RANK.get(s, -1))


def merge(a: State, b: State) -> State:
    """Two documents of one pilot in one run: the worse of each, the blocking rules of both."""
    dims = sorted({*a.readiness, *b.readiness})
    return State(
        a.position,
        a.today,
        tuple(sorted({*a.blocking, *b.blocking})),
        _worst_verdict(a.verdict, b.verdict) if a.verdict and b.verdict else a.verdict or b.verdict,
        {d: _worst_status(a.readiness.get(d, ""), b.readiness.get(d, "")) for d in dims},
    )


def _dimensions(before: State, after: State) -> list[str]:
    extra = sorted({*before.readiness, *after.readiness} - set(DIMENSIONS))
    return [d for d in (*DIMENSIONS, *extra) if d in before.readiness or d in after.readiness]


def change(pilot: str, before: State, after: State) -> Change:
    worse: list[str] = []
    better: list[str] = []
    if after.blocked and not before.blocked:
        worse.append("blocked by " + ", ".join(after.blocking))
    elif before.blocked and not after.blocked:
        better.append("no longer blocked")
    a, b = VERDICT_RANK.get(before.verdict), VERDICT_RANK.get(after.verdict)
    if a is not None and b is not None and a != b:
        (worse if b < a else better).append(f"verdict {before.verdict} -> {after.verdict}")
    for dim in _dimensions(before, after):
        was, now = before.readiness.get(dim, ""), after.readiness.get(dim, "")
        x, y = STATUS_RANK.get(was), STATUS_RANK.get(now)
        if (x is not None and y is not None and y > x) or (now == "blocked" and was != "blocked"):
            worse.append(f"{dim} {was or 'unknown'} -> {now}")
        elif x is not None and y is not None and y < x:
            better.append(f"{dim} {was} -> {now}")
    return Change(pilot, before, after, tuple(worse), tuple(better))


def compare(
    before: Mapping[str, State], after: Mapping[str, State]
) -> tuple[tuple[Change, ...], tuple[Change, ...]]:
    """The pilots judged in both that regressed and that improved, each by pilot."""
    changes = [change(k, before[k], after[k]) for k in sorted(after.keys() & before.keys())]
    return tuple(c for c in changes if c.worse), tuple(c for c in changes if c.better)
