"""``govcheck portfolio``: scale-readiness across many pilots, for leaders deciding what to scale."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TextIO

import click

from govcheck.cli._files import replacing
from govcheck.cli._options import SuggestingChoice, today_option
from govcheck.errors import UsageError
from govcheck.portfolio.model import Portfolio
from govcheck.portfolio.report import DETAILED, FORMATS, WRITERS, Writer
from govcheck.portfolio.run import PACK, PortfolioSettings, run_portfolio


class _Progress:
    """A one-line progress bar, redrawn in place; only ever given a terminal."""

    WIDTH = 30

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        filled = self.WIDTH * done // max(total, 1)
        self.stream.write(f"\rEvaluating [{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total} files")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


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


def _write(write: Writer, portfolio: Portfolio, output: str | None) -> None:
    """Write the report piece by piece: a large portfolio's report is never one string in memory."""
    if output is None:
        stdout = _Echo()
        write(portfolio, stdout)
        stdout.flush()
        return
    try:
        with replacing(output) as out:
            write(portfolio, out)
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None


@click.command(short_help="Judge every pilot against its next gate.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option(
    "--pack",
    "packs",
    multiple=True,
    metavar="NAME|PATH",
    help=f"Another policy pack by installed name or path, in addition to {PACK} (repeatable).",
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
    "output_format",
    type=SuggestingChoice(tuple(FORMATS)),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--output", "-o", metavar="FILE", help="Write the report to FILE instead of standard output.")
@today_option
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=0,
    metavar="N",
    help="Worker processes; 0 (default) uses every core for many manifests, 1 for a few.",
)
def portfolio(
    *,
    paths: tuple[str, ...],
    packs: tuple[str, ...],
    plugins: tuple[str, ...],
    output_format: str,
    output: str | None,
    today: dt.date | None,
    jobs: int,
) -> None:
    """Judge every pilot found in PATH... (files or directories) against its next promotion gate.

    Each pilot is evaluated as if promoted to the stage after its own, and gets a verdict:
    expand, fix gaps, redesign or consider stopping (docs/portfolio.md gives the rules).
    Exit codes: 0 the report was written; 2 usage or policy-pack error.
    """
    settings = PortfolioSettings(
        paths=paths, packs=packs, plugins=plugins, today=today, cwd=Path.cwd(), jobs=jobs
    )
    progress = _Progress(sys.stderr) if sys.stderr.isatty() else None
    try:
        # Only the formats that list findings and metrics keep them (spooled to a temporary file).
        result = run_portfolio(settings, progress=progress, details=output_format in DETAILED)
    finally:
        if progress is not None:
            progress.close()
    _write(WRITERS[output_format], result, output)
