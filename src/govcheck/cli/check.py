"""``govcheck check``: the gate."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Mapping
from pathlib import Path

import click

from govcheck import config
from govcheck.api import FAIL_ON, CheckSettings, exit_code, run_check, unchecked_paths
from govcheck.cli._options import policy_options, today_option
from govcheck.cli._output import plan_reports, write_reports
from govcheck.cli._record import clock, record_check, record_option, record_url, with_provenance
from govcheck.errors import UsageError
from govcheck.packs.lock import DEFAULT_FILE as DEFAULT_LOCK
from govcheck.packs.lock import verify_lock
from govcheck.plugins import load_registry
from govcheck.waivers import DEFAULT_FILE as DEFAULT_WAIVERS


def wants_color(choice: str, terminal: bool, environ: Mapping[str, str]) -> bool:
    """--color always/never decide; auto follows NO_COLOR (off), then FORCE_COLOR (on, as CI logs
    that render colour ask), then whether standard output is a terminal."""
    if choice != "auto":
        return choice == "always"
    if environ.get("NO_COLOR"):
        return False
    return bool(environ.get("FORCE_COLOR", "").strip() not in ("", "0")) or terminal


@click.command(short_help="Check pilot manifests against the policy packs.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@policy_options
@click.option(
    "--exclude",
    "excludes",
    multiple=True,
    metavar="PATTERN",
    help="Skip files below the named directories that match this gitignore-style pattern; repeatable.",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    metavar="FORMAT[=FILE]",
    help=(
        "Output format (text, json, sarif, junit, github, gitlab, or a plugin's),"
        " optionally =FILE; repeatable."
    ),
)
@click.option(
    "--output", "-o", metavar="FILE", help="Write the (single) report to FILE instead of standard output."
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default=None,
    help="Exit 1 when a finding at or above this severity is not waived. Default: error.",
)
@click.option(
    "--stage", metavar="STAGE", help="Evaluate as if the pilot were at this stage (the promotion gate)."
)
@today_option
@click.option(
    "--color",
    type=click.Choice(("auto", "always", "never")),
    default="auto",
    show_default=True,
    help="Colour text output; auto means on a terminal, or wherever FORCE_COLOR is set, unless NO_COLOR is.",
)
@click.option(
    "--waivers",
    metavar="FILE",
    help=f"Waiver file (default: the configuration's, else {DEFAULT_WAIVERS} when present).",
)
@click.option(
    "--baseline",
    "baseline_path",
    metavar="FILE",
    help=(
        "Fail only on findings this baseline (govcheck baseline create) does not list, and name its"
        " entries that no longer occur. Default: the configuration's baseline:, never under --central."
    ),
)
@click.option(
    "--config",
    "config_path",
    metavar="FILE",
    help="Configuration file instead of the nearest .govcheck.yaml.",
)
@click.option(
    "--no-config",
    is_flag=True,
    help=f"Ignore the repository's configuration and its {DEFAULT_WAIVERS}; only --waivers applies.",
)
@click.option(
    "--central",
    is_flag=True,
    help=(
        "The central gate: nothing from the checked repository counts (no configuration file, no"
        " waiver file but --waivers, no configured packs or plugins); packs come from --pack or are"
        " installed."
    ),
)
@click.option(
    "--allow-empty",
    is_flag=True,
    help="A named directory without pilot manifests is a warning, not a failure (default: exit 1).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="Worker processes; 0 (default) uses every core for many manifests, 1 for a few.",
)
@click.option("-q", "--quiet", is_flag=True, help="Only the finding lines: no fix hints, no summary.")
@click.option(
    "--locked",
    is_flag=True,
    help="Exit 2 unless the packs in use match the lock file (govcheck pack lock writes it).",
)
@click.option(
    "--lock-file",
    metavar="FILE",
    default=DEFAULT_LOCK,
    show_default=True,
    help="The lock file --locked compares with.",
)
@record_option
@click.pass_context
def check(
    ctx: click.Context,
    *,
    paths: tuple[str, ...],
    packs: tuple[str, ...],
    plugins: tuple[str, ...],
    excludes: tuple[str, ...],
    formats: tuple[str, ...],
    output: str | None,
    fail_on: str | None,
    stage: str | None,
    today: dt.date | None,
    color: str,
    waivers: str | None,
    baseline_path: str | None,
    config_path: str | None,
    no_config: bool,
    central: bool,
    allow_empty: bool,
    jobs: int | None,
    quiet: bool,
    locked: bool,
    lock_file: str,
    record: str | None,
) -> None:
    """Check pilot manifests (files or directories; default: the current directory).

    Exit codes: 0 nothing at or above --fail-on; 1 failing findings (an unreadable or
    invalid manifest is a finding) or a named directory without manifests; 2 usage,
    configuration or policy-pack error (a run that cannot be recorded with --record is one).
    """
    started = clock()
    cwd = Path.cwd()
    if central and config_path is not None:
        raise UsageError("--central reads no configuration file; give the gate's settings as options")
    cfg = config.discover(cwd, config_path, no_config or central)
    url = record_url(record, cfg)
    registry = load_registry(plugins, installed_only=cfg.plugins)
    plan = plan_reports(registry, formats or cfg.formats or ("text",), output)
    settings = CheckSettings(
        paths=paths or (".",),
        exclude=excludes,
        packs=packs,
        extra_packs=cfg.packs,
        stage=stage,
        today=today,
        fail_on=config.tighter_fail_on(fail_on, cfg),
        cwd=cwd,
        jobs=jobs if jobs is not None else cfg.jobs or 0,
        waivers=config.waiver_file(waivers, cfg, cwd),
        baseline=config.baseline_file(baseline_path, cfg),
        severity=cfg.severity,
        outcomes=url is not None or any(spec.needs_outcomes for spec, _ in plan),
    )
    result = run_check(settings, registry)
    if locked:
        verify_lock(result.packs, lock_file)
    code = exit_code(result, settings.fail_on)
    empty = unchecked_paths(settings, result)
    if empty and not allow_empty:  # a gate that checked nothing has not passed: a moved or misspelt path
        code = max(code, 1)
    if url is not None or any(spec.needs_provenance for spec, _ in plan):
        result = with_provenance(
            result,
            paths=settings.paths,
            cwd=cwd,
            registry=registry,
            config=cfg,
            fail_on=settings.fail_on,
            exit_code=code,
        )
    if url is not None:  # before the reports: a report with a run id always has its record
        result = record_check(result, url, started)
    use_color = wants_color(color, sys.stdout.isatty(), os.environ)
    write_reports(result, plan, use_color, quiet)
    if empty:
        where = f"no pilot manifests (kind: AIPilot) found in {', '.join(empty)}"
        if allow_empty:
            click.echo(f"govcheck: warning: {where}", err=True)
        else:
            click.echo(f"govcheck: {where}; nothing was checked (--allow-empty accepts that)", err=True)
    ctx.exit(code)
