"""``govcheck pack lint|test|docs|lock``: write packs a hundred pilot repositories can trust."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from govcheck.authoring import docs as pack_docs
from govcheck.authoring import lint as pack_lint
from govcheck.authoring import packtest
from govcheck.authoring.loading import configured, pack_at, registry_for
from govcheck.cli._files import emit
from govcheck.cli._options import format_option, plugin_option, policy_options, today_option
from govcheck.errors import UsageError
from govcheck.packs import lock as pack_lock

FORMAT = format_option("text", "json")
PLUGIN = plugin_option
PACK_PATH = click.argument("path", type=click.Path(exists=True, path_type=Path))


@click.group(short_help="Lint, test, document and lock policy packs.")
def pack() -> None:
    """Author policy packs: lint them, test them against fixtures, document and lock them."""


@pack.command(short_help="Report every problem of a pack, each at file:line:col.")
@PACK_PATH
@PLUGIN
@FORMAT
@click.pass_context
def lint(ctx: click.Context, *, path: Path, plugins: tuple[str, ...], output_format: str) -> None:
    """Every problem of the pack at PATH (and what it extends) in one run, each at file:line:col.

    Exit codes: 0 no errors (warnings allowed); 1 errors; 2 usage error.
    """
    cwd = Path.cwd()
    report = pack_lint.lint(path, registry_for(plugins, cwd), cwd)
    emit(pack_lint.render_json(report) if output_format == "json" else pack_lint.render_text(report), None)
    ctx.exit(report.exit_code)


@pack.command(short_help="Run a pack's fixture manifests against its rules.")
@PACK_PATH
@click.option(
    "--fixtures",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    metavar="DIR",
    help="Fixture directory. Default: tests/ beside the pack.",
)
@today_option
@click.option(
    "--strict",
    is_flag=True,
    help="Also fail when a rule has no fixture that passes it or none that fails it.",
)
@click.option("-v", "--verbose", is_flag=True, help="List every expectation that held, too.")
@PLUGIN
@FORMAT
@click.pass_context
def test(
    ctx: click.Context,
    *,
    path: Path,
    fixtures: Path | None,
    today: dt.date | None,
    strict: bool,
    verbose: bool,
    plugins: tuple[str, ...],
    output_format: str,
) -> None:
    """Run the fixture manifests of the pack at PATH and compare each rule's outcome.

    A fixture is a pilot manifest with an x-fixture block (docs/policy-packs.md, "Fixture
    tests"). Exit codes: 0 every expectation held; 1 a mismatch or a broken fixture (with
    --strict, also a rule not shown both passing and failing); 2 usage or pack error.
    """
    cwd = Path.cwd()
    _, policy = pack_at(path, registry_for(plugins, cwd), cwd)
    directory = fixtures or (path if path.is_dir() else path.parent) / "tests"
    if not directory.is_dir():
        raise UsageError(f"no fixture directory {directory}; give --fixtures DIR")
    report = packtest.run_tests(policy, directory, cwd, today or dt.date.today())
    text = packtest.render_json(report) if output_format == "json" else packtest.render_text(report, verbose)
    emit(text, None)
    ctx.exit(report.exit_code(strict))


@pack.command(short_help="Write the Markdown rule reference of a pack.")
@PACK_PATH
@click.option("--output", "-o", metavar="FILE", help="Write the Markdown to FILE instead of standard output.")
@click.option(
    "--check", metavar="FILE", help="Exit 1 when FILE is not what would be generated (docs in sync)."
)
@PLUGIN
@click.pass_context
def docs(
    ctx: click.Context, *, path: Path, output: str | None, check: str | None, plugins: tuple[str, ...]
) -> None:
    """Markdown rule reference of the pack at PATH: per category a tier-by-rule matrix, then each rule.

    With --check FILE, write nothing: exit 1 when FILE differs from what would be generated.
    """
    cwd = Path.cwd()
    registry = registry_for(plugins, cwd)
    root, policy = pack_at(path, registry, cwd)
    text = pack_docs.render(root, policy, registry.checks())
    if check is None:
        emit(text, output)
        return
    current = Path(check).read_text(encoding="utf-8") if Path(check).is_file() else None
    if current != text:
        click.echo(
            f"{check} is not the generated rule reference of {path};"
            f" run: govcheck pack docs {path} -o {check}",
            err=True,
        )
        ctx.exit(1)


@pack.command(short_help="Record the version and sha256 of every pack in use.")
@policy_options
@click.option(
    "--output",
    "-o",
    metavar="FILE",
    default=pack_lock.DEFAULT_FILE,
    show_default=True,
    help="Lock file to write.",
)
def lock(*, packs: tuple[str, ...], plugins: tuple[str, ...], output: str) -> None:
    """Record name, version and sha256 of every pack in use (after extends), for check --locked."""
    _, policy = configured(packs, plugins, Path.cwd())
    emit(pack_lock.render(policy.packs), output)
    click.echo(f"wrote {output}: {len(policy.packs)} pack(s) locked", err=True)
