from __future__ import annotations

import importlib.util
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from govcheck.cli import cli
from tests import postgres

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-25"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="Rewrite golden files from current output.")


@pytest.fixture(autouse=True)
def _no_network_no_home(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never reach the network and never write to the real home directory."""
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.delenv("NO_COLOR", raising=False)

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("tests must not open network connections")

    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def run() -> Iterator[Any]:
    """Invoke the CLI through click's runner: ``run("check", "x.yaml")`` → Result."""
    runner = CliRunner()

    def invoke(*args: str, **kwargs: Any) -> Result:
        return runner.invoke(cli, list(args), catch_exceptions=False, **kwargs)

    yield invoke


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[postgres.Cluster]:
    """A PostgreSQL server of its own for the test session (tests/postgres.py), stopped and
    removed at the end even when tests fail. Skipped when the server binaries are not installed,
    or failed when GOVCHECK_REQUIRE_POSTGRES=1 (as .ci/run sets)."""
    if importlib.util.find_spec("psycopg") is None:
        message = "psycopg is not installed (the test extra installs it)"
        if postgres.required():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    try:
        cluster = postgres.start()
    except postgres.Unavailable as e:
        if postgres.required():
            pytest.fail(f"{e}; {postgres.REQUIRE_ENV}=1 says the PostgreSQL tests must run", pytrace=False)
        pytest.skip(str(e))
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def postgres_url(postgres_cluster: postgres.Cluster) -> Iterator[str]:
    """The URL of a fresh, empty database of its own on the session's server, dropped after."""
    name = f"test_{uuid.uuid4().hex[:16]}"
    postgres_cluster.create_database(name)
    yield postgres_cluster.url(name)
    postgres_cluster.drop_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def history_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A history database URL, empty: the test runs once on an SQLite file and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'history.db'}"
    return str(request.getfixturevalue("postgres_url"))
