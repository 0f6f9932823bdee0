"""``govcheck portfolio``'s progress bar in a real pseudo-terminal: it fits the terminal's width.

The report goes to a pipe and only standard error is the terminal, as in
``govcheck portfolio pilots/ --format html > report.html``: the bar must take its width from
standard error, not from standard output (which has none) or a default of 80 columns.
"""

from __future__ import annotations

import fcntl
import os
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "gen_corpus.py"), "200", str(out)], check=True, timeout=120
    )
    return out


def _drawn(corpus: Path, tmp_path: Path, columns: int) -> tuple[list[bytes], bytes]:
    """What the run draws on a terminal ``columns`` wide, as lines; and the report it writes."""
    import pty

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    command = [sys.executable, "-m", "govcheck", "portfolio", str(corpus), "--today", "2026-11-25"]
    try:
        with subprocess.Popen(
            [*command, "--format", "csv", "--jobs", "2"],
            stdout=subprocess.PIPE,
            stderr=follower,
            cwd=tmp_path,
            env=env,
        ) as proc:
            os.close(follower)
            report, _ = proc.communicate(timeout=300)
            assert proc.returncode == 0
        drawn = b""
        while True:  # the terminal keeps what was written after the process has gone
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: nothing left and no writer
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        os.close(leader)
    # A carriage return starts the line over: each redraw is a line of its own on screen.
    return [ANSI.sub(b"", part) for part in re.split(rb"[\r\n]", drawn) if part.strip()], report


@pytest.mark.parametrize("columns", [24, 40, 120])
def test_no_line_of_the_bar_is_wider_than_the_terminal(corpus: Path, tmp_path: Path, columns: int) -> None:
    lines, report = _drawn(corpus, tmp_path, columns)
    assert lines, "nothing was drawn"
    assert max(len(line) for line in lines) < columns, lines
    assert lines[-1].rstrip().endswith(b"200/200 files" if columns >= 40 else b"200/200")
    assert report.startswith(b"id,") and b"Evaluating" not in report  # the report itself is untouched


def test_the_bar_uses_the_width_of_standard_error(corpus: Path, tmp_path: Path) -> None:
    lines, _ = _drawn(corpus, tmp_path, 120)
    assert max(len(line.rstrip()) for line in lines) == 119  # not 80, the width of no terminal
    assert lines[-1].startswith(b"Evaluating [" + b"#" * 20)


def test_a_terminal_too_narrow_for_the_count_gets_no_line(corpus: Path, tmp_path: Path) -> None:
    lines, _ = _drawn(corpus, tmp_path, 6)
    assert lines == []
