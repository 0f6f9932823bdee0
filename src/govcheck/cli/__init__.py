"""The ``govcheck`` command: a click group whose commands are thin layers over the library.

Commands are imported only when invoked, so ``govcheck check`` in a pre-commit hook pays
for nothing that other commands need.
"""

from __future__ import annotations

import importlib
import sys

import click

from govcheck import __version__
from govcheck.cli._errors import GovcheckGroup, quiet_broken_pipe

ENV_PREFIX = "GOVCHECK"

# name -> "module:attribute"; one line per command.
COMMANDS: dict[str, str] = {
    "baseline": "govcheck.cli.baseline:baseline",
    "check": "govcheck.cli.check:check",
    "coverage": "govcheck.cli.coverage:coverage",
    "explain": "govcheck.cli.explain:explain",
    "history": "govcheck.cli.history:history",
    "init": "govcheck.cli.init:init",
    "lsp": "govcheck.cli.lsp:lsp",
    "pack": "govcheck.cli.pack:pack",
    "packs": "govcheck.cli.packs:packs",
    "rules": "govcheck.cli.rules:rules",
    "schema": "govcheck.cli.schema:schema",
    "portfolio": "govcheck.cli.portfolio:portfolio",
}


class LazyGroup(GovcheckGroup):
    """The root group: a command's module is imported from ``COMMANDS`` only when it is looked up."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, _, attribute = COMMANDS[cmd_name].partition(":")
        command: click.Command = getattr(importlib.import_module(module), attribute)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="govcheck")
@click.option("--traceback", is_flag=True, hidden=True, help="Show Python tracebacks of internal errors.")
@click.pass_context
def cli(ctx: click.Context, traceback: bool) -> None:
    """Policy-as-code for AI pilots in healthcare.

    Checks pilot manifests (kind: AIPilot) against policy packs (kind: PolicyPack) and
    reports findings for pre-commit hooks and CI gates.
    """
    ctx.ensure_object(dict)["traceback"] = traceback


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    try:
        code = _main(argv)
        # Output still buffered here would otherwise meet a closed pipe in the interpreter's own
        # flush at exit, where no handler can keep it quiet.
        sys.stdout.flush()
    except BrokenPipeError:  # also --help or --version into a reader that already left
        return quiet_broken_pipe()
    return code


def _main(argv: list[str] | None) -> int:
    try:
        # Every option can also come from GOVCHECK_<COMMAND>_<OPTION> (GOVCHECK_CHECK_FAIL_ON=warning),
        # for CI systems that configure steps through the environment; the command line wins.
        code = cli.main(args=argv, prog_name="govcheck", standalone_mode=False, auto_envvar_prefix=ENV_PREFIX)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return 2
    except (click.Abort, KeyboardInterrupt):  # Ctrl-C before a command's own handler runs
        click.echo("govcheck: interrupted", err=True)
        return 130
    except SystemExit as exc:  # ctx.exit() inside commands
        return int(exc.code or 0)
    return code if isinstance(code, int) else 0
