"""``check`` on directories: what it reads decides what exit 0 means."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TODAY
from tests.helpers import MINI, manifest, write

STALE = manifest(**{"spec.monitoring.last_review": "2020-01-01"})  # one MON-002 warning
ODD = os.fsdecode(b"caf\xe9-\xff.yaml")  # not UTF-8: the name arrives with lone surrogates
SHOWN = "pilots/caf\\xe9-\\xff.yaml"
FORMATS = ("text", "json", "sarif", "junit", "github", "gitlab")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(run: Any, *args: str) -> Any:
    return run("check", "--pack", MINI, "--today", TODAY, "--fail-on", "warning", *args)


def test_a_directory_of_misspelt_kinds_fails_instead_of_finding_nothing(run: Any, repo: Path) -> None:
    text = json.dumps(manifest(), indent=1)
    write(repo / "pilots" / "a.yaml", text.replace('"AIPilot"', '"aipilot"'))
    write(repo / "pilots" / "b.yaml", text.replace('"AIPilot"', r'"AI\x50ilot"'))
    result = check(run, "-q", "pilots")
    assert result.exit_code == 1
    assert result.stdout.startswith("pilots/a.yaml:3:2: error GC-KIND kind is 'aipilot'")
    assert "no pilot manifests" not in result.stderr
    assert json.loads(check(run, "--format", "json", "pilots").stdout)["summary"]["manifests"] == 1


def test_exclude_on_the_command_line(run: Any, repo: Path) -> None:
    write(repo / "pilots" / "p.yaml", manifest())
    write(repo / "fixtures" / "bad.yaml", STALE)
    write(repo / "drafts" / "bad.yaml", STALE)
    assert check(run, "-q").exit_code == 1
    assert check(run, "-q", "--exclude", "fixtures/", "--exclude", "drafts").exit_code == 0
    assert (
        check(run, "-q", "--exclude", "fixtures/", "--exclude", "drafts", "--exclude", "!drafts/").exit_code
        == 1
    )
    assert (
        check(run, "-q", "--exclude", "drafts", "drafts/bad.yaml").exit_code == 1
    )  # a named file is checked


@pytest.mark.parametrize(
    ("file", "text"),
    [
        (".govcheck.yaml", "exclude: [fixtures/]\n"),
        ("pyproject.toml", '[tool.govcheck]\nexclude = ["fixtures/"]\n'),
    ],
)
def test_a_configuration_cannot_exclude_files(run: Any, repo: Path, file: str, text: str) -> None:
    write(repo / "pilots" / "p.yaml", manifest())
    write(repo / file, text)
    result = check(run, "-q")
    assert result.exit_code == 2
    assert f"{file}" in result.stderr and "--exclude" in result.stderr and "command line" in result.stderr
    assert "internal error" not in result.stderr


@pytest.mark.parametrize("name", FORMATS)
def test_file_names_that_are_not_utf8_do_not_crash_a_report(run: Any, repo: Path, name: str) -> None:
    write(repo / "pilots" / ODD, STALE)
    first = check(run, "--format", name, "pilots")
    assert first.exit_code == 1, first.stderr
    expected = SHOWN.replace("\\", "/") if name == "sarif" else SHOWN  # a SARIF uri has no backslash
    assert expected in first.stdout.replace("\\\\", "\\")  # JSON doubles the backslash
    assert check(run, "--format", name, "pilots").stdout == first.stdout  # the same name, the same text
    if name in ("json", "sarif", "gitlab"):
        json.loads(first.stdout)
    elif name == "junit":
        ET.fromstring(first.stdout)


def test_file_names_that_are_not_utf8_reach_real_output_streams(repo: Path) -> None:
    write(repo / "pilots" / ODD, STALE)
    reports = {name: f"report.{name}" for name in FORMATS if name != "text"}
    command = [
        sys.executable,
        "-m",
        "govcheck",
        "check",
        "--pack",
        MINI,
        "--today",
        TODAY,
        "--fail-on",
        "warning",
    ]
    command += ["pilots", "--format", "text", *(f"--format={n}={f}" for n, f in reports.items())]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONIOENCODING"}  # the streams a user gets
    done = subprocess.run(command, capture_output=True, check=False, env=env)
    assert (done.returncode, done.stderr) == (1, b"")
    assert SHOWN.encode() in done.stdout
    for name, file in reports.items():
        expected = SHOWN.replace("\\", "/") if name == "sarif" else SHOWN
        assert expected.encode() in (repo / file).read_bytes().replace(b"\\\\", b"\\"), name
