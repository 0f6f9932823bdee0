"""Portfolio formats: pure renderers ``render(portfolio) -> str``, listed in one explicit dict.

They render a ``Portfolio`` rather than a ``RunResult``, so they are not ``--format``
reporters of ``govcheck check``; ``govcheck portfolio --format`` takes its choices from here.
"""
from __future__ import annotations

from typing import Callable

from govcheck.portfolio import Portfolio
from govcheck.portfolio_report import csv, html, json, text

Renderer = Callable[[Portfolio], str]

FORMATS: dict[str, Renderer] = {
    "text": text.render,
    "json": json.render,
    "csv": csv.render,
    "html": html.render,
}
