"""A slip in a pack name, format, stage or command is answered with the word that was meant."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import manifest, write


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--pack", "healthcare-ai-baselin"),
            "no policy pack 'healthcare-ai-baselin': not an installed pack name;"
            " did you mean 'healthcare-ai-baseline'? (installed:",
        ),
        (("--format", "jsn"), "unknown --format 'jsn'; available: "),
        (("--format", "Sarif=out.sarif"), "unknown --format 'Sarif'; available: "),
        (("--stage", "pilto"), "--stage 'pilto' is not a stage of the loaded packs (pilot, "),
    ],
)
def test_check_names_the_word_meant(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "p.yaml", manifest())
    result = run("check", *args, "p.yaml")
    assert result.exit_code == 2
    assert message in result.stderr
    meant = {"--pack": "healthcare-ai-baseline", "--format": "json", "--stage": "pilot"}[args[0]]
    if args[1] == "Sarif=out.sarif":
        meant = "sarif"
    assert f"did you mean {meant!r}?" in result.stderr


@pytest.mark.parametrize("args", [("--pack", "zzzzzz"), ("--format", "xml"), ("--stage", "launch")])
def test_no_suggestion_when_nothing_is_close(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "p.yaml", manifest())
    result = run("check", *args, "p.yaml")
    assert result.exit_code == 2
    assert "did you mean" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [("rules", "--format", "jsn"), ("packs", "--format", "jsn")],
)
def test_a_fixed_format_choice_names_the_one_meant(run: Any, args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert "'jsn' is not one of 'text', 'json'" in result.stderr
    assert result.stderr.rstrip().endswith("; did you mean 'json'?")


def test_a_portfolio_format_names_the_one_meant(run: Any, tmp_path: Path) -> None:
    """portfolio takes FORMAT[=FILE] like check, and says the same about a slip."""
    result = run("portfolio", "--format", f"jsn={tmp_path / 'p.json'}", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.rstrip().endswith("available: text, json, csv, html; did you mean 'json'?")


def test_a_fixed_format_choice_far_from_all_lists_them_only(run: Any) -> None:
    result = run("rules", "--format", "xml")
    assert result.exit_code == 2
    assert result.stderr.rstrip().endswith("'xml' is not one of 'text', 'json'.")


def test_a_misspelt_command_names_the_command_meant(run: Any) -> None:
    result = run("chek")
    assert result.exit_code == 2
    assert "No such command 'chek'; did you mean 'check'?" in result.stderr


def test_a_command_far_from_all_is_only_unknown(run: Any) -> None:
    result = run("zzzzzz")
    assert result.exit_code == 2
    assert "No such command 'zzzzzz'." in result.stderr
    assert "did you mean" not in result.stderr
