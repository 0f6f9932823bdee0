"""One CSV row per pilot, for spreadsheets."""

from __future__ import annotations

import csv as _csv

from govcheck.portfolio.model import DIMENSIONS, PilotReadiness, Portfolio
from govcheck.portfolio.report._common import Sink, to_string

# A cell starting with one of these is a formula to a spreadsheet; manifest text must not run.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = (
    "id",
    "name",
    "file",
    "document",
    "use_case",
    "declared_tier",
    "tier",
    "stage",
    "next_stage",
    *DIMENSIONS,
    "errors",
    "warnings",
    "info",
    "verdict",
    "reasons",
    "capabilities",
)


def cell(value: str | int) -> str | int:
    """A cell as written: text that a spreadsheet would run as a formula gets a leading ``'``."""
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA) else value


def _row(p: PilotReadiness) -> list[str | int]:
    return [cell(v) for v in _fields(p)]


def _fields(p: PilotReadiness) -> list[str | int]:
    return [
        p.id,
        p.name,
        p.file,
        p.document,
        p.use_case,
        p.declared_tier,
        p.tier,
        p.stage,
        p.next_stage,
        *(p.readiness[d] for d in DIMENSIONS),
        p.counts["error"],
        p.counts["warning"],
        p.counts["info"],
        p.verdict,
        "; ".join(p.reasons),
        "; ".join(f"{c} ({', '.join(rules)})" for c, rules in p.gaps),
    ]


def write(portfolio: Portfolio, out: Sink) -> None:
    """The header, then one row per pilot, written as it goes.

    A text cell that starts like a formula gets a leading ``'``: manifest text must not run in the
    spreadsheet that opens the file.
    """
    writer = _csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for p in portfolio.pilots:
        writer.writerow(_row(p))


def render(portfolio: Portfolio) -> str:
    """``write`` into one string, as ``FORMATS`` lists the format."""
    return to_string(write, portfolio)
