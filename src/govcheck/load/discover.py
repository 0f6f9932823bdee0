"""Which files a run reads: named files, YAML below named directories, in reported order.

``check`` and ``portfolio`` both list their files here, so they read the same files in the
same order, and every report shows a path the same way (``display``).

Below a named directory every ``*.yaml`` / ``*.yml`` file (any case) is a candidate, dot
directories such as ``.governance/`` included: a manifest that is silently left out would let
a run pass without judging it. What is left out, and why:

- ``.git``: git's own files, never the project's;
- what git ignores (``.gitignore``, ``.git/info/exclude``, the global excludes file), when the
  directory is in a git work tree; git itself answers, so the rules are exactly git's;
- tool directories (``node_modules``, virtual environments, caches, and ``.hg`` and ``.svn``,
  other version control's files) unless git tracks files in them: they hold installed or
  generated files, not the project's manifests, but a file git tracks is the project's
  wherever it lives, so a manifest committed there is read;
- paths matching an ``--exclude`` pattern (the command line's only: a repository's
  configuration cannot leave its own files out).

A directory that cannot be read is reported (``Source.problem``), never skipped silently.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from govcheck.errors import UsageError

SUFFIXES = (".yaml", ".yml")  # compared with the lower-cased name: pilot.YAML is YAML too
_NEVER = frozenset({".git"})
_TOOL_DIRS = frozenset({"node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache", ".hg", ".svn"})


class Source(NamedTuple):
    """A file to read, and whether the user named it (then it must be a manifest)."""

    path: Path
    explicit: bool
    shown: str = ""  # the path as reported, when already known
    problem: str = ""  # why it could not be listed (an unreadable directory): a finding, not a read


def discover(paths: Iterable[str]) -> Iterator[Source]:
    """Files named on the command line, and YAML files below named directories, in order."""
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = sorted((Path(text), problem) for text, problem in _walk_text(str(path), _no_exclude))
            for file, problem in found:
                yield Source(file, explicit=False, problem=problem)
        else:
            yield Source(path, explicit=True)


Listed = tuple[str, str, str, bool, str]
"""A source held for a run: (path head, reported head, tail, named by the user, problem).

Path and reported path are head + tail; below a directory the heads are one shared string per
directory, so 10,000 files cost their file names, not 20,000 full paths.
"""


def listing(paths: Iterable[str], cwd: Path, exclude: Sequence[str] = ()) -> list[Listed]:
    """Every file once, in reported order (``display``), as ``Listed`` entries; ``source`` unpacks one.

    Findings sort by reported path first; evaluating files in that order lets a run keep each
    chunk's findings sorted and packed away instead of holding them all to sort at the end.
    ``exclude`` patterns apply below named directories; a file named by the user is always read.
    """
    patterns = compile_excludes(exclude)
    seen: dict[str, Listed] = {}

    # A loop, not a call of itself: a closure that names itself is a reference cycle, and it
    # would keep ``seen`` (every shown path of a large run) alive after the listing returns.
    def add(shown: str, item: Listed) -> None:
        while (earlier := seen.get(shown)) is not None and not _same_file(earlier, item):
            shown += "\0"  # two files shown alike (escaped names): read both
        if earlier is None:
            seen[shown] = item
        elif item[3] and not earlier[3]:  # named by the user as well as found in a directory
            seen[shown] = (*earlier[:3], True, earlier[4])

    for name in paths:
        path = Path(name)
        if not path.is_dir():
            if not path.exists():
                raise UsageError(f"{printable(str(path))}: no such file or directory")
            shown = display(path, cwd)
            add(shown, (str(path), shown, "", True, ""))
            continue
        root = str(path)
        head = root if root.endswith(os.sep) else root + os.sep
        prefix = display(path, cwd)
        shown_head = "" if prefix == "." else prefix + "/"
        # Patterns read paths as reports show them (relative to the working directory); below a
        # directory outside it, relative to that directory, so no pattern reaches above it.
        match_head = "" if prefix.startswith("/") else shown_head
        for text, problem in _walk_text(root, _excluder(patterns, match_head)):
            if problem:  # an unreadable directory, shown with a trailing slash
                below = printable(text[len(head) :].replace(os.sep, "/")) if text.startswith(head) else ""
                shown = (shown_head + below).rstrip("/") + "/" if shown_head or below else "./"
                add(shown, (text, shown, "", False, problem))
            elif os.path.islink(text) or not text.startswith(head):  # display() resolves a link
                shown = display(Path(text), cwd)
                add(shown, (text, shown, "", False, ""))
            else:  # directories on the way are real: os.walk does not follow links
                tail = text[len(head) :]
                shown_tail = tail.replace(os.sep, "/")
                if shown_tail.isprintable():
                    add(shown_head + shown_tail, (head, shown_head, tail, False, ""))
                else:  # an escaped name differs from the real one: hold both in full
                    shown = shown_head + printable(shown_tail)
                    add(shown, (text, shown, "", False, ""))
    return [seen[key] for key in sorted(seen)]


def _same_file(one: Listed, other: Listed) -> bool:
    try:
        return os.path.samefile(one[0] + one[2], other[0] + other[2])
    except OSError:
        return one[0] + one[2] == other[0] + other[2]


def source(item: Listed) -> Source:
    head, shown_head, tail, explicit, problem = item
    return Source(Path(head + tail), explicit, shown_head + tail.replace(os.sep, "/"), problem)


def display(path: Path, cwd: Path) -> str:
    """How every report shows a file: relative to the working directory (the repository root in
    CI) with ``/`` separators when below it, so reports and fingerprints do not depend on where a
    checkout lives; the absolute path otherwise (an installed pack, a file named by ``..``)."""
    absolute = (path if path.is_absolute() else cwd / path).resolve()
    try:
        return printable(absolute.relative_to(cwd.resolve()).as_posix())
    except ValueError:
        return printable(absolute.as_posix())


def printable(text: str) -> str:
    """A file name as every report can write it: bytes that are not UTF-8 as ``\\xff``, control
    characters as ``\\n``, ``\\x1b``, ...; the same name always gives the same text.

    Names come from the file system with undecodable bytes as lone surrogates, which no
    UTF-8 stream, XML document or JSON consumer accepts.
    """
    if text.isprintable():
        return text
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that is not an escaped byte
        raw = text.encode("utf-8", "backslashreplace")
    decoded = raw.decode("utf-8", "backslashreplace")
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in decoded)


# ----------------------------------------------------------------- walking


def _walk_text(root: str, excluded: Callable[[str, bool], bool]) -> Iterator[tuple[str, str]]:
    """(path, "") for each candidate file below ``root``, (directory, why) for each unreadable one.

    Text, not Path: 10,000 Path objects would outweigh the run. ``excluded`` gets the path
    relative to ``root`` with ``/`` separators, and whether it is a directory.
    """
    head = root if root.endswith(os.sep) else root + os.sep
    git = _Git.open(root)
    errors: list[OSError] = []
    for current, dirs, files in os.walk(root, onerror=errors.append):
        yield from ((_error_path(e, root), _unreadable(e)) for e in errors)
        errors.clear()
        rel = current[len(head) :].replace(os.sep, "/") + "/" if current != root else ""
        keep = []
        for name in dirs:
            path = rel + name
            if name in _NEVER or excluded(path, True):
                continue
            if git is not None:
                if path in git.ignored_dirs or (name in _TOOL_DIRS and not git.tracks(path)):
                    continue
            elif name in _TOOL_DIRS:
                continue
            keep.append(name)
        dirs[:] = keep
        for name in files:
            if name.lower().endswith(SUFFIXES):
                path = rel + name
                if (git is None or path not in git.ignored_files) and not excluded(path, False):
                    yield os.path.join(current, name), ""
    yield from ((_error_path(e, root), _unreadable(e)) for e in errors)


def _error_path(error: OSError, root: str) -> str:
    return error.filename if isinstance(error.filename, str) else root


def _unreadable(error: OSError) -> str:
    return f"cannot read the directory: {error.strerror or error}"


class _Git(NamedTuple):
    """What git ignores below a directory in a git work tree, paths relative to it with ``/``."""

    executable: str
    root: str
    ignored_files: frozenset[str]
    ignored_dirs: frozenset[str]  # git names a wholly ignored directory once: nothing below it is read

    @classmethod
    def open(cls, root: str) -> _Git | None:
        """None outside a work tree, without git, or when git cannot answer: then every file is walked.

        Walking everything reads more files, never fewer, so a failing git cannot hide a manifest.
        """
        from govcheck import vcs  # only when a directory is walked: a pre-commit run names its files

        top = work_tree(Path(os.path.abspath(root)))
        executable = vcs.executable(avoid=top) if top is not None else None
        if top is None or executable is None:
            return None  # a git found in the repository is the repository's code: never run it
        out = _git(executable, root, "--others", "--ignored", "--exclude-standard", "--directory")
        if out is None or "./" in out:  # "./": the named directory is ignored as a whole; read it all
            return None
        return cls(
            executable,
            root,
            frozenset(p for p in out if not p.endswith("/")),
            frozenset(p[:-1] for p in out if p.endswith("/")),
        )

    def tracks(self, directory: str) -> bool:
        """Whether git tracks a file below a tool directory (asked only for the rare one not ignored)."""
        out = _git(self.executable, self.root, "--cached", "--", directory)
        return bool(out)


def _git(executable: str, cwd: str, *args: str) -> list[str] | None:
    # core.fsmonitor names a program; a cloned repository's config must not make us run one.
    import subprocess  # only when a directory is walked: a one-file check never starts git

    command = [executable, "-c", "core.fsmonitor=false", "ls-files", "-z", *args]
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, check=False)
    except OSError:
        return None
    if done.returncode != 0:  # not a work tree after all, an unsafe owner, a git bug: walk instead
        return None
    return [os.fsdecode(p) for p in done.stdout.split(b"\0") if p]


@lru_cache(maxsize=256)
def work_tree(directory: Path) -> Path | None:
    """The enclosing git work tree: the nearest directory, from ``directory`` up, holding ``.git``."""
    for candidate in (directory, *directory.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


# ----------------------------------------------------------------- --exclude


class _Pattern(NamedTuple):
    regex: re.Pattern[str]
    negated: bool


def compile_excludes(patterns: Iterable[str]) -> tuple[_Pattern, ...]:
    """Gitignore-style patterns, in order; the last that matches a path (or a directory above it) wins.

    ``name`` matches at any depth, ``dir/`` only directories, ``a/b`` (any inner or leading
    slash) is anchored, ``*`` and ``?`` stay within one path segment, ``**`` spans segments,
    ``!pattern`` includes again what an earlier pattern excluded.
    """
    compiled = []
    for pattern in patterns:
        text = pattern.strip()
        negated = text.startswith("!")
        text = text[1:] if negated else text
        text = text[1:] if text.startswith("\\!") or text.startswith("\\#") else text
        dir_only = text.endswith("/")
        text = text.rstrip("/")
        if not text:
            raise UsageError(f"--exclude {pattern!r}: an exclude pattern names no path")
        anchored = "/" in text
        body = _glob(text.lstrip("/"))
        regex = ("" if anchored else "(?:.*/)?") + body + ("/.*" if dir_only else "(?:/.*)?")
        compiled.append(_Pattern(re.compile(regex, re.DOTALL), negated))
    return tuple(compiled)


def _glob(text: str) -> str:
    parts = text.split("/")
    out = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if part == "**":
            out.append(".*" if last else "(?:.*/)?")
            continue
        out.append(_segment(part) + ("" if last else "/"))
    return "".join(out)


def _segment(part: str) -> str:
    out, i = [], 0
    while i < len(part):
        c = part[i]
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "\\" and i + 1 < len(part):
            i += 1
            out.append(re.escape(part[i]))
        elif c == "[" and (end := _class_end(part, i)) != -1:
            inner = part[i + 1 : end]
            negate = inner[:1] in ("!", "^")
            chars = "".join(ch if ch == "-" else re.escape(ch) for ch in inner[negate:])
            out.append("(?!/)[" + ("^" if negate else "") + chars + "]")
            i = end
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


def _class_end(part: str, start: int) -> int:
    """Where the ``]`` closing a ``[`` at ``start`` is, or -1 (then the ``[`` is literal)."""
    first = start + 1 + (part[start + 1 : start + 2] in ("!", "^"))
    return part.find("]", first + 1) if first < len(part) else -1


def _no_exclude(path: str, is_dir: bool) -> bool:
    return False


def _excluder(patterns: tuple[_Pattern, ...], match_head: str) -> Callable[[str, bool], bool]:
    if not patterns:
        return _no_exclude
    prunes = not any(p.negated for p in patterns)  # with a "!", a directory may hold included files

    def excluded(path: str, is_dir: bool) -> bool:
        if is_dir and not prunes:
            return False
        text = printable(match_head + path) + ("/" if is_dir else "")
        verdict = False
        for pattern in patterns:
            if pattern.regex.fullmatch(text):
                verdict = not pattern.negated
        return verdict

    return excluded
