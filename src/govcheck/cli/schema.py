"""``govcheck schema NAME``: a shipped JSON Schema, for editors and other tools."""

from __future__ import annotations

import click

from govcheck.authoring.schemas import SCHEMAS, text

# Built from the registry so a newly shipped schema is named in --help without editing this text;
# "\b" keeps click from rewrapping the one-schema-per-line list.
HELP = "\n".join(
    [
        "Print the shipped JSON Schema NAME, one of:",
        "",
        "\b",
        *(f"{name:<{max(map(len, SCHEMAS))}}  {file}.schema.json" for name, file in SCHEMAS.items()),
    ]
)


@click.command(help=HELP, short_help="Print a shipped JSON Schema, for editors and other tools.")
@click.argument("name", metavar="NAME", type=click.Choice(tuple(SCHEMAS)))
def schema(*, name: str) -> None:
    click.echo(text(name), nl=False)
