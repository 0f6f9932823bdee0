"""Which files a run reads: named files, YAML below named directories, in reported order.

``check`` and ``portfolio`` both list their files here, so they read the same files in the
same order, and every report shows a path the same way (``display``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from govcheck.errors import UsageError

SUFFIXES = (".yaml", ".yml")
_SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache"}


@dataclass(frozen=True)
class Source:
    """A file to read, and whether the user named it (then it must be a manifest)."""

    path: Path
    explicit: bool
    shown: str = ""  # the path as reported, when already known


def discover(paths: Iterable[str]) -> Iterator[Source]:
    """Files named on the command line, and YAML files below named directories, in order."""
    for name in paths:
        path = Path(name)
        if path.is_dir():
            for found in sorted(_walk(path)):
                yield Source(found, explicit=False)
        else:
            yield Source(path, explicit=True)


Listed = tuple[str, str, str, bool]
"""A source held for a run: (path head, reported head, tail, named by the user).

Path and reported path are head + tail; below a directory the heads are one shared string per
directory, so 10,000 files cost their file names, not 20,000 full paths.
"""


def listing(paths: Iterable[str], cwd: Path) -> list[Listed]:
    """Every file once, in reported order (``display``), as ``Listed`` entries; ``source`` unpacks one.

    Findings sort by reported path first; evaluating files in that order lets a run keep each
    chunk's findings sorted and packed away instead of holding them all to sort at the end.
    """
    seen: dict[str, Listed] = {}

    def add(shown: str, item: Listed) -> None:
        earlier = seen.get(shown)
        if earlier is None:
            seen[shown] = item
        elif item[3] and not earlier[3]:  # named by the user as well as found in a directory
            seen[shown] = (*earlier[:3], True)

    for name in paths:
        path = Path(name)
        if not path.is_dir():
            if not path.exists():
                raise UsageError(f"{path}: no such file or directory")
            shown = display(path, cwd)
            add(shown, (str(path), shown, "", True))
            continue
        root = str(path)
        head = root if root.endswith(os.sep) else root + os.sep
        prefix = display(path, cwd)
        shown_head = "" if prefix == "." else prefix + "/"
        for text in _walk_text(root):  # text, not Path: 10,000 Path objects would outweigh the run
            if os.path.islink(text) or not text.startswith(head):  # display() resolves a link to its target
                shown = display(Path(text), cwd)
                add(shown, (text, shown, "", False))
            else:  # directories on the way are real: os.walk does not follow links
                tail = text[len(head) :]
                add(shown_head + tail.replace(os.sep, "/"), (head, shown_head, tail, False))
    return [seen[key] for key in sorted(seen)]


def source(item: Listed) -> Source:
    head, shown_head, tail, explicit = item
    return Source(Path(head + tail), explicit, shown_head + tail.replace(os.sep, "/"))


def _walk(root: Path) -> Iterator[Path]:
    return map(Path, _walk_text(str(root)))


def _walk_text(root: str) -> Iterator[str]:
    for current, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in _SKIP_DIRS and not d.startswith(".")]
        for file in files:
            if file.endswith(SUFFIXES):
                yield os.path.join(current, file)


def display(path: Path, cwd: Path) -> str:
    """How every report shows a file: relative to the working directory (the repository root in
    CI) with ``/`` separators when below it, so reports and fingerprints do not depend on where a
    checkout lives; the absolute path otherwise (an installed pack, a file named by ``..``)."""
    absolute = (path if path.is_absolute() else cwd / path).resolve()
    try:
        return absolute.relative_to(cwd.resolve()).as_posix()
    except ValueError:
        return absolute.as_posix()
