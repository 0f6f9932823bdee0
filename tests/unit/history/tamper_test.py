"""Editing the history behind govcheck's back, on SQLite and on PostgreSQL: ``verify`` names the run.

The store's triggers refuse UPDATE and DELETE, so a plain edit fails; a database administrator
can drop them (SQLite) or disable them (PostgreSQL) first, as these tests do, and then
``verify``, which recomputes every run's hash from its rows, reports the run by position and run
id. Inserting needs no such step. A forger who also recomputes the hashes with govcheck's own
code leaves a chain that verifies, but not the same head: that is why the head is kept elsewhere.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
import sqlalchemy as sa

from govcheck.history import schema
from govcheck.history.record import chain_hash
from govcheck.history.store import StoredRun, Verification, connect
from tests.unit.history.decisions import decision

RUNS, MANIFESTS, FINDINGS = schema.runs.name, schema.manifests.name, schema.findings.name


@dataclasses.dataclass
class History:
    url: str
    stored: list[StoredRun]  # as append returned them: what the database said when recording

    @property
    def backend(self) -> str:
        return str(sa.make_url(self.url).get_backend_name())

    def verify(self) -> Verification:
        with connect(self.url) as store:
            return store.verify()

    def sql(self, *statements: str, lift: bool = False, **params: Any) -> None:
        """Statements in one transaction, straight to the database (not through the store);
        ``lift``: first drop or disable the triggers that keep the tables append-only."""
        url = sa.make_url(self.url)
        if self.backend == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        try:
            with engine.begin() as conn:
                if lift:
                    _lift_append_only(conn, self.backend)
                for statement in statements:
                    conn.execute(sa.text(statement), params)
        finally:
            engine.dispose()


def _lift_append_only(conn: Any, backend: str) -> None:
    if backend == "postgresql":
        for table in (RUNS, MANIFESTS, FINDINGS):
            conn.execute(sa.text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
    else:
        names = conn.execute(sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars().all()
        assert names, "the store installed no triggers"
        for name in names:
            conn.execute(sa.text(f'DROP TRIGGER "{name}"'))


def five_runs(url: str) -> History:
    """run-0001 to run-0005, each with two manifests and two findings."""
    with connect(url) as store:
        stored = [store.append(decision(f"run-{n:04d}", today=f"2026-11-{n:02d}")) for n in range(1, 6)]
    history = History(url, stored)
    assert history.verify().problems == ()
    return history


@pytest.fixture
def history(history_url: str) -> History:
    return five_runs(history_url)


@pytest.mark.parametrize(
    "statement",
    [
        f"UPDATE {FINDINGS} SET message = 'fixed' WHERE run_position = 3",
        f"UPDATE {MANIFESTS} SET outcomes = 'pppp' WHERE run_position = 3",
        f"UPDATE {RUNS} SET exit_code = 0 WHERE position = 3",
        f"DELETE FROM {FINDINGS} WHERE run_position = 3",
        f"DELETE FROM {MANIFESTS} WHERE run_position = 3",
    ],
    ids=["finding", "outcomes", "exit-code", "delete-findings", "delete-manifests"],
)
def test_the_database_refuses_an_edit_or_a_deletion(history: History, statement: str) -> None:
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        history.sql(statement)
    assert history.verify().problems == ()


def test_postgresql_refuses_truncate_too(postgres_url: str) -> None:
    history = five_runs(postgres_url)
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        history.sql(f"TRUNCATE {FINDINGS}")


@pytest.mark.parametrize(
    ("statement", "position"),
    [
        (f"UPDATE {FINDINGS} SET message = 'the threshold is met' WHERE run_position = 3 AND idx = 0", 3),
        (f"UPDATE {MANIFESTS} SET outcomes = 'pppp', blocking = '[]' WHERE run_position = 2 AND idx = 0", 2),
        (f"UPDATE {RUNS} SET exit_code = 0 WHERE position = 4", 4),
        (
            f"UPDATE {FINDINGS} SET waiver = 'D. Whitfield|2099-12-31|x' WHERE run_position = 5 AND idx = 0",
            5,
        ),
        (f"DELETE FROM {FINDINGS} WHERE run_position = 1 AND idx = 0", 1),
    ],
    ids=["finding-message", "manifest-outcomes", "exit-code", "waiver-added", "finding-deleted"],
)
def test_an_edited_run_is_named_by_position_and_run_id(
    history: History, statement: str, position: int
) -> None:
    history.sql(statement, lift=True)
    verification = history.verify()
    assert verification.runs == 5
    [problem] = verification.problems
    assert f"#{position} (run-{position:04d})" in problem
    assert "content differs" in problem


def test_an_edit_with_its_hash_recomputed_breaks_the_link_to_the_next_run(history: History) -> None:
    edited = dataclasses.replace(
        history.stored[2].record,
        findings=tuple(
            dataclasses.replace(f, message="the threshold is met") if i == 0 else f
            for i, f in enumerate(history.stored[2].record.findings)
        ),
    )
    history.sql(
        f"UPDATE {FINDINGS} SET message = 'the threshold is met' WHERE run_position = 3 AND idx = 0",
        f"UPDATE {RUNS} SET hash = :digest WHERE position = 3",
        lift=True,
        digest=chain_hash(history.stored[2].previous, edited),
    )
    [problem] = history.verify().problems
    assert "#4 (run-0004)" in problem and "does not follow" in problem


def test_a_deleted_middle_run_is_named_by_the_run_after_the_gap(history: History) -> None:
    history.sql(
        f"DELETE FROM {FINDINGS} WHERE run_position = 3",
        f"DELETE FROM {MANIFESTS} WHERE run_position = 3",
        f"DELETE FROM {RUNS} WHERE position = 3",
        lift=True,
    )
    verification = history.verify()
    assert verification.runs == 4
    assert verification.problems
    assert all("#4 (run-0004)" in p for p in verification.problems)
    assert any("missing" in p and "#3" in p for p in verification.problems)


def test_a_deleted_last_run_shows_only_in_the_head(history: History) -> None:
    history.sql(
        f"DELETE FROM {FINDINGS} WHERE run_position = 5",
        f"DELETE FROM {MANIFESTS} WHERE run_position = 5",
        f"DELETE FROM {RUNS} WHERE position = 5",
        lift=True,
    )
    verification = history.verify()
    assert verification.problems == ()
    assert verification.head != history.stored[-1].hash
    assert verification.head == history.stored[-2].hash


def _forge(history: History, position: int, run_id: str, previous: str, digest: str) -> None:
    """A run row copied from run #5 under a new position and run id, inserted with plain SQL
    (the triggers allow INSERT: recording is inserting)."""
    columns = [c.name for c in schema.runs.columns]
    chosen = {"position": ":position", "run_id": ":run_id", "previous": ":previous", "hash": ":digest"}
    values = ", ".join(chosen.get(c, c) for c in columns)
    history.sql(
        f"INSERT INTO {RUNS} ({', '.join(columns)}) SELECT {values} FROM {RUNS} WHERE position = 5",
        position=position,
        run_id=run_id,
        previous=previous,
        digest=digest,
    )


def test_a_forged_run_is_named_by_position_and_run_id(history: History) -> None:
    _forge(history, 6, "forged-0006", history.stored[-1].hash, "f" * 64)
    verification = history.verify()
    assert verification.runs == 6
    [problem] = verification.problems
    assert "#6 (forged-0006)" in problem and "content differs" in problem


def test_a_forged_run_copying_another_runs_hash_is_named(history: History) -> None:
    # Run #5's previous and hash as they are: the forged run neither follows #5 nor matches them.
    _forge(history, 6, "forged-0006", history.stored[-1].previous, history.stored[-1].hash)
    problems = history.verify().problems
    assert problems and all("#6 (forged-0006)" in p for p in problems)
    assert any("does not follow" in p for p in problems)


def test_a_forged_run_between_two_runs_is_named(history: History) -> None:
    # Room for it where run #3 was: the gap is filled, the hashes are not.
    history.sql(
        f"DELETE FROM {FINDINGS} WHERE run_position = 3",
        f"DELETE FROM {MANIFESTS} WHERE run_position = 3",
        f"DELETE FROM {RUNS} WHERE position = 3",
        lift=True,
    )
    _forge(history, 3, "forged-0003", history.stored[1].hash, "f" * 64)
    problems = history.verify().problems
    assert any("#3 (forged-0003)" in p and "content differs" in p for p in problems)
    assert any("#4 (run-0004)" in p and "does not follow" in p for p in problems)


def test_a_forged_run_with_a_correct_hash_verifies_but_moves_the_head(history: History) -> None:
    # The forger computes the hash as govcheck does; only a head kept elsewhere shows it.
    forged = dataclasses.replace(history.stored[-1].record, run_id="forged-0006", manifests=(), findings=())
    _forge(history, 6, "forged-0006", history.stored[-1].hash, chain_hash(history.stored[-1].hash, forged))
    verification = history.verify()
    assert verification.problems == ()
    assert verification.runs == 6
    assert verification.head != history.stored[-1].hash
