"""The one place where exceptions become messages and exit codes."""

from __future__ import annotations

import sys
import traceback
from typing import Any

import click

from govcheck.errors import GovcheckError

EXIT_USAGE = 2
EXIT_INTERRUPT = 130


class GovcheckGroup(click.Group):
    """Runs every command under the error handler: users never see a traceback."""

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
        except Exception as exc:
            if (ctx.obj or {}).get("traceback"):
                traceback.print_exc(file=sys.stderr)
            else:
                click.echo(
                    f"govcheck: internal error: {type(exc).__name__}: {exc};"
                    " rerun with --traceback and report it",
                    err=True,
                )
            ctx.exit(EXIT_USAGE)
