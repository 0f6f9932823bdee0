"""``govcheck check``: the gate."""
from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from govcheck.api import FAIL_ON, CheckSettings, exit_code, run_check
from govcheck.cli._options import policy_options, today_option
from govcheck.cli._output import plan_reports, write_reports
from govcheck.plugins import load_registry


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@policy_options
@click.option("--format", "formats", multiple=True, metavar="FORMAT[=FILE]",
              help="Output format (text, json, or a plugin's), optionally with its own file; repeatable.")
@click.option("--output", "-o", metavar="FILE", help="Write the (single) report to FILE instead of standard output.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True,
              help="Exit 1 when a finding at or above this severity is not waived.")
@click.option("--stage", metavar="STAGE", help="Evaluate as if the pilot were at this stage (the promotion gate).")
@today_option
@click.option("--color", type=click.Choice(("auto", "always", "never")), default="auto", show_default=True,
              help="Colour text output; auto means on a terminal unless NO_COLOR is set.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, metavar="N",
              help="Worker processes; 0 (default) uses every core for many manifests, 1 for a few.")
@click.option("-q", "--quiet", is_flag=True, help="Only the finding lines: no fix hints, no summary.")
@click.pass_context
def check(ctx: click.Context, *, paths: tuple[str, ...], packs: tuple[str, ...], plugins: tuple[str, ...],
          formats: tuple[str, ...], output: str | None, fail_on: str, stage: str | None, today: dt.date | None,
          color: str, jobs: int, quiet: bool) -> None:
    """Check pilot manifests (files or directories; default: the current directory).

    Exit codes: 0 nothing at or above --fail-on; 1 failing findings (an unreadable or
    invalid manifest is a finding); 2 usage, configuration or policy-pack error.
    """
    registry = load_registry(plugins)
    plan = plan_reports(registry, formats or ("text",), output)
    settings = CheckSettings(paths=paths or (".",), packs=packs, plugins=plugins, stage=stage, today=today,
                             fail_on=fail_on, cwd=Path.cwd(), jobs=jobs)
    result = run_check(settings, registry)
    use_color = color == "always" or (color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    write_reports(result, plan, use_color, quiet)
    ctx.exit(exit_code(result, fail_on))
