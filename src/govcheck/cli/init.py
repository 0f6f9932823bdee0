"""``govcheck init``: a manifest skeleton with every field the tier's rules require."""

from __future__ import annotations

from pathlib import Path

import click

from govcheck.authoring.loading import configured
from govcheck.authoring.schemas import EDITOR_FILE, MODELINE
from govcheck.authoring.schemas import text as schema_text
from govcheck.authoring.skeleton import STAGE, skeleton
from govcheck.authoring.skeleton_yaml import render
from govcheck.cli._files import emit, write_file
from govcheck.cli._options import policy_options

DEFAULT_OUTPUT = "pilot.yaml"


@click.command(short_help="Write a pilot manifest skeleton for a tier and use case.")
@click.option(
    "--tier",
    required=True,
    metavar="TIER",
    help="The pilot's declared risk tier (low, moderate, high, critical).",
)
@click.option(
    "--use-case",
    required=True,
    metavar="USE_CASE",
    help="clinical-documentation, coding, denials, imaging, ...",
)
@click.option(
    "--output",
    "-o",
    metavar="FILE",
    default=DEFAULT_OUTPUT,
    show_default=True,
    help="Where to write the skeleton; - for standard output.",
)
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@policy_options
def init(
    *, tier: str, use_case: str, output: str, force: bool, packs: tuple[str, ...], plugins: tuple[str, ...]
) -> None:
    """Write a pilot manifest skeleton for TIER and USE_CASE, derived from the loaded rules.

    Every field a rule requires at that tier is there with a placeholder and a # TODO naming
    the rules; govcheck check reports each one until it is filled in. The first line names the
    manifest schema for editors (yaml-language-server), written beside FILE as
    .govcheck-manifest.schema.json; with -o -, export it there with govcheck schema manifest.
    """
    _, policy = configured(packs, plugins, Path.cwd())
    names = ", ".join(f"{p.name} {p.version}" for p in policy.packs)
    heading = [
        MODELINE,
        f"A {tier} {use_case} pilot at stage {STAGE}: every field that {names} requires.",
        "Fill in each TODO (govcheck explain RULE says why and how);"
        " govcheck check reports each one until then.",
    ]
    emit(render(skeleton(policy, tier, use_case), heading), output, force)
    if output != "-":
        schema = _editor_schema(Path(output).parent / EDITOR_FILE)
        also = f" and {schema} (the schema its first line names, for editors)" if schema else ""
        click.echo(f"wrote {output}{also}; fill in the TODOs, then run govcheck check {output}", err=True)


def _editor_schema(path: Path) -> str | None:
    """Write the installed manifest schema where the modeline points, unless it is there already."""
    wanted = schema_text("manifest")
    if path.is_file() and path.read_text(encoding="utf-8", errors="replace") == wanted:
        return None
    write_file(str(path), (wanted,))
    return str(path)
