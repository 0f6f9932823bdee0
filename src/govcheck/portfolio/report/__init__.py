"""Portfolio formats: pure renderers ``render(portfolio) -> str``, listed in one explicit dict.

They render a ``Portfolio`` rather than a ``RunResult``, so they are not ``--format``
reporters of ``govcheck check``; ``govcheck portfolio --format`` takes its choices from here.
Each format also has ``write(portfolio, stream)``, which writes the same text piece by piece
so that a large portfolio's report is never held in memory whole.
"""

from __future__ import annotations

from collections.abc import Callable

from govcheck.portfolio.model import Portfolio
from govcheck.portfolio.report import csv, html, json, text
from govcheck.portfolio.report._common import Sink

Renderer = Callable[[Portfolio], str]
Writer = Callable[[Portfolio, Sink], None]

FORMATS: dict[str, Renderer] = {
    "text": text.render,
    "json": json.render,
    "csv": csv.render,
    "html": html.render,
}
WRITERS: dict[str, Writer] = {
    "text": text.write,
    "json": json.write,
    "csv": csv.write,
    "html": html.write,
}
# Formats that list each pilot's findings and metrics: they need run_portfolio(..., details=True).
DETAILED = frozenset({"json", "html"})
