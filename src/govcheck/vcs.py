"""Running git without letting a repository, its configuration or the environment run anything.

Provenance reads the checked work tree with it (``history/provenance.py``); packs from git
fetch with it (``packs/git.py``). What git would take from configuration and start as a
program is switched off on the command line, which outranks every configuration file: the
fsmonitor hook, hooks, credential helpers, and every transport but those a caller names.
The ``ext::`` transport runs a command by design, so it is never allowed.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import subprocess

TIMEOUT = 5.0  # seconds for each git command: a hung git (a network file system) must not hang the gate
# What git would read instead of finding the repository from its working directory: set by a
# hook that runs govcheck, they would point git at another repository than the one meant.
LOCATION = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_COMMON_DIR",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
)
PROTOCOLS = ("file", "git", "ssh", "http", "https", "ext")
# Off whatever the configuration says. The fsmonitor hook is a program git starts for status;
# hooks are programs. A partial clone fetches missing objects on demand, and a fetch may start
# ssh or a credential helper named by the configuration: a transport not asked for is refused.
_OFF = (
    *("-c", "core.fsmonitor=false", "-c", "core.useBuiltinFSMonitor=false"),
    *("-c", f"core.hooksPath={os.devnull}", "-c", "credential.helper=", "-c", "protocol.allow=never"),
)


def safe_options(allow: Iterable[str] = ()) -> list[str]:
    """``-c`` options switching off every program git could start, and every transport but
    ``allow`` (never ``ext``)."""
    allowed = set(allow) - {"ext"}
    options = list(_OFF)
    for name in PROTOCOLS:
        options += ["-c", f"protocol.{name}.allow={'always' if name in allowed else 'never'}"]
    return options


def environment() -> dict[str, str]:
    """The environment for git: no redirection to another repository, no prompt, no lazy fetch."""
    env = {k: v for k, v in os.environ.items() if k not in LOCATION}
    env["GIT_OPTIONAL_LOCKS"] = "0"  # a read must not rewrite the index of the checked repository
    env["GIT_TERMINAL_PROMPT"] = "0"
    env["GIT_NO_LAZY_FETCH"] = "1"  # git 2.44 and later: a partial clone fetches nothing
    return env


def executable(avoid: Path | None = None) -> str | None:
    """The git on ``PATH``, or None when there is none or it lies inside ``avoid``: a git found in
    the checked repository is the repository's code, never to be run."""
    import shutil  # here: shutil imports the compression modules, which a check without git never needs

    found = shutil.which("git")
    if found is None:
        return None
    # Absolute: git runs in another directory (the checked repository), where a relative PATH
    # entry ("", ".", "bin") would name a program of the repository's instead of this one.
    found = os.path.abspath(found)
    if avoid is not None and inside(os.path.realpath(found), avoid):
        return None
    return found


def run(
    git: str, cwd: Path, *args: str, allow: Iterable[str] = (), timeout: float = TIMEOUT
) -> subprocess.CompletedProcess[bytes]:
    """Run ``git args`` in ``cwd`` with stdin closed; raises ``OSError`` or
    ``subprocess.SubprocessError`` (a timeout) when git cannot be started or hangs."""
    import subprocess  # here: a check that never runs git never loads it

    command = [git, "--no-pager", *safe_options(allow), *args]
    return subprocess.run(
        command,
        cwd=cwd,
        env=environment(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=timeout,
        check=False,
    )


def inside(path: str, tree: Path) -> bool:
    top = os.path.realpath(tree)
    return path == top or path.startswith(top.rstrip(os.sep) + os.sep)
