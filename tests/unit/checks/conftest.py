"""One way to run a built-in check on a value: ``failures("present", "a.b", data)``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from govcheck.checks import BUILTIN
from govcheck.interfaces import CheckContext
from govcheck.lang.fieldpath import dotted

TODAY = dt.date(2026, 11, 25)
CHECKS = {spec.name: spec for spec in BUILTIN}
Failures = Callable[..., list[tuple[str, str]]]


@pytest.fixture
def failures(tmp_path: Path) -> Failures:
    """(path, detail) of each failure, in order; empty when the check passes."""

    def run(name: str, target: str, data: Any, **params: Any) -> list[tuple[str, str]]:
        ctx = CheckContext(data, tmp_path / "pilot.yaml", tmp_path, TODAY, "moderate", "pilot")
        return [(dotted(f.path), f.detail) for f in CHECKS[name].compile(target, params)(ctx)]

    return run
