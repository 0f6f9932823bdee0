"""Where a run's verdict came from: govcheck's and the plugins' versions, and the git commit
of the checked work tree and whether it was dirty.

Reading the work tree runs git, so this is collected only when a report or the history needs
it, never on the plain text path a pre-commit hook takes. Scanning a repository must never
run its code. What the repository commits cannot make git run anything: commands come from
git's configuration (``core.fsmonitor``, a filter's ``clean`` or ``process``, hooks), and
configuration is never committed. A ``.git`` directory that arrived with the files (an
archive, a copied checkout) can hold any configuration, though, so every command git would
take from it for ``status`` is switched off on the command line, which outranks every
configuration file. Any failure (no git, not a work tree, a repository git refuses for its
owner, a timeout) gives an unknown commit and dirty state, never an error: provenance
describes a run, it does not decide one.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit, urlunsplit

from govcheck import __version__, vcs
from govcheck.load.discover import work_tree
from govcheck.model import Digest, Provenance
from govcheck.plugins import Registry

TIMEOUT = vcs.TIMEOUT  # seconds for each git command: a hung git must not hang the gate
_FILTER_KEY = re.compile(r"^filter\.(.+)\.(clean|process)$")
_REMOTE_KEY = "remote.origin.url"


class GitState(NamedTuple):
    commit: str = ""
    dirty: bool | None = None
    repository: str = ""  # the origin remote as a URL without credentials, "" when not shown


def collect(
    *,
    paths: Sequence[str],
    cwd: Path,
    registry: Registry,
    config: Digest | None,
    waivers: Digest | None,
    fail_on: str,
    exit_code: int,
) -> Provenance:
    """The provenance of a run over ``paths``, judged with ``registry``'s plugins."""
    tree = checked_tree(paths, cwd)
    state = git_state(tree) if tree is not None else GitState()
    return Provenance(
        __version__, plugins(registry), *state, config, waivers, fail_on=fail_on, exit_code=exit_code
    )


def plugins(registry: Registry) -> tuple[tuple[str, str], ...]:
    """(distribution, version) of each plugin beyond the built-ins, sorted; (module, "") for a
    ``--plugin`` module that no distribution installed."""
    from importlib import metadata  # about 20 ms: only when provenance is asked for

    found = set()
    for module, dist in registry.distributions().items():
        if not dist:
            found.add((module, ""))
            continue
        try:
            found.add((dist, metadata.version(dist)))
        except metadata.PackageNotFoundError:
            found.add((dist, ""))
    return tuple(sorted(found))


def checked_tree(paths: Sequence[str], cwd: Path) -> Path | None:
    """The git work tree holding every checked path; None when they are in none or in several
    (one commit cannot describe manifests from two repositories)."""
    trees = set()
    for path in paths or (".",):
        absolute = Path(os.path.abspath(cwd / path))
        trees.add(work_tree(absolute if absolute.is_dir() else absolute.parent))
    return trees.pop() if len(trees) == 1 else None


def git_state(tree: Path) -> GitState:
    """The commit checked out in ``tree`` and whether tracked files changed or untracked files
    that git does not ignore exist; ``GitState()`` when git cannot tell."""
    executable = vcs.executable(avoid=tree)
    if executable is None:
        return GitState()
    settings = _git(
        executable, tree, "config", "--null", "--get-regexp", r"^(filter\..*|remote\.origin\.url)$"
    )
    if settings is None:
        return GitState()
    filters, remote = _read_settings(settings)
    if any("=" in name for name in filters):
        return (
            GitState()
        )  # ``-c filter.a=b.clean=`` would set another key: such a filter cannot be switched off
    status = _git(
        executable,
        tree,
        *_filters_off(filters),
        "status",
        "--porcelain=v2",
        "--branch",
        "-z",
        "--untracked-files=normal",
        "--ignore-submodules=dirty",  # a submodule's own work tree is not read; a moved one counts
    )
    if status is None:
        return GitState()
    commit, dirty = _read_status(status)
    return GitState(commit, dirty, repository_uri(remote))


def _git(executable: str, tree: Path, *args: str) -> bytes | None:
    """A git command's output, or None when it fails, times out or git cannot be started.

    ``git config --get-regexp`` exits 1 when nothing matches, which is an answer, not a failure.
    """
    try:
        done = vcs.run(executable, tree, *args, timeout=TIMEOUT)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode == 0 or (done.returncode == 1 and args[0] == "config"):
        return done.stdout
    return None


def _read_settings(out: bytes) -> tuple[set[str], str]:
    """The filter drivers configured (anywhere git reads configuration) and the origin's URL."""
    filters, remote = set(), ""
    for entry in out.split(b"\0"):
        key, _, value = os.fsdecode(entry).partition("\n")
        match = _FILTER_KEY.match(key)
        if match:
            filters.add(match.group(1))
        elif key == _REMOTE_KEY:
            remote = value
    return filters, remote


def _filters_off(drivers: set[str]) -> list[str]:
    """Every configured filter driver emptied: status would run a clean filter on a file whose
    timestamps changed. An empty command is no filter; ``required`` off lets git compare the
    bytes as they are (a filtered file may then show as changed: dirty, never falsely clean)."""
    args = []
    for driver in sorted(drivers):
        for key, value in (("clean", ""), ("process", ""), ("required", "false")):
            args += ["-c", f"filter.{driver}.{key}={value}"]
    return args


def _read_status(out: bytes) -> tuple[str, bool]:
    """``git status --porcelain=v2 --branch -z``: the ``# branch.oid`` header and any entry at all."""
    commit, dirty = "", False
    for entry in out.split(b"\0"):
        if entry.startswith(b"# branch.oid "):
            oid = entry[len(b"# branch.oid ") :].decode("ascii", "replace")
            commit = oid if re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", oid) else ""  # "(initial)": none yet
        elif entry and not entry.startswith(b"# "):
            dirty = True
    return commit, dirty


def repository_uri(remote: str) -> str:
    """A remote as an absolute URL that says nothing secret: scheme, host, port and path only.

    User names, passwords and tokens (``https://user:token@host/...``), queries and fragments
    are left out; scp-like ``git@host:org/repo.git`` becomes ``ssh://host/org/repo.git``. A
    local path or ``file:`` URL gives "", since it only says where a machine keeps a copy.
    """
    text = remote.strip()
    scp = re.fullmatch(r"(?:[^@/:]+@)?([A-Za-z0-9.-]{2,}):(?!//)([^\s@]+)", text)
    if scp is not None:
        return f"ssh://{scp.group(1)}/{scp.group(2).lstrip('/')}"
    try:
        parts = urlsplit(text)
        host, port = parts.hostname, parts.port
    except ValueError:  # a port that is not a number, a bracket left open
        return ""
    if parts.scheme not in ("https", "http", "ssh", "git") or not host or any(c.isspace() for c in text):
        return ""
    netloc = (f"[{host}]" if ":" in host else host) + (f":{port}" if port is not None else "")
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
