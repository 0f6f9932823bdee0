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


def refuse_links(output: str) -> None:
    """Refuse ``output`` when a symbolic link would send the write elsewhere.

    A checked repository can commit a link named like the report a CI job writes
    (``govcheck.sarif -> ~/.bashrc``), or a link to a directory on the way to it. So the file
    itself may never be a link, and neither may a directory on the way below the working
    directory. Above it the machine's own links (``/tmp`` on macOS) are left alone.
    """
    if output.startswith(_STREAMS):
        return
    cwd = os.getcwd()
    absolute = os.path.join(cwd, output)  # an absolute output stays as it is
    head = cwd.rstrip(os.sep) + os.sep
    if not absolute.startswith(head):
        if os.path.islink(absolute):
            _linked(output, Path(absolute), output)
        return
    walked = Path(cwd)
    for part in Path(absolute[len(head) :]).parts:  # as written, not normalised: "link/../x" goes via link
        walked /= part
        if part != os.pardir and walked.is_symlink():
            _linked(output, walked, walked.relative_to(cwd).as_posix())


def check_destination(output: str) -> None:
    """Refuse, before a run, a report file that could not be written after it: through a link
    (``refuse_links``), in a directory that does not exist, or where a directory is.

    A recorded run keeps its exit code before its reports are written; a report that then
    fails makes the process exit 2 while the record says 0 or 1, so what can be known in
    advance is refused in advance.
    """
    refuse_links(output)
    if output.startswith(_STREAMS):
        return
    if os.path.isdir(output):
        raise UsageError(f"cannot write {output}: it is a directory")
    parent = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(parent):
        raise UsageError(f"cannot write {output}: no directory {parent}")


def _linked(output: str, link: Path, shown: str) -> None:
    which = "it" if shown == output else shown
    raise UsageError(
        f"cannot write {output}: {which} is a symbolic link (to {os.readlink(link)}), and a report"
        " is never written through one; remove the link or write the report elsewhere"
    )


@contextmanager
def replacing(output: str) -> Iterator[TextIO]:
    """A file to write that replaces ``output`` only when the block ends without an error.

    A report cut short (a full disk, an interrupted run) must not leave half a file where a CI
    step reads it. What is not a regular file (a device, a pipe), and a process's own streams
    (``/dev/stdout`` even when the shell sends it to a file), are written directly. A symbolic
    link is refused (``refuse_links``), and the rename replaces the name itself, never follows it.
    """
    refuse_links(output)
    if output.startswith(_STREAMS) or (os.path.exists(output) and not os.path.isfile(output)):
        with open(output, "w", encoding="utf-8") as out:
            yield out
        return
    target = Path(output)
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")  # opened "x": never through a link
    try:
        with open(partial, "x", encoding="utf-8") as out:
            yield out
        os.replace(partial, target)
    except BaseException:
        with suppress(OSError):
            partial.unlink()
        raise
