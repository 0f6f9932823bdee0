"""``--record``: runs kept in a history database, and reports that say where they came from."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from govcheck.cli._record import RECORD_ENV as ENV
from govcheck.history import provenance
from govcheck.history.store import DEFAULT_URL, connect
from govcheck.portfolio.model import DIMENSIONS
from tests.golden.formats_test import sarif_errors

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2026-11-25"
GIT = shutil.which("git")
IDENTITY = ("-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false")


@pytest.fixture
def examples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the examples in a fresh directory, the working directory, outside any work tree."""
    work = tmp_path / "work"
    shutil.copytree(ROOT / "examples", work / "examples")
    monkeypatch.chdir(work)
    monkeypatch.delenv(ENV, raising=False)
    return work


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        [GIT or "git", *IDENTITY, *args], cwd=repo, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@pytest.fixture
def repository(examples: Path) -> Path:
    """The examples committed in a git repository whose origin has credentials in its URL."""
    if GIT is None:
        pytest.skip("needs git")
    git(examples, "init", "-q")
    git(examples, "add", ".")
    git(examples, "commit", "-q", "-m", "examples")
    git(examples, "remote", "add", "origin", "https://ci:s3cret@git.example.com/health/pilots.git")
    return examples


def findings_schema() -> Draft202012Validator:
    schema = json.loads((ROOT / "schemas" / "findings.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def check(run: Any, *args: str, **kwargs: Any) -> Any:
    return run("check", "--today", TODAY, "examples/ready", "examples/failing", *args, **kwargs)


def test_a_recorded_check_reads_back_and_its_reports_name_the_record(run: Any, repository: Path) -> None:
    url = f"sqlite:///{repository / 'history.db'}"
    result = check(run, "--record", url, "--format", "json=report.json", "--format", "sarif=report.sarif")
    assert result.exit_code == 1, result.stderr
    (stored,) = connect(url).runs(findings=True)
    record = stored.record
    assert stored.position == 1 and record.kind == "check" and record.exit_code == 1
    assert [m.file for m in record.manifests] == ["examples/failing/pilot.yaml", "examples/ready/pilot.yaml"]
    assert record.commit == git(repository, "rev-parse", "HEAD") and record.dirty is False
    assert record.today == TODAY and record.fail_on == "error" and record.findings
    assert all(len(m.outcomes) == len(record.rules) for m in record.manifests)

    report = json.loads((repository / "report.json").read_text(encoding="utf-8"))
    findings_schema().validate(report)
    run_info = report["provenance"]["run"]
    assert (run_info["id"], run_info["started"], run_info["finished"]) == (
        record.run_id,
        record.started,
        record.finished,
    )
    assert report["provenance"]["commit"] == record.commit and report["provenance"]["exit_code"] == 1
    assert [m["sha256"] for m in report["manifests"]] == [m.sha256 for m in record.manifests]

    sarif = json.loads((repository / "report.sarif").read_text(encoding="utf-8"))
    assert sarif_errors(sarif) == []
    (sarif_run,) = sarif["runs"]
    assert sarif_run["automationDetails"]["guid"] == record.run_id
    assert sarif_run["automationDetails"]["id"].startswith("govcheck/check/")
    invocation = sarif_run["invocations"][0]
    assert (invocation["exitCode"], invocation["executionSuccessful"]) == (1, True)
    assert (invocation["startTimeUtc"], invocation["endTimeUtc"]) == (record.started, record.finished)
    assert sarif_run["versionControlProvenance"] == [
        {"repositoryUri": "https://git.example.com/health/pilots.git", "revisionId": record.commit}
    ]
    assert "s3cret" not in (repository / "report.sarif").read_text(encoding="utf-8")


def test_unrecorded_reports_are_byte_identical_and_carry_no_run(run: Any, repository: Path) -> None:
    for fmt in ("json", "sarif"):
        first, second = check(run, "--format", fmt), check(run, "--format", fmt)
        assert first.exit_code == second.exit_code == 1
        assert first.stdout == second.stdout
        assert (
            '"run"' not in first.stdout and "guid" not in first.stdout and "startTimeUtc" not in first.stdout
        )
    report = json.loads(check(run, "--format", "json").stdout)
    findings_schema().validate(report)
    assert report["provenance"]["dirty"] is False and "run" not in report["provenance"]
    assert sarif_errors(json.loads(check(run, "--format", "sarif").stdout)) == []


def test_a_recorded_report_differs_from_an_unrecorded_one_only_by_its_run(run: Any, examples: Path) -> None:
    plain = json.loads(check(run, "--format", "json").stdout)
    recorded = json.loads(check(run, "--format", "json", "--record=sqlite:///h.db").stdout)
    assert set(recorded["provenance"].pop("run")) == {"id", "started", "finished"}
    assert recorded == plain


def test_a_bare_record_writes_the_default_database_below_the_working_directory(
    run: Any, examples: Path
) -> None:
    assert DEFAULT_URL == "sqlite:///.govcheck/history.db"
    assert check(run, "--record").exit_code == 1
    assert len(connect(DEFAULT_URL).runs()) == 1 and (examples / ".govcheck" / "history.db").is_file()


def test_the_option_comes_before_the_environment_and_the_environment_before_the_configuration(
    run: Any, examples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (examples / ".govcheck.yaml").write_text("record: sqlite:///config.db\n", encoding="utf-8")
    assert check(run).exit_code == 1
    monkeypatch.setenv(ENV, "sqlite:///env.db")
    assert check(run).exit_code == 1
    assert check(run, "--record=sqlite:///option.db").exit_code == 1
    counts = {name: len(connect(f"sqlite:///{name}").runs()) for name in ("config.db", "env.db", "option.db")}
    assert counts == {"config.db": 1, "env.db": 1, "option.db": 1}
    assert ENV == "GOVCHECK_RECORD"


def test_a_configuration_records_only_inside_its_repository(run: Any, examples: Path) -> None:
    config = examples / ".govcheck.yaml"
    outside = examples.parent / "outside.db"
    for url in (
        "sqlite:///../outside.db",
        f"sqlite:///{outside}",
        "postgresql://govcheck@db.example/history",
    ):
        config.write_text(f"record: {url}\n", encoding="utf-8")
        result = check(run)
        assert result.exit_code == 2, url
        assert result.stderr.startswith(f"govcheck: {config.as_posix()}: record:"), result.stderr
    assert not outside.exists()
    config.unlink()
    (examples / "pyproject.toml").write_text('[tool.govcheck]\nrecord = "sqlite:///../outside.db"\n', "utf-8")
    result = check(run)
    assert result.exit_code == 2 and "pyproject.toml: record:" in result.stderr
    (examples / "pyproject.toml").unlink()
    config.write_text("record: sqlite:///.govcheck/repo.db\n", encoding="utf-8")
    assert check(run).exit_code == 1 and (examples / ".govcheck" / "repo.db").is_file()


def test_a_link_cannot_carry_the_configured_database_out_of_the_repository(run: Any, examples: Path) -> None:
    (examples.parent / "elsewhere").mkdir()
    (examples / "linked").symlink_to(examples.parent / "elsewhere")
    (examples / ".govcheck.yaml").write_text("record: sqlite:///linked/h.db\n", encoding="utf-8")
    assert check(run).exit_code == 2
    assert not (examples.parent / "elsewhere" / "h.db").exists()


def test_central_and_no_config_ignore_the_configured_database(run: Any, examples: Path) -> None:
    (examples / ".govcheck.yaml").write_text("record: sqlite:///../outside.db\n", encoding="utf-8")
    assert check(run, "--central").exit_code == 1
    assert check(run, "--no-config").exit_code == 1
    assert not (examples.parent / "outside.db").exists() and not (examples / ".govcheck").exists()


def test_a_record_that_cannot_be_written_is_exit_2_and_writes_no_report(run: Any, examples: Path) -> None:
    (examples / "not-a-directory").write_text("", encoding="utf-8")
    result = check(run, "--record=sqlite:///not-a-directory/h.db", "--format", "json=report.json")
    assert result.exit_code == 2
    assert result.stderr.startswith("govcheck: cannot create not-a-directory"), result.stderr
    assert not (examples / "report.json").exists()


def test_a_bare_record_before_the_paths_is_a_usage_error(run: Any, examples: Path) -> None:
    result = run("check", "--record", "examples/ready")
    assert result.exit_code == 2
    assert "--record 'examples/ready' is not a database URL" in result.stderr
    assert "--record=URL" in result.stderr


def test_a_recorded_portfolio_keeps_each_pilots_verdict(run: Any, examples: Path) -> None:
    url = "sqlite:///h.db"
    result = run("portfolio", "--today", TODAY, "examples/portfolio", "--record", url)
    assert result.exit_code == 0, result.stderr
    (stored,) = connect(url).runs(findings=True)
    record = stored.record
    assert record.kind == "portfolio" and record.exit_code == 0 and len(record.manifests) > 10
    assert all(m.verdict and set(m.readiness) == set(DIMENSIONS) for m in record.manifests)
    blocked = [m for m in record.manifests if m.blocking]
    assert blocked and all(m.verdict != "expand" for m in blocked)
    assert record.commit == "" and record.dirty is None  # the copy is in no work tree


def test_a_comparison_is_not_recorded(run: Any, examples: Path) -> None:
    pack = str(ROOT / "policies" / "scale-readiness")
    result = run("portfolio", "examples/portfolio", "--compare-pack", pack, "--record=sqlite:///h.db")
    assert result.exit_code == 2 and "--compare-pack" in result.stderr
    assert not (examples / "h.db").exists()


def test_the_text_path_runs_no_git(run: Any, examples: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(**kwargs: Any) -> Any:
        raise AssertionError("provenance collected for a report that does not show it")

    monkeypatch.setattr(provenance, "collect", refuse)
    assert check(run).exit_code == 1
    assert check(run, "--format", "junit").exit_code == 1


PROBE = """
import sys
from govcheck.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
watched = ("sqlalchemy", "govcheck.history.store", "govcheck.history.provenance")
loaded = sorted(m for m in watched if m in sys.modules)
print("LOADED", loaded, file=sys.stderr)
"""


def loaded_by(*args: str, cwd: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "check", "--today", TODAY, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={k: v for k, v in os.environ.items() if k != ENV},
    )
    return done.stderr.rpartition("LOADED ")[2].strip()


def test_a_check_without_record_imports_neither_sqlalchemy_nor_the_store(examples: Path) -> None:
    assert loaded_by("examples/ready", cwd=examples) == "[]"
    assert loaded_by("--format", "json", "examples/ready", cwd=examples) == "['govcheck.history.provenance']"
    recorded = loaded_by("examples/ready", "--record=sqlite:///h.db", cwd=examples)
    assert recorded == "['govcheck.history.provenance', 'govcheck.history.store', 'sqlalchemy']"
