"""Find pilot manifests on disk and load them; an unreadable manifest is a finding."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from govcheck.evaluate import Target
from govcheck.load.yaml import ParseError, load_all, read_text
from govcheck.model import KIND_RULE, PARSE_RULE, Finding

KIND = "AIPilot"
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


def load(source: Source, cwd: Path) -> tuple[list[Target], list[Finding]]:
    """The AIPilot documents of one file, or the findings that say why it cannot be read."""
    shown = source.shown or display(source.path, cwd)
    try:
        raw = source.path.read_bytes()
    except OSError as exc:
        return [], [_problem(PARSE_RULE, shown, 1, 1, f"cannot read the file: {exc.strerror or exc}")]
    if not source.explicit and KIND.encode() not in raw:
        return [], []  # other YAML in a scanned directory is not ours to judge
    try:
        docs = [d for d in load_all(read_text(shown, raw), shown) if d.data is not None]
    except ParseError as exc:
        return [], [_problem(PARSE_RULE, shown, exc.line, exc.column, exc.message)]
    pilots = [d for d in docs if isinstance(d.data, dict) and d.data.get("kind") == KIND]
    if not pilots:
        if not source.explicit:
            return [], []
        return [], [_not_a_manifest(shown, docs)]
    root = repo_root(source.path.resolve().parent)
    return [Target(d, source.path, root) for d in pilots], []


def _not_a_manifest(shown: str, docs: list) -> Finding:  # type: ignore[type-arg]
    if not docs:
        return _problem(
            PARSE_RULE,
            shown,
            1,
            1,
            "the file is empty; a pilot manifest starts with apiVersion: govcheck/v1 and kind: AIPilot",
        )
    doc = docs[0]
    kind = doc.data.get("kind") if isinstance(doc.data, dict) else None
    line, column, _ = doc.locate(("kind",))
    what = f"kind is {kind!r}" if kind is not None else "it has no kind"
    return _problem(KIND_RULE, shown, line, column, f"not a pilot manifest: {what}; expected kind: {KIND}")


def _problem(rule: str, file: str, line: int, column: int, message: str) -> Finding:
    return Finding(
        rule,
        "error",
        message,
        file,
        line,
        column,
        category="schema",
        title="The file is a readable pilot manifest",
        remediation="Fix the YAML at the line shown; a manifest is one mapping with apiVersion: govcheck/v1 and kind: AIPilot.",
    )


@lru_cache(maxsize=256)
def repo_root(directory: Path) -> Path:
    """The enclosing git work tree, else the directory itself: evidence may not leave it."""
    for candidate in (directory, *directory.parents):
        if (candidate / ".git").exists():
            return candidate
    return directory


def display(path: Path, cwd: Path) -> str:
    """Paths relative to the working directory (the repository root in CI), with / separators."""
    absolute = (path if path.is_absolute() else cwd / path).resolve()
    return Path(os.path.relpath(absolute, cwd.resolve())).as_posix()
