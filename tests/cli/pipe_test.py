"""``govcheck check … | head`` ends quietly, as other command-line tools do.

A real pipe, not click's runner: only a closed read end raises BrokenPipeError, and only a
real process shows what the interpreter prints while it shuts down.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2026-11-25"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200 manifests, most of them failing: a report far larger than a pipe's buffer."""
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "gen_corpus.py"), "200", str(out)],
        check=True,
        capture_output=True,
    )
    return out


def _piped(args: list[str], reader: list[str]) -> tuple[int, int, bytes, bytes]:
    """``govcheck ARGS | READER``: govcheck's exit code and stderr, the reader's code and output."""
    govcheck = subprocess.Popen(
        [sys.executable, "-m", "govcheck", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert govcheck.stdout is not None and govcheck.stderr is not None
    head = subprocess.Popen(reader, stdin=govcheck.stdout, stdout=subprocess.PIPE)
    govcheck.stdout.close()  # only the reader holds the read end: its exit closes the pipe
    shown, _ = head.communicate(timeout=120)
    errors = govcheck.stderr.read()
    govcheck.stderr.close()
    return govcheck.wait(timeout=120), head.returncode, shown, errors


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_check_into_head_exits_quietly(corpus: Path, fmt: str) -> None:
    code, head_code, shown, errors = _piped(
        ["check", "--no-config", "--today", TODAY, "--format", fmt, str(corpus)], ["head", "-2"]
    )
    assert errors == b""
    assert head_code == 0 and len(shown.splitlines()) == 2
    assert code == 1  # a report cut short never passes a gate, whatever it held


def test_a_reader_that_reads_nothing(corpus: Path) -> None:
    code, _, _, errors = _piped(["check", "--no-config", "--today", TODAY, str(corpus)], ["true"])
    assert errors == b""
    assert code == 1


def test_help_into_a_closed_pipe_is_quiet() -> None:
    """Output small enough to sit in the buffer meets the closed pipe only at the final flush."""
    code, _, _, errors = _piped(["--help"], ["true"])
    assert errors == b""
    assert code in (0, 1)  # 0 when the help fit in the pipe before the reader left


def test_shell_pipeline_with_pipefail(corpus: Path) -> None:
    result = subprocess.run(
        f"set -o pipefail; {sys.executable} -m govcheck check --no-config --today {TODAY} {corpus} | head -2",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.stderr == b""
    assert len(result.stdout.splitlines()) == 2
    assert result.returncode == 1
