"""Success-metric evidence for the portfolio: is a pilot past its horizon and no better than baseline?

The facts are read from a manifest while it is evaluated (in a worker process), so that the
portfolio itself is computed from a ``RunResult`` alone. Manifests can be schema-invalid, so
every value is type-checked here rather than trusted.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from govcheck.checks.max_age import as_date

Judgement = Literal[
    "improved", "no-better", "worsened", "wrong-direction", "not-due", "incomplete", "no-direction"
]
JUDGED: frozenset[str] = frozenset({"improved", "no-better"})
# A measure of harm: worse than its baseline blocks expansion whatever else improved.
HARM_KINDS: frozenset[str] = frozenset({"safety", "balancing"})
# Judgements that block a promotion on their own (``portfolio.model.verdict``).
HARMFUL: frozenset[str] = frozenset({"worsened", "wrong-direction"})


@dataclass(frozen=True)
class MetricFacts:
    """One success metric as the manifest states it (None where absent or not a number)."""

    name: str
    baseline: float | None
    target: float | None
    current: float | None
    measured_on: str
    horizon_quarters: int | None
    direction: str = ""  # "higher" or "lower" is better; "" when not stated
    kind: str = ""  # operational, clinical, ..., safety, balancing


@dataclass(frozen=True)
class PilotFacts:
    """What the portfolio needs from a manifest beyond its evaluation."""

    file: str
    document: int
    name: str
    use_case: str
    stage: str  # as declared; the evaluation ran at the next stage
    start: str  # when the horizon starts counting: scope.start_date, else governance.approval.date
    metrics: tuple[MetricFacts, ...]
    assessed: tuple[str, ...] = ()  # rule categories with a rule that applied at the next gate


@dataclass(frozen=True)
class MetricJudgement:
    """A metric's verdict from ``judge`` with the figures it rests on, so a report can show why.

    ``horizon_end`` is the first day a measurement counts; "" when the start or horizon is missing.
    """

    name: str
    judgement: Judgement
    horizon_end: str  # "" when no horizon can be computed
    baseline: float | None
    target: float | None
    current: float | None
    measured_on: str


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _metric(item: Any) -> MetricFacts:
    horizon = _get(item, "horizon_quarters")
    return MetricFacts(
        _text(_get(item, "name")),
        _number(_get(item, "baseline")),
        _number(_get(item, "target")),
        _number(_get(item, "current", "value")),
        _text(_get(item, "current", "measured_on")),
        horizon if isinstance(horizon, int) and not isinstance(horizon, bool) else None,
        direction if (direction := _get(item, "direction")) in ("higher", "lower") else "",
        _text(_get(item, "kind")),
    )


def facts_of(data: Any, file: str, document: int) -> PilotFacts:
    """What the portfolio needs from one manifest's data, whatever its shape.

    A value that is missing or of the wrong type is read as "" or None, never an error.
    ``assessed`` is left empty: it is known only once the manifest is evaluated.
    """
    metrics = _get(data, "spec", "success_metrics")
    start = _text(_get(data, "spec", "scope", "start_date")) or _text(
        _get(data, "spec", "governance", "approval", "date")
    )
    return PilotFacts(
        file,
        document,
        _text(_get(data, "metadata", "name")),
        _text(_get(data, "spec", "use_case")),
        _text(_get(data, "spec", "stage")),
        start,
        tuple(_metric(m) for m in metrics if isinstance(m, dict)) if isinstance(metrics, list) else (),
    )


def add_quarters(day: dt.date, quarters: int) -> dt.date:
    """The same day of the month ``quarters`` * 3 months later (clamped to the month's end)."""
    months = day.month - 1 + 3 * quarters
    year, month = day.year + months // 12, months % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _better(direction: str, value: float, base: float) -> bool:
    return value > base if direction == "higher" else value < base


def judge(metric: MetricFacts, start: str, today: dt.date | None = None) -> MetricJudgement:
    """What a metric's measured result says, in the direction the metric says is better.

    In order: a target that is no improvement in the stated direction is ``wrong-direction``;
    a safety or balancing measure measured worse than its baseline is ``worsened`` at any time
    (harm does not wait for the horizon); a result measured after ``today`` is ``incomplete``;
    before the horizon ``not-due``; after it ``improved`` or ``no-better``. Without a stated
    direction, the target's side of the baseline gives it, and a hold-steady target gives none.
    """
    begin = as_date(start)
    end = (
        add_quarters(begin, metric.horizon_quarters)
        if begin and metric.horizon_quarters is not None
        else None
    )
    measured = as_date(metric.measured_on)
    base, target, current = metric.baseline, metric.target, metric.current
    direction = metric.direction
    if not direction and base is not None and target is not None and target != base:
        direction = "higher" if target > base else "lower"
    verdict: Judgement
    if metric.direction and base is not None and target is not None and not _better(direction, target, base):
        verdict = "wrong-direction"
    elif (
        metric.kind in HARM_KINDS
        and direction
        and base is not None
        and current is not None
        and measured is not None
        and (today is None or measured <= today)
        and _better(direction, base, current)
    ):
        verdict = "worsened"
    elif base is None or target is None or current is None or end is None or measured is None:
        verdict = "incomplete"
    elif today is not None and measured > today:
        verdict = "incomplete"  # a result dated after today has not been measured
    elif measured < end:
        verdict = "not-due"
    elif not direction:
        verdict = "no-direction"  # a hold-steady target says nothing about which way is better
    else:
        verdict = "improved" if _better(direction, current, base) else "no-better"
    return MetricJudgement(
        metric.name, verdict, end.isoformat() if end else "", base, target, current, metric.measured_on
    )


def should_consider_stopping(judgements: tuple[MetricJudgement, ...]) -> bool:
    """At least one metric was judged past its horizon, and none of those beat the baseline."""
    judged = [j for j in judgements if j.judgement in JUDGED]
    return bool(judged) and all(j.judgement == "no-better" for j in judged)
