"""``--record [URL]`` and provenance, shared by ``check`` and ``portfolio``.

A run is recorded after its exit code is known and before any report is written, so a report
that carries a run id always has its record, and a failed write stops the run with exit 2
instead of passing silently. The history store (and SQLAlchemy with it) is imported only
when a run is recorded, provenance (which runs git) only when a report or the record needs it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from govcheck.config import Config
from govcheck.errors import UsageError
from govcheck.load.discover import display
from govcheck.model import Digest, Provenance, RunResult
from govcheck.plugins import Registry

if TYPE_CHECKING:
    from govcheck.history.record import Record
    from govcheck.portfolio.model import Portfolio

# Named here, not in the store, so that deciding whether to record does not import the store.
RECORD_ENV = "GOVCHECK_RECORD"

record_option = click.option(
    "--record",
    "record",
    is_flag=False,
    flag_value="",
    default=None,
    envvar=RECORD_ENV,
    show_envvar=True,
    metavar="[URL]",
    help=(
        "Keep the run's decision record in a history database: sqlite:///FILE or postgresql://...;"
        " bare, .govcheck/history.db below the current directory (write --record=URL before paths)."
        " Default: the configuration's record:."
    ),
)


def clock() -> dt.datetime:
    """When a command starts: the record's ``started``."""
    return dt.datetime.now(dt.timezone.utc)


def record_url(option: str | None, config: Config) -> str | None:
    """Where the run is recorded, None for nowhere: ``--record`` or ``GOVCHECK_RECORD`` (click
    reads both, the option first), else the configuration's ``record:``; "" is the default
    database."""
    url = option if option is not None else config.record
    if url and "://" not in url:
        raise UsageError(
            f"--record {url!r} is not a database URL (sqlite:///FILE.db, postgresql://...);"
            " a bare --record before the paths takes the next one as its URL: write --record=URL,"
            " or put --record after the paths"
        )
    return url


def config_digest(config: Config, cwd: Path) -> Digest | None:
    return Digest(display(Path(config.file), cwd), config.sha256) if config.file else None


def with_provenance(
    result: RunResult,
    *,
    paths: Sequence[str],
    cwd: Path,
    registry: Registry,
    config: Config,
    fail_on: str,
    exit_code: int,
) -> RunResult:
    from govcheck.history import provenance

    found = provenance.collect(
        paths=paths,
        cwd=cwd,
        registry=registry,
        config=config_digest(config, cwd),
        waivers=result.waivers,
        fail_on=fail_on,
        exit_code=exit_code,
    )
    return result.with_provenance(found)


def record_check(result: RunResult, url: str, started: dt.datetime) -> RunResult:
    """Record a check run (its provenance collected), and the result its reports then show."""
    from govcheck.history import build

    assert result.provenance is not None
    stamped = result.with_provenance(_stamped(result.provenance, started))
    save(build.check_record(stamped), url)
    return stamped


def record_portfolio(portfolio: Portfolio, url: str, started: dt.datetime, provenance: Provenance) -> None:
    from govcheck.history import build

    save(build.portfolio_record(portfolio, _stamped(provenance, started)), url)


def portfolio_provenance(
    *, paths: Sequence[str], cwd: Path, registry: Registry, config: Config
) -> Provenance:
    from govcheck.history import provenance
    from govcheck.portfolio.model import BLOCKING

    # A portfolio applies no waivers and always exits 0 once its report is written; errors block.
    return provenance.collect(
        paths=paths,
        cwd=cwd,
        registry=registry,
        config=config_digest(config, cwd),
        waivers=None,
        fail_on=BLOCKING,
        exit_code=0,
    )


def save(record: Record, url: str) -> None:
    """Append the record; a database that cannot be written is a ``HistoryError`` (exit 2)."""
    from govcheck.history import store  # only here: a run that is not recorded never loads SQLAlchemy

    with store.connect(url or store.DEFAULT_URL) as database:
        database.append(record)


def _stamped(provenance: Provenance, started: dt.datetime) -> Provenance:
    from dataclasses import replace

    from govcheck.history.build import recorded

    return replace(provenance, recorded=recorded(started))
