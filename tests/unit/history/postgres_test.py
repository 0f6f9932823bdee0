"""The history store on a real PostgreSQL server (tests/postgres.py), and the server itself."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests import postgres


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
