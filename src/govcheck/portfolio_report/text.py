"""A table for the terminal: one row per pilot, then portfolio totals."""
from __future__ import annotations

from typing import Mapping

from govcheck.finding import Finding
from govcheck.portfolio import DIMENSIONS, VERDICTS, Portfolio
from govcheck.portfolio_report._common import VERDICT_LABELS, pilot_label, stage_text, tier_text

CELLS = {"ready": "ok", "attention": "~", "blocked": "XX", "not-assessed": "--"}
SHORT = {"workflow": "WF", "data": "DA", "governance": "GO", "ownership": "OW", "monitoring": "MO", "metrics": "ME"}
LEGEND = "ok ready, ~ warnings only, XX blocked, -- not assessed"


def _rows(portfolio: Portfolio) -> list[list[str]]:
    head = ["PILOT", "USE CASE", "TIER", "STAGE -> NEXT", *(SHORT[d] for d in DIMENSIONS), "ERR", "WARN", "VERDICT", "WHY"]
    rows = [head]
    for p in portfolio.pilots:
        rows.append([pilot_label(p), p.use_case or "-", tier_text(p), stage_text(p),
                     *(CELLS[p.readiness[d]] for d in DIMENSIONS), str(p.counts["error"]), str(p.counts["warning"]),
                     VERDICT_LABELS[p.verdict], "; ".join(p.reasons)])
    return rows


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[-1] for row in rows]


def _counts(mapping: Mapping[str, int]) -> str:
    return ", ".join(f"{n} {VERDICT_LABELS.get(k, k)}" for k, n in mapping.items() if n)


def _problem(f: Finding) -> str:
    return f"{f.file}:{f.line}:{f.column}: {f.severity} {f.rule} {f.message}"


def render(portfolio: Portfolio) -> str:
    lines = [line.rstrip() for line in _table(_rows(portfolio))] if portfolio.pilots else []
    t = portfolio.totals
    if portfolio.pilots:
        lines.append(f"dimensions: {LEGEND}")
    lines.append(f"{len(portfolio.pilots)} pilot(s) as of {portfolio.today}: "
                 + (_counts({v: t.verdicts[v] for v in VERDICTS}) or "none"))
    for name, table in (("by tier", t.by_tier), ("by use case", t.by_use_case)):
        for key, counts in table.items():
            lines.append(f"  {name} {key}: {_counts(counts)}")
    for dim in DIMENSIONS:
        c = t.by_dimension[dim]
        lines.append(f"  {dim}: {c['blocked']} blocked, {c['attention']} warnings only, {c['ready']} ready, "
                     f"{c['not-assessed']} not assessed")
    lines.append(f"findings at the next gate: {t.severity['error']} error(s), {t.severity['warning']} warning(s), "
                 f"{t.severity['info']} info")
    lines.extend(_problem(f) for f in portfolio.problems)
    return "\n".join(lines) + "\n"
