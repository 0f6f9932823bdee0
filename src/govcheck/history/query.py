"""What the decision records say over time: pure functions over runs read from the store.

The time axis is each run's ``today``, the date its rules judged against: runs are taken in
order of ``today``, then of position, so two runs recorded with ``--today`` a quarter apart
are a quarter apart here. Runs are bucketed per run, month or quarter; within a bucket a
pilot's state is that of the last run in it that judged the pilot. Check and portfolio runs
are never mixed: a trend is of one kind. A pilot is its metadata id, else its file.

Blocked means the run recorded blocking rules for the pilot (``ManifestEntry.blocking``);
only portfolio runs have a verdict and readiness. The regression and improvement rules are
in ``history.changes``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, TypeAlias

from govcheck.history.changes import Change, State, compare, merge
from govcheck.history.record import ManifestEntry, Record

if TYPE_CHECKING:  # the store's types only: this module reads no database
    from govcheck.history.store import StoredRun

BY = ("quarter", "month", "run")
KINDS = ("portfolio", "check")


@dataclass(frozen=True)
class RunInfo:
    """What a report says of a run itself."""

    position: int
    run_id: str
    kind: str
    today: str
    started: str
    commit: str
    exit_code: int
    hash: str
    pilots: int


@dataclass(frozen=True)
class Bucket:
    """A run, month or quarter: its runs (positions, in time order) and each pilot's state in it."""

    key: str
    first: str  # the ``today`` of its first and last run
    last: str
    runs: tuple[int, ...]
    pilots: Mapping[str, State]
    verdicts: Mapping[str, int]  # pilots per verdict (portfolio runs)
    readiness: Mapping[str, Mapping[str, int]]  # dimension -> status -> pilots
    blocked: int


@dataclass(frozen=True)
class BlockedSince:
    """The first run of a pilot's current unbroken blocked streak, and how long ago, in days."""

    today: str
    position: int
    run_id: str
    days: int | None  # to the latest run's today; None when either date is unreadable


@dataclass(frozen=True)
class PilotTrend:
    pilot: str
    states: tuple[State | None, ...]  # one per bucket; None where no run of the bucket judged it
    current: State
    since: BlockedSince | None


@dataclass(frozen=True)
class Trend:
    """Everything the trend formats render. ``kinds``: runs of each kind that were read."""

    kind: str
    by: str
    runs: tuple[RunInfo, ...]
    buckets: tuple[Bucket, ...]
    pilots: tuple[PilotTrend, ...]  # by pilot
    rules: tuple[tuple[str, tuple[int, ...]], ...]  # rule -> pilots it blocked per bucket
    regressed: tuple[Change, ...]  # between the last two buckets
    improved: tuple[Change, ...]
    latest: str
    kinds: Mapping[str, int]


def pilot_key(m: ManifestEntry) -> str:
    """The metadata id; a manifest without one is its file (``file#N`` past the first document)."""
    return m.pilot or (m.file if m.document == 0 else f"{m.file}#{m.document}")


def date_of(today: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(today)
    except ValueError:
        return None


def bucket_key(run: StoredRun, by: str) -> str:
    if by == "run":
        return f"#{run.position}"
    day = date_of(run.record.today)
    if day is None:
        return "(no date)"
    return f"{day:%Y-%m}" if by == "month" else f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def states(run: StoredRun, pilot: str | None = None) -> dict[str, State]:
    """Each pilot the run judged (only ``pilot`` when given), two documents of one id merged."""
    out: dict[str, State] = {}
    for m in run.record.manifests:
        key = pilot_key(m)
        if pilot is None or key == pilot:
            state = State(run.position, run.record.today, m.blocking, m.verdict, m.readiness)
            out[key] = merge(out[key], state) if key in out else state
    return out


def run_info(run: StoredRun) -> RunInfo:
    r: Record = run.record
    return RunInfo(
        run.position, r.run_id, r.kind, r.today, r.started, r.commit, r.exit_code, run.hash, len(r.manifests)
    )


def default_kind(runs: Iterable[StoredRun]) -> str:
    """portfolio when any run is a portfolio run, else check: a portfolio run judges readiness."""
    return "portfolio" if any(r.record.kind == "portfolio" for r in runs) else "check"


def in_time_order(runs: Iterable[StoredRun]) -> list[StoredRun]:
    return sorted(runs, key=lambda r: (r.record.today, r.position))


# Runs in time order, each with the states of the pilots it judged.
Judged: TypeAlias = "Sequence[tuple[StoredRun, Mapping[str, State]]]"


def _bucket(key: str, runs: list[StoredRun], pilots: dict[str, State]) -> Bucket:
    statuses = Counter(chain.from_iterable(s.readiness.items() for s in pilots.values()))
    readiness: dict[str, dict[str, int]] = {}
    for (dim, status), n in sorted(statuses.items()):
        readiness.setdefault(dim, {})[status] = n
    return Bucket(
        key,
        runs[0].record.today,
        runs[-1].record.today,
        tuple(r.position for r in runs),
        pilots,
        dict(sorted(Counter(s.verdict for s in pilots.values() if s.verdict).items())),
        readiness,
        sum(1 for s in pilots.values() if s.blocked),
    )


def buckets(judged: Judged, by: str) -> tuple[Bucket, ...]:
    """The runs in buckets; within one, the last run judging a pilot wins."""
    grouped: dict[str, tuple[list[StoredRun], dict[str, State]]] = {}
    for run, found in judged:
        members, pilots = grouped.setdefault(bucket_key(run, by), ([], {}))
        members.append(run)
        pilots.update(found)
    return tuple(_bucket(key, members, pilots) for key, (members, pilots) in grouped.items())


def _since(judged: Judged) -> dict[str, StoredRun]:
    """Each blocked pilot's first run of its current blocked streak; a run not judging it breaks nothing."""
    start: dict[str, StoredRun] = {}
    for run, found in judged:
        for key, state in found.items():
            if not state.blocked:
                start.pop(key, None)
            elif key not in start:
                start[key] = run
    return start


def _days(start: str, end: str) -> int | None:
    first, last = date_of(start), date_of(end)
    return (last - first).days if first and last else None


def _rules(found: tuple[Bucket, ...]) -> tuple[tuple[str, tuple[int, ...]], ...]:
    counts = [Counter(rule for s in b.pilots.values() for rule in s.blocking) for b in found]
    return tuple((rule, tuple(c[rule] for c in counts)) for rule in sorted(set().union(*counts)))


def _pilot(key: str, found: tuple[Bucket, ...], start: StoredRun | None, latest: str) -> PilotTrend:
    series = tuple(b.pilots.get(key) for b in found)
    current = next(s for s in reversed(series) if s is not None)
    if start is None:
        return PilotTrend(key, series, current, None)
    today = start.record.today
    return PilotTrend(
        key, series, current, BlockedSince(today, start.position, start.record.run_id, _days(today, latest))
    )


def trend(
    runs: Iterable[StoredRun], *, by: str = "quarter", kind: str | None = None, pilot: str | None = None
) -> Trend:
    """The trend of the runs of one ``kind`` (``default_kind`` when None), only ``pilot`` when given."""
    runs = list(runs)
    kinds: dict[str, int] = dict(sorted(Counter[str](r.record.kind for r in runs).items()))
    kind = kind or default_kind(runs)
    chosen = in_time_order(r for r in runs if r.record.kind == kind)
    judged = [(run, states(run, pilot)) for run in chosen]
    found = buckets(judged, by)
    latest = chosen[-1].record.today if chosen else ""
    since = _since(judged)
    keys = sorted({k for b in found for k in b.pilots})
    pilots = tuple(_pilot(key, found, since.get(key), latest) for key in keys)
    regressed, improved = compare(found[-2].pilots, found[-1].pilots) if len(found) > 1 else ((), ())
    return Trend(
        kind,
        by,
        tuple(map(run_info, chosen)),
        found,
        pilots,
        _rules(found),
        regressed,
        improved,
        latest,
        kinds,
    )
