"""A pack repository for tests of packs from git: a bare origin with two commits and a tag."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.helpers import MINI

IDENTITY = {
    "GIT_AUTHOR_NAME": "Pack Author",
    "GIT_AUTHOR_EMAIL": "author@example.org",
    "GIT_COMMITTER_NAME": "Pack Author",
    "GIT_COMMITTER_EMAIL": "author@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
}


class Origin(NamedTuple):
    work: Path  # the clone commits are made in
    bare: Path  # what git+file:// points at
    v1: str  # the commit tagged v1 (mini 0.1.0)
    main: str  # the commit main points at (mini 0.2.0)

    @property
    def url(self) -> str:
        return self.bare.as_uri()

    def ref(self, rev: str = "", subdir: str = "packs/mini") -> str:
        return f"git+{self.url}" + (f"@{rev}" if rev else "") + (f"#{subdir}" if subdir else "")


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, env={**os.environ, **IDENTITY}, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def commit(origin: Origin | Path, message: str) -> str:
    work = origin.work if isinstance(origin, Origin) else origin
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", message)
    git(work, "push", "-q", "origin", "main", "--tags")
    return git(work, "rev-parse", "HEAD")


def make_origin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Origin:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    bare, work = tmp_path / "origin.git", tmp_path / "work"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    git(tmp_path, "init", "-q", "-b", "main", str(work))
    git(work, "remote", "add", "origin", str(bare))
    shutil.copytree(MINI, work / "packs" / "mini")
    first = commit(work, "mini 0.1.0")
    git(work, "tag", "v1")
    git(work, "push", "-q", "origin", "v1")
    pack = work / "packs" / "mini" / "pack.yaml"
    pack.write_text(pack.read_text().replace("version: 0.1.0", "version: 0.2.0"))
    return Origin(work, bare, first, commit(work, "mini 0.2.0"))
