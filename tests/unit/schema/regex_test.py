"""Pack patterns get ``re.search``'s verdict, whichever way they run (``re`` itself or RE2).

Generated patterns mix what RE2 and ``re`` read differently (Unicode classes, ``$`` before a
final newline, ``\\b`` next to non-ASCII letters, case folding such as the Kelvin sign) with
unbounded repetition, so most of them take the RE2 way.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govcheck.schema import regex

ATOMS = [
    "a",
    "b",
    "k",
    "A",
    "é",
    "_",
    " ",
    "-",
    r"\n",
    ".",
    "[a-c]",
    "[^a]",
    "[^a\n]",
    r"\d",
    r"\w",
    r"\s",
    r"\D",
    r"\W",
    r"\S",
    r"[\w-]",
    r"[^\d\s]",
    "[ſK]",
    r"\u212a",
]
ANCHORS = ["^", "$", r"\A", r"\Z", r"\b", r"\B"]
TEXT_CHARS = "abkAKé_ -\n\r\t٣\u212aſ\u00a0xÉ"


@st.composite
def patterns(draw: Any, depth: int = 0) -> str:
    """A pattern as source, with END standing for the ``$`` that ``end_is_end`` changes."""
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["atom", "atom", "atom", "anchor", "group"] if depth < 2 else ["atom"]))
        if kind == "atom":
            part = draw(st.sampled_from(ATOMS))
        elif kind == "anchor":
            part = draw(st.sampled_from(ANCHORS))
        else:
            inner = draw(st.lists(patterns(depth + 1), min_size=1, max_size=3))
            opening = draw(st.sampled_from(["(", "(?:", "(?i:", "(?a:", "(?s:"]))
            part = opening + "|".join(inner) + ")"
        if kind != "anchor":
            part += draw(st.sampled_from(["", "", "*", "+", "?", "{1,3}", "*?", "{2,}"]))
        parts.append(part)
    return "".join(parts)


flags = st.sampled_from(["", "", "(?i)", "(?m)", "(?s)", "(?a)", "(?im)"])
texts = st.text(alphabet=TEXT_CHARS, max_size=8)


def expected(source: str, text: str) -> bool:
    return re.search(source, text) is not None


@settings(max_examples=600, deadline=None, derandomize=True)
@given(flags, patterns(), st.lists(texts, min_size=1, max_size=6))
def test_every_pattern_gets_re_s_verdict(flag: str, body: str, samples: list[str]) -> None:
    source = flag + body
    try:
        search = regex.searcher(source)
    except regex.UnsafePattern:
        return  # only ever for a `$` with more of the pattern after it, when not small
    for text in samples:
        assert search(text) == expected(source, text), (source, text)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(patterns(), st.lists(texts, min_size=1, max_size=6))
def test_with_end_is_end_a_dollar_is_the_end_of_the_text(body: str, samples: list[str]) -> None:
    search = regex.searcher(body, end_is_end=True)
    for text in samples:
        # outside MULTILINE, \Z is exactly the end of the text
        assert search(text) == expected(body.replace("$", r"\Z"), text), (body, text)


@pytest.mark.parametrize(
    ("source", "text", "found"),
    [
        (r"^\d+$", "٣٣", True),  # Unicode digits, as re has them (RE2's \d is ASCII)
        (r"^\d+$", "12\n", True),  # $ before a final newline
        (r"^\d+\Z", "12\n", False),
        (r"\w+\b", "é", True),
        (r"(?i)k+$", "\u212a", True),  # the Kelvin sign folds to k
        (r"\B", "", False),  # re finds neither \b nor \B in an empty text
        (r"\Bx*", "", False),
        (r"a*$", "", True),
        (r"[^a]+", "\ud800", True),  # a lone surrogate is a character like any other
        (r"^(a+)+$", "a" * 40 + "!", False),
        (r"^(a|aa)+$", "a" * 40 + "!", False),
        (r"(\d+)*x", "1" * 40, False),
        (r"^(\w+\s?)*$", "word " * 20 + "!", False),
    ],
)
def test_known_cases(source: str, text: str, found: bool) -> None:
    assert regex.searcher(source)(text) is found


@pytest.mark.parametrize(
    "source", [r"^(a)\1$", r"(?i)^dept$", r"^(?!x)[a-z]{1,20}$", r"^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$"]
)
def test_small_patterns_run_on_re_itself(source: str) -> None:
    assert regex.is_small(source)


@pytest.mark.parametrize(
    ("source", "word"),
    [
        (r"^(a+)\1$", "back-reference"),
        (r"^(?=.*x)(a+)+$", "lookahead"),
        (r"(?>a+)+b", "atomic group"),
        (r"a++b*", "possessive"),
    ],
)
def test_backtracking_with_unbounded_repetition_is_refused(source: str, word: str) -> None:
    with pytest.raises(regex.UnsafePattern, match=word):
        regex.searcher(source)


def test_re_errors_stay_re_errors() -> None:
    with pytest.raises(re.error):
        regex.searcher("(")
