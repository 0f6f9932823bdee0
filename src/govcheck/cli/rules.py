"""``govcheck rules``: the loaded rules, filtered by tier, stage and category."""

from __future__ import annotations

from pathlib import Path

import click

from govcheck.authoring import catalog
from govcheck.authoring.loading import configured
from govcheck.cli._options import format_option, policy_options


@click.command(short_help="List the rules of the loaded packs.")
@policy_options
@click.option("--tier", metavar="TIER", help="Only rules that apply at this tier.")
@click.option("--stage", metavar="STAGE", help="Only rules that apply at this stage.")
@click.option(
    "--category", metavar="CATEGORY", help="Only rules of this category (governance, ownership, ...)."
)
@format_option("text", "json")
def rules(
    *,
    packs: tuple[str, ...],
    plugins: tuple[str, ...],
    tier: str | None,
    stage: str | None,
    category: str | None,
    output_format: str,
) -> None:
    """List the rules of the loaded packs (default: healthcare-ai-baseline plus configured packs)."""
    _, policy = configured(packs, plugins, Path.cwd())
    selected = catalog.select(policy, catalog.RuleFilter(tier, stage, category))
    render = catalog.rules_json if output_format == "json" else catalog.rules_text
    click.echo(render(selected, policy), nl=False)
