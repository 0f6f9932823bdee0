"""Where reports go: standard output, ``--output``, or ``--format NAME=FILE`` pairs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TypeVar

import click

from govcheck.cli._files import check_destination, write_file
from govcheck.errors import UsageError
from govcheck.interfaces import ReporterSpec, ReportOptions
from govcheck.model import RunResult
from govcheck.plugins import Registry
from govcheck.schema.suggest import did_you_mean

W = TypeVar("W")  # what a format name stands for: a reporter, or a portfolio writer


def parse_formats(
    formats: tuple[str, ...], output: str | None, reporters: Mapping[str, W]
) -> list[tuple[W, str | None]]:
    """``NAME[=FILE]`` items as (what NAME stands for, file or None for standard output)."""
    plan: list[tuple[W, str | None]] = []
    for item in formats:
        name, _, file = item.partition("=")
        if name not in reporters:
            raise UsageError(
                f"unknown --format {name!r}; available: {', '.join(reporters)}{did_you_mean(name, reporters)}"
            )
        plan.append((reporters[name], file or None))
    if output is not None:
        unrouted = [i for i, (_, file) in enumerate(plan) if file is None]
        if len(unrouted) != 1:
            raise UsageError("--output needs exactly one --format without its own =FILE")
        plan[unrouted[0]] = (plan[unrouted[0]][0], output)
    if sum(1 for _, file in plan if file is None) > 1:
        raise UsageError(
            "only one --format can go to standard output;"
            " give the others a file (--format sarif=govcheck.sarif)"
        )
    return plan


def plan_reports(
    registry: Registry, formats: tuple[str, ...], output: str | None
) -> list[tuple[ReporterSpec, str | None]]:
    plan = parse_formats(formats, output, dict(registry.reporters()))
    for _, file in plan:
        if file is not None:
            check_destination(file)  # before the run, not after it: a refused report wastes no run
    return plan


def write_reports(
    result: RunResult, plan: list[tuple[ReporterSpec, str | None]], color: bool, quiet: bool
) -> None:
    for spec, file in plan:
        options = ReportOptions(color=color and file is None, quiet=quiet)
        pieces = _buffered(spec.stream(result, options)) if spec.stream else (spec.render(result, options),)
        if file is None:
            for text in pieces:
                click.echo(text, nl=False, color=options.color or None)
            continue
        write_file(file, pieces)


def _buffered(pieces: Iterable[str], size: int = 1 << 16) -> Iterator[str]:
    """Join small pieces into writes of about ``size`` characters."""
    batch: list[str] = []
    held = 0
    for piece in pieces:
        batch.append(piece)
        held += len(piece)
        if held >= size:
            yield "".join(batch)
            batch, held = [], 0
    if batch:
        yield "".join(batch)
