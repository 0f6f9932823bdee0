from __future__ import annotations

import socket
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _no_network_no_home(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never reach the network and never write to the real home directory."""
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("tests must not open network connections")

    monkeypatch.setattr(socket.socket, "connect", refuse)
