"""Placeholder text in a manifest fails the rule, however it is spelt.

``TBD`` and ``(TBD)`` fail ``present``, and so do common spellings of the same thing and
Unicode disguises of it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import MINI, TODAY, manifest, write

DAY = TODAY.isoformat()


def owner(run: Any, tmp_path: Path, name: str) -> Any:
    file = write(tmp_path / "pilot.yaml", manifest(**{"spec.ownership.post_launch_owner": {"name": name}}))
    return run("check", "--pack", MINI, "--today", DAY, "-q", str(file))


@pytest.mark.parametrize("name", ["TBD", "(TBD)", "TODO: ask Priya", "<name>", "TBD\u200b"])
def test_known_placeholders_fail(run: Any, tmp_path: Path, name: str) -> None:
    assert owner(run, tmp_path, name).exit_code == 1


@pytest.mark.parametrize("name", ["T.B.D.", "To be determined", "T B D", "[name]"])
def test_placeholder_spellings_fail(run: Any, tmp_path: Path, name: str) -> None:
    result = owner(run, tmp_path, name)
    assert result.exit_code == 1 and "OWN-003" in result.stdout


@pytest.mark.parametrize(
    "name",
    [
        "T\u200bB\u200bD",  # zero-width spaces inside the word
        "\uff34\uff42\uff44",  # fullwidth letters, NFKC folds them to Tbd
        "\u0422BD",  # Cyrillic capital Te
        "N\u2044A",  # fraction slash
    ],
)
def test_unicode_disguised_placeholders_fail(run: Any, tmp_path: Path, name: str) -> None:
    result = owner(run, tmp_path, name)
    assert result.exit_code == 1 and "OWN-003" in result.stdout
