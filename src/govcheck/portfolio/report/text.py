"""A table for the terminal: one row per pilot, then portfolio totals."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from govcheck.model import Finding
from govcheck.portfolio.model import DIMENSIONS, VERDICTS, Portfolio
from govcheck.portfolio.report._common import (
    VERDICT_LABELS,
    Sink,
    pilot_label,
    some_pilots,
    stage_text,
    tier_text,
    to_string,
)

CELLS = {"ready": "ok", "attention": "~", "blocked": "XX", "not-assessed": "--"}
SHORT = {
    "workflow": "WF",
    "data": "DA",
    "governance": "GO",
    "ownership": "OW",
    "monitoring": "MO",
    "metrics": "ME",
}
LEGEND = "ok ready, ~ warnings only, XX blocked, -- not assessed"
HEAD = [
    "PILOT",
    "USE CASE",
    "TIER",
    "STAGE -> NEXT",
    *(SHORT[d] for d in DIMENSIONS),
    "ERR",
    "WARN",
    "VERDICT",
    "WHY",
]


def _rows(portfolio: Portfolio) -> Iterator[list[str]]:
    yield HEAD
    for p in portfolio.pilots:
        yield [
            pilot_label(p),
            p.use_case or "-",
            tier_text(p),
            stage_text(p),
            *(CELLS[p.readiness[d]] for d in DIMENSIONS),
            str(p.counts["error"]),
            str(p.counts["warning"]),
            VERDICT_LABELS[p.verdict],
            "; ".join(p.reasons),
        ]


def _table(portfolio: Portfolio) -> Iterator[str]:
    """Columns padded to their widest cell but the last; two passes, so no row is kept."""
    widths = [0] * (len(HEAD) - 1)
    # ``widths`` leaves out the last column: zip stops short of it on purpose.
    for row in _rows(portfolio):
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=False)]
    for row in _rows(portfolio):
        yield "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + "  " + row[-1]


def _counts(mapping: Mapping[str, int]) -> str:
    return ", ".join(f"{n} {VERDICT_LABELS.get(k, k)}" for k, n in mapping.items() if n)


def _problem(f: Finding) -> str:
    return f"{f.file}:{f.line}:{f.column}: {f.severity} {f.rule} {f.message}"


def write(portfolio: Portfolio, out: Sink) -> None:
    """The pilot table, then the totals and the files that are not readable pilots; no row is kept.

    Column widths come from a first pass over the rows, which are made again for the second.
    """
    if portfolio.pilots:
        for line in _table(portfolio):
            out.write(line.rstrip() + "\n")
    t = portfolio.totals
    lines = [f"dimensions: {LEGEND}"] if portfolio.pilots else []
    lines.append(
        f"{len(portfolio.pilots)} pilot(s) as of {portfolio.today}: "
        + (_counts({v: t.verdicts[v] for v in VERDICTS}) or "none")
    )
    for name, table in (("by tier", t.by_tier), ("by use case", t.by_use_case)):
        for key, counts in table.items():
            lines.append(f"  {name} {key}: {_counts(counts)}")
    for dim in DIMENSIONS:
        c = t.by_dimension[dim]
        lines.append(
            f"  {dim}: {c['blocked']} blocked, {c['attention']} warnings only, {c['ready']} ready, "
            f"{c['not-assessed']} not assessed"
        )
    lines.append(
        f"findings at the next gate: {t.severity['error']} error(s), {t.severity['warning']} warning(s), "
        f"{t.severity['info']} info"
    )
    lines.extend(_roadmap(portfolio))
    lines.extend(_problem(f) for f in portfolio.problems)
    out.write("\n".join(lines) + "\n")


def _roadmap(portfolio: Portfolio) -> list[str]:
    """The capabilities to build, in the order that unblocks the most pilots; none when none block."""
    steps = portfolio.roadmap
    if not steps:
        return []
    lines = ["capability roadmap (build in this order):"]
    for n, s in enumerate(steps, 1):
        lines.append(
            f"  {n}. {s.capability}: blocks {s.blocks} pilot(s), unblocks {s.unblocked}"
            f" ({s.unblocked_so_far} so far); rules {', '.join(s.rules)}; pilots {some_pilots(s.pilots)}"
        )
    return lines


def render(portfolio: Portfolio) -> str:
    """``write`` into one string, as ``FORMATS`` lists the format."""
    return to_string(write, portfolio)
