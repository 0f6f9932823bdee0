"""A manifest git tracks is checked wherever it lives.

Discovery never reads ``.hg`` and ``.svn`` directories. In a git work tree a committed
``.hg/pilot.yaml`` is repository content, not Mercurial's files, yet it is passed over in
silence, also by ``--central``: a failing pilot committed there leaves the gate green.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import MINI, TODAY, manifest, write

DAY = TODAY.isoformat()


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = tmp_path / "pilot-repo"
    repo.mkdir()
    git(repo, "init", "-q")
    write(repo / "pilot.yaml", manifest())
    monkeypatch.chdir(repo)
    return repo


def commit_failing(repo: Path, directory: str) -> None:
    failing = manifest(**{"metadata.id": "hidden", "spec.ownership.post_launch_owner": None})
    write(repo / directory / "pilot.yaml", failing)
    git(repo, "add", "-f", "pilot.yaml", f"{directory}/pilot.yaml")


def test_a_tracked_tool_directory_is_read(run: Any, repo: Path) -> None:
    commit_failing(repo, "node_modules")
    assert run("check", "--central", "--pack", MINI, "--today", DAY, ".").exit_code == 1


@pytest.mark.parametrize("directory", [".hg", ".svn", "team/.hg"])
def test_a_tracked_manifest_under_hg_or_svn_is_checked(run: Any, repo: Path, directory: str) -> None:
    commit_failing(repo, directory)
    result = run("check", "--central", "--pack", MINI, "--today", DAY, ".")
    assert result.exit_code == 1 and "OWN-003" in result.stdout
