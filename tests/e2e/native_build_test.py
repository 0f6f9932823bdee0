"""What a user gets from ``pip install .`` with and without a C compiler.

With a compiler and libyaml's headers the wheel carries the native YAML reader; without a
compiler the build still succeeds, says why the fast path is missing, and gives a pure-Python
wheel. Both, installed into fresh environments, print byte-identical reports of the shipped
examples, lines and columns included.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLEAN_ENV = {
    k: v
    for k, v in os.environ.items()
    if k not in ("PYTHONPATH", "VIRTUAL_ENV", "GOVCHECK_NATIVE", "GOVCHECK_NATIVE_YAML")
}
NATIVE = Path("/usr/include/yaml.h").is_file()


def build(out: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "-o", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )


def build_wheel(out: Path, env: dict[str, str]) -> tuple[Path, str]:
    done = build(out, env)
    assert done.returncode == 0, done.stderr[-2000:]
    (wheel,) = out.glob("govcheck-*.whl")
    return wheel, done.stdout + done.stderr


def install(wheel: Path, where: Path) -> Path:
    venv.create(where, with_pip=True)
    python = where / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, timeout=600, env=CLEAN_ENV
    )
    return where / "bin"


def report(bindir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(bindir / "govcheck"),
            "check",
            "--today",
            "2026-11-25",
            "--format",
            "json",
            "examples/ready",
            "examples/failing",
            "examples/portfolio",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=CLEAN_ENV,
    )


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="the native reader builds with a POSIX compiler")
@pytest.mark.skipif(not NATIVE, reason="libyaml's headers are not installed here")
def test_wheels_with_and_without_a_compiler_give_the_same_report(tmp_path: Path) -> None:
    fast_wheel, _ = build_wheel(tmp_path / "fast", CLEAN_ENV)
    names = zipfile.ZipFile(fast_wheel).namelist()
    assert any(n.startswith("govcheck/load/_yaml") and n.endswith((".so", ".pyd")) for n in names)
    assert not fast_wheel.name.endswith("-none-any.whl")

    # No compiler on PATH: the build warns and falls back to a pure-Python wheel.
    no_cc = {**CLEAN_ENV, "PATH": str(tmp_path / "empty")}
    pure_wheel, said = build_wheel(tmp_path / "pure", no_cc)
    assert pure_wheel.name.endswith("-py3-none-any.whl")
    assert "native YAML reader not built" in said
    assert not any(
        n.startswith("govcheck/load/_yaml") and not n.endswith(".c")
        for n in zipfile.ZipFile(pure_wheel).namelist()
    )

    fast, pure = install(fast_wheel, tmp_path / "v1"), install(pure_wheel, tmp_path / "v2")
    probe = "from govcheck.load import yaml; print(yaml._native is not None)"
    for bindir, expected in ((fast, "True"), (pure, "False")):
        out = subprocess.run(
            [str(bindir / "python"), "-c", probe], capture_output=True, text=True, env=CLEAN_ENV
        )
        assert out.stdout.strip() == expected, out.stderr
    a, b = report(fast), report(pure)
    assert a.returncode == b.returncode == 1, (a.stderr, b.stderr)
    assert '"line"' in a.stdout
    assert a.stdout == b.stdout


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="the native reader builds with a POSIX compiler")
def test_asking_for_the_native_reader_without_a_compiler_fails_the_build(tmp_path: Path) -> None:
    env = {**CLEAN_ENV, "PATH": str(tmp_path / "empty"), "GOVCHECK_NATIVE": "1"}
    done = build(tmp_path, env)
    assert done.returncode != 0
    assert "GOVCHECK_NATIVE=1" in done.stdout + done.stderr
