"""A throwaway PostgreSQL server for tests: its own cluster in a temporary directory.

``start()`` finds the server binaries (``initdb``, ``pg_ctl``) on PATH or in Debian's
``/usr/lib/postgresql/<version>/bin`` (newest version first), runs ``initdb`` with trust
authentication into a fresh directory under /tmp and starts the server listening on a unix
socket in that directory only (no TCP). As root the binaries run as the ``postgres`` system user,
since the server refuses to run as root. ``Cluster.stop()`` stops it (immediate mode: the data
are thrown away) and removes the directory.

The fixtures in tests/conftest.py wrap this: ``postgres_cluster`` (one per test session),
``postgres_url`` (a fresh empty database per test) and ``history_url`` (each test once on SQLite
and once on PostgreSQL).
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg

REQUIRE_ENV = "GOVCHECK_REQUIRE_POSTGRES"
MISSING = (
    "PostgreSQL server binaries (initdb, pg_ctl) are not installed (looked on PATH and in "
    "/usr/lib/postgresql/*/bin); .ci/run installs Debian's postgresql package"
)
SERVER_USER = "postgres"  # the system user the server runs as when the tests run as root
SUPERUSER = "postgres"  # the cluster's database superuser (initdb -U)
START_TIMEOUT = 60  # seconds for initdb, for pg_ctl -w start and for stop
# sun_path in struct sockaddr_un is 108 bytes on Linux, including the final NUL.
SOCKET_PATH_MAX = 107

# Settings for a test server: a socket in the cluster's directory and no TCP listener; no fsync,
# since the data are thrown away; enough connections for the concurrency tests.
_SETTINGS = {
    "listen_addresses": "''",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "100",
    "log_min_messages": "warning",
}


class Unavailable(Exception):
    """The binaries to run a server are not here: the PostgreSQL tests are skipped (or fail when
    GOVCHECK_REQUIRE_POSTGRES=1)."""


def required() -> bool:
    """Whether the PostgreSQL tests must run (CI) instead of being skipped."""
    return os.environ.get(REQUIRE_ENV, "") == "1"


def find_bindir() -> Path | None:
    """The directory holding both ``initdb`` and ``pg_ctl``: where PATH's ``initdb`` really is
    (Debian puts neither on PATH), then /usr/lib/postgresql/<version>/bin, newest first."""
    candidates: list[Path] = []
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
        candidates.append(Path(on_path).parent)
    versions = Path("/usr/lib/postgresql").glob("*/bin")
    candidates.extend(sorted(versions, key=_version_key, reverse=True))
    for bindir in candidates:
        if all(os.access(bindir / name, os.X_OK) for name in ("initdb", "pg_ctl", "postgres")):
            return bindir
    return None


def _version_key(bindir: Path) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", bindir.parent.name)) or (0,)


def _free_port() -> int:
    """A port number no TCP listener has. The server opens no TCP socket (the number only names
    its unix socket file, ``.s.PGSQL.<port>``, and keys its shared memory), but a free number
    keeps two test servers on one machine from sharing a key."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind(("127.0.0.1", 0))
            return int(probe.getsockname()[1])
    except OSError:
        return 20000 + os.getpid() % 40000


@dataclass
class Cluster:
    base: Path  # the temporary directory: the socket, data/ and server.log
    bindir: Path
    port: int
    run_as: pwd.struct_passwd | None  # the system user the binaries run as; None: this process's
    started: float = 0.0  # seconds the cluster took from initdb to accepting connections

    @property
    def data(self) -> Path:
        return self.base / "data"

    @property
    def log(self) -> Path:
        return self.base / "server.log"

    def url(self, database: str) -> str:
        """The database's URL for ``govcheck --record`` and ``govcheck.history.store.connect``."""
        return f"postgresql://{SUPERUSER}@/{database}?host={self.base}&port={self.port}"

    def connect(self, database: str = "postgres", **kwargs: Any) -> psycopg.Connection[Any]:
        """A plain psycopg connection as the superuser (autocommit unless told)."""
        import psycopg

        kwargs.setdefault("autocommit", True)
        return psycopg.connect(
            host=str(self.base), port=self.port, user=SUPERUSER, dbname=database, connect_timeout=10, **kwargs
        )

    def create_database(self, name: str) -> None:
        _check_identifier(name)
        with self.connect() as conn:
            # Copying the template's files beats WAL-logging it when nothing is fsynced (15+).
            strategy = " STRATEGY = FILE_COPY" if conn.info.server_version >= 150000 else ""
            conn.execute(f'CREATE DATABASE "{name}"{strategy}')

    def drop_database(self, name: str) -> None:
        """Drop it even when a test left connections open (FORCE ends them)."""
        _check_identifier(name)
        with self.connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def run(self, *args: str, timeout: float = START_TIMEOUT) -> subprocess.CompletedProcess[str]:
        """Run one of the server binaries (as the server user when root); raise with its output
        when it fails."""
        command = [str(self.bindir / args[0]), *args[1:]]
        options: dict[str, Any] = {}
        if self.run_as is not None:
            options = {"user": self.run_as.pw_uid, "group": self.run_as.pw_gid, "extra_groups": []}
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = "C"
        if self.run_as is not None:
            env["HOME"] = str(self.base)
        try:
            done = subprocess.run(
                command,
                cwd=self.base,
                env=env,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
                **options,
            )
        except subprocess.TimeoutExpired as e:
            raise RuntimeError(
                f"{' '.join(command)} did not finish within {timeout}s{self._log_tail()}"
            ) from e
        if done.returncode != 0:
            raise RuntimeError(
                f"{' '.join(command)} exited {done.returncode}:\n{done.stdout}{done.stderr}{self._log_tail()}"
            )
        return done

    def stop(self) -> None:
        """Stop the server at once and remove the directory; never raises, so a failing test
        still cleans up."""
        try:
            if (self.data / "postmaster.pid").exists():
                try:
                    self.run(
                        "pg_ctl",
                        "-D",
                        str(self.data),
                        "-m",
                        "immediate",
                        "-w",
                        "-t",
                        "30",
                        "stop",
                        timeout=40,
                    )
                except (RuntimeError, OSError):
                    self._kill()
        finally:
            shutil.rmtree(self.base, ignore_errors=True)

    def _kill(self) -> None:
        """The postmaster by the pid in its lock file: SIGQUIT (immediate shutdown), then SIGKILL;
        its backends exit when they see it gone."""
        try:
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return
        for sig in (signal.SIGQUIT, signal.SIGKILL):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                return
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    return
                time.sleep(0.05)

    def _log_tail(self) -> str:
        try:
            lines = self.log.read_text(errors="replace").splitlines()[-20:]
        except OSError:
            return ""
        return "\nserver log:\n" + "\n".join(lines) if lines else ""


def start(bindir: Path | None = None) -> Cluster:
    """A new cluster, started; ``Unavailable`` when there are no binaries to run one."""
    bindir = bindir or find_bindir()
    if bindir is None:
        raise Unavailable(MISSING)
    run_as = None
    if os.geteuid() == 0:
        try:
            run_as = pwd.getpwnam(SERVER_USER)
        except KeyError:
            raise Unavailable(
                f"the tests run as root, and the PostgreSQL server refuses to: it needs a "
                f"{SERVER_USER!r} system user to run as (Debian's postgresql package creates it)"
            ) from None
    began = time.monotonic()
    # Under /tmp, not pytest's deep temporary paths: the socket's path must fit in 107 bytes.
    base = Path(tempfile.mkdtemp(prefix="gcpg", dir="/tmp" if os.access("/tmp", os.W_OK) else None))
    cluster = Cluster(base=base, bindir=bindir, port=_free_port(), run_as=run_as)
    try:
        socket_path = base / f".s.PGSQL.{cluster.port}"
        if len(os.fsencode(socket_path)) > SOCKET_PATH_MAX:
            raise RuntimeError(f"the socket path {socket_path} is longer than {SOCKET_PATH_MAX} bytes")
        if run_as is not None:
            os.chown(base, run_as.pw_uid, run_as.pw_gid)
        cluster.run(
            "initdb",
            "-D",
            str(cluster.data),
            "-U",
            SUPERUSER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        settings = {**_SETTINGS, "unix_socket_directories": f"'{base}'", "port": str(cluster.port)}
        with (cluster.data / "postgresql.conf").open("a") as conf:
            conf.write("\n# govcheck tests\n")
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
        cluster.run(
            "pg_ctl", "-D", str(cluster.data), "-l", str(cluster.log), "-w", "-t", str(START_TIMEOUT), "start"
        )
    except BaseException:
        cluster.stop()
        raise
    cluster.started = time.monotonic() - began
    return cluster


def _check_identifier(name: str) -> None:
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise ValueError(f"not a plain database name: {name!r}")


def server_processes(cluster: Cluster) -> list[int]:
    """Pids of this cluster's server processes still alive: the postmaster and its backends all
    work in the data directory."""
    data = str(cluster.data)
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cwd = os.readlink(entry / "cwd").removesuffix(" (deleted)")
        except OSError:
            continue
        if cwd == data or cwd.startswith(data + "/"):
            pids.append(int(entry.name))
    return pids
