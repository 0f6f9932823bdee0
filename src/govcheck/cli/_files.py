"""Writing a command's text to standard output or to ``--output FILE``."""
from __future__ import annotations

from pathlib import Path

import click

from govcheck.errors import UsageError

STDOUT = "-"


def emit(text: str, output: str | None, force: bool = True) -> None:
    """Standard output when ``output`` is None or ``-``; else the file, refusing to overwrite unless ``force``."""
    if output is None or output == STDOUT:
        click.echo(text, nl=False)
        return
    path = Path(output)
    if path.exists() and not force:
        raise UsageError(f"{output} already exists; give --force to overwrite it")
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
