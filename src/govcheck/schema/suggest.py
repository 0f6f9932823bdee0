"""Did-you-mean for closed vocabularies: the allowed word a rejected one was probably meant to be.

``Daily`` for ``daily`` and ``weekley`` for ``weekly`` are typing slips, not new words; a
message that names the intended word gets them fixed at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def suggest(value: Any, choices: Iterable[Any]) -> str | None:
    """The allowed word closest to ``value``: the same word in another case first, else a near spelling."""
    if not isinstance(value, str):
        return None
    words = [c for c in choices if isinstance(c, str)]
    folded = value.strip().casefold()
    for word in words:
        if word.casefold() == folded:
            return word
    import difflib  # only for a word that was rejected: a run without one never loads it

    close = difflib.get_close_matches(folded, [w.casefold() for w in words], n=1)
    return next((w for w in words if close and w.casefold() == close[0]), None)


def did_you_mean(value: Any, choices: Iterable[Any]) -> str:
    """``"; did you mean 'daily'?"`` to append to a message, or ``""`` when nothing is close."""
    word = suggest(value, choices)
    return "" if word is None else f"; did you mean {word!r}?"
