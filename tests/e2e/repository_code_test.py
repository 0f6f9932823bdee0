"""Checking a repository never runs its code: files named like govcheck's dependencies, the
standard library or an installed plugin stay unimported, under ``python -m govcheck`` and the
console script (which pre-commit runs)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from govcheck import plugins

ROOT = Path(__file__).resolve().parents[2]
SHADOWED = (
    "json",
    "jmespath",
    "pluggy",
    "click",
    "typing",
    "inspect",
    "yaml",
    "ruamel",
    "jsonschema",
    "referencing",
    "tomllib",
    "importlib_metadata",
    "textwrap",
    "heapq",
    "hashlib",
)
# The installed plugins, named by the repository's configuration and shadowed in it as well.
INSTALLED = sorted(
    {
        value.partition(":")[0].split(".")[0]
        for _, name, value in plugins.installed_entry_points("govcheck") or ()
        if name not in plugins.BUILTINS
    }
)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "pilot-repo"
    shutil.copytree(ROOT / "examples" / "ready", repo)
    (repo / ".git").mkdir()
    for name in (*SHADOWED, *INSTALLED):
        marker = repo / f"marker-{name}"
        (repo / f"{name}.py").write_text(
            f"open({str(marker)!r}, 'w').write('repository code ran')\n", encoding="utf-8"
        )
    (repo / ".govcheck.yaml").write_text(
        f"plugins: [{', '.join(['govcheck.checks', *INSTALLED])}]\n", encoding="utf-8"
    )
    return repo


def ran(repo: Path) -> list[str]:
    return sorted(p.name for p in repo.glob("marker-*"))


COMMANDS = {
    "python -m govcheck": [sys.executable, "-m", "govcheck"],
    "the console script": [str(Path(sys.executable).parent / "govcheck")],
}


@pytest.mark.parametrize("how", list(COMMANDS))
def test_no_module_of_the_checked_repository_is_imported(repo: Path, how: str) -> None:
    command = COMMANDS[how]
    if not Path(command[0]).exists():
        pytest.skip(f"{command[0]} is not installed")
    args = ["check", "--today", "2026-11-25", "--format", "text", "--format", "sarif=out.sarif", "."]
    result = subprocess.run([*command, *args], cwd=repo, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ran(repo) == []  # before, under python -m govcheck: pluggy, typing, click, json, jmespath, ...
    lint = subprocess.run(
        [*command, "pack", "lint", str(ROOT / "policies" / "healthcare-ai-baseline")],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert ran(repo) == []


def test_a_command_line_plugin_is_still_imported_from_the_working_directory(repo: Path) -> None:
    # --plugin is the user's own choice: `python -m govcheck check --plugin mymod` keeps working.
    (repo / "gc_local_plugin.py").write_text(
        f"open({str(repo / 'marker-gc_local_plugin')!r}, 'w').write('chosen')\n", encoding="utf-8"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "govcheck",
            "check",
            "--plugin",
            "gc_local_plugin",
            "--today",
            "2026-11-25",
            ".",
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert ran(repo) == ["marker-gc_local_plugin"]
