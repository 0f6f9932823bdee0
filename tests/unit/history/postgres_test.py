"""The history store on a real PostgreSQL server (tests/postgres.py) and on SQLite: the same tests
on both databases (``history_url``); and the test server itself."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from govcheck.history.record import GENESIS, chain_hash
from govcheck.history.store import HistoryError, connect
from tests import postgres
from tests.unit.history.decisions import decision


def test_the_server_is_a_real_postgresql_on_a_unix_socket_only(postgres_cluster: postgres.Cluster) -> None:
    with postgres_cluster.connect() as conn:
        version = conn.execute("SELECT current_setting('server_version_num')::int").fetchone()
        listen = conn.execute("SELECT current_setting('listen_addresses')").fetchone()
        sockets = conn.execute("SELECT current_setting('unix_socket_directories')").fetchone()
    assert version is not None and version[0] >= 120000
    assert listen == ("",)
    assert sockets == (str(postgres_cluster.base),)
    assert len(os.fsencode(postgres_cluster.base / f".s.PGSQL.{postgres_cluster.port}")) <= 107


def test_each_test_gets_its_own_empty_database(postgres_cluster: postgres.Cluster, postgres_url: str) -> None:
    sqlalchemy = pytest.importorskip("sqlalchemy")
    url = sqlalchemy.make_url(postgres_url)
    assert url.drivername == "postgresql"
    assert url.query["host"] == str(postgres_cluster.base)
    # The URL as given, with the psycopg driver named, is what SQLAlchemy connects with.
    engine = sqlalchemy.create_engine(url.set(drivername="postgresql+psycopg"))
    try:
        with engine.begin() as conn:
            assert conn.execute(sqlalchemy.text("SELECT current_database()")).scalar() == url.database
            tables = conn.execute(
                sqlalchemy.text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            ).scalar()
            assert tables == 0
            conn.execute(sqlalchemy.text("CREATE TABLE leftover (id integer)"))
    finally:
        engine.dispose()


def test_another_test_does_not_see_the_last_ones_tables(postgres_url: str) -> None:
    # Runs after the test above (same module, file order): its table is in a database dropped since.
    sqlalchemy = pytest.importorskip("sqlalchemy")
    engine = sqlalchemy.create_engine(sqlalchemy.make_url(postgres_url).set(drivername="postgresql+psycopg"))
    try:
        with engine.connect() as conn:
            assert conn.execute(sqlalchemy.text("SELECT to_regclass('leftover')")).scalar() is None
    finally:
        engine.dispose()


def test_a_cluster_stops_and_leaves_nothing_behind(postgres_cluster: postgres.Cluster) -> None:
    # A second server of its own, so that stopping it does not stop the session's.
    cluster = postgres.start(postgres_cluster.bindir)
    base = cluster.base
    try:
        with cluster.connect() as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
            assert postgres.server_processes(cluster)
    finally:
        cluster.stop()
    assert not base.exists()
    assert postgres.server_processes(cluster) == []


def test_without_server_binaries_the_reason_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(postgres, "find_bindir", lambda: None)
    with pytest.raises(postgres.Unavailable, match=r"not installed.*\.ci/run installs Debian's postgresql"):
        postgres.start()


def test_a_run_reads_back_as_it_was_recorded(history_url: str) -> None:
    recorded = decision("run-0001")
    with connect(history_url) as store:
        stored = store.append(recorded)
        assert (stored.position, stored.previous) == (1, GENESIS)
        assert stored.hash == chain_hash(GENESIS, recorded)
        [back] = store.runs(findings=True)
    assert back == stored
    assert back.record == recorded


def test_runs_chain_in_the_order_they_were_recorded(history_url: str) -> None:
    records = [decision(f"run-{n:04d}", today=f"2026-11-{n:02d}", exit_code=n % 2) for n in range(1, 6)]
    with connect(history_url) as store:
        stored = [store.append(r) for r in records]
    with connect(history_url) as store:  # another connection, as the next CI job would open
        runs = store.runs()
        verification = store.verify()
    assert [r.position for r in runs] == [1, 2, 3, 4, 5]
    assert [r.record.run_id for r in runs] == [r.run_id for r in records]
    assert [r.previous for r in runs] == [GENESIS] + [s.hash for s in stored[:-1]]
    # Findings only when asked for: the records read back otherwise equal without them.
    assert [r.record for r in runs] == [dataclasses.replace(r, findings=()) for r in records]
    assert verification.runs == 5 and verification.problems == ()
    assert verification.head == stored[-1].hash


def test_one_run_by_id_prefix_position_or_latest(history_url: str) -> None:
    with connect(history_url) as store:
        for n in range(1, 4):
            store.append(decision(f"run-{n:04d}-{'abc'[n - 1]}"))
        assert store.run("#2").record.run_id == "run-0002-b"
        assert store.run("run-0003").position == 3
        assert store.run("latest").position == 3
        assert store.run("latest~2").position == 1
        assert store.run("#1").record.findings == decision("run-0001-a").findings
        with pytest.raises(HistoryError, match="more than one run"):
            store.run("run-000")
        with pytest.raises(HistoryError, match="no run"):
            store.run("#4")


def test_runs_of_one_pilot_keep_only_its_manifests_and_findings(history_url: str) -> None:
    with connect(history_url) as store:
        store.append(decision("run-0001"))
        [run] = store.runs(pilot="sepsis-alert", findings=True)
    assert [m.pilot for m in run.record.manifests] == ["sepsis-alert"]
    assert run.record.findings == ()


def test_a_run_id_is_recorded_once(history_url: str) -> None:
    with connect(history_url) as store:
        store.append(decision("run-0001"))
        with pytest.raises(HistoryError, match="cannot write the run to"):
            store.append(decision("run-0001"))
        assert [r.position for r in store.runs()] == [1]
        assert store.verify().problems == ()
