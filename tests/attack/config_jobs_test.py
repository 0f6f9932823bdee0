"""``jobs`` from a configuration file: a value the schema accepts must not be an internal error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import MINI, TODAY, manifest, write


def test_integral_float_jobs_is_not_an_internal_error(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "pilot.yaml", manifest())
    write(tmp_path / ".govcheck.yaml", "jobs: 2.0\n")
    monkeypatch.chdir(tmp_path)
    result = run("check", "--pack", MINI, "--today", TODAY.isoformat(), ".")  # a scan forks
    assert "internal error" not in result.stderr
    assert result.exit_code in (0, 2)
