"""The public API: every exported name resolves, and type checkers see real types, not Any."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import govcheck


def test_every_exported_name_resolves_lazily() -> None:
    assert set(govcheck.__all__) == {"PROJECT_URL", "__version__", "hookimpl", *govcheck._LAZY}
    for name in govcheck.__all__:
        assert getattr(govcheck, name) is not None


@pytest.mark.skipif(
    shutil.which("mypy") is None and not Path(sys.executable).with_name("mypy").exists(),
    reason="mypy is in the test extra",
)
def test_type_checkers_see_the_real_types(tmp_path: Path) -> None:
    user = tmp_path / "user.py"
    user.write_text("import govcheck\nreveal_type(govcheck.Finding)\nreveal_type(govcheck.run_check)\n")
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "--strict", str(user)],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    assert "def (rule: builtins.str" in out or "def (rule: str" in out, out
    assert "-> govcheck.model.RunResult" in out, out
    assert "Any" not in out.split("user.py:2")[1].splitlines()[0], out
