"""``govcheck history``: what the recorded runs say over time; ``diff`` two runs; ``verify`` the chain."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click
from click.core import ParameterSource

from govcheck.cli._errors import GovcheckGroup
from govcheck.cli._files import emit
from govcheck.cli._options import SuggestingChoice, format_option
from govcheck.cli._record import RECORD_ENV as ENV
from govcheck.errors import UsageError
from govcheck.history.query import BY, KINDS
from govcheck.history.read import TrendSettings, read_diff, read_trend, verify
from govcheck.history.report import DIFF_FORMATS, FORMATS, VERIFY_FORMATS
from govcheck.history.store import DEFAULT_URL

F = TypeVar("F", bound=Callable[..., Any])
_URL = "govcheck.history.url"  # the group's --record, for a subcommand given none of its own
TREND_OPTIONS = {
    "pilot": "--pilot",
    "by": "--by",
    "kind": "--kind",
    "output_format": "--format",
    "output": "--output",
}


def _record(envvar: str | None) -> Callable[[F], F]:
    """``--record URL``: the group's reads $GOVCHECK_RECORD; a subcommand's falls back to the group's."""
    return click.option(
        "--record",
        "url",
        metavar="URL",
        envvar=envvar,
        help="History database: sqlite:///FILE.db or postgresql://..."
        f" (default: ${ENV}, else {DEFAULT_URL}).",
    )


def _url(ctx: click.Context, own: str | None) -> str:
    return own or ctx.meta.get(_URL) or DEFAULT_URL


def _refuse_trend_options(ctx: click.Context, command: str) -> None:
    for name, flag in TREND_OPTIONS.items():
        if ctx.get_parameter_source(name) not in (ParameterSource.DEFAULT, None):
            raise UsageError(f"{flag} is an option of the trend report (govcheck history), not of {command}")


@click.group(
    cls=GovcheckGroup,
    invoke_without_command=True,
    short_help="Show pilots' verdicts and blocks over the recorded runs.",
)
@_record(ENV)
@click.option(
    "--pilot", metavar="ID", help="Only this pilot: its metadata id, or the file of a pilot without one."
)
@click.option(
    "--by",
    type=SuggestingChoice(BY),
    default="quarter",
    show_default=True,
    help="One bucket per run, or per month or quarter of the runs' --today date.",
)
@click.option(
    "--kind",
    type=SuggestingChoice(KINDS),
    help="Runs of this kind. Default: portfolio when the database has portfolio runs, else check.",
)
@click.option(
    "--format",
    "output_format",
    type=SuggestingChoice(tuple(FORMATS)),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--output", "-o", metavar="FILE", help="Write the report to FILE instead of standard output.")
@click.pass_context
def history(
    ctx: click.Context,
    *,
    url: str | None,
    pilot: str | None,
    by: str,
    kind: str | None,
    output_format: str,
    output: str | None,
) -> None:
    """The trend of the runs recorded with --record: per pilot and dimension, readiness and verdict
    per bucket; which pilots regressed or improved between the last two buckets; who is blocked,
    since when and by which rules; pilots blocked per rule.

    Check and portfolio runs are kept apart (--kind). The time axis is each run's --today.
    Exit codes: 0 the report was written; 2 the database cannot be read, or a usage error.
    """
    ctx.meta[_URL] = url
    if ctx.invoked_subcommand is not None:
        _refuse_trend_options(ctx, f"history {ctx.invoked_subcommand}")
        return
    trend = read_trend(TrendSettings(_url(ctx, url), by, kind, pilot))
    emit(FORMATS[output_format](trend), output)


@history.command(short_help="Show the findings opened and closed between two runs.")
@_record(None)
@click.argument("before", metavar="RUN_A", default="latest~1")
@click.argument("after", metavar="RUN_B", default="latest")
@format_option(*DIFF_FORMATS)
@click.option("--output", "-o", metavar="FILE", help="Write the report to FILE instead of standard output.")
@click.pass_context
def diff(
    ctx: click.Context, *, url: str | None, before: str, after: str, output_format: str, output: str | None
) -> None:
    """The findings opened, closed, waived and still open from RUN_A to RUN_B (by fingerprint),
    and the pilots that regressed or improved. A run is its id or a unique prefix of it, #N
    (its position), latest or latest~N; the default compares the last two runs.

    Exit codes: 0 the report was written; 2 the database or a run cannot be read.
    """
    emit(DIFF_FORMATS[output_format](read_diff(_url(ctx, url), before, after)), output)


@history.command("verify", short_help="Check that no recorded run was changed or removed.")
@_record(None)
@click.option(
    "--head",
    metavar="HASH",
    help="A head hash kept from an earlier verify: a problem unless a run still carries it.",
)
@format_option(*VERIFY_FORMATS)
@click.pass_context
def verify_command(ctx: click.Context, *, url: str | None, head: str | None, output_format: str) -> None:
    """Recompute every run's hash from its rows and each link to the run before it, and print the
    run count and the head hash (the last run's). Keep the head hash elsewhere (a CI log, a
    ticket): given back with --head, it shows a deleted last run, which the chain alone cannot.

    Exit codes: 0 intact; 1 problems found; 2 the database cannot be opened.
    """
    found = verify(_url(ctx, url), head)
    emit(VERIFY_FORMATS[output_format](found), None)
    ctx.exit(0 if not found.problems else 1)
