"""Decision records in SQLite or PostgreSQL, append-only and chained by hash.

SQLAlchemy Core, not the ORM: the records are a few wide inserts and a few scans, and Core
speaks both databases with one set of statements. Migrations are steps in ``schema`` under a
schema-version table rather than Alembic: the tables only ever grow, the steps ship inside the
package (Alembic wants a script directory and an environment module at run time), and each step
runs in the same locked transaction that checks the version, so two CI jobs meeting a new
database cannot both create it.

Every run is written in one transaction: its row, its manifests and its findings, or nothing.
Its ``position`` is the last one plus one and its ``previous`` the last run's hash, both read
under a lock that writers take first (a table lock in PostgreSQL, ``BEGIN IMMEDIATE`` in
SQLite), so concurrent jobs queue instead of forking the chain. govcheck never updates or
deletes a row, and triggers refuse anyone else's UPDATE or DELETE; someone who can drop them
can still edit, which ``verify`` then shows: it recomputes every run's hash from the rows.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govcheck.errors import HistoryError as HistoryError  # raised by every method; exit 2
from govcheck.history.record import (
    GENESIS,
    FileDigest,
    FindingEntry,
    ManifestEntry,
    PackEntry,
    Record,
    chain_hash,
)

DEFAULT_URL = "sqlite:///.govcheck/history.db"
_WRITE = "govcheck_write"  # execution option: this connection's transaction appends a run
_REF = re.compile(r"^(?:#(?P<position>[0-9]+)|latest(?:~(?P<back>[0-9]+))?|(?P<id>[0-9A-Za-z_.-]{4,64}))$")


@dataclass(frozen=True)
class StoredRun:
    position: int  # 1, 2, 3, ... in the order runs were recorded in this database
    hash: str
    previous: str
    record: Record


@dataclass(frozen=True)
class Verification:
    runs: int
    head: str  # the last run's hash: kept elsewhere, it also shows a deleted last run
    problems: tuple[str, ...]  # each names the position and run id and what is wrong

    @property
    def intact(self) -> bool:
        return not self.problems


def connect(url: str, *, create: bool = True) -> Store:
    """``sqlite:///relative.db``, ``sqlite:////absolute.db`` or ``postgresql://...``.

    ``create=False`` (reading history) refuses a SQLite file that does not exist instead of
    leaving an empty database behind. ``create=True`` (recording) refuses a SQLite database
    that would keep nothing (in memory) and a file reached through a symbolic link below the
    working directory (``_refuse_links``).
    """
    try:
        import sqlalchemy as sa
        from sqlalchemy.engine import make_url
    except ImportError:
        raise HistoryError(
            "recording and reading history need SQLAlchemy: pip install 'govcheck[history]'"
        ) from None
    try:
        parsed = make_url(url)
    except (sa.exc.ArgumentError, ValueError):
        raise HistoryError(
            f"{redacted(url)!r} is not a database URL; use sqlite:///FILE.db or postgresql://USER@HOST/DB"
        ) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _open_sqlite(sa, parsed, create)
    if backend in ("postgresql", "postgres"):
        return _open_postgres(sa, parsed)
    raise HistoryError(f"cannot record to a {backend} database; use sqlite:///FILE.db or postgresql://...")


_SECRET_PARAMETERS = ("password", "sslpassword")  # libpq takes a password in the query string too
_HIDDEN = "***"


def shown(parsed: Any) -> str:
    """A parsed URL as messages show it: its password hidden, in the user part and in the query."""
    secret = {k: _HIDDEN for k in parsed.query if k.lower() in _SECRET_PARAMETERS}
    text: str = parsed.update_query_dict(secret).render_as_string(hide_password=True)
    return text.replace("%2A%2A%2A", _HIDDEN)


def redacted(url: str) -> str:
    """A URL that could not be parsed, as a message may show it: a password between the user
    and ``@`` hidden, and every query parameter's value (one of them may be a password)."""
    head, slashes, rest = url.partition("//")
    if slashes:
        netloc, _, _ = rest.partition("/")
        userinfo, at, _ = netloc.rpartition("@")
        if at and ":" in userinfo:
            user = userinfo.partition(":")[0]
            url = f"{head}//{user}:{_HIDDEN}@{rest[len(userinfo) + 1 :]}"
    base, question, query = url.partition("?")
    if not question:
        return url
    hidden = "&".join(f"{p.partition('=')[0]}={_HIDDEN}" if "=" in p else p for p in query.split("&"))
    return f"{base}?{hidden}"


def _open_sqlite(sa: Any, parsed: Any, create: bool) -> Store:
    database = parsed.database or ""
    if create:
        _refuse_memory(database, parsed)
        _refuse_links(database)
    if database and database != ":memory:":
        file = Path(database)
        if not file.exists():
            if not create:
                raise HistoryError(f"no history database at {database}; record runs with --record first")
            try:
                file.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise HistoryError(f"cannot create {file.parent}: {exc.strerror or exc}") from None
        elif not file.is_file():
            raise HistoryError(f"{database} is not a database file")
    engine = sa.create_engine(
        parsed.set(drivername="sqlite+pysqlite"), connect_args={"timeout": 60}, poolclass=sa.pool.NullPool
    )

    def _no_driver_transactions(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # the BEGIN below is the only one
        dbapi_connection.execute("PRAGMA foreign_keys = ON")

    def _begin(connection: Any) -> None:
        # A writer takes the write lock before it reads the last run: a second writer waits
        # here, not after reading the same head. Readers neither wait nor make writers wait.
        writing = connection.get_execution_options().get(_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    sa.event.listen(engine, "connect", _no_driver_transactions)
    sa.event.listen(engine, "begin", _begin)
    return Store(engine, shown(parsed), "sqlite")


def _refuse_memory(database: str, parsed: Any) -> None:
    """A run recorded in memory is gone when the process ends, while its reports name it: an
    empty or ``:memory:`` database, and URI filenames (``uri=true``, which is how
    ``file::memory:`` and ``mode=memory`` are asked for) are not taken for recording."""
    if not database or database == ":memory:" or "uri" in parsed.query:
        raise HistoryError(
            f"cannot record to {shown(parsed)}: a database in memory"
            " or named by a URI filename (uri=true) may keep nothing once the run ends; record to"
            " a file, sqlite:///FILE.db"
        )


def _refuse_links(database: str) -> None:
    """Refuse a database file reached through a symbolic link below the working directory.

    A checked repository can commit a link where the CI job records (``.govcheck`` or
    ``.govcheck/history.db`` pointing anywhere the job may write), as it can where a report
    goes; so the file and every directory on the way to it below the working directory must be
    no link. Above the working directory the machine's own links are left alone. A
    configuration's ``record:`` arrives with its links already followed (``config._record``).
    """
    cwd = os.getcwd()
    absolute = os.path.join(cwd, database)
    head = cwd.rstrip(os.sep) + os.sep
    if not absolute.startswith(head):
        return
    walked = Path(cwd)
    for part in Path(absolute[len(head) :]).parts:  # as written: "link/../x" goes through link
        walked /= part
        if part != os.pardir and walked.is_symlink():
            raise HistoryError(
                f"cannot record to {database}: {walked.relative_to(cwd).as_posix()} is a symbolic link"
                f" (to {os.readlink(walked)}), and a history database below the working directory is"
                " never written through one; remove the link or record elsewhere"
            )


def _open_postgres(sa: Any, parsed: Any) -> Store:
    try:
        import psycopg  # noqa: F401  (only to say which extra is missing)
    except ImportError:
        raise HistoryError(
            "recording to PostgreSQL needs psycopg: pip install 'govcheck[postgres]'"
        ) from None
    engine = sa.create_engine(
        parsed.set(drivername="postgresql+psycopg"),
        connect_args={"connect_timeout": 15, "options": "-c lock_timeout=120000"},
        poolclass=sa.pool.NullPool,
    )
    return Store(engine, shown(parsed), "postgresql")


class Store:
    """An open history database. Every method raises ``HistoryError``, never a driver error."""

    def __init__(self, engine: Any, shown: str, dialect: str) -> None:
        from govcheck.history import schema  # with the engine: sqlalchemy is importable

        self._engine, self.shown, self._dialect, self._schema = engine, shown, dialect, schema
        self._ready = False

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _errors(self, doing: str) -> Any:
        return _Translate(self.shown, doing)

    def _migrate(self, connection: Any) -> None:
        if not self._ready:
            self._schema.migrate(connection, self._dialect)
            self._ready = True

    def append(self, record: Record) -> StoredRun:
        """Record a run whole in one transaction, chained to the last one; HistoryError on failure."""
        t = self._schema
        with (
            self._errors("write the run to"),
            self._engine.connect().execution_options(**{_WRITE: True}) as connection,
            connection.begin(),
        ):
            self._migrate(connection)
            t.lock_for_append(connection, self._dialect)
            head = connection.execute(
                t.select(t.runs.c.position, t.runs.c.hash).order_by(t.runs.c.position.desc()).limit(1)
            ).first()
            position, previous = (head.position + 1, head.hash) if head else (1, GENESIS)
            digest = chain_hash(previous, record)
            connection.execute(t.runs.insert(), [_run_row(record, position, previous, digest)])
            if record.manifests:
                connection.execute(t.manifests.insert(), list(_manifest_rows(record, position)))
            if record.findings:
                connection.execute(t.findings.insert(), list(_finding_rows(record, position)))
            self._kept(connection, record, position, digest)
        return StoredRun(position, digest, previous, record)

    def _kept(self, connection: Any, record: Record, position: int, digest: str) -> None:
        """Whether the database kept the run as written, before the transaction commits.

        A trigger or rule someone added (``RAISE(IGNORE)`` in SQLite, a ``BEFORE INSERT`` trigger
        returning NULL in PostgreSQL) can drop rows without an error: the run's reports would
        name a record that is not there, and ``verify`` would find the chain intact without it.
        """
        t = self._schema
        kept = connection.execute(t.select(t.runs.c.hash).where(t.runs.c.position == position)).scalar()
        counts = [
            connection.execute(
                t.select(t.func.count()).select_from(table).where(table.c.run_position == position)
            ).scalar()
            for table in (t.manifests, t.findings)
        ]
        if kept != digest or counts != [len(record.manifests), len(record.findings)]:
            raise HistoryError(
                f"cannot write the run to {self.shown}: the database did not keep it as written"
                f" (run #{position}: {'its row' if kept != digest else 'its manifests or findings'}"
                " went missing or changed; a trigger or rule added to the database?)"
            )

    def runs(
        self, *, pilot: str | None = None, findings: bool = False, outcomes: bool = True
    ) -> list[StoredRun]:
        """Every run in position order; manifests only of ``pilot`` when given; findings only when
        asked. ``outcomes=False`` leaves each manifest's ``outcomes`` and ``sha256`` empty: a
        trend needs neither, and they are most of what a long history reads."""
        with self._errors("read"), self._engine.connect() as connection:
            return list(self._read(connection, None, pilot, findings, outcomes))

    def run(self, ref: str) -> StoredRun:
        """One run with its findings: by run id (or a unique prefix of it), position (``#12``),
        ``latest`` or ``latest~N``."""
        t = self._schema
        match = _REF.match(ref.strip())
        if match is None:
            raise HistoryError(f"{ref!r} names no run: give a run id, #POSITION, latest or latest~N")
        with self._errors("read"), self._engine.connect() as connection:
            query = t.select(t.runs.c.position)
            if match["position"] is not None:
                query = query.where(t.runs.c.position == int(match["position"]))
            elif match["id"] is not None:
                query = query.where(t.runs.c.run_id.startswith(match["id"], autoescape=True))
            else:
                query = query.order_by(t.runs.c.position.desc()).offset(int(match["back"] or 0))
            found = connection.execute(query.limit(2)).scalars().all()
            if not found or (match["id"] is not None and len(found) > 1):
                what = "more than one run" if found else "no run"
                raise HistoryError(f"{ref!r} names {what} in {self.shown}")
            return next(self._read(connection, found[0], None, True, True))

    def _read(
        self, connection: Any, position: int | None, pilot: str | None, findings: bool, outcomes: bool
    ) -> Iterator[StoredRun]:
        decoded = _Decoded()
        for row, manifests, found in self._rows(connection, position, pilot, findings, outcomes):
            try:
                _no_bytes(row, manifests, found)
                record = _record(row, manifests, found, decoded)
            except _UNREADABLE as exc:  # a row edited by hand: verify names it, reading stops
                raise HistoryError(f"run #{row.position} in {self.shown} cannot be read: {exc}") from None
            yield StoredRun(row.position, row.hash, row.previous, record)

    def _rows(
        self, connection: Any, position: int | None, pilot: str | None, findings: bool, outcomes: bool = True
    ) -> Iterator[tuple[Any, list[Any], list[Any]]]:
        """Each run's row with its manifest and finding rows, undecoded, in position order."""
        t = self._schema
        self._check_version(connection)
        runs = t.select(t.runs).order_by(t.runs.c.position)
        manifests = t.select(
            *(
                t.manifests.c[name] if outcomes or name not in _OUTCOMES else t.literal("").label(name)
                for name in _MANIFEST_COLUMNS
            )
        )
        manifests = manifests.order_by(t.manifests.c.run_position, t.manifests.c.idx)
        found = t.select(*(t.findings.c[name] for name in _FINDING_COLUMNS))
        found = found.order_by(t.findings.c.run_position, t.findings.c.idx)
        if position is not None:
            runs = runs.where(t.runs.c.position == position)
            manifests = manifests.where(t.manifests.c.run_position == position)
            found = found.where(t.findings.c.run_position == position)
        if pilot is not None:
            manifests = manifests.where(_pilot_is(t, t.manifests, pilot))
            found = found.where(_pilot_is(t, t.findings, pilot))
        if not findings:
            # Plain tuples fetched in bulk: at 100 runs x 1,000 pilots, named row access and one
            # fetch per row were most of the read.
            by_run = _grouped(connection.execute(manifests).all())
            for row in connection.execute(runs).all():
                yield row, by_run.get(row.position, []), []
            return
        # With findings, one run at a time: a portfolio run of 1,000 pilots can hold 100,000
        # findings, and a whole history of them held at once took gigabytes.
        for row in connection.execute(runs).all():
            at = row.position
            yield (
                row,
                [r[1:] for r in connection.execute(manifests.where(t.manifests.c.run_position == at))],
                [r[1:] for r in connection.execute(found.where(t.findings.c.run_position == at))],
            )

    def has(self, digest: str) -> bool:
        """Whether a run with this hash is recorded: a head kept elsewhere is still in the chain."""
        t = self._schema
        with self._errors("read"), self._engine.connect() as connection:
            self._check_version(connection)
            query = t.select(t.runs.c.position).where(t.runs.c.hash == digest.strip().lower()).limit(1)
            return connection.execute(query).first() is not None

    def _check_version(self, connection: Any) -> None:
        version = self._schema.version(connection)
        if version is None:
            raise HistoryError(f"{self.shown} holds no govcheck history")
        if version > self._schema.VERSION:
            raise HistoryError(
                f"{self.shown} was written by a newer govcheck (history schema {version}); upgrade govcheck"
            )

    def verify(self) -> Verification:
        """Recompute the chain: each run's hash from its rows, each link to the run before it."""
        problems: list[str] = []
        expected_previous, expected_position, count = GENESIS, 1, 0
        decoded = _Decoded()
        with self._errors("verify"), self._engine.connect() as connection:
            for row, manifests, found in self._rows(connection, None, None, True):
                count += 1
                name = f"run #{row.position} ({row.run_id})"
                if row.position != expected_position:
                    problems.append(
                        f"{name}: {row.position - expected_position} run(s) before it are missing"
                        f" (expected #{expected_position})"
                    )
                if row.previous != expected_previous:
                    problems.append(f"{name}: does not follow the run before it (its previous hash differs)")
                try:
                    intact = chain_hash(row.previous, _record(row, manifests, found, decoded)) == row.hash
                except _UNREADABLE as exc:
                    problems.append(f"{name}: its rows cannot be read ({exc})")
                else:
                    if not intact:
                        problems.append(f"{name}: its content differs from what was recorded (hash mismatch)")
                expected_previous, expected_position = row.hash, row.position + 1
            problems += self._orphans(connection)
        return Verification(count, expected_previous, tuple(problems))

    def _orphans(self, connection: Any) -> list[str]:
        """Manifest and finding rows of no recorded run: inserted behind govcheck's back (SQLite
        checks the foreign key only when asked to), they are in no run's hash, and a later run
        recorded at that position would take them in."""
        t = self._schema
        found = []
        for table, what in ((t.manifests, "manifest"), (t.findings, "finding")):
            query = (
                t.select(table.c.run_position)
                .where(table.c.run_position.not_in(t.select(t.runs.c.position)))
                .distinct()
                .order_by(table.c.run_position)
            )
            positions = connection.execute(query).scalars().all()
            if positions:
                shown = ", ".join(f"#{p}" for p in positions[:10]) + (" ..." if len(positions) > 10 else "")
                found.append(
                    f"{what} rows of no recorded run (run positions {shown}): added behind govcheck's back"
                )
        return found


class _Translate:
    """Driver and SQL errors as one ``HistoryError`` naming the database (password hidden)."""

    def __init__(self, shown: str, doing: str) -> None:
        self.shown, self.doing = shown, doing

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, _tb: object) -> None:
        import sqlalchemy as sa

        if exc is None or not isinstance(exc, (sa.exc.SQLAlchemyError, OSError)):
            return
        cause = getattr(exc, "orig", None) or exc
        detail = " ".join(str(cause).split())[:300]
        raise HistoryError(f"cannot {self.doing} {self.shown}: {detail}") from None


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _run_row(r: Record, position: int, previous: str, digest: str) -> dict[str, Any]:
    return {
        "position": position,
        "run_id": r.run_id,
        "kind": r.kind,
        "started": r.started,
        "finished": r.finished,
        "govcheck_version": r.govcheck_version,
        "plugins": _dumps([list(p) for p in r.plugins]),
        "commit_id": r.commit,
        "dirty": r.dirty,
        "packs": _dumps([vars(p) for p in r.packs]),
        "config": _dumps(vars(r.config)) if r.config else None,
        "waivers": _dumps(vars(r.waivers)) if r.waivers else None,
        "today": r.today,
        "stage": r.stage,
        "fail_on": r.fail_on,
        "exit_code": r.exit_code,
        "rules": _dumps(list(r.rules)),
        "previous": previous,
        "hash": digest,
    }


def _manifest_rows(r: Record, position: int) -> Iterator[dict[str, Any]]:
    for idx, m in enumerate(r.manifests):
        yield {
            "run_position": position,
            "idx": idx,
            "file": m.file,
            "document": m.document,
            "pilot": m.pilot,
            "sha256": m.sha256,
            "declared_tier": m.declared_tier,
            "tier": m.tier,
            "stage": m.stage,
            "outcomes": m.outcomes,
            "blocking": _dumps(list(m.blocking)),
            "verdict": m.verdict,
            "readiness": _dumps(dict(m.readiness)),
        }


def _finding_rows(r: Record, position: int) -> Iterator[dict[str, Any]]:
    for idx, f in enumerate(r.findings):
        yield {"run_position": position, "idx": idx, **vars(f)}


_UNREADABLE = (ValueError, TypeError, KeyError, AttributeError, RecursionError)


def _no_bytes(row: Any, manifests: Iterable[tuple[Any, ...]], findings: Iterable[tuple[Any, ...]]) -> None:
    """SQLite keeps whatever a cell is given: a BLOB where text or a number was written would
    reach the reports as bytes. ``verify`` needs no such check: bytes do not serialize."""
    for values in (row, *manifests, *findings):
        if bytes in map(type, values):
            raise TypeError("a cell holds bytes (a BLOB) where text or a number was recorded")


# Column orders of the tuples read back; run_position first, for grouping.
_MANIFEST_COLUMNS = (
    "run_position",
    "file",
    "document",
    "pilot",
    "sha256",
    "declared_tier",
    "tier",
    "stage",
    "outcomes",
    "blocking",
    "verdict",
    "readiness",
)
_OUTCOMES = ("sha256", "outcomes")  # left out by runs(outcomes=False)
_FINDING_COLUMNS = (
    "run_position",
    "fingerprint",
    "rule",
    "severity",
    "pilot",
    "file",
    "document",
    "line",
    "path",
    "message",
    "waiver",
)


def _grouped(rows: Iterable[tuple[Any, ...]]) -> dict[int, list[tuple[Any, ...]]]:
    out: dict[int, list[tuple[Any, ...]]] = {}
    for row in rows:
        out.setdefault(row[0], []).append(row[1:])
    return out


class _Decoded:
    """JSON cells decoded once per distinct text: blocking rules and readiness repeat across
    pilots and runs, so a long history decodes a few hundred strings, not 100,000. The values
    are shared between entries and never changed."""

    def __init__(self) -> None:
        self._rules: dict[str, tuple[str, ...]] = {}
        self._readiness: dict[str, dict[str, str]] = {}

    def rules(self, text: str) -> tuple[str, ...]:
        found = self._rules.get(text)
        if found is None:
            found = self._rules[text] = tuple(str(r) for r in json.loads(text))
        return found

    def readiness(self, text: str) -> dict[str, str]:
        found = self._readiness.get(text)
        if found is None:
            found = self._readiness[text] = {str(k): str(v) for k, v in json.loads(text).items()}
        return found


def _manifest(values: tuple[Any, ...], decoded: _Decoded) -> ManifestEntry:
    file, document, pilot, sha256, declared, tier, stage, outcomes, blocking, verdict, readiness = values
    return ManifestEntry(
        file,
        document,
        pilot,
        sha256,
        declared,
        tier,
        stage,
        outcomes,
        decoded.rules(blocking),
        verdict,
        decoded.readiness(readiness),
    )


def _record(
    row: Any, manifests: Iterable[tuple[Any, ...]], findings: Iterable[tuple[Any, ...]], decoded: _Decoded
) -> Record:
    config, waivers = (json.loads(v) if v else None for v in (row.config, row.waivers))
    return Record(
        run_id=row.run_id,
        kind=row.kind,
        started=row.started,
        finished=row.finished,
        govcheck_version=row.govcheck_version,
        plugins=tuple((str(a), str(b)) for a, b in json.loads(row.plugins)),
        commit=row.commit_id,
        dirty=None if row.dirty is None else bool(row.dirty),
        packs=tuple(PackEntry(**p) for p in json.loads(row.packs)),
        config=FileDigest(**config) if config else None,
        waivers=FileDigest(**waivers) if waivers else None,
        today=row.today,
        stage=row.stage,
        fail_on=row.fail_on,
        exit_code=row.exit_code,
        rules=tuple(json.loads(row.rules)),
        manifests=tuple(_manifest(m, decoded) for m in manifests),
        findings=tuple(FindingEntry(*f) for f in findings),
    )


def _pilot_is(t: Any, table: Any, pilot: str) -> Any:
    """Rows of ``pilot`` as ``query.pilot_key`` names pilots: by id, else, for a manifest without
    one, by its file (``file#N`` past the file's first document)."""
    unnamed = table.c.pilot == ""
    by_file = t.and_(unnamed, table.c.file == pilot, table.c.document == 0)
    file, mark, number = pilot.rpartition("#")
    if mark and number.isdigit():
        by_file = t.or_(by_file, t.and_(unnamed, table.c.file == file, table.c.document == int(number)))
    return t.or_(table.c.pilot == pilot, by_file)
