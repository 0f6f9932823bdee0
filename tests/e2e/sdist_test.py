"""The sdist holds everything needed to install govcheck and its plugins and to run the tests."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLUGINS = sorted(p.name for p in (ROOT / "plugins").iterdir() if (p / "pyproject.toml").is_file())
CLEAN_ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}


@pytest.fixture(scope="module")
def sdist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sdist")
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "-o", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (archive,) = out.glob("govcheck-*.tar.gz")
    return archive


def members(archive: Path) -> set[str]:
    """Paths inside the archive, without the ``govcheck-X.Y.Z/`` prefix."""
    with tarfile.open(archive) as tar:
        return {name.partition("/")[2] for name in tar.getnames()}


@pytest.mark.slow
def test_the_sdist_holds_the_plugins_bench_tests_and_license(sdist: Path) -> None:
    names = members(sdist)
    assert {"LICENSE", "pyproject.toml", "README.md", ".pre-commit-hooks.yaml"} <= names
    assert PLUGINS == ["govcheck-evidence", "govcheck-hti1"]
    for plugin in PLUGINS:
        # Without its pyproject.toml a plugin directory cannot be pip-installed.
        assert f"plugins/{plugin}/pyproject.toml" in names
        module = plugin.replace("-", "_")
        assert f"plugins/{plugin}/src/{module}/__init__.py" in names
        assert any(n.startswith(f"plugins/{plugin}/tests/") for n in names)
    # bench/gen_corpus.py is run by tests; the conftest makes them collect at all.
    assert {"bench/gen_corpus.py", "tests/conftest.py", "tests/helpers.py"} <= names
    assert "src/govcheck/__init__.py" in names
    # Every tracked test file is shipped, so the unpacked sdist collects what the checkout does.
    tracked = subprocess.run(
        ["git", "ls-files", "tests", "plugins", "bench"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert sorted(set(tracked) - names) == []


@pytest.mark.slow
def test_pip_installs_the_sdist_into_a_fresh_environment(sdist: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(sdist)],
        check=True,
        timeout=600,
        env=CLEAN_ENV,
    )
    shown = subprocess.run(
        [str(env_dir / "bin" / "govcheck"), "schema", "manifest"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        env=CLEAN_ENV,
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == (ROOT / "schemas" / "pilot-manifest.schema.json").read_text(encoding="utf-8")
