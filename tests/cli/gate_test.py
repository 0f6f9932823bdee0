"""A pass means governed: what lives in the checked repository cannot turn a failing gate green.

Each test is a way ``govcheck check`` used to pass, write where it should not, or crash, and
the finding or exit code it gives now.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests.helpers import MINI, TODAY, manifest, write

ROOT = Path(__file__).resolve().parents[2]
DAY = TODAY.isoformat()
NO_OWNER = {"spec.ownership.post_launch_owner": None}  # OWN-003 fails: an error with the mini pack
SELF_APPROVED = (
    "apiVersion: govcheck/v1\nkind: WaiverSet\nwaivers:\n  - {rule: OWN-003, pilot: denials-triage,"
    " reason: we will name one, status: approved, approved_by: the pilot team, approved_on: 2026-11-01,"
    " expires: 2026-12-31}\n"
)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A pilot repository whose manifest fails OWN-003, with its own waiver for it."""
    repo = tmp_path / "pilot-repo"
    (repo / ".git").mkdir(parents=True)
    write(repo / "pilot.yaml", manifest(**NO_OWNER))
    write(repo / ".govcheck-waivers.yaml", SELF_APPROVED)
    monkeypatch.chdir(repo)
    return repo


@pytest.fixture
def governance(tmp_path: Path) -> Path:
    """The governance team's own checkout, outside the pilot repository."""
    return write(
        tmp_path / "governance" / "waivers.yaml", SELF_APPROVED.replace("the pilot team", "AI board")
    )


# 1. --no-config and --central


def test_no_config_leaves_out_the_repository_waiver_file(run: Any, repo: Path) -> None:
    local = run("check", "--pack", MINI, "--today", DAY, "pilot.yaml")
    assert local.exit_code == 0 and "waived OWN-003" in local.stdout  # the repository's own run
    gate = run("check", "--pack", MINI, "--today", DAY, "--no-config", "pilot.yaml")
    assert gate.exit_code == 1 and "error OWN-003" in gate.stdout and "waived" not in gate.stdout


def test_central_leaves_out_all_the_repository_keeps(run: Any, repo: Path, governance: Path) -> None:
    write(repo / "team-waivers.yaml", SELF_APPROVED)
    write(repo / ".govcheck.yaml", "waivers: team-waivers.yaml\nplugins: [not_an_installed_plugin]\n")
    assert run("check", "--pack", MINI, "--today", DAY, "pilot.yaml").exit_code == 2  # the plugin is read
    gate = run("check", "--central", "--pack", MINI, "--today", DAY, "pilot.yaml")
    assert gate.exit_code == 1 and "error OWN-003" in gate.stdout and "waived" not in gate.stdout
    trusted = run(
        "check", "--central", "--pack", MINI, "--today", DAY, "--waivers", str(governance), "pilot.yaml"
    )
    assert trusted.exit_code == 0 and "waived until 2026-12-31 by AI board" in trusted.stdout


def test_central_takes_no_configuration_file(run: Any, repo: Path) -> None:
    write(repo / "gate.yaml", "fail_on: warning\n")
    result = run("check", "--central", "--config", "gate.yaml", "pilot.yaml")
    assert result.exit_code == 2
    assert result.stderr == (
        "govcheck: --central reads no configuration file; give the gate's settings as options\n"
    )


def test_central_is_in_the_help(run: Any) -> None:
    text = run("check", "--help").stdout
    assert "--central" in text and "--allow-empty" in text


# 2. a pilot id belongs to one manifest


def test_a_manifest_claiming_another_pilots_id_fails_both(run: Any, repo: Path, governance: Path) -> None:
    write(repo / "pilot.yaml", manifest())  # the real pilot: nothing to waive
    write(repo / "borrower" / "pilot.yaml", manifest(**NO_OWNER))  # the same id, to borrow its waiver
    result = run("check", "--central", "--pack", MINI, "--today", DAY, "--waivers", str(governance), ".")
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if "GC-DUPLICATE-ID" in line]
    assert lines == [
        "borrower/pilot.yaml:5:3: error GC-DUPLICATE-ID metadata.id 'denials-triage' is also the id of"
        " pilot.yaml; a waiver names a pilot by its id, so no waiver applies to either until each pilot"
        " has its own",
        "pilot.yaml:5:3: error GC-DUPLICATE-ID metadata.id 'denials-triage' is also the id of"
        " borrower/pilot.yaml; a waiver names a pilot by its id, so no waiver applies to either until"
        " each pilot has its own",
    ]
    assert re.search(r"^borrower/pilot\.yaml:\d+:\d+: error OWN-003 ", result.stdout, re.M)  # not waived
    assert "waived" not in result.stdout


def test_a_placeholder_approver_is_no_approval(run: Any, repo: Path) -> None:
    write(repo / ".govcheck-waivers.yaml", SELF_APPROVED.replace("the pilot team", "TBD"))
    result = run("check", "--pack", MINI, "--today", DAY, "-q", "pilot.yaml")
    assert result.exit_code == 1 and "error OWN-003" in result.stdout
    assert (
        ".govcheck-waivers.yaml:4:5: error GC-WAIVER waiver for OWN-003 on pilot denials-triage is not"
        " approved: approved_by is 'TBD', a placeholder" in result.stdout
    )


# 3. a run that checks nothing has not passed


def test_a_directory_without_manifests_fails(run: Any, repo: Path) -> None:
    write(repo / "charts" / "values.yaml", "replicas: 2\n")
    (repo / "empty").mkdir()
    result = run("check", "--pack", MINI, "--today", DAY, "charts")
    assert result.exit_code == 1
    assert result.stderr == (
        "govcheck: no pilot manifests (kind: AIPilot) found in charts; nothing was checked"
        " (--allow-empty accepts that)\n"
    )
    some = run("check", "--pack", MINI, "--today", DAY, "--no-config", ".", "empty")
    assert some.exit_code == 1 and "found in empty;" in some.stderr  # one named directory held nothing
    allowed = run("check", "--pack", MINI, "--today", DAY, "--allow-empty", "charts", "empty")
    assert allowed.exit_code == 0
    assert allowed.stderr == "govcheck: warning: no pilot manifests (kind: AIPilot) found in charts, empty\n"


def test_a_named_file_that_is_no_manifest_is_a_finding(run: Any, repo: Path) -> None:
    write(repo / "ci.pilot.yaml", "jobs: {}\n")
    result = run("check", "--pack", MINI, "--today", DAY, "ci.pilot.yaml")
    assert result.exit_code == 1 and "ci.pilot.yaml:1:1: error GC-KIND" in result.stdout
    assert result.stderr == ""


def test_pre_commit_never_calls_the_manifests_hook_without_a_manifest(
    repo: Path, monkeypatch: pytest.MonkeyPatch, run: Any
) -> None:
    """pre-commit skips a hook that matches no file unless it has always_run, and passes the files
    it matches: a commit touching no manifest never reaches the empty-run failure. The default
    hook instead checks the whole repository on every commit (evidence files count too)."""
    clientlib = pytest.importorskip("pre_commit.clientlib")
    runner = pytest.importorskip("pre_commit.commands.run")
    hooks = {h["id"]: h for h in clientlib.load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))}
    assert hooks["govcheck"]["always_run"] is True and hooks["govcheck"]["pass_filenames"] is False
    hook = hooks["govcheck-manifests"]
    assert hook["always_run"] is False and hook["pass_filenames"] is True
    changed = ["README.md", ".github/workflows/ci.yaml", "charts/values.yaml"]
    manifests = ["pilot.yaml", "svc/ai-pilot.yml", "svc/denials.pilot.yaml"]
    for name in changed + manifests[1:]:
        write(repo / name, "x: 1\n")
    spec = SimpleNamespace(**{k: hook[k] for k in ("files", "exclude", "types", "types_or", "exclude_types")})
    assert list(runner.Classifier(changed).filenames_for_hook(spec)) == []  # skipped: "(no files to check)"
    assert list(runner.Classifier(changed + manifests).filenames_for_hook(spec)) == manifests
    assert run("check", "--pack", MINI, "--today", DAY, "pilot.yaml").exit_code == 0  # as the hook runs


# 4. reports go where they are named, never through a link


def test_a_report_file_that_is_a_symlink_is_refused(run: Any, repo: Path, tmp_path: Path) -> None:
    outside = write(tmp_path / "home" / ".bashrc", "export PATH=/usr/bin\n")
    (repo / "govcheck.sarif").symlink_to(outside)  # committed by the pilot team
    for args in (("--format", "sarif=govcheck.sarif"), ("--format", "sarif", "--output", "govcheck.sarif")):
        result = run("check", "--no-config", "--pack", MINI, "--today", DAY, *args, "pilot.yaml")
        assert result.exit_code == 2 and result.stdout == ""
        assert result.stderr == (
            f"govcheck: cannot write govcheck.sarif: it is a symbolic link (to {outside}), and a report is"
            " never written through one; remove the link or write the report elsewhere\n"
        )
    assert outside.read_text(encoding="utf-8") == "export PATH=/usr/bin\n"
    assert (repo / "govcheck.sarif").is_symlink()


def test_a_directory_link_on_the_way_to_a_report_is_refused(run: Any, repo: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (repo / "reports").symlink_to(elsewhere, target_is_directory=True)
    for target in (
        "reports/govcheck.json",
        "reports/../reports/govcheck.json",
        str(repo / "reports" / "x.json"),
    ):
        result = run("check", "--no-config", "--pack", MINI, "--format", f"json={target}", "pilot.yaml")
        assert result.exit_code == 2 and "reports is a symbolic link" in result.stderr
    assert list(elsewhere.iterdir()) == []
    (repo / "out").mkdir()
    written = run(
        "check", "--no-config", "--pack", MINI, "--today", DAY, "--format", "json=out/r.json", "pilot.yaml"
    )
    assert written.exit_code == 1 and json.loads((repo / "out" / "r.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("file", ["../govcheck.sarif", "/tmp/govcheck.sarif"])
def test_a_configuration_cannot_write_reports_outside_the_checkout(run: Any, repo: Path, file: str) -> None:
    write(repo / ".govcheck.yaml", f"formats: [text, sarif={file}]\n")
    result = run("check", "--pack", MINI, "pilot.yaml")
    assert result.exit_code == 2
    assert f"formats: 'sarif={file}' writes outside the working directory" in result.stderr
    assert not (repo.parent / "govcheck.sarif").exists()


# 5. Ctrl-C


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "pilots"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "gen_corpus.py"), "2000", str(out)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out


def _children(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="finds the workers through /proc")
@pytest.mark.parametrize("after_fork", [0.0, 0.4])
def test_ctrl_c_during_a_parallel_run_prints_one_line(corpus: Path, after_fork: float) -> None:
    """Ctrl-C signals the whole process group, workers included: only the parent may answer."""
    process = subprocess.Popen(
        [sys.executable, "-m", "govcheck", "check", "--no-config", "--jobs", "2", "--today", DAY]
        + ["--format", "json", str(corpus)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal gives a foreground job
    )
    deadline = time.monotonic() + 120
    while len(_children(process.pid)) < 2 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(after_fork)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert (process.returncode, stderr) == (130, "govcheck: interrupted\n")


# 6. an unreadable manifest named on the command line


def _check(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A real process with a timeout: reading a FIFO used to wait for a writer forever."""
    return subprocess.run(
        [sys.executable, "-m", "govcheck", "check", "--no-config", "--pack", MINI, "--today", DAY, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "NO_COLOR": "1"},
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_named_as_a_manifest_is_a_finding(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pilot.yaml")
    result = _check(tmp_path, "pilot.yaml")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.match(r"pilot\.yaml:1:1: error GC-PARSE cannot read the file: .*FIFO", result.stdout)


def test_a_directory_named_like_a_manifest_is_no_pass(tmp_path: Path) -> None:
    (tmp_path / "pilot.yaml").mkdir()
    result = _check(tmp_path, "pilot.yaml")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "no pilot manifests (kind: AIPilot) found in pilot.yaml" in result.stderr


def test_an_unreadable_manifest_is_a_finding(tmp_path: Path) -> None:
    locked = write(tmp_path / "pilot.yaml", manifest())
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("this user reads files whatever their mode (root)")
        result = _check(tmp_path, "pilot.yaml")
    finally:
        locked.chmod(0o644)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.startswith("pilot.yaml:1:1: error GC-PARSE cannot read the file: Permission denied")
