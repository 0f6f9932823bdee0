"""``govcheck packs``: which packs are in use, where they come from, their versions and digests."""

from __future__ import annotations

from pathlib import Path

import click

from govcheck.authoring import catalog
from govcheck.authoring.loading import configured
from govcheck.cli._options import format_option, policy_options


@click.command(short_help="List the packs in use and those installed.")
@policy_options
@format_option("text", "json")
def packs(*, packs: tuple[str, ...], plugins: tuple[str, ...], output_format: str) -> None:
    """List the packs in use (after extends), with the plugin that provides each, and every installed pack."""
    registry, policy = configured(packs, plugins, Path.cwd())
    record = catalog.packs_record(policy, registry)
    click.echo(
        catalog.packs_json(record) if output_format == "json" else catalog.packs_text(record), nl=False
    )
