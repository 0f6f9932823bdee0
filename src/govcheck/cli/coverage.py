"""``govcheck coverage``: which items of a framework the loaded packs cite, and which they do not."""

from __future__ import annotations

from pathlib import Path

import click

from govcheck.authoring import coverage as framework_coverage
from govcheck.authoring.frameworks import FRAMEWORKS
from govcheck.authoring.loading import configured
from govcheck.cli._options import format_option, policy_options


@click.command(short_help="Show which framework items the rules cite.")
@click.option(
    "--framework", required=True, type=click.Choice(tuple(FRAMEWORKS)), help="The framework to compare with."
)
@policy_options
@format_option("text", "json")
def coverage(*, framework: str, packs: tuple[str, ...], plugins: tuple[str, ...], output_format: str) -> None:
    """List the framework's items cited by the loaded rules and tiering rules (with their ids) and
    those nothing cites. A tiering rule is shown as "tiering TIER-004" in text and under
    "tiering" in JSON."""
    cwd = Path.cwd()
    registry, policy = configured(packs, plugins, cwd)
    tiering = framework_coverage.tiering_references(policy, registry, cwd)
    result = framework_coverage.coverage(framework, policy, tiering)
    render = framework_coverage.render_json if output_format == "json" else framework_coverage.render_text
    click.echo(render(result), nl=False)
