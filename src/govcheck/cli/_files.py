"""Writing a command's text to standard output or to ``--output FILE``."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TextIO

import click

from govcheck.errors import UsageError

STDOUT = "-"
_STREAMS = ("/dev/stdout", "/dev/stderr", "/dev/fd/", "/proc/")


def emit(text: str, output: str | None, force: bool = True) -> None:
    """Standard output when ``output`` is None or ``-``; else the file.

    An existing file is overwritten only when ``force``.
    """
    if output is None or output == STDOUT:
        click.echo(text, nl=False)
        return
    if Path(output).exists() and not force:
        raise UsageError(f"{output} already exists; give --force to overwrite it")
    write_file(output, (text,))


def write_file(output: str, pieces: Iterable[str]) -> None:
    """Write ``pieces`` to ``output`` as they come; the file appears only once it is complete."""
    try:
        with replacing(output) as out:
            out.writelines(pieces)
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None


@contextmanager
def replacing(output: str) -> Iterator[TextIO]:
    """A file to write that replaces ``output`` only when the block ends without an error.

    A report cut short (a full disk, an interrupted run) must not leave half a file where a CI
    step reads it. What is not a regular file (a device, a pipe), and a process's own streams
    (``/dev/stdout`` even when the shell sends it to a file), are written directly.
    """
    if output.startswith(_STREAMS) or (os.path.exists(output) and not os.path.isfile(output)):
        with open(output, "w", encoding="utf-8") as out:
            yield out
        return
    target = Path(os.path.realpath(output))  # through a symlink: the link stays, its file is replaced
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        with open(partial, "x", encoding="utf-8") as out:
            yield out
        os.replace(partial, target)
    except BaseException:
        with suppress(OSError):
            partial.unlink()
        raise
