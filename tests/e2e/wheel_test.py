"""A plain, non-editable install from a wheel finds the shipped packs and schemas."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.helpers import manifest, write

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with govcheck installed from a freshly built wheel."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work / "dist"), str(ROOT)],
        check=True,
        timeout=600,
    )
    (wheel,) = (work / "dist").glob("govcheck-*.whl")
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, timeout=600)
    return env_dir / "bin"


CLEAN_ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}


def govcheck(bin_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bin_dir / "govcheck"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env=CLEAN_ENV,
    )


@pytest.mark.slow
def test_the_installed_cli_runs_on_the_examples(installed: Path, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    failing = govcheck(installed, tmp_path, "check", "--today", "2026-11-25", "examples/")
    assert failing.returncode == 1, failing.stderr
    assert "examples/failing/pilot.yaml:" in failing.stdout
    ready = govcheck(installed, tmp_path, "check", "--today", "2026-11-25", "examples/ready")
    assert ready.returncode == 0, ready.stdout + ready.stderr
    report = govcheck(
        installed, tmp_path, "check", "--today", "2026-11-25", "--format", "json", "examples/ready"
    )
    packs = json.loads(report.stdout)["packs"]
    # the baseline and the tiering pack it extends both ship in the wheel
    assert [p["source"] for p in packs] == [
        "installed:healthcare-ai-tiering",
        "installed:healthcare-ai-baseline",
    ]
    location = subprocess.run(
        [str(installed / "python"), "-c", "import govcheck, sys; print(govcheck.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env=CLEAN_ENV,
    )
    assert str(installed.parent) in location.stdout  # not the source checkout


@pytest.mark.slow
def test_the_installed_cli_validates_against_shipped_schemas(installed: Path, tmp_path: Path) -> None:
    write(tmp_path / "p.yaml", manifest(**{"spec.risk_tier": "hgih"}))
    result = govcheck(installed, tmp_path, "check", "-q", "p.yaml")
    assert result.returncode == 1
    assert "GC-SCHEMA spec.risk_tier: 'hgih' is not one of low, moderate, high, critical" in result.stdout
