"""The one place where exceptions become messages and exit codes."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from govcheck.errors import GovcheckError

EXIT_USAGE = 2
EXIT_INTERRUPT = 130
# A reader that stops early (``govcheck check | head``) ends the run with 1, whatever the findings:
# the report was cut short, so under ``set -o pipefail`` a gate must not read it as a pass.
EXIT_BROKEN_PIPE = 1


def quiet_broken_pipe() -> int:
    """Silence standard output after the reader closed it, and return ``EXIT_BROKEN_PIPE``.

    Python's recipe: the interpreter flushes ``sys.stdout`` once more at exit, which would fail
    again and print "Exception ignored"; pointing the descriptor at /dev/null makes that flush a
    no-op. Nothing is written to stderr: ``head`` closing the pipe is not an error.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real descriptor behind stdout (an embedding caller's stream)
        pass
    finally:
        os.close(devnull)
    return EXIT_BROKEN_PIPE


class GovcheckGroup(click.Group):
    """Runs every command under the error handler: users never see a traceback."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError:
            from govcheck.schema.suggest import did_you_mean  # difflib only on this error path

            # click names the unknown command but not the one meant: ``chek`` is a slip for ``check``.
            name = args[0] if args else ""
            hint = did_you_mean(name, self.list_commands(ctx)) if not name.startswith("-") else ""
            if not hint:
                raise
            raise click.UsageError(f"No such command {name!r}{hint}", ctx) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except GovcheckError as exc:
            click.echo(f"govcheck: {exc}", err=True)
            ctx.exit(EXIT_USAGE)
        except KeyboardInterrupt:
            click.echo("govcheck: interrupted", err=True)
            ctx.exit(EXIT_INTERRUPT)
        except BrokenPipeError:
            ctx.exit(quiet_broken_pipe())
        except Exception as exc:
            if (ctx.obj or {}).get("traceback"):
                import traceback  # only for --traceback: a run without an internal error never loads it

                traceback.print_exc(file=sys.stderr)
            else:
                click.echo(
                    f"govcheck: internal error: {type(exc).__name__}: {exc};"
                    " rerun with --traceback and report it",
                    err=True,
                )
            ctx.exit(EXIT_USAGE)
