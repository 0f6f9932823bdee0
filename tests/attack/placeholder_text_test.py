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


def test_the_answers_kept_for_recurring_text_stay_small_whatever_the_manifests_hold() -> None:
    # Answers are kept so recurring owners and statuses are judged once; a repository of large,
    # all-different texts must not make the run hold them all.
    from govcheck.lang import values

    values._ANSWERS.clear()
    try:
        for i in range(values._ANSWERS_MAX * 2):
            assert values.text_problem(f"{i} " + "x" * 1_000) is None
            assert values.text_problem(f"owner {i}") is None
            assert values.text_problem("TBD") == "a placeholder"
        kept = values._ANSWERS
        assert len(kept) == values._ANSWERS_MAX
        assert not any(text.endswith("x" * 1_000) for text, _ in kept)  # a long text is never kept
        assert values.text_problem("TBD") == "a placeholder" and ("TBD", frozenset()) in kept
    finally:
        values._ANSWERS.clear()
