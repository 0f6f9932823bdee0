"""One CSV row per pilot per bucket it was judged in, for spreadsheets and pivot tables.

A text cell that starts like a formula gets a leading ``'`` (``portfolio.report.csv.cell``):
a pilot id is manifest text and must not run in the spreadsheet that opens the file.
"""

from __future__ import annotations

import csv as _csv
import io

from govcheck.history.query import Trend
from govcheck.portfolio.model import DIMENSIONS
from govcheck.portfolio.report.csv import cell

COLUMNS = (
    "kind",
    "bucket",
    "bucket_first",
    "bucket_last",
    "pilot",
    "run",
    "today",
    "blocked",
    "blocking",
    "verdict",
    *DIMENSIONS,
)


def render(trend: Trend) -> str:
    """The header, then per bucket (in time order) its pilots' rows, by pilot."""
    out = io.StringIO()
    writer = _csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for i, b in enumerate(trend.buckets):
        for p in trend.pilots:
            s = p.states[i]
            if s is None:
                continue
            row: list[str | int] = [trend.kind, b.key, b.first, b.last, p.pilot, s.position, s.today]
            row += ["yes" if s.blocked else "no", "; ".join(s.blocking), s.verdict]
            row += [s.readiness.get(d, "") for d in DIMENSIONS]
            writer.writerow([cell(v) for v in row])
    return out.getvalue()
