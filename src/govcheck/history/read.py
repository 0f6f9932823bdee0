"""Reading history, for ``govcheck history`` and for tools: the trend, a diff, the verification.

Each opens the database read-only in effect (``connect(..., create=False)``): a SQLite file
that does not exist is a ``HistoryError``, never an empty database left behind by reading.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from govcheck.history.diff import Diff, diff
from govcheck.history.query import Trend, trend
from govcheck.history.store import Verification, connect


@dataclass(frozen=True)
class TrendSettings:
    """``kind`` None: portfolio runs when the database has any, else check runs."""

    url: str
    by: str = "quarter"
    kind: str | None = None
    pilot: str | None = None


def read_trend(settings: TrendSettings) -> Trend:
    with connect(settings.url, create=False) as store:
        runs = store.runs(pilot=settings.pilot, outcomes=False)
    return trend(runs, by=settings.by, kind=settings.kind, pilot=settings.pilot)


def read_diff(url: str, before: str, after: str) -> Diff:
    """The runs ``before`` and ``after`` (run id or prefix, ``#N``, ``latest``, ``latest~N``) compared."""
    with connect(url, create=False) as store:
        return diff(store.run(before), store.run(after))


def verify(url: str, head: str | None = None) -> Verification:
    """The chain recomputed; with ``head`` (a head hash kept elsewhere) also whether that run is
    still there: a deleted last run leaves an intact chain behind, but not its hash."""
    with connect(url, create=False) as store:
        found = store.verify()
        if head is None or head == found.head:
            return found
        if store.has(head):  # runs were recorded after it: fine
            return found
    problem = f"no run has the head hash kept elsewhere ({head}): runs were deleted or rewritten"
    return replace(found, problems=(*found.problems, problem))
