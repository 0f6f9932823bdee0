"""Packs from git: ``git+URL@REV#SUBDIR``, fetched once into a cache and pinned to a commit.

``REV`` (a branch, a tag or a full commit id; the default branch when left out) is resolved
to a commit, and the tree at that commit is exported to
``$XDG_CACHE_HOME/govcheck/packs/<sha256 of URL>/<commit>/``. An entry is written whole under
a temporary name and renamed into place, so a concurrent run sees all of it or none; an entry
for a full commit id is used again without asking the remote.

Only ``file://``, ``https://`` and ``ssh://`` URLs are taken: ``ext::`` runs a command, and an
scp-like ``user@host:path`` would be read as ``@rev``. git runs as ``govcheck.vcs`` runs it:
no hooks, no fsmonitor, no transport but the URL's, no prompt, stdin closed, a timeout.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path, PurePosixPath
from typing import NamedTuple
from urllib.parse import urlsplit

from govcheck import vcs
from govcheck.errors import PackError
from govcheck.load.discover import work_tree

PREFIX = "git+"
SCHEMES = ("file", "https", "ssh")
FETCH_TIMEOUT = 120.0  # a fetch over the network may be slow; a hung one must still end
# Patterns, compiled by re on first use: a check that names no pack from git never needs them.
_REV = r"[A-Za-z0-9_][A-Za-z0-9._/-]*"  # no leading "-" (an option), no ":" (a refspec)
_COMMIT = r"[0-9a-f]{40}"


class GitRef(NamedTuple):
    url: str
    rev: str  # "" for the default branch
    subdir: str  # "" for the repository's root

    def pinned(self, commit: str, subdir: str | None = None) -> str:
        """The reference naming ``commit`` instead of ``rev``: what reports and lock files record."""
        where = self.subdir if subdir is None else subdir
        return f"{PREFIX}{self.url}@{commit}" + (f"#{where}" if where else "")


class Checkout(NamedTuple):
    ref: GitRef
    commit: str
    root: Path  # the exported tree of the whole repository at ``commit``


def is_git_ref(ref: str) -> bool:
    return ref.startswith(PREFIX)


def parse(ref: str) -> GitRef:
    """``git+URL[@REV][#SUBDIR]``; the ``@`` is the last one in the URL's path, as pip reads it."""
    body, _, subdir = ref[len(PREFIX) :].partition("#")
    parts = urlsplit(body) if not body.startswith("-") else None
    if parts is None or parts.scheme not in SCHEMES or parts.query or not body.isprintable() or " " in body:
        raise PackError(
            f"{ref}: not a git pack reference; write git+URL@REV#SUBDIR with a file://, https:// or"
            " ssh:// URL (an scp-like user@host:path is written ssh://user@host/path)"
        )
    _, at, rev = parts.path.rpartition("@")
    if not at:
        return GitRef(body, "", _subdir(ref, subdir))
    if not re.fullmatch(_REV, rev) or ".." in rev:
        raise PackError(f"{ref}: {rev!r} is not a branch, a tag or a commit id")
    return GitRef(body[: -len(rev) - 1], rev, _subdir(ref, subdir))


def _subdir(ref: str, subdir: str) -> str:
    where = PurePosixPath(subdir)
    if "\\" in subdir or where.is_absolute() or ".." in where.parts:
        raise PackError(f"{ref}: #{subdir} must be a path inside the repository")
    return "" if str(where) == "." else where.as_posix()


def cache_root(cwd: Path) -> Path:
    """Where fetched packs are kept; never inside the checked repository, which could otherwise
    commit a forged entry for the commit a gate pins."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache"
    root = base / "govcheck" / "packs"
    tree = work_tree(cwd.resolve())
    if tree is not None and vcs.inside(os.path.realpath(root), tree):
        raise PackError(
            f"the pack cache {root} is inside the checked repository {tree}; set XDG_CACHE_HOME elsewhere"
        )
    return root


def checkout(ref: str, cache: Path) -> Checkout:
    """The tree of the commit ``ref`` names, fetched into ``cache`` unless it is there already."""
    import tempfile  # here, with tarfile below: a check that names no pack from git never needs them

    parsed = parse(ref)
    base = cache / hashlib.sha256(parsed.url.encode()).hexdigest()
    if re.fullmatch(_COMMIT, parsed.rev) and (base / parsed.rev).is_dir():
        return Checkout(parsed, parsed.rev, base / parsed.rev)
    git = vcs.executable()
    if git is None:
        raise PackError(f"{ref}: git is not installed, and this commit is not in the cache {cache}")
    base.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=base, prefix=".fetch-") as tmp:
        repo = Path(tmp) / "repo.git"
        _git(ref, git, Path(tmp), "init", "--quiet", "--bare", "--template=", str(repo))
        scheme = urlsplit(parsed.url).scheme
        fetch = ("fetch", "--quiet", "--no-tags", "--depth=1", "--", parsed.url, parsed.rev or "HEAD")
        _git(ref, git, repo, *fetch, allow=(scheme,), timeout=FETCH_TIMEOUT)
        commit = _git(ref, git, repo, "rev-parse", "--verify", "FETCH_HEAD^{commit}").decode().strip()
        entry = base / commit
        if not entry.is_dir():
            tree = Path(tmp) / "tree"
            _export(ref, _git(ref, git, repo, "archive", "--format=tar", commit), tree)
            try:
                os.rename(tree, entry)
            except OSError:
                if not entry.is_dir():  # not another run that got there first
                    raise
    return Checkout(parsed, commit, entry)


def _export(ref: str, archive: bytes, tree: Path) -> None:
    import io
    import tarfile

    # The data filter refuses absolute names, links out of the tree, devices and set-uid bits.
    if not hasattr(tarfile, "data_filter"):
        raise PackError(f"{ref}: packs from git need Python 3.10.12, 3.11.4 or later (tarfile filters)")
    tree.mkdir()
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        try:
            tar.extractall(tree, filter="data")
        except tarfile.TarError as exc:
            raise PackError(f"{ref}: the repository holds a file that cannot be exported: {exc}") from None


def _git(
    ref: str, git: str, cwd: Path, *args: str, allow: tuple[str, ...] = (), timeout: float = 30.0
) -> bytes:
    import subprocess  # only a pack from git runs git

    try:
        done = vcs.run(git, cwd, *args, allow=allow, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise PackError(f"{ref}: git {args[0]} did not finish in {timeout:g} seconds") from None
    except OSError as exc:
        raise PackError(f"{ref}: cannot run git: {exc.strerror or exc}") from None
    if done.returncode != 0:
        said = [line.strip() for line in done.stderr.decode(errors="replace").splitlines() if line.strip()]
        first = next(
            (line for line in said if line.startswith(("fatal:", "error:"))), said[-1] if said else ""
        )
        raise PackError(f"{ref}: git {args[0]} failed: {first or f'exit status {done.returncode}'}")
    return done.stdout
