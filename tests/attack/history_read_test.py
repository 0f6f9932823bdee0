"""Reading a history database someone else had their hands on: ``history``, ``history diff`` and
``history verify`` over edited cells, dropped tables, files that are no database, a newer
schema and a database another process holds locked.

Whoever can write the database file (or drop its triggers) can put anything in any cell:
SQLite keeps a BLOB in a TEXT column, and JSON cells can hold any JSON or none. Every command
must then answer with exit 0, 1 or 2 and a message, never an internal error, and never send a
control character from the database to the terminal; ``verify`` must name every run whose
content changed, whichever column of whichever table was edited.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from govcheck.history import schema
from govcheck.history.store import HistoryError, Verification, connect
from tests.unit.history.decisions import decision
from tests.unit.history.factory import finding, pilot, record

sa = pytest.importorskip("sqlalchemy")  # the history extra

RUNS, MANIFESTS, FINDINGS = schema.runs.name, schema.manifests.name, schema.findings.name
COMMANDS = (
    ("history",),
    ("history", "--kind", "check", "--by", "run"),
    ("history", "--format", "json"),
    ("history", "--format", "csv"),
    ("history", "--format", "html"),
    ("history", "--by", "month", "--pilot", "denials"),
    ("history", "diff"),
    ("history", "diff", "#1", "#2", "--format", "json"),
    ("history", "verify"),
    ("history", "verify", "--format", "json"),
)


def build(path: Path) -> str:
    """Four runs: two check runs with every field filled, two portfolio runs."""
    url = f"sqlite:///{path}"
    with connect(url) as store:
        store.append(decision("run-0001", today="2026-10-01"))
        store.append(decision("run-0002", today="2026-11-01"))
        store.append(
            record(
                "2026-11-02",
                [pilot("denials", "fix-gaps", governance="blocked", blocking=("GOV-001",))],
                findings=[finding("denials", "GOV-001")],
                run_id="run-0003",
            )
        )
        store.append(record("2026-11-03", [pilot("denials", "expand")], run_id="run-0004"))
    return url


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pristine") / "history.db"
    build(path)
    return path


def edited(pristine: Path, tmp_path: Path, *statements: str) -> str:
    """A copy of the pristine database with its triggers dropped and the statements applied,
    by a plain sqlite3 connection (foreign keys not enforced, as in any SQLite tool by default)."""
    path = tmp_path / "edited.db"
    path.write_bytes(pristine.read_bytes())
    with sqlite3.connect(path) as db:
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            db.execute(f'DROP TRIGGER "{name}"')
        for statement in statements:
            db.execute(statement)
    return f"sqlite:///{path}"


def answers(run: Any, url: str, *args: str) -> Any:
    """``govcheck history`` (or a subcommand) over url; an answer, never a crash."""
    command = list(args[:2]) if args[1:2] in (("diff",), ("verify",)) else list(args[:1])
    result = run(*command, "--record", url, *args[len(command) :])
    assert result.exit_code in (0, 1, 2), result.output
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr, (args, result.stderr)
    return result


def verification(url: str) -> Verification:
    with connect(url, create=False) as store:
        return store.verify()


def nested(depth: int) -> str:
    return "'" + "[" * depth + "]" * depth + "'"


# (name, statement, what verify says: 1 names the run, 2 the database cannot be read)
EDITS = [
    ("readiness-a-list", f"UPDATE {MANIFESTS} SET readiness = '[1, 2]'", 1),
    ("readiness-a-string", f"UPDATE {MANIFESTS} SET readiness = '\"ready\"'", 1),
    ("readiness-null", f"UPDATE {MANIFESTS} SET readiness = 'null'", 1),
    ("readiness-nested", f'UPDATE {MANIFESTS} SET readiness = \'{{"data": {{"b": 1}}}}\'', 1),
    ("readiness-not-json", f"UPDATE {MANIFESTS} SET readiness = '{{'", 1),
    ("readiness-nan", f"UPDATE {MANIFESTS} SET readiness = '{{\"data\": NaN}}' WHERE run_position = 3", 1),
    ("blocking-an-object", f"UPDATE {MANIFESTS} SET blocking = '{{\"a\": 1}}'", 1),
    ("blocking-a-number", f"UPDATE {MANIFESTS} SET blocking = '5'", 1),
    ("blocking-nested", f"UPDATE {MANIFESTS} SET blocking = '[[1], {{\"a\": 2}}]'", 1),
    (
        "blocking-huge",
        f"UPDATE {MANIFESTS} SET blocking = '[' || (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL"
        " SELECT x + 1 FROM c WHERE x < 100000) SELECT group_concat('\"R' || x || '\"', ',') FROM c) || ']'",
        1,
    ),
    ("blocking-deep", f"UPDATE {MANIFESTS} SET blocking = {nested(100_000)} WHERE run_position = 3", 1),
    ("packs-deep", f"UPDATE {RUNS} SET packs = {nested(100_000)} WHERE position = 2", 1),
    ("today-not-a-date", f"UPDATE {RUNS} SET today = 'not-a-date'", 1),
    ("today-a-number", f"UPDATE {RUNS} SET today = 20261101 WHERE position = 2", 1),
    (
        "today-far-apart",
        f"UPDATE {RUNS} SET today = CASE position WHEN 1 THEN '0001-01-01' ELSE '9999-12-31' END",
        1,
    ),
    ("kind-unknown", f"UPDATE {RUNS} SET kind = 'audit'", 1),
    ("plugins-not-pairs", f"UPDATE {RUNS} SET plugins = '[[1]]'", 1),
    ("plugins-an-object", f"UPDATE {RUNS} SET plugins = '{{}}'", 1),
    ("packs-wrong-keys", f"UPDATE {RUNS} SET packs = '[{{\"x\": 1}}]'", 1),
    ("packs-null-entry", f"UPDATE {RUNS} SET packs = '[null]'", 1),
    ("config-a-list", f"UPDATE {RUNS} SET config = '[1]'", 1),
    ("rules-an-object", f"UPDATE {RUNS} SET rules = '{{\"a\": 1}}'", 1),
    ("exit-code-text", f"UPDATE {RUNS} SET exit_code = 'zero'", 1),
    ("exit-code-huge", f"UPDATE {RUNS} SET exit_code = 9223372036854775807 WHERE position = 3", 1),
    ("dirty-text", f"UPDATE {RUNS} SET dirty = 'yes'", 1),
    ("position-negative", f"UPDATE {RUNS} SET position = -5 WHERE position = 2", 1),
    ("hash-a-number", f"UPDATE {RUNS} SET hash = 5 WHERE position = 4", 1),
    ("pilot-a-number", f"UPDATE {MANIFESTS} SET pilot = 5 WHERE run_position = 2 AND idx = 0", 1),
    ("document-text", f"UPDATE {MANIFESTS} SET document = 'x'", 1),
    ("verdict-unknown", f"UPDATE {MANIFESTS} SET verdict = 'promote-now'", 1),
    ("line-text", f"UPDATE {FINDINGS} SET line = 'x'", 1),
    ("severity-unknown", f"UPDATE {FINDINGS} SET severity = 'catastrophic'", 1),
    # SQLite keeps a BLOB in any column: bytes must not reach the reports.
    ("pilot-a-blob", f"UPDATE {MANIFESTS} SET pilot = x'ff00fe'", 1),
    ("message-a-blob", f"UPDATE {FINDINGS} SET message = x'00ff' WHERE run_position = 2 AND idx = 0", 1),
    ("started-a-blob", f"UPDATE {RUNS} SET started = x'00' WHERE position = 2", 1),
    ("exit-code-a-blob", f"UPDATE {RUNS} SET exit_code = x'01' WHERE position = 2", 1),
    ("line-a-blob", f"UPDATE {FINDINGS} SET line = x'01' WHERE run_position = 2", 1),
    ("previous-a-blob", f"UPDATE {RUNS} SET previous = x'00ff' WHERE position = 3", 1),
    # Text that is not UTF-8: the driver cannot decode it, and says which column.
    ("pilot-not-utf8", f"UPDATE {MANIFESTS} SET pilot = CAST(x'eda080ff' AS TEXT) WHERE run_position = 3", 2),
    ("findings-dropped", f"DROP TABLE {FINDINGS}", 2),
    ("manifests-dropped", f"DROP TABLE {MANIFESTS}", 2),
    ("version-text", f"UPDATE {schema.versions.name} SET version = 'x'", 2),
    ("version-newer", f"INSERT INTO {schema.versions.name} VALUES (99)", 2),
    ("version-gone", f"DELETE FROM {schema.versions.name}", 2),
]


@pytest.mark.parametrize(("statement", "verdict"), [e[1:] for e in EDITS], ids=[e[0] for e in EDITS])
def test_every_command_answers_an_edited_database_and_verify_names_it(
    run: Any, pristine: Path, tmp_path: Path, statement: str, verdict: int
) -> None:
    url = edited(pristine, tmp_path, statement)
    for args in COMMANDS:
        answers(run, url, *args)
    result = answers(run, url, "history", "verify")
    assert result.exit_code == verdict, result.output
    if verdict == 1:
        assert "run #" in result.stdout
    else:
        assert result.stderr.startswith("govcheck: ") and result.stdout == ""


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        (f"UPDATE {schema.versions.name} SET version = 'x'", "schema version is not a number ('x')"),
        (f"INSERT INTO {schema.versions.name} VALUES (99)", "newer govcheck"),
    ],
    ids=["not-a-number", "newer"],
)
def test_a_schema_version_govcheck_cannot_use_is_exit_2_for_reading_and_for_recording(
    run: Any, pristine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, statement: str, message: str
) -> None:
    examples = Path(__file__).resolve().parents[2] / "examples"
    shutil.copytree(examples / "ready", tmp_path / "work" / "ready")
    url = edited(pristine, tmp_path, statement)
    for args in (("history",), ("history", "diff"), ("history", "verify")):
        result = answers(run, url, *args)
        assert result.exit_code == 2 and message in result.stderr, result.stderr
    monkeypatch.chdir(tmp_path / "work")
    result = run("check", "--today", "2026-11-25", "ready", f"--record={url}")
    assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert "internal error" not in result.stderr


# ------------------------------------------------------------------------------ not a database


@pytest.mark.parametrize("kind", ["text", "random", "zero-bytes", "directory", "fifo", "link-to-dev-zero"])
def test_a_file_that_is_no_history_database_is_exit_2_quickly_and_stays_as_it_was(
    run: Any, tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "history.db"
    if kind == "text":
        path.write_text("pilot,verdict\ndenials,expand\n" * 40, encoding="utf-8")
    elif kind == "random":
        path.write_bytes(os.urandom(8192))
    elif kind == "zero-bytes":
        path.write_bytes(b"")
    elif kind == "directory":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    before = path.read_bytes() if path.is_file() and not path.is_symlink() else None
    started = time.monotonic()
    for args in (("history",), ("history", "diff"), ("history", "verify")):
        result = answers(run, f"sqlite:///{path}", *args)
        assert result.exit_code == 2 and result.stderr.startswith("govcheck: "), result.stderr
    assert time.monotonic() - started < 30  # a FIFO or a device is never opened and waited on
    if before is not None:
        assert path.read_bytes() == before  # reading creates no table in it


# ------------------------------------------------------------------------------ locked databases

HOLD = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("ROLLBACK")
"""


def test_a_database_another_process_holds_locked_is_waited_for_and_then_read(
    run: Any, pristine: Path, tmp_path: Path
) -> None:
    path = tmp_path / "locked.db"
    path.write_bytes(pristine.read_bytes())
    with subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), "2"], stdout=subprocess.PIPE, text=True
    ) as holder:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        result = answers(run, f"sqlite:///{path}", "history")
        waited = time.monotonic() - started
    assert result.exit_code == 0, result.stderr
    assert 0.5 < waited < 30


def test_a_postgresql_table_another_session_holds_is_waited_for_and_then_read(
    run: Any, postgres_url: str
) -> None:
    with connect(postgres_url) as store:
        store.append(decision("run-0001"))
    engine = sa.create_engine(sa.make_url(postgres_url).set(drivername="postgresql+psycopg"))
    try:
        with engine.connect() as holder:
            transaction = holder.begin()
            holder.exec_driver_sql(f"LOCK TABLE {RUNS} IN ACCESS EXCLUSIVE MODE")
            threading.Timer(1.5, transaction.rollback).start()
            started = time.monotonic()
            result = answers(run, postgres_url, "history", "--kind", "check")
            waited = time.monotonic() - started
    finally:
        engine.dispose()
    assert result.exit_code == 0, result.stderr
    assert 1.0 < waited < 30


# ---------------------------------------------------------------- verify: every column is covered

STRUCTURE = {"position", "previous", "hash", "run_position", "idx"}  # the chain itself, tested below
REPLACE = {  # JSON cells need JSON that still decodes, only different
    "plugins": '\'[["govcheck-evil", "9.9"]]\'',
    "packs": "'[]'",
    "config": "NULL",
    "waivers": "NULL",
    "rules": "'[\"GOV-001\"]'",
    "blocking": "'[]'",
    "readiness": "'{}'",
    "dirty": "1",
}
COLUMNS = [
    (table.name, column.name)
    for table in schema.TABLES
    for column in table.columns
    if column.name not in STRUCTURE
]


@pytest.mark.parametrize(("table", "column"), COLUMNS, ids=[f"{t}.{c}" for t, c in COLUMNS])
def test_an_edit_of_any_column_of_any_table_is_named_by_verify(
    pristine: Path, tmp_path: Path, table: str, column: str
) -> None:
    sql_type = next(c.type for t in schema.TABLES if t.name == table for c in t.columns if c.name == column)
    if column in REPLACE:
        value = REPLACE[column]
    elif isinstance(sql_type, sa.Integer):
        value = f"{column} + 1"
    else:
        value = f"{column} || 'x'"
    where = "position = 2" if table == RUNS else "run_position = 2 AND idx = 0"
    url = edited(pristine, tmp_path, f"UPDATE {table} SET {column} = {value} WHERE {where}")
    problems = verification(url).problems
    assert problems and all(p.startswith("run #2 (") for p in problems), problems


def test_every_column_is_in_the_canonical_record_or_the_chain() -> None:
    # A column added to a table without a place in canonical() would be a column verify ignores.
    from dataclasses import fields

    from govcheck.history.record import FindingEntry, ManifestEntry, Record

    covered = {f.name for f in fields(Record)} | {"commit_id"}  # commit is stored as commit_id
    covered |= {f.name for f in fields(ManifestEntry)} | {f.name for f in fields(FindingEntry)}
    assert {c for _, c in COLUMNS} <= covered


def test_reordered_findings_are_named(pristine: Path, tmp_path: Path) -> None:
    url = edited(
        pristine,
        tmp_path,
        f"UPDATE {FINDINGS} SET idx = 100 WHERE run_position = 2 AND idx = 0",
        f"UPDATE {FINDINGS} SET idx = 0 WHERE run_position = 2 AND idx = 1",
        f"UPDATE {FINDINGS} SET idx = 1 WHERE run_position = 2 AND idx = 100",
    )
    [problem] = verification(url).problems
    assert "run #2 (run-0002)" in problem and "content differs" in problem


def test_two_runs_swapped_are_named(pristine: Path, tmp_path: Path) -> None:
    swaps = [
        f"UPDATE {table} SET {key} = {new} WHERE {key} = {old}"
        for table, key in ((RUNS, "position"), (MANIFESTS, "run_position"), (FINDINGS, "run_position"))
        for old, new in ((2, 100), (3, 2), (100, 3))
    ]
    url = edited(pristine, tmp_path, *swaps)
    problems = verification(url).problems
    assert any("does not follow" in p for p in problems)


def test_a_finding_moved_to_another_run_is_named_in_both(pristine: Path, tmp_path: Path) -> None:
    url = edited(
        pristine,
        tmp_path,
        f"UPDATE {FINDINGS} SET run_position = 1, idx = 7 WHERE run_position = 2 AND idx = 0",
    )
    problems = verification(url).problems
    assert any("run #1 (run-0001)" in p for p in problems) and any("run #2 (run-0002)" in p for p in problems)


def test_a_duplicated_finding_is_named(pristine: Path, tmp_path: Path) -> None:
    columns = ", ".join(c.name for c in schema.findings.columns if c.name != "idx")
    url = edited(
        pristine,
        tmp_path,
        f"INSERT INTO {FINDINGS} (idx, {columns}) SELECT 9, {columns} FROM {FINDINGS}"
        " WHERE run_position = 2 AND idx = 0",
    )
    [problem] = verification(url).problems
    assert "run #2 (run-0002)" in problem


@pytest.mark.parametrize("table", [MANIFESTS, FINDINGS])
def test_rows_of_no_recorded_run_are_named(pristine: Path, tmp_path: Path, table: str) -> None:
    # Inserting needs no trigger dropped, and SQLite checks the foreign key only when asked:
    # rows for run #5 would join the next run recorded, and no hash covers them until then.
    columns = ", ".join(c.name for c in schema.TABLES[[t.name for t in schema.TABLES].index(table)].columns)
    other = ", ".join("5" if c == "run_position" else c for c in columns.split(", "))
    path = tmp_path / "planted.db"
    path.write_bytes(pristine.read_bytes())
    with sqlite3.connect(path) as db:
        db.execute(f"INSERT INTO {table} ({columns}) SELECT {other} FROM {table} WHERE run_position = 3")
    url = f"sqlite:///{path}"
    problems = verification(url).problems
    assert problems and any("no recorded run" in p and "#5" in p for p in problems), problems
    # The next run recorded does not take them in: it is refused whole.
    with connect(url) as store, pytest.raises(HistoryError, match="did not keep it as written|UNIQUE"):
        store.append(decision("run-0005"))
    assert verification(url).runs == 4


# ----------------------------------------------------------- nothing from the database reaches a terminal

CONTROLS = [
    (
        "hash-forges-intact",
        f"UPDATE {RUNS} SET hash = char(13) || 'intact: 4 run(s); head ' || hash WHERE position = 4",
    ),
    (
        "today-c1",
        f"UPDATE {RUNS} SET today = '2026-11-03' || char(155) || '2J' || char(7) WHERE position = 4",
    ),
    ("kind-c0", f"UPDATE {RUNS} SET kind = 'check' || char(13) || char(8) WHERE position = 1"),
    (
        "pilot-c1",
        f"UPDATE {MANIFESTS} SET pilot = 'denials' || char(155) || '31m' || char(8232)"
        " WHERE run_position = 3",
    ),
    (
        "message-c1",
        f"UPDATE {FINDINGS} SET message = 'ok' || char(155) || 'K' || char(13) WHERE run_position = 3",
    ),
    ("run-id-c0", f"UPDATE {RUNS} SET run_id = 'run-0004' || char(13) WHERE position = 4"),
]


def controls(text: str) -> list[str]:
    return [c for c in text if c != "\n" and (ord(c) < 32 or 0x7F <= ord(c) <= 0x9F or c in "\u2028\u2029")]


@pytest.mark.parametrize("statement", [c[1] for c in CONTROLS], ids=[c[0] for c in CONTROLS])
def test_control_characters_in_the_database_never_reach_the_text_reports(
    run: Any, pristine: Path, tmp_path: Path, statement: str
) -> None:
    url = edited(pristine, tmp_path, statement)
    for args in (
        ("history",),
        ("history", "--kind", "check", "--by", "run"),
        ("history", "--by", "run"),
        ("history", "diff", "#3", "#4"),
        ("history", "diff", "#1", "#2"),
        ("history", "verify"),
    ):
        result = answers(run, url, *args)
        assert controls(result.stdout) == [], (args, result.stdout)
    verify = answers(run, url, "history", "verify")
    assert verify.exit_code == 1 and verify.stdout.startswith("NOT intact")


# --------------------------------------------------------------------------- names given by the reader


@pytest.mark.parametrize("ref", ["%", "run-%", "run_0001", "' OR 1=1 --", "#0", "latest~99", "#-1", ""])
def test_a_run_reference_is_text_to_match_never_a_pattern_or_sql(run: Any, pristine: Path, ref: str) -> None:
    result = answers(run, f"sqlite:///{pristine}", "history", "diff", ref, "latest")
    assert result.exit_code == 2 and "names" in result.stderr, result.stderr


def test_a_pilot_filter_is_text_to_match(run: Any, pristine: Path) -> None:
    for text in ("%", "deni%", "' OR '1'='1"):
        result = answers(run, f"sqlite:///{pristine}", "history", "--pilot", text, "--by", "run")
        assert result.exit_code == 0 and "denials" not in result.stdout, result.stdout
