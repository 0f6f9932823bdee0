"""Option groups shared by several commands, as decorators.

Defined once, so that an option is spelled, defaulted and explained alike in every command.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import click

F = Callable[..., Any]


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from None


class SuggestingChoice(click.Choice[str]):
    """click's Choice, whose error lists the choices, also naming the one a slip was meant to be."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as exc:
            from govcheck.schema.suggest import did_you_mean  # difflib only on this error path

            hint = did_you_mean(value, self.choices)
            if not hint:
                raise
            self.fail(f"{exc.message.rstrip('.')}{hint}", param, ctx)


def format_option(*choices: str, help: str = "Output format.") -> Callable[[F], F]:
    """``--format`` for commands whose output is one of a few fixed formats (the first is the default)."""
    return click.option(
        "--format",
        "output_format",
        type=SuggestingChoice(choices or ("text", "json")),
        default=(choices or ("text",))[0],
        show_default=True,
        help=help,
    )


plugin_option = click.option(
    "--plugin",
    "plugins",
    multiple=True,
    metavar="MODULE",
    help="Import a plugin module (repeatable); installed plugins load automatically.",
)


def policy_options(func: F) -> F:
    """``--pack`` and ``--plugin`` (as ``packs``, ``plugins``), for every command that loads the policy."""
    func = plugin_option(func)
    func = click.option(
        "--pack",
        "packs",
        multiple=True,
        metavar="NAME|PATH",
        help="Policy pack by installed name or path (repeatable). Default: healthcare-ai-baseline.",
    )(func)
    return func


def today_option(func: F) -> F:
    """``--today`` (as ``today``: a date, or None for the real date), so a dated run can be repeated."""
    return click.option(
        "--today",
        callback=_date,
        metavar="YYYY-MM-DD",
        help="Evaluate dates as of this day instead of the real date (reproducible runs).",
    )(func)
