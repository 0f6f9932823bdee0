"""One CSV row per pilot, for spreadsheets."""
from __future__ import annotations

import csv as _csv
import io

from govcheck.portfolio import DIMENSIONS, PilotReadiness, Portfolio

# A cell starting with one of these is a formula to a spreadsheet; manifest text must not run.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = ("id", "name", "file", "document", "use_case", "declared_tier", "tier", "stage", "next_stage",
           *DIMENSIONS, "errors", "warnings", "info", "verdict", "reasons")


def _cell(value: str | int) -> str | int:
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA) else value


def _row(p: PilotReadiness) -> list[str | int]:
    return [_cell(v) for v in _fields(p)]


def _fields(p: PilotReadiness) -> list[str | int]:
    return [p.id, p.name, p.file, p.document, p.use_case, p.declared_tier, p.tier, p.stage, p.next_stage,
            *(p.readiness[d] for d in DIMENSIONS), p.counts["error"], p.counts["warning"], p.counts["info"],
            p.verdict, "; ".join(p.reasons)]


def render(portfolio: Portfolio) -> str:
    out = io.StringIO()
    writer = _csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(_row(p) for p in portfolio.pilots)
    return out.getvalue()
