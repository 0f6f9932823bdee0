"""``govcheck schema NAME``: a shipped JSON Schema, for editors and other tools."""

from __future__ import annotations

from pathlib import Path

import click

from govcheck.authoring.schemas import SCHEMAS, manifest_for, text
from govcheck.cli._options import policy_options
from govcheck.errors import UsageError

# Built from the registry so a newly shipped schema is named in --help without editing this text;
# "\b" keeps click from rewrapping the one-schema-per-line list.
HELP = "\n".join(
    [
        "Print the shipped JSON Schema NAME, one of:",
        "",
        "\b",
        *(f"{name:<{max(map(len, SCHEMAS))}}  {file}.schema.json" for name, file in SCHEMAS.items()),
        "",
        "With --pack, the manifest schema names the tiers and stages of those packs (and the"
        " configuration's) as enums, for editors.",
    ]
)


@click.command(help=HELP, short_help="Print a shipped JSON Schema, for editors and other tools.")
@click.argument("name", metavar="NAME", type=click.Choice(tuple(SCHEMAS)))
@policy_options
def schema(*, name: str, packs: tuple[str, ...], plugins: tuple[str, ...]) -> None:
    if not packs and not plugins:
        click.echo(text(name), nl=False)
        return
    if name != "manifest":
        raise UsageError(f"--pack and --plugin shape the manifest schema only, not the {name} schema")
    from govcheck.authoring.loading import configured  # only here: loading packs costs

    _, policy = configured(packs, plugins, Path.cwd())
    click.echo(manifest_for(policy.tiers, policy.stages), nl=False)
