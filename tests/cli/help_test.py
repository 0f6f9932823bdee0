"""``govcheck --help`` and ``govcheck pack --help`` describe each command in a whole sentence."""

from __future__ import annotations

from typing import Any

import pytest

from govcheck.authoring.schemas import SCHEMAS


def command_lines(help_text: str) -> dict[str, str]:
    """The ``Commands:`` section of a group's help: command name -> its one-line description."""
    section = help_text.split("\nCommands:\n", 1)[1]
    lines: dict[str, str] = {}
    for line in section.splitlines():
        if not line.startswith("  "):
            break
        name, _, description = line.strip().partition(" ")
        lines[name] = description.strip()
    return lines


# A fixed width: click shortens descriptions to fit the terminal, and the suite must not depend on it.
@pytest.mark.parametrize("group", [(), ("pack",)], ids=["govcheck", "pack"])
def test_every_command_has_a_complete_short_description(run: Any, group: tuple[str, ...]) -> None:
    result = run(*group, "--help", terminal_width=80)
    assert result.exit_code == 0
    lines = command_lines(result.stdout)
    assert len(lines) >= (9 if not group else 4), result.stdout
    for name, description in lines.items():
        assert description, f"{name} has no description"
        assert not description.endswith("..."), f"{name}: {description}"
        assert description.endswith("."), f"{name}: {description}"


def test_schema_help_names_every_shipped_schema(run: Any) -> None:
    result = run("schema", "--help", terminal_width=80)
    assert result.exit_code == 0
    # The description, not the usage line (click may list the choices there).
    description = result.stdout.split("\n\n", 1)[1].split("\nOptions:")[0]
    listed = {line.split()[0]: line.split()[-1] for line in description.splitlines() if line.strip()}
    for name, file in SCHEMAS.items():
        assert listed.get(name) == f"{file}.schema.json", (name, description)
