"""When an evidence file last changed: by git history where there is one, else its mtime.

Checking a repository must never run code from it. ``git`` is called without a shell, with
a timeout, with the options that could run configured programs turned off, with the
repository's own environment variables dropped, and only for read-only plumbing: the
committed date (``log``) and the committed content's object id (``rev-parse``). Nothing
that applies filters, diff drivers or hooks is run.

A file whose content differs from what is committed (being updated in the commit a
pre-commit hook is checking, or never committed) is judged by its modification time: its
last commit date would call a fresh update stale.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

TIMEOUT = 10.0  # seconds; a slow or hung git falls back to the modification time
_SAFE = (
    "-c",
    "core.fsmonitor=false",  # an fsmonitor hook is a configured program
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "log.showSignature=false",  # verifying a signature runs gpg.program
    "-c",
    "protocol.allow=never",  # no transport (lazy fetches of a partial clone)
    "-c",
    "core.pager=cat",
    "--no-pager",
    "--no-optional-locks",
    "--literal-pathspecs",
)


def _env(root: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("GIT_")
    }  # GIT_DIR and the like steer git elsewhere
    env.update(
        GIT_CEILING_DIRECTORIES=str(root.parent), GIT_TERMINAL_PROMPT="0", GIT_NO_LAZY_FETCH="1", LC_ALL="C"
    )
    return env


def _git(root: Path, *args: str) -> str | None:
    import subprocess  # only a rule about evidence runs git: a check without one never loads it

    from govcheck import vcs

    # Never "git" by name: it would be looked up from the repository's root, where a relative
    # PATH entry names the repository's own program, which could date any file as it liked.
    git = vcs.executable(avoid=root)
    if git is None:
        return None
    try:
        done = subprocess.run(
            [git, *_SAFE, *args],
            cwd=root,
            env=_env(root),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):  # no git, or it hung
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _blob_id(path: Path, length: int) -> str:
    """The git object id of the file's raw bytes (sha1 or sha256 repositories)."""
    digest = hashlib.sha1(usedforsecurity=False) if length == 40 else hashlib.sha256()
    digest.update(b"blob %d\0" % path.stat().st_size)
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def committed_date(root: Path, relative: str, path: Path) -> dt.date | None:
    """The date of the last commit of the file, when its content is the committed one."""
    if not (root / ".git").exists():
        return None
    # %cs is the committer date: when the change entered this history (a rebase or a
    # cherry-pick makes it new), not the author date a client may have carried over.
    day = _git(root, "log", "-1", "--format=%cs", "--", relative)
    committed = _git(root, "rev-parse", "--verify", "--quiet", f"HEAD:{relative}") if day else None
    if not day or not committed or _blob_id(path, len(committed)) != committed:
        return None
    try:
        return dt.date.fromisoformat(day)
    except ValueError:  # a git too old for %cs prints it literally
        return None


COMMITTED = "last commit"
MODIFIED = "modification time"


def last_changed(root: Path, path: Path) -> tuple[dt.date, str]:
    """When the file last changed, and how that was found (``COMMITTED`` or ``MODIFIED``)."""
    relative = path.relative_to(root).as_posix()
    committed = committed_date(root, relative, path)
    if committed is not None:
        return committed, COMMITTED
    return dt.date.fromtimestamp(path.stat().st_mtime), MODIFIED
