"""``govcheck schema NAME``: a shipped JSON Schema, for editors and other tools."""

from __future__ import annotations

import click

from govcheck.authoring.schemas import SCHEMAS, text


@click.command()
@click.argument("name", type=click.Choice(tuple(SCHEMAS)))
def schema(*, name: str) -> None:
    """Print the JSON Schema of a pilot manifest, a policy pack, a waiver set or the findings report."""
    click.echo(text(name), nl=False)
