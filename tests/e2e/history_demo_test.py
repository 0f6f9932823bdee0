"""The README's "Readiness over time": its commands, run as shown, give the output it shows.

Two portfolio runs recorded a quarter apart (examples/history/2026-q3 as of 2026-08-25, then
examples/portfolio as of 2026-11-25): between them the ambient scribe was validated and
re-approved at North Campus, and the sepsis device's monthly review lapsed.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def found(pattern: str, text: str, flags: int = re.S) -> str:
    match = re.search(pattern, text, flags)
    assert match, pattern
    return match.group(1)


SECTION = found(r"^## Readiness over time\n(.*?)^## ", README, re.S | re.M)
COMMANDS = found(r"```sh\n(.*?)```", SECTION)
SHOWN = found(r"```text\n(.*?)```", SECTION)


def html_section(page: str, name: str) -> str:
    return found(rf'<section id="{name}">(.*?)</section>', page)


def test_the_history_demo_shows_one_pilot_improved_and_one_regressed(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("sqlalchemy")  # the history extra
    shutil.copytree(ROOT / "examples", tmp_path / "examples")  # outside a git work tree
    monkeypatch.chdir(tmp_path)
    commands = [shlex.split(line) for line in COMMANDS.splitlines() if line.strip()]
    assert [c[:2] for c in commands] == [["govcheck", "portfolio"]] * 2 + [["govcheck", "history"]] * 3
    outputs = []
    for command in commands:
        result = run(*command[1:])
        assert result.exit_code == 0, f"{shlex.join(command)}\n{result.output}"
        outputs.append(result.stdout)
    assert (tmp_path / "history.db").is_file()

    text = outputs[2]
    for block in SHOWN.split("...\n"):
        assert block in text, block
    regressed = text.split("Regressed from 2026-Q3 to 2026-Q4:")[1].split("\n\n")[0]
    improved = text.split("Improved from 2026-Q3 to 2026-Q4:")[1].split("\n\n")[0]
    assert "sepsis-early-warning: " in regressed and "ambient-scribe" not in regressed
    assert "ambient-scribe: " in improved and "sepsis-early-warning" not in improved

    page = (tmp_path / "history.html").read_text(encoding="utf-8")
    regressed = html_section(page, "regressed")
    improved = html_section(page, "improved")
    assert ">sepsis-early-warning<" in regressed and "ambient-scribe" not in regressed
    assert ">ambient-scribe<" in improved and "sepsis-early-warning" not in improved
    assert "verdict expand -&gt; fix-gaps" in regressed
    assert "verdict fix-gaps -&gt; expand" in improved

    assert outputs[4].startswith("intact: 2 run(s); head ")
