"""Wording and plumbing shared by the portfolio formats.

A pilot, tier or verdict reads the same in every format, and each format's ``render`` is its
``write`` into a string.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Protocol

from govcheck.portfolio.model import PilotReadiness, Portfolio

VERDICT_LABELS = {
    "expand": "expand",
    "fix-gaps": "fix gaps",
    "redesign": "redesign",
    "consider-stopping": "consider stopping",
    "retired": "retired",
}
STATUS_LABELS = {
    "ready": "ready",
    "attention": "attention",
    "blocked": "blocked",
    "not-assessed": "not assessed",
}


def tier_text(p: PilotReadiness) -> str:
    """The effective tier, with the declared one when a tiering rule raised it."""
    tier = p.tier or "(none)"
    return tier if p.tier == p.declared_tier else f"{tier} (declared {p.declared_tier or 'none'})"


def stage_text(p: PilotReadiness) -> str:
    """The declared stage and the gate the pilot was judged at, as ``pilot -> expansion``."""
    return f"{p.stage or '(none)'} -> {p.next_stage}"


def pilot_label(p: PilotReadiness) -> str:
    """The pilot id; a manifest without one is named by its file."""
    return p.id or f"{p.file}#{p.document}"


class Sink(Protocol):
    """Where a format writes its report: a text file, standard output, a ``StringIO``."""

    def write(self, text: str, /) -> object: ...


def to_string(write: Callable[[Portfolio, Sink], None], portfolio: Portfolio) -> str:
    """What a format's ``write`` would write, as one string."""
    out = io.StringIO()
    write(portfolio, out)
    return out.getvalue()


SHOWN_PILOTS = 20  # a roadmap step names this many of its pilots; JSON lists them all


def some_pilots(pilots: tuple[str, ...]) -> str:
    """The first pilots of a roadmap step and how many more, so one step stays one line at any size."""
    more = len(pilots) - SHOWN_PILOTS
    return ", ".join(pilots[:SHOWN_PILOTS]) + (f" and {more:,} more" if more > 0 else "")
