"""A word outside a closed vocabulary is a located schema error that names the word meant."""

from __future__ import annotations

from govcheck.load.yaml import load_all, read_text
from govcheck.schema import validate

# A manifest of its own, so that rewriting the examples does not move the field under test.
PILOT = (
    "apiVersion: govcheck/v1\nkind: AIPilot\nmetadata: {id: p}\nspec:\n  monitoring:\n    metrics:\n"
    "      - {name: alert-rate, threshold: 0.1, direction: lower, frequency: daily}\n"
)


def _problems(text: str) -> list[str]:
    (doc,) = load_all(text, "pilot.yaml")
    return [f"{p.line}: {p.message}" for p in validate.problems(doc, "pilot-manifest")]


def test_a_frequency_in_another_case_is_an_error_naming_the_word() -> None:
    ready = read_text("pilot.yaml", PILOT.encode())
    assert _problems(ready) == []
    daily = ready.replace("frequency: daily}", "frequency: Daily}", 1)
    assert daily != ready
    (problem,) = _problems(daily)
    assert problem.endswith(
        "'Daily' is not one of continuous, hourly, daily, weekly, monthly, quarterly; did you mean 'daily'?"
    )


def test_no_suggestion_when_nothing_is_close() -> None:
    ready = read_text("pilot.yaml", PILOT.encode())
    (problem,) = _problems(ready.replace("frequency: daily}", "frequency: fortnightlyish}", 1))
    assert "is not one of" in problem and "did you mean" not in problem
