"""``govcheck lsp`` without its extra says how to install it; other commands never import pygls."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest


def test_without_pygls_the_command_says_how_to_install_it(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m.split(".")[0] == "pygls"]:
        monkeypatch.setitem(sys.modules, name, None)  # an import of it fails, as when it is not installed
    monkeypatch.delitem(sys.modules, "govcheck.lsp.server", raising=False)
    monkeypatch.setitem(sys.modules, "pygls", None)
    result = run("lsp")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "govcheck: the language server needs pygls, which is not installed: pip install 'govcheck[lsp]'\n"
    )


def test_checking_imports_neither_pygls_nor_the_server() -> None:
    code = (
        "import sys; from govcheck.cli import main;"
        "main(['check', '--today', '2026-11-25', 'examples/ready']);"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol')"
        " or m.startswith('govcheck.lsp')), file=sys.stderr)"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stderr == "[]\n"
