"""The history database's tables and the steps that bring a database up to them.

``VERSION`` is the schema this govcheck writes. ``migrate`` creates the version table, then
applies each missing step in order, all inside the caller's transaction and under a lock, so a
database is never half-migrated and two jobs never migrate it at once. A step, once released,
never changes: a later schema is a new step (``ALTER TABLE ... ADD COLUMN``), and the tables
below then describe the newest schema.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Boolean, Column, Integer, MetaData, String, Table, Text, text
from sqlalchemy import and_ as and_
from sqlalchemy import func as func
from sqlalchemy import literal as literal
from sqlalchemy import or_ as or_
from sqlalchemy import select as select  # the store builds its queries from this module alone

from govcheck.errors import HistoryError

VERSION = 1
LOCK_KEY = 0x67C0_0001  # PostgreSQL advisory lock for migrations: any constant govcheck alone uses
APPEND_ONLY = "govcheck history is append-only: recorded runs are never updated or deleted"

metadata = MetaData()

versions = Table("govcheck_schema", metadata, Column("version", Integer, nullable=False))

runs = Table(
    "govcheck_runs",
    metadata,
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("run_id", String(64), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("started", String(32), nullable=False),
    Column("finished", String(32), nullable=False),
    Column("govcheck_version", String(64), nullable=False),
    Column("plugins", Text, nullable=False),
    Column("commit_id", String(64), nullable=False),
    Column("dirty", Boolean, nullable=True),
    Column("packs", Text, nullable=False),
    Column("config", Text, nullable=True),
    Column("waivers", Text, nullable=True),
    Column("today", String(10), nullable=False, index=True),
    Column("stage", String(64), nullable=False),
    Column("fail_on", String(16), nullable=False),
    Column("exit_code", Integer, nullable=False),
    Column("rules", Text, nullable=False),
    Column("previous", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)


def _child(name: str, *columns: Column[Any]) -> Table:
    return Table(
        name,
        metadata,
        Column("run_position", Integer, sa.ForeignKey("govcheck_runs.position"), primary_key=True),
        Column("idx", Integer, primary_key=True, autoincrement=False),
        *columns,
        Column("pilot", Text, nullable=False, index=True),
        Column("file", Text, nullable=False),
        Column("document", Integer, nullable=False),
    )


manifests = _child(
    "govcheck_manifests",
    Column("sha256", String(64), nullable=False),
    Column("declared_tier", Text, nullable=False),
    Column("tier", Text, nullable=False),
    Column("stage", Text, nullable=False),
    Column("outcomes", Text, nullable=False),
    Column("blocking", Text, nullable=False),
    Column("verdict", Text, nullable=False),
    Column("readiness", Text, nullable=False),
)
findings = _child(
    "govcheck_findings",
    Column("fingerprint", String(64), nullable=False),
    Column("rule", Text, nullable=False),
    Column("severity", String(16), nullable=False),
    Column("line", Integer, nullable=False),
    Column("path", Text, nullable=False),
    Column("message", Text, nullable=False),
    Column("waiver", Text, nullable=False),
)
TABLES = (runs, manifests, findings)


def _append_only_sqlite(connection: Any) -> None:
    for table in TABLES:
        for event in ("UPDATE", "DELETE"):
            connection.exec_driver_sql(
                f"CREATE TRIGGER {table.name}_no_{event.lower()} BEFORE {event} ON {table.name} "
                f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
            )


def _append_only_postgresql(connection: Any) -> None:
    connection.exec_driver_sql(
        "CREATE OR REPLACE FUNCTION govcheck_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN RAISE EXCEPTION '{APPEND_ONLY}'; END $$"
    )
    for table in TABLES:
        connection.exec_driver_sql(
            f"CREATE TRIGGER {table.name}_append_only BEFORE UPDATE OR DELETE ON {table.name} "
            "FOR EACH ROW EXECUTE FUNCTION govcheck_append_only()"
        )
        connection.exec_driver_sql(
            f"CREATE TRIGGER {table.name}_no_truncate BEFORE TRUNCATE ON {table.name} "
            "FOR EACH STATEMENT EXECUTE FUNCTION govcheck_append_only()"
        )


def _step_1(connection: Any, dialect: str) -> None:
    """The runs, their manifests and findings, and the triggers that keep them append-only."""
    metadata.create_all(connection, tables=list(TABLES))
    (_append_only_postgresql if dialect == "postgresql" else _append_only_sqlite)(connection)


STEPS: dict[int, Callable[[Any, str], None]] = {1: _step_1}


def version(connection: Any) -> int | None:
    """The database's schema version; None when it holds no govcheck history."""
    if not sa.inspect(connection).has_table(versions.name):
        return None
    found = connection.execute(select(sa.func.max(versions.c.version))).scalar()
    if found is None:
        return None
    try:
        return int(found)
    except (TypeError, ValueError):  # edited by hand: a text or a BLOB
        raise HistoryError(
            f"the history database's schema version is not a number ({found!r}); it was edited by hand"
        ) from None


def migrate(connection: Any, dialect: str) -> None:
    """Bring the database to ``VERSION`` inside the caller's transaction; refuse a newer one."""
    if dialect == "postgresql":  # SQLite's BEGIN IMMEDIATE already holds the database
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    versions.create(connection, checkfirst=True)
    current = version(connection) or 0
    if current > VERSION:
        raise HistoryError(
            f"the history database was written by a newer govcheck (schema {current}); upgrade govcheck"
        )
    for step in range(current + 1, VERSION + 1):
        STEPS[step](connection, dialect)
        connection.execute(versions.insert(), [{"version": step}])  # one row per step applied


def lock_for_append(connection: Any, dialect: str) -> None:
    """Writers queue here, so the last run they read is still the last when they insert."""
    if dialect == "postgresql":
        connection.exec_driver_sql(f"LOCK TABLE {runs.name} IN SHARE ROW EXCLUSIVE MODE")
