"""The real pre-commit runs this repository's hook against a pilot repository."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_DAY = dt.date(2026, 11, 25)  # the day the examples' dates are written against


def shift_dates(text: str, days: int) -> str:
    """The ready example, with every date moved so that it is as fresh today as on EXAMPLE_DAY."""

    def move(match: re.Match[str]) -> str:
        return (dt.date.fromisoformat(match.group()) + dt.timedelta(days=days)).isoformat()

    return re.sub(r"\b\d{4}-\d{2}-\d{2}\b", move, text)


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Pilot Team", "-c", "user.email=team@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        timeout=60,
    )


@pytest.mark.slow
def test_pre_commit_try_repo_fails_then_passes(tmp_path: Path) -> None:
    pre_commit = shutil.which("pre-commit", path=os.path.dirname(sys.executable)) or shutil.which(
        "pre-commit"
    )
    if pre_commit is None:
        pytest.skip("pre-commit is not installed (it is part of the test extra)")
    repo = tmp_path / "pilot-repo"
    shutil.copytree(ROOT / "examples" / "ready", repo)
    ready = shift_dates(
        (repo / "pilot.yaml").read_text(encoding="utf-8"), (dt.date.today() - EXAMPLE_DAY).days
    )
    broken = ready.replace("post_launch_owner: {name: Nora Lindgren,", "post_launch_owner: {name: '',")
    assert broken != ready
    (repo / "pilot.yaml").write_text(broken, encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}

    def hook() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [pre_commit, "try-repo", str(ROOT), "govcheck", "--all-files", "--color", "never"],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )

    failed = hook()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert re.search(r"pilot\.yaml:\d+:\d+: error OWN-\d{3} ", failed.stdout), failed.stdout
    (repo / "pilot.yaml").write_text(ready, encoding="utf-8")
    git(repo, "add", ".")
    passed = hook()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout


@pytest.mark.slow
def test_the_hook_runs_when_a_commit_only_deletes_evidence(tmp_path: Path) -> None:
    """A manifest's verdict depends on the files it names: deleting one fails the hook, as
    ``check`` fails, though the commit changes no manifest (the changed-manifests hook is blind
    to it, as its description says)."""
    pre_commit = shutil.which("pre-commit", path=os.path.dirname(sys.executable)) or shutil.which(
        "pre-commit"
    )
    if pre_commit is None:
        pytest.skip("pre-commit is not installed (it is part of the test extra)")
    repo = tmp_path / "pilot-repo"
    shutil.copytree(ROOT / "examples" / "ready", repo)
    text = (repo / "pilot.yaml").read_text(encoding="utf-8")
    (repo / "pilot.yaml").write_text(
        shift_dates(text, (dt.date.today() - EXAMPLE_DAY).days), encoding="utf-8"
    )
    assert "docs/validation.md" in text
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "pilot")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}

    def hook(hook_id: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [pre_commit, "try-repo", str(ROOT), hook_id, "--color", "never"],  # the staged change only
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )

    assert hook("govcheck").returncode == 0
    git(repo, "rm", "-q", "docs/validation.md")
    failed = hook("govcheck")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "docs/validation.md" in failed.stdout and "does not exist" in failed.stdout, failed.stdout
    skipped = hook("govcheck-manifests")
    assert skipped.returncode == 0 and "Skipped" in skipped.stdout, skipped.stdout


@pytest.mark.slow
def test_pack_repository_hooks(tmp_path: Path) -> None:
    pre_commit = shutil.which("pre-commit", path=os.path.dirname(sys.executable)) or shutil.which(
        "pre-commit"
    )
    if pre_commit is None:
        pytest.skip("pre-commit is not installed (it is part of the test extra)")
    repo = tmp_path / "pack-repo"
    shutil.copytree(ROOT / "policies" / "healthcare-ai-baseline", repo)
    (repo / "RULES.md").write_text(
        (ROOT / "docs" / "rules" / "healthcare-ai-baseline.md").read_text(encoding="utf-8")
    )
    git(repo, "init", "-q")
    git(repo, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}

    def hook(hook_id: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [pre_commit, "try-repo", str(ROOT), hook_id, "--all-files", "--color", "never"],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )

    for hook_id in ("govcheck-pack-lint", "govcheck-pack-test", "govcheck-pack-docs"):
        result = hook(hook_id)
        assert result.returncode == 0, hook_id + result.stdout + result.stderr
    pack = (repo / "pack.yaml").read_text(encoding="utf-8")
    (repo / "pack.yaml").write_text(
        pack.replace(
            "check: {present: spec.ownership.business_owner.name}",
            'check: {present: "spec.ownership.[business_owner"}',
        ),
        encoding="utf-8",
    )
    git(repo, "add", ".")
    lint = hook("govcheck-pack-lint")
    assert lint.returncode == 1 and "OWN-001" in lint.stdout and "is not a field path" in lint.stdout
    docs = hook("govcheck-pack-docs")
    assert docs.returncode != 0
