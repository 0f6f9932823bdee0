"""History formats: pure renderers, listed in explicit dicts the CLI takes its choices from.

``FORMATS`` render a ``query.Trend``; ``DIFF_FORMATS`` a ``diff.Diff``; ``VERIFY_FORMATS`` a
``store.Verification``. Each returns the whole text: a trend is per pilot and bucket, not per
finding, so even 1,000 pilots over 100 runs is a few megabytes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from govcheck.history.report import csv, html, json, runs_text, text

if TYPE_CHECKING:
    from govcheck.history.diff import Diff
    from govcheck.history.query import Trend

FORMATS: dict[str, Callable[[Trend], str]] = {
    "text": text.render,
    "json": json.render,
    "csv": csv.render,
    "html": html.render,
}
DIFF_FORMATS: dict[str, Callable[[Diff], str]] = {"text": runs_text.render_diff, "json": json.render_diff}
VERIFY_FORMATS: dict[str, Callable[[Any], str]] = {
    "text": runs_text.render_verify,
    "json": json.render_verify,
}
