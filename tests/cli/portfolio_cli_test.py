"""``govcheck portfolio`` through click's runner: formats, files, exit codes."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from govcheck.portfolio.model import DIMENSIONS
from tests.helpers import write

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = str(ROOT / "examples" / "portfolio")
TODAY = ("--today", "2026-11-25")
SCHEMA = json.loads((ROOT / "schemas" / "portfolio.schema.json").read_text(encoding="utf-8"))


def test_text_is_a_table_then_totals(run: Any) -> None:
    result = run("portfolio", EXAMPLES, *TODAY)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "PILOT",
        "USE",
        "CASE",
        "TIER",
        "STAGE",
        "->",
        "NEXT",
        "WF",
        "DA",
        "GO",
        "OW",
        "MO",
        "ME",
        "ERR",
        "WARN",
        "VERDICT",
        "WHY",
    ]
    rows = {line.split()[0]: line for line in lines[1:15]}
    assert re.search(
        r"imaging-triage +imaging +critical +expansion -> enterprise +ok +XX +ok +ok +ok +ok +5 +0 +"
        r"fix gaps +data: No pilot-only data condition remains at enterprise scale \(DATA-009\); "
        r"The data feeds reach every site the rollout plans to reach \(SRDATA-001\);",
        rows["imaging-triage"],
    )
    assert (
        "14 pilot(s) as of 2026-11-25: 2 consider stopping, 2 redesign, 6 fix gaps, 3 expand, 1 retired"
        in lines
    )
    assert "findings at the next gate: 66 error(s), 2 warning(s), 0 info" in lines


def test_json_validates_against_its_schema(run: Any) -> None:
    result = run("portfolio", EXAMPLES, *TODAY, "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(document)
    assert document["totals"]["verdicts"] == {
        "consider-stopping": 2,
        "redesign": 2,
        "fix-gaps": 6,
        "expand": 3,
        "retired": 1,
    }
    assert document["category_dimensions"]["operating-model"] == "ownership"


def _described(node: Any, where: str) -> list[str]:
    """Every property schema (and items / additionalProperties schema) that lacks a description."""
    missing: list[str] = []
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            if "description" not in sub:
                missing.append(f"{where}.{name}")
        for key in ("items", "additionalProperties"):
            if isinstance(node.get(key), dict) and "description" not in node[key]:
                missing.append(f"{where}[{key}]")
        for key, sub in node.items():
            missing.extend(_described(sub, f"{where}.{key}"))
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            missing.extend(_described(sub, f"{where}[{i}]"))
    return missing


def test_the_schema_is_2020_12_and_describes_every_property() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert _described(SCHEMA, "$") == []


def test_csv_has_one_row_per_pilot(run: Any, tmp_path: Path) -> None:
    out = tmp_path / "p.csv"
    result = run("portfolio", EXAMPLES, *TODAY, "--format", "csv", "--output", str(out))
    assert (result.exit_code, result.stdout) == (0, "")
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert len(rows) == 14 and len({r["id"] for r in rows}) == 14
    by_id = {r["id"]: r for r in rows}
    assert by_id["scheduling-assistant"]["verdict"] == "fix-gaps"
    assert [by_id["scheduling-assistant"][d] for d in DIMENSIONS] == [
        "ready",
        "ready",
        "ready",
        "blocked",
        "ready",
        "ready",
    ]
    assert by_id["scheduling-assistant"]["reasons"] == (
        "ownership: Funding is approved beyond today (SROPS-001); An owner after launch is named (SROWN-001)"
    )


def test_csv_cells_cannot_become_formulas(run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path / "p.yaml",
        {
            "apiVersion": "govcheck/v1",
            "kind": "AIPilot",
            "metadata": {"id": '=HYPERLINK("http://x")', "name": "@SUM(A1)"},
            "spec": {"risk_tier": "low", "stage": "pilot"},
        },
    )
    result = run("portfolio", "p.yaml", *TODAY, "--format", "csv")
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    assert (row["id"], row["name"]) == ('\'=HYPERLINK("http://x")', "'@SUM(A1)")


def test_html_goes_to_the_output_file(run: Any, tmp_path: Path) -> None:
    out = tmp_path / "portfolio.html"
    result = run("portfolio", EXAMPLES, *TODAY, "--format", "html", "-o", str(out))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    page = out.read_text(encoding="utf-8")
    assert page.count('<tr class="pilot">') == 14
    assert "<script" not in page


def test_jobs_give_the_same_report(run: Any) -> None:
    one = run("portfolio", EXAMPLES, *TODAY, "--format", "json", "--jobs", "1")
    two = run("portfolio", EXAMPLES, *TODAY, "--format", "json", "--jobs", "2")
    assert one.stdout == two.stdout and one.exit_code == two.exit_code == 0


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "gen_corpus.py"), "150", str(out)], check=True, timeout=120
    )
    return out


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "html"])
def test_every_format_is_the_same_with_one_or_two_jobs_and_to_a_file(
    run: Any, corpus: Path, tmp_path: Path, fmt: str
) -> None:
    import datetime as dt

    from govcheck.portfolio.report import FORMATS
    from govcheck.portfolio.run import PortfolioSettings, run_portfolio

    one = run("portfolio", str(corpus), *TODAY, "--format", fmt, "--jobs", "1")
    two = run("portfolio", str(corpus), *TODAY, "--format", fmt, "--jobs", "2", "-o", str(tmp_path / "out"))
    assert one.exit_code == two.exit_code == 0
    assert (tmp_path / "out").read_text(encoding="utf-8") == one.stdout
    settings = PortfolioSettings(paths=(str(corpus),), today=dt.date(2026, 11, 25), jobs=2)
    assert FORMATS[fmt](run_portfolio(settings)) == one.stdout  # written piece by piece, or rendered whole


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "pdf"), "unknown --format 'pdf'; available: text, json, csv, html"),
        (("--format", "jsn"), "did you mean 'json'?"),
        (("--format", "json", "--format", "csv"), "only one --format can go to standard output"),
        (("--pack", "no-such-pack"), "no policy pack 'no-such-pack'"),
        (("missing-dir",), "missing-dir: no such file or directory"),
        (("--today", "tomorrow"), "'tomorrow' is not a date"),
        (("--jobs", "-1"), "Invalid value for '--jobs'"),
        (("--output", "no/such/dir/p.txt"), "cannot write no/such/dir/p.txt"),
    ],
)
def test_usage_and_pack_errors_exit_2(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("portfolio", EXAMPLES, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_paths_are_required(run: Any) -> None:
    result = run("portfolio")
    assert result.exit_code == 2
    assert "Missing argument 'PATHS...'" in result.stderr


def test_a_broken_pack_is_exit_2(run: Any, tmp_path: Path) -> None:
    pack = write(
        tmp_path / "pack.yaml",
        "apiVersion: govcheck/v1\nkind: PolicyPack\nmetadata: {name: x, version: '1'}\n"
        "rules: [{id: bad, title: t, category: data, severity: error, check: {present: a}, message: m}]\n",
    )
    result = run("portfolio", EXAMPLES, "--pack", str(pack))
    assert result.exit_code == 2
    assert "problem(s) loading policy packs" in result.stderr


def test_is_listed_in_the_help(run: Any) -> None:
    result = run("--help")
    assert re.search(r"^  portfolio\b", result.stdout, re.M)


def test_the_progress_bar_redraws_one_line_and_ends_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from govcheck.cli.portfolio import _Progress

    class Terminal(io.StringIO):  # a terminal whose size cannot be asked: $COLUMNS says it
        def isatty(self) -> bool:
            return True

    monkeypatch.setenv("COLUMNS", "60")
    stream = Terminal()
    progress = _Progress(stream)
    progress(5, 20)
    progress(20, 20)
    progress.close()
    drawn = re.sub(r"\x1b\[\?25[lh]", "", stream.getvalue())  # cursor hidden while drawing
    assert drawn.endswith("\n") and "\n" not in drawn[:-1]  # redrawn in place, one line
    lines = drawn[:-1].split("\r")[1:]
    assert [line.split()[-2] for line in lines] == ["5/20", "20/20"]
    assert all(line.startswith("Evaluating [") and len(line) <= 59 for line in lines)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_progress_goes_to_stderr_only_when_it_is_a_terminal(tmp_path: Path) -> None:
    import os
    import pty

    command = [
        sys.executable,
        "-m",
        "govcheck",
        "portfolio",
        EXAMPLES,
        *TODAY,
        "--format",
        "json",
        "--jobs",
        "2",
    ]
    piped = subprocess.run(command, capture_output=True, timeout=120, cwd=tmp_path)
    assert (piped.returncode, piped.stderr) == (0, b"")
    leader, follower = pty.openpty()
    try:
        shown = subprocess.run(command, stdout=subprocess.PIPE, stderr=follower, timeout=120, cwd=tmp_path)
        os.close(follower)
        drawn = os.read(leader, 65536)
    finally:
        os.close(leader)
    assert shown.returncode == 0
    assert b"Evaluating [" in drawn and b"14/14 files" in drawn
    assert shown.stdout == piped.stdout  # the report itself is untouched


def test_several_formats_each_to_its_file_as_check_writes_them(run: Any, tmp_path: Path) -> None:
    """``--format NAME=FILE`` repeated, one format left for standard output: the same reports as
    one run per format."""
    result = run(
        "portfolio",
        EXAMPLES,
        *TODAY,
        "--format",
        f"json={tmp_path / 'p.json'}",
        "--format",
        f"html={tmp_path / 'p.html'}",
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == run("portfolio", EXAMPLES, *TODAY, "--format", "csv").stdout
    alone = run("portfolio", EXAMPLES, *TODAY, "--format", "json").stdout
    assert (tmp_path / "p.json").read_text(encoding="utf-8") == alone
    assert (tmp_path / "p.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
