"""``evidence_file`` with ``max_age_days`` in git repositories, safely; and end to end.

Checking a repository must never run code from it: the repository here configures programs
that plain ``git log`` would run, and the check must not run them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip(
    "govcheck_evidence", reason="govcheck-evidence is not installed (pip install ./plugins/govcheck-evidence)"
)

from govcheck.interfaces import CheckContext  # noqa: E402
from govcheck_evidence import check, history  # noqa: E402

TODAY = dt.date(2026, 11, 25)
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
installed = pytest.mark.skipif(
    "govcheck_evidence" not in {ep.name for ep in entry_points(group="govcheck")},
    reason="the govcheck-evidence distribution is not installed (its 'govcheck' entry point is missing)",
)


def git(repo: Path, *args: str, when: str = "2026-11-01T12:00:00+0000") -> str:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
        "GIT_AUTHOR_NAME": "Dana",
        "GIT_AUTHOR_EMAIL": "dana@example.org",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_NAME": "Dana",
        "GIT_COMMITTER_EMAIL": "dana@example.org",
        "GIT_COMMITTER_DATE": when,
    }
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout.strip()


def commit(repo: Path, name: str, text: str, when: str) -> Path:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    git(repo, "add", "--", name)
    git(repo, "commit", "-q", "-m", f"Update {name}", when=when)
    return path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    commit(root, "docs/validation.md", "validated\n", "2025-01-10T12:00:00+0000")
    return root


def _reasons(repo: Path, value: str, days: int) -> list[str]:
    ctx = CheckContext({"report": value}, repo / "pilot.yaml", repo, TODAY, "high", "pilot")
    return [f.detail for f in check.compile_check("report", {"max_age_days": days})(ctx)]


@needs_git
def test_age_is_the_last_commit_not_the_checkout_time(repo: Path) -> None:
    assert _reasons(repo, "docs/validation.md", 684) == []
    assert _reasons(repo, "docs/validation.md", 683) == [
        "last changed 2025-01-10 (last commit), 684 days ago (at most 683)"
    ]


@needs_git
def test_a_file_changed_since_its_last_commit_is_judged_by_its_modification_time(repo: Path) -> None:
    evidence = repo / "docs" / "validation.md"
    evidence.write_text("revalidated\n", encoding="utf-8")  # being updated in the commit a hook is checking
    stamp = dt.datetime(2026, 11, 20, 12, 0).timestamp()
    os.utime(evidence, (stamp, stamp))
    assert _reasons(repo, "docs/validation.md", 30) == []
    assert _reasons(repo, "docs/validation.md", 4) == [
        "last changed 2026-11-20 (modification time), 5 days ago (at most 4)"
    ]


@needs_git
def test_an_untracked_file_is_judged_by_its_modification_time(repo: Path) -> None:
    untracked = repo / "docs" / "new.md"
    untracked.write_text("draft\n", encoding="utf-8")
    stamp = dt.datetime(2026, 1, 1, 12, 0).timestamp()
    os.utime(untracked, (stamp, stamp))
    assert history.last_changed(repo.resolve(), untracked.resolve()) == (
        dt.date(2026, 1, 1),
        "modification time",
    )


@needs_git
def test_a_commit_dated_after_today_is_no_evidence_of_a_recent_change(repo: Path) -> None:
    commit(repo, "docs/validation.md", "revalidated\n", "2026-11-30T12:00:00+0000")
    assert _reasons(repo, "docs/validation.md", 365) == [
        "last changed 2026-11-30 (last commit), after today (2026-11-25)"
    ]
    commit(repo, "docs/validation.md", "revalidated again\n", "2026-11-25T08:00:00+0000")
    assert _reasons(repo, "docs/validation.md", 0) == []  # committed today


@needs_git
def test_a_modification_time_after_today_is_a_change_being_made_now(repo: Path) -> None:
    evidence = repo / "docs" / "validation.md"
    evidence.write_text("being revalidated\n", encoding="utf-8")
    stamp = dt.datetime(2026, 11, 30, 12, 0).timestamp()
    os.utime(evidence, (stamp, stamp))
    assert _reasons(repo, "docs/validation.md", 0) == []


@needs_git
def test_the_age_is_the_committer_date_not_the_author_date(repo: Path) -> None:
    # Written long ago (author date), committed to this history on 2026-11-01 (committer date).
    (repo / "docs" / "validation.md").write_text("carried over\n", encoding="utf-8")
    git(repo, "add", "--", "docs/validation.md")
    git(repo, "commit", "-q", "-m", "Carry over", "--date=2024-01-01T12:00:00+0000")
    assert history.last_changed(repo.resolve(), (repo / "docs" / "validation.md").resolve()) == (
        dt.date(2026, 11, 1),
        "last commit",
    )


@needs_git
def test_evidence_names_are_literal_not_pathspec_magic(repo: Path) -> None:
    commit(repo, "docs/*.md", "a file named with a star\n", "2024-03-01T12:00:00+0000")
    commit(
        repo, "docs/validation.md", "revalidated\n", "2026-10-01T12:00:00+0000"
    )  # a glob would match this too
    assert history.last_changed(repo.resolve(), (repo / "docs" / "*.md").resolve())[0] == dt.date(2024, 3, 1)


@needs_git
def test_git_environment_variables_of_the_caller_do_not_redirect_git(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "-q")
    commit(other, "docs/validation.md", "validated\n", "2026-11-24T12:00:00+0000")
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other))
    assert history.last_changed(repo.resolve(), (repo / "docs" / "validation.md").resolve()) == (
        dt.date(2025, 1, 10),
        "last commit",
    )


@needs_git
def test_without_git_the_modification_time_is_used(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-binaries-here"))
    evidence = (repo / "docs" / "validation.md").resolve()
    stamp = dt.datetime(2026, 2, 2, 12, 0).timestamp()
    os.utime(evidence, (stamp, stamp))
    assert history.last_changed(repo.resolve(), evidence) == (dt.date(2026, 2, 2), "modification time")


def _signed_head(repo: Path) -> None:
    """Replace HEAD by a root commit with the same files that carries a (fake) signature, so
    showing the signatures of the commits that touched a file runs gpg.program."""
    tree = git(repo, "rev-parse", "HEAD^{tree}")
    body = (
        f"tree {tree}\nauthor Dana <dana@example.org> 1736510400 +0000\n"
        "committer Dana <dana@example.org> 1736510400 +0000\n"
        "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n\nSigned\n"
    )
    done = subprocess.run(
        ["git", "hash-object", "-t", "commit", "-w", "--stdin"],
        cwd=repo,
        input=body,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    git(repo, "update-ref", "HEAD", done.stdout.strip())


def _trap(directory: Path, name: str) -> tuple[Path, Path]:
    marker = directory / f"ran-{name}"
    program = directory / f"{name}.sh"
    program.write_text(f"#!/bin/sh\ntouch '{marker}'\nexit 1\n", encoding="utf-8")
    program.chmod(0o755)
    return program, marker


@needs_git
def test_checking_a_repository_never_runs_programs_it_configures(repo: Path, tmp_path: Path) -> None:
    _signed_head(repo)
    traps: dict[str, Any] = {
        name: _trap(tmp_path, name) for name in ("gpg", "fsmonitor", "pager", "external")
    }
    git(repo, "config", "log.showSignature", "true")
    git(repo, "config", "gpg.program", str(traps["gpg"][0]))
    git(repo, "config", "core.fsmonitor", str(traps["fsmonitor"][0]))
    git(repo, "config", "core.pager", str(traps["pager"][0]))
    git(repo, "config", "diff.external", str(traps["external"][0]))
    # The trap is real: plain git log runs the configured gpg.program.
    subprocess.run(
        ["git", "log", "-1", "--format=%cs", "--", "docs/validation.md"],
        cwd=repo,
        capture_output=True,
        timeout=60,
    )
    assert traps["gpg"][1].exists()
    traps["gpg"][1].unlink()

    assert _reasons(repo, "docs/validation.md", 684) == []
    assert [name for name, (_, marker) in traps.items() if marker.exists()] == []


def _govcheck(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "govcheck", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PACK = """\
apiVersion: govcheck/v1
kind: PolicyPack
metadata: {name: evidence-demo, version: 0.1.0}
rules:
  - id: EVID-001
    title: The validation report is in the repository and current
    category: governance
    severity: error
    check:
      evidence_file: spec.governance.validation.report
      max_age_days: {moderate: 730, high: 365}
    message: "A {tier} pilot needs a validation report changed in the last {max_age_days} days"
"""

MANIFEST = """\
apiVersion: govcheck/v1
kind: AIPilot
metadata: {{id: sepsis-early-warning, name: Sepsis early warning}}
spec:
  risk_tier: {tier}
  stage: pilot
  governance:
    validation: {{report: docs/validation.md}}
"""


@needs_git
@installed
@pytest.mark.parametrize(("tier", "code"), [("moderate", 0), ("high", 1)])
def test_govcheck_check_with_a_pack_that_uses_evidence_file(repo: Path, tier: str, code: int) -> None:
    (repo / "pack.yaml").write_text(PACK, encoding="utf-8")
    (repo / "pilot.yaml").write_text(MANIFEST.format(tier=tier), encoding="utf-8")
    done = _govcheck(
        "check",
        "--pack",
        "pack.yaml",
        "--today",
        TODAY.isoformat(),
        "--no-config",
        "--format",
        "json",
        "pilot.yaml",
        cwd=repo,
    )
    assert done.returncode == code, done.stderr
    findings = [(f["rule"], f["path"], f["message"]) for f in json.loads(done.stdout)["findings"]]
    assert findings == (
        []
        if code == 0
        else [
            (
                "EVID-001",
                "spec.governance.validation.report",
                "A high pilot needs a validation report changed in the last 365 days "
                "(spec.governance.validation.report: last changed 2025-01-10 (last commit), "
                "684 days ago (at most 365))",
            )
        ]
    )


@installed
def test_naming_the_installed_plugin_with_plugin_registers_it_once(tmp_path: Path) -> None:
    (tmp_path / "pack.yaml").write_text(PACK, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "validation.md").write_text("validated\n", encoding="utf-8")
    (tmp_path / "pilot.yaml").write_text(MANIFEST.format(tier="moderate"), encoding="utf-8")
    done = _govcheck(
        "check",
        "--plugin",
        "govcheck_evidence",
        "--pack",
        "pack.yaml",
        "--no-config",
        "pilot.yaml",
        cwd=tmp_path,
    )
    assert (done.returncode, done.stderr) == (0, "")


@needs_git
@pytest.mark.parametrize("entry", [".", "", "bin"], ids=["dot", "empty", "relative"])
def test_a_git_in_the_repository_is_never_run_even_when_path_names_it(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entry: str
) -> None:
    # A relative PATH entry is looked up from the working directory git runs in, the
    # repository's root: a program the repository holds there must not be taken for git.
    marker = tmp_path / "ran-repository-git"
    planted = repo / entry / "git"
    planted.parent.mkdir(parents=True, exist_ok=True)
    planted.write_text(f"#!/bin/sh\ntouch '{marker}'\necho 2026-11-24\n", encoding="utf-8")
    planted.chmod(0o755)
    monkeypatch.setenv("PATH", f"{entry}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.chdir(tmp_path)  # the caller's directory holds no git of its own
    assert _reasons(repo.resolve(), "docs/validation.md", 365) == [
        "last changed 2025-01-10 (last commit), 684 days ago (at most 365)"
    ]
    assert not marker.exists()
