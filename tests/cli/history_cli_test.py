"""``govcheck history``, ``history diff`` and ``history verify`` over a SQLite file written by the store."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from govcheck.history import schema
from govcheck.history.record import Record
from govcheck.history.store import connect
from tests.unit.history.factory import finding, pilot, record

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "schemas" / "history.schema.json").read_text(encoding="utf-8"))

RECORDS = [
    record(
        "2026-01-10",
        [
            pilot("denials", "fix-gaps", governance="blocked", blocking=("SRGOV-003",)),
            pilot("sepsis", "expand"),
        ],
        findings=[finding("denials", "SRGOV-003")],
        run_id="aaaa1111",
    ),
    record(
        "2026-04-10",
        [
            pilot("denials", "fix-gaps", governance="blocked", blocking=("SRGOV-003",)),
            pilot("sepsis", "redesign", data="blocked", blocking=("SRDATA-001",)),
        ],
        findings=[finding("denials", "SRGOV-003"), finding("sepsis", "SRDATA-001")],
        run_id="bbbb2222",
    ),
    record(
        "2026-04-11",
        [pilot("denials", blocking=("SRGOV-003",))],
        findings=[finding("denials", "SRGOV-003")],
        run_id="cccc3333",
    ),
]


def _database(path: Path, records: list[Record]) -> str:
    url = f"sqlite:///{path}"
    with connect(url) as store:
        for r in records:
            store.append(r)
    return url


@pytest.fixture
def url(tmp_path: Path) -> str:
    return _database(tmp_path / "history.db", RECORDS)


def valid(text: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(text)
    Draft202012Validator(SCHEMA).validate(document)
    return document


def test_the_trend_is_of_portfolio_runs_by_quarter_by_default(run: Any, url: str) -> None:
    result = run("history", "--record", url)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(
        "History: 2 portfolio run(s) by quarter, 2026-01-10 to 2026-04-10"
        " (also 1 check run(s): --kind check)\n"
    )
    assert (
        "  sepsis: blocked by SRDATA-001; verdict expand -> redesign; data ready -> blocked\n"
        in result.stdout
    )
    assert "Blocked now: 2 pilot(s)\n" in result.stdout


def test_check_runs_by_run_for_one_pilot(run: Any, url: str) -> None:
    result = run("history", "--record", url, "--kind", "check", "--by", "run", "--pilot", "denials")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("History: 1 check run(s) by run, 2026-04-11 to 2026-04-11")
    assert "  denials  blocked by SRGOV-003  X\n" in result.stdout


def test_a_pilot_without_an_id_is_its_file(run: Any, tmp_path: Path) -> None:
    url = _database(
        tmp_path / "h.db", [record("2026-01-10", [pilot("", "expand", file="x.yaml"), pilot("b", "expand")])]
    )
    document = valid(run("history", "--record", url, "--pilot", "x.yaml", "--format", "json").stdout)
    assert [p["pilot"] for p in document["pilots"]] == ["x.yaml"]


def test_the_record_url_comes_from_the_environment(
    run: Any, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOVCHECK_RECORD", url)
    document = valid(run("history", "--format", "json").stdout)
    assert document["kinds"] == {"check": 1, "portfolio": 2}
    assert run("history", "verify").exit_code == 0


@pytest.mark.parametrize("fmt", ["csv", "html", "json", "text"])
def test_every_format_to_a_file(run: Any, url: str, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"history.{fmt}"
    result = run("history", "--record", url, "--format", fmt, "--output", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_text(encoding="utf-8") == run("history", "--record", url, "--format", fmt).stdout


def test_a_missing_database_is_a_clear_error_and_is_not_created(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for args in (("history",), ("history", "diff"), ("history", "verify")):
        result = run(*args)
        assert result.exit_code == 2
        assert result.stderr == (
            "govcheck: no history database at .govcheck/history.db; record runs with --record first\n"
        )
    assert list(tmp_path.iterdir()) == []


def test_diff_compares_the_last_two_runs_by_default(run: Any, url: str) -> None:
    result = run("history", "diff", "--record", url)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:4] == [
        "from #2 bbbb2222 (portfolio as of 2026-04-10, commit abc123, exit 1)",
        "  to #3 cccc3333 (check as of 2026-04-11, commit abc123, exit 1)",
        "opened: 0",
        "closed: 1",
    ]


def test_diff_of_named_runs_as_json(run: Any, url: str) -> None:
    result = run("history", "--record", url, "diff", "#1", "bbbb", "--format", "json")
    document = valid(result.stdout)
    assert (document["before"]["run_id"], document["after"]["run_id"]) == ("aaaa1111", "bbbb2222")
    assert [f["rule"] for f in document["opened"]] == ["SRDATA-001"]
    assert [f["rule"] for f in document["still_open"]] == ["SRGOV-003"]
    assert [c["pilot"] for c in document["regressed"]] == ["sepsis"]


def test_diff_of_a_run_that_is_not_there(run: Any, url: str) -> None:
    result = run("history", "diff", "--record", url, "#9", "latest")
    assert result.exit_code == 2 and result.stderr.startswith("govcheck: '#9' names no run in ")


def test_verify_prints_the_run_count_and_the_head(run: Any, url: str) -> None:
    with connect(url) as store:
        head = store.runs()[-1].hash
    result = run("history", "verify", "--record", url)
    assert (result.exit_code, result.stdout) == (0, f"intact: 3 run(s); head {head}\n")
    document = valid(run("history", "verify", "--record", url, "--format", "json").stdout)
    assert (document["runs"], document["head"], document["intact"]) == (3, head, True)


def test_verify_with_a_kept_head_finds_a_deleted_last_run(run: Any, tmp_path: Path) -> None:
    url = _database(tmp_path / "two.db", RECORDS[:2])
    with connect(url) as store:
        first = store.runs()[0].hash
    # The head kept after run 1 is still in the chain once run 2 is recorded: no problem.
    assert run("history", "verify", "--record", url, "--head", first).exit_code == 0
    result = run("history", "verify", "--record", url, "--head", "f" * 64)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1] == (
        f"  no run has the head hash kept elsewhere ({'f' * 64}): runs were deleted or rewritten"
    )


def test_verify_names_an_edited_run(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "edited.db"
    url = _database(path, RECORDS)
    with sqlite3.connect(path) as db:  # the triggers keep the tables append-only: drop them first
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            db.execute(f'DROP TRIGGER "{name}"')
        db.execute(f"UPDATE {schema.runs.name} SET exit_code = 0 WHERE position = 2")
    result = run("history", "verify", "--record", url)
    assert result.exit_code == 1
    assert result.stdout.startswith("NOT intact: 1 problem(s) in 3 run(s); head ")
    assert "run #2 (bbbb2222)" in result.stdout


def test_a_trend_option_with_a_subcommand_is_a_usage_error(run: Any, url: str) -> None:
    result = run("history", "--record", url, "--format", "csv", "verify")
    assert result.exit_code == 2
    assert result.stderr == (
        "govcheck: --format is an option of the trend report (govcheck history), not of history verify\n"
    )


def test_slips_get_a_suggestion(run: Any, url: str) -> None:
    assert "did you mean 'quarter'?" in run("history", "--record", url, "--by", "quartr").stderr
    assert "did you mean 'verify'?" in run("history", "verfy").stderr


def test_a_url_that_is_no_database(run: Any) -> None:
    result = run("history", "--record", "mysql://x/y")
    assert result.exit_code == 2 and result.stderr.startswith("govcheck: cannot record to a mysql database")
