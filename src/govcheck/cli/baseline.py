"""``govcheck baseline create``: record today's findings so that check fails only on new ones."""

from __future__ import annotations

import datetime as dt
import getpass
from pathlib import Path

import click

from govcheck import baseline as baselines
from govcheck import config
from govcheck.api import CheckSettings, run_check
from govcheck.cli._files import emit, refuse_links
from govcheck.cli._options import policy_options, today_option
from govcheck.errors import UsageError
from govcheck.plugins import load_registry
from govcheck.waivers import DEFAULT_FILE as DEFAULT_WAIVERS


@click.group(short_help="Record current findings so that check fails only on new ones.")
def baseline() -> None:
    """Baselines: roll a stricter pack across existing pilots without blocking them on day one.

    govcheck baseline create records the findings of today; govcheck check --baseline FILE then
    fails only on findings the baseline does not list, and names its entries that no longer occur.
    """


@baseline.command(short_help="Write a baseline of the current findings.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@policy_options
@click.option("--exclude", "excludes", multiple=True, metavar="PATTERN", help="As for check; repeatable.")
@click.option("--stage", metavar="STAGE", help="Evaluate as if the pilot were at this stage, as for check.")
@today_option
@click.option("--waivers", metavar="FILE", help=f"Waiver file, as for check (default: {DEFAULT_WAIVERS}).")
@click.option("--config", "config_path", metavar="FILE", help="Configuration file, as for check.")
@click.option("--no-config", is_flag=True, help="Ignore the repository's configuration, as for check.")
@click.option(
    "--output",
    "-o",
    metavar="FILE",
    default=baselines.DEFAULT_FILE,
    show_default=True,
    help="Where to write the baseline; - for standard output. An existing file is replaced.",
)
@click.option(
    "--created-by",
    metavar="NAME",
    help="Who records the baseline, written into every entry (default: the operating system user).",
)
def create(
    *,
    paths: tuple[str, ...],
    packs: tuple[str, ...],
    plugins: tuple[str, ...],
    excludes: tuple[str, ...],
    stage: str | None,
    today: dt.date | None,
    waivers: str | None,
    config_path: str | None,
    no_config: bool,
    output: str,
    created_by: str | None,
) -> None:
    """Write a baseline of the findings in PATHS (default: the current directory).

    Waived findings are left out (a waiver's expiry must still bite), and so are findings
    about the files themselves (GC-PARSE, GC-KIND, GC-SCHEMA, GC-WAIVER, GC-DUPLICATE-ID):
    a file that cannot be judged never passes because of a baseline.
    """
    cwd = Path.cwd()
    who = created_by or _os_user()
    cfg = config.discover(cwd, config_path, no_config)
    registry = load_registry(plugins, installed_only=cfg.plugins)
    settings = CheckSettings(
        paths=paths or (".",),
        exclude=excludes,
        packs=packs,
        extra_packs=cfg.packs,
        stage=stage,
        today=today,
        cwd=cwd,
        jobs=cfg.jobs or 0,
        waivers=config.waiver_file(waivers, cfg, cwd),
        severity=cfg.severity,
        outcomes=False,
    )
    result = run_check(settings, registry)
    found = baselines.entries(result.findings, who, dt.date.fromisoformat(result.today))
    if output != "-":
        refuse_links(output)
    emit(baselines.dump(found), output)
    left = sum(1 for f in result.findings if f.rule in baselines.UNBASELINABLE)
    where = "standard output" if output == "-" else output
    note = (
        f"; {left} finding(s) about the files themselves cannot be baselined and still fail" if left else ""
    )
    click.echo(f"govcheck: {len(found)} baseline entr(ies) written to {where}{note}", err=True)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name and no passwd entry (some containers)
        raise UsageError("cannot tell who records the baseline; give --created-by NAME") from None
