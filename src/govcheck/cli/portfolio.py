"""``govcheck portfolio``: scale-readiness across many pilots, for leaders deciding what to scale."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

import click

from govcheck import config
from govcheck.cli._files import check_destination, replacing
from govcheck.cli._options import today_option
from govcheck.cli._output import parse_formats
from govcheck.cli._record import clock, portfolio_provenance, record_option, record_portfolio, record_url
from govcheck.errors import UsageError
from govcheck.plugins import load_registry
from govcheck.portfolio.compare import compare_portfolio
from govcheck.portfolio.report import DETAILED, FORMATS, WRITERS
from govcheck.portfolio.report.compare import COMPARE_WRITERS
from govcheck.portfolio.run import DEFAULT_PACKS, PortfolioSettings, run_portfolio

T = TypeVar("T")

if TYPE_CHECKING:  # the type click.progressbar returns; its module is click's own
    from click._termui_impl import ProgressBar


class _Progress:
    """Files evaluated so far, as click's progress bar on standard error; only ever given a terminal.

    click sizes an automatic bar to the width of standard *output*, which is often a file or a
    pipe while standard error is the terminal, so the bar is sized here instead, from standard
    error's width at every redraw (a resized terminal is followed). On a narrow terminal the
    label goes first, then the bar; a terminal too narrow even for the count gets no line at
    all rather than one that wraps. The last column stays free: some terminals wrap as soon as
    it is written.
    """

    TEMPLATES = ("%(label)s [%(bar)s] %(info)s files", "[%(bar)s] %(info)s", "%(info)s")
    MIN_BAR = 10  # below this many cells a bar says too little: drop the label, then the bar

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.bar: ProgressBar[int] | None = None

    def _columns(self) -> int:
        try:
            columns = os.get_terminal_size(self.stream.fileno()).columns
        except (AttributeError, OSError, ValueError):
            columns = 0
        # 0 is a terminal that does not know its size (a fresh pseudo-terminal, a serial
        # console): then $COLUMNS or 80, as for any program.
        return columns or shutil.get_terminal_size().columns

    def _fit(self, bar: ProgressBar[int]) -> bool:
        """Choose the template and bar width that fit the terminal; False when nothing fits."""
        room = self._columns() - 1
        for i, template in enumerate(self.TEMPLATES):
            bar.bar_template, bar.width = template, 0
            clutter = len(bar.format_progress_line())
            wants_bar = "%(bar)s" in template
            if (not wants_bar and clutter <= room) or room - clutter >= self.MIN_BAR:
                bar.width = room - clutter if wants_bar else 0
                # click pads each line to the longest it drew; never past the terminal's edge.
                bar.max_width = min(bar.max_width or 0, room) or None
                return True
            if i == len(self.TEMPLATES) - 1:
                return False
        return False

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(
                length=total, label="Evaluating", file=self.stream, show_pos=True, show_eta=False, width=1
            )
        # Step first, then fit: the count's width is part of the line.
        self.bar.make_step(done - self.bar.pos)
        if self._fit(self.bar):
            self.bar.render_progress()

    def close(self) -> None:
        if self.bar is not None and self.bar.max_width is not None:  # something was drawn
            self.bar.render_finish()


class _Echo:
    """Standard output for a format's ``write``: ``click.echo`` in pieces of about 64 KiB."""

    SIZE = 1 << 16

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str) -> int:
        self.parts.append(text)
        self.size += len(text)
        if self.size >= self.SIZE:
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self.parts:
            click.echo("".join(self.parts), nl=False)
            self.parts, self.size = [], 0


def _write(write: Callable[[T, Any], None], report: T, output: str | None) -> None:
    """Write the report piece by piece: a large portfolio's report is never one string in memory."""
    if output is None:
        stdout = _Echo()
        write(report, stdout)
        stdout.flush()
        return
    try:
        with replacing(output) as out:
            write(report, out)
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None


@click.command(short_help="Judge every pilot against its next gate.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option(
    "--pack",
    "packs",
    multiple=True,
    metavar="NAME|PATH",
    help=f"Policy pack by installed name or path (repeatable). Default: {' and '.join(DEFAULT_PACKS)},"
    " the packs check applies at a promotion gate; the configuration's packs are added.",
)
@click.option(
    "--config",
    "config_path",
    metavar="FILE",
    help="Configuration file instead of the nearest .govcheck.yaml, as for check.",
)
@click.option("--no-config", is_flag=True, help="Ignore the repository's configuration.")
@click.option(
    "--compare-pack",
    "compare",
    multiple=True,
    metavar="NAME|PATH",
    help="Preview a policy change: judge again with this pack replacing the pack of its name"
    " (or added, if none), and report what changes (repeatable; text, json or html).",
)
@click.option(
    "--plugin",
    "plugins",
    multiple=True,
    metavar="MODULE",
    help="Import a plugin module (repeatable); installed plugins load automatically.",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    metavar="FORMAT[=FILE]",
    help=f"Output format ({', '.join(FORMATS)}; default text), optionally =FILE; repeatable.",
)
@click.option(
    "--output", "-o", metavar="FILE", help="Write the (single) report to FILE instead of standard output."
)
@today_option
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=0,
    metavar="N",
    help="Worker processes; 0 (default) uses every core for many manifests, 1 for a few.",
)
@record_option
def portfolio(
    *,
    paths: tuple[str, ...],
    packs: tuple[str, ...],
    plugins: tuple[str, ...],
    formats: tuple[str, ...],
    output: str | None,
    today: dt.date | None,
    jobs: int,
    config_path: str | None,
    no_config: bool,
    compare: tuple[str, ...],
    record: str | None,
) -> None:
    """Judge every pilot found in PATH... (files or directories) against its next promotion gate.

    Each pilot is evaluated as if promoted to the stage after its own, with the packs check
    applies there, and gets a verdict: expand, fix gaps, redesign or consider stopping; retired
    pilots are listed, not judged (docs/portfolio.md gives the rules).
    With --compare-pack the report is what that policy change would do to every pilot.
    With --record, each pilot's verdict, readiness and blocking findings are kept in the history.
    Exit codes: 0 the report was written; 2 usage or policy-pack error, or a run that cannot be recorded.
    """
    started = clock()
    formats = formats or ("text",)
    if compare and (wrong := [f for f in formats if f.partition("=")[0] not in COMPARE_WRITERS]):
        raise UsageError(
            f"--compare-pack writes {', '.join(COMPARE_WRITERS)}, not {wrong[0].partition('=')[0]}"
        )
    compared = parse_formats(formats, output, COMPARE_WRITERS) if compare else []
    plan = [] if compare else parse_formats(formats, output, WRITERS)
    for _, file in [*compared, *plan]:
        if file is not None:
            check_destination(file)  # before the run, as check does: a refused report wastes no run
    cwd = Path.cwd()
    cfg = config.discover(cwd, config_path, no_config)
    url = record_url(record, cfg)
    if compare and url is not None:
        raise UsageError("--compare-pack previews a policy change; it is not a run to --record")
    registry = load_registry(plugins, installed_only=cfg.plugins)
    settings = PortfolioSettings(
        paths=paths,
        packs=packs,
        extra_packs=cfg.packs,
        plugins=plugins,
        today=today,
        cwd=cwd,
        jobs=jobs or cfg.jobs or 0,
    )
    progress = _Progress(sys.stderr) if sys.stderr.isatty() else None
    try:
        # Only the formats that list findings and metrics keep them (spooled to a temporary file).
        if compare:
            comparison = compare_portfolio(settings, compare, registry, progress)
        else:
            # The record lists each pilot's findings, as the detailed formats do.
            details = any(f.partition("=")[0] in DETAILED for f in formats) or url is not None
            result = run_portfolio(settings, registry, progress=progress, details=details)
    finally:
        if progress is not None:
            progress.close()
    if url is not None:  # before the report, as for check
        found = portfolio_provenance(paths=paths, cwd=cwd, registry=registry, config=cfg)
        record_portfolio(result, url, started, found)
    for write_comparison, file in compared:
        _write(write_comparison, comparison, file)
    for write, file in plan:
        _write(write, result, file)
