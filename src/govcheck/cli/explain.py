"""``govcheck explain RULE``: why a rule exists, what it checks and how to fix a failure."""

from __future__ import annotations

import difflib
from pathlib import Path

import click

from govcheck.authoring.loading import configured
from govcheck.authoring.ruledoc import describe, render_markdown, render_text
from govcheck.cli._options import format_option, policy_options
from govcheck.errors import UsageError


@click.command(short_help="Show a rule: why, what is checked, how to fix.")
@click.argument("rule")
@policy_options
@format_option("text", "markdown", help="Plain text, or Markdown as in the generated rule docs.")
def explain(*, rule: str, packs: tuple[str, ...], plugins: tuple[str, ...], output_format: str) -> None:
    """Show RULE (an id such as OWN-003) from the loaded packs: title, why, what is checked,
    how to fix, references."""
    registry, policy = configured(packs, plugins, Path.cwd())
    by_id = {r.info.id: r for r in policy.rules}
    found = by_id.get(rule.upper())
    if found is None:
        close = difflib.get_close_matches(rule.upper(), list(by_id), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; govcheck rules lists them"
        raise UsageError(f"no rule {rule!r} in the loaded packs{hint}")
    doc = describe(found, policy, registry.checks())
    click.echo(render_markdown(doc) if output_format == "markdown" else render_text(doc), nl=False)
