"""Provenance: the commit and state of a real git work tree, and never a program from its configuration."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from govcheck import __version__
from govcheck.history import provenance
from govcheck.history.provenance import GitState, checked_tree, git_state, repository_uri
from govcheck.model import Digest
from govcheck.plugins import load_registry

GIT = shutil.which("git")
pytestmark = pytest.mark.skipif(GIT is None, reason="needs git")
IDENTITY = ("-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        [str(GIT), *IDENTITY, *args], cwd=repo, capture_output=True, text=True, check=True, timeout=30
    )
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A work tree with one commit: a manifest and an ignore file."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    (root / "pilot.yaml").write_text("kind: AIPilot\n", encoding="utf-8")
    (root / ".gitignore").write_text("*.log\n", encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first")
    return root


def marker_script(tmp_path: Path, marker: Path, body: str = "") -> Path:
    script = tmp_path / "hook.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\n{body}", encoding="utf-8")
    script.chmod(0o755)
    return script


def test_a_clean_tree_gives_its_commit_and_not_dirty(repo: Path) -> None:
    state = git_state(repo)
    assert state == GitState(git(repo, "rev-parse", "HEAD"), False, "")
    assert len(state.commit) == 40


def test_a_changed_tracked_file_makes_it_dirty(repo: Path) -> None:
    (repo / "pilot.yaml").write_text("kind: AIPilot\nmetadata: {}\n", encoding="utf-8")
    assert git_state(repo).dirty is True


def test_an_untracked_file_makes_it_dirty_and_an_ignored_one_does_not(repo: Path) -> None:
    (repo / "run.log").write_text("ignored\n", encoding="utf-8")
    assert git_state(repo).dirty is False
    (repo / "notes.txt").write_text("untracked\n", encoding="utf-8")
    assert git_state(repo).dirty is True


def test_a_staged_change_makes_it_dirty(repo: Path) -> None:
    (repo / "new.yaml").write_text("a: 1\n", encoding="utf-8")
    git(repo, "add", "new.yaml")
    assert git_state(repo).dirty is True


def test_outside_a_work_tree_nothing_is_known(tmp_path: Path) -> None:
    (tmp_path / "pilot.yaml").write_text("kind: AIPilot\n", encoding="utf-8")
    assert checked_tree(["pilot.yaml"], tmp_path) is None
    assert git_state(tmp_path) == GitState("", None, "")


def test_a_repository_without_commits_has_no_commit(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    assert git_state(tmp_path).commit == ""


def test_the_fsmonitor_the_repository_configures_never_runs(repo: Path, tmp_path: Path) -> None:
    marker = tmp_path / "fsmonitor-ran"
    script = marker_script(tmp_path, marker)
    git(repo, "config", "core.fsmonitor", str(script))
    git(repo, "status", "--porcelain")  # plain git runs it: the test would see a broken guard
    assert marker.exists()
    marker.unlink()
    assert git_state(repo).commit
    assert not marker.exists()


def test_a_clean_filter_the_repository_configures_never_runs(repo: Path, tmp_path: Path) -> None:
    marker = tmp_path / "filter-ran"
    script = marker_script(tmp_path, marker, "cat\n")
    (repo / ".gitattributes").write_text("*.yaml filter=evil\n", encoding="utf-8")
    git(repo, "add", ".gitattributes")
    git(repo, "commit", "-q", "-m", "attributes")
    git(repo, "config", "filter.evil.clean", str(script))
    git(repo, "config", "filter.evil.required", "true")
    os.utime(repo / "pilot.yaml", (1_600_000_000, 1_600_000_000))  # stat changed: git compares content
    git(repo, "status", "--porcelain")
    assert marker.exists()
    marker.unlink()
    os.utime(repo / "pilot.yaml", (1_600_000_100, 1_600_000_100))
    assert git_state(repo).dirty is False  # the bytes are the committed ones
    assert not marker.exists()


def test_a_filter_whose_name_cannot_be_switched_off_gives_no_answer(repo: Path, tmp_path: Path) -> None:
    marker = tmp_path / "filter-ran"
    config = repo / ".git" / "config"
    script = marker_script(tmp_path, marker, "cat\n")
    config.write_text(config.read_text() + f'[filter "a=b"]\n\tclean = {script}\n', encoding="utf-8")
    (repo / ".gitattributes").write_text("* filter=a=b\n", encoding="utf-8")
    assert git_state(repo) == GitState()
    assert not marker.exists()


def test_a_git_inside_the_repository_is_never_run(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "repository-git-ran"
    bin_dir = repo / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "git"
    fake.write_text(f"#!/bin/sh\ntouch {marker}\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    assert git_state(repo) == GitState()
    assert not marker.exists()


def test_without_git_nothing_is_known(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    assert git_state(repo) == GitState()


def test_a_git_that_hangs_is_given_up_on(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "slow"
    bin_dir.mkdir()
    slow = bin_dir / "git"
    slow.write_text("#!/bin/sh\nexec sleep 30\n", encoding="utf-8")
    slow.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setattr(provenance, "TIMEOUT", 0.2)
    assert git_state(repo) == GitState()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs to give files away")
def test_a_repository_of_another_owner_gives_no_answer(repo: Path) -> None:
    for path in (repo, repo / ".git"):
        os.chown(path, 12345, 12345)  # git refuses it: "dubious ownership"
    assert git_state(repo) == GitState()


def test_a_hook_pointing_git_elsewhere_does_not_redirect_it(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "-q")
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_INDEX_FILE", str(other / ".git" / "index"))
    assert git_state(repo).commit == git(repo, "--git-dir", str(repo / ".git"), "rev-parse", "HEAD")


def test_the_origin_is_shown_without_credentials(repo: Path) -> None:
    git(repo, "remote", "add", "origin", "https://ci:s3cret@git.example.com/health/pilots.git")
    assert git_state(repo).repository == "https://git.example.com/health/pilots.git"


@pytest.mark.parametrize(
    ("remote", "shown"),
    [
        ("https://github.com/org/repo.git", "https://github.com/org/repo.git"),
        ("https://x-access-token:ghs_abc@github.com/org/repo", "https://github.com/org/repo"),
        ("https://github.com/org/repo.git?token=abc#frag", "https://github.com/org/repo.git"),
        ("ssh://git@host.example:2222/org/repo.git", "ssh://host.example:2222/org/repo.git"),
        ("git@github.com:org/repo.git", "ssh://github.com/org/repo.git"),
        ("http://[::1]:8080/repo", "http://[::1]:8080/repo"),
        ("/srv/git/repo.git", ""),
        ("file:///srv/git/repo.git", ""),
        ("C:/git/repo", ""),
        ("gitlab-ci-token:abc@host:org/repo", ""),
        ("https://host:notaport/repo", ""),
        ("", ""),
    ],
)
def test_repository_uri(remote: str, shown: str) -> None:
    assert repository_uri(remote) == shown


def test_paths_in_two_work_trees_have_no_one_commit(repo: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "-q")
    assert checked_tree(["repo", "repo/pilot.yaml"], tmp_path) == repo
    assert checked_tree(["repo", "other"], tmp_path) is None


def test_plugins_are_installed_distributions_with_versions_and_plugin_modules() -> None:
    found = provenance.plugins(load_registry(["json"]))
    assert found == tuple(sorted(found))
    assert ("json", "") in found  # a --plugin module no distribution installed
    assert all(name != "govcheck" for name, _ in found)  # the built-ins are govcheck's own version


def test_collect_puts_it_together(repo: Path) -> None:
    digest = Digest(".govcheck.yaml", "0" * 64)
    found = provenance.collect(
        paths=["pilot.yaml"],
        cwd=repo,
        registry=load_registry(),
        config=digest,
        waivers=None,
        fail_on="warning",
        exit_code=1,
    )
    assert (found.govcheck_version, found.commit, found.dirty) == (__version__, git_state(repo).commit, False)
    assert (found.config, found.waivers, found.fail_on, found.exit_code) == (digest, None, "warning", 1)
    assert found.recorded is None
