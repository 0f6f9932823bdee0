"""``one_of``: a value in another case names the word meant."""

from __future__ import annotations

from tests.unit.checks.conftest import Failures


def test_a_case_slip_suggests_the_allowed_word(failures: Failures) -> None:
    assert failures("one_of", "s", {"s": "Approved"}, values=["approved", "conditional"]) == [
        ("s", "'Approved' is not one of approved, conditional; did you mean 'approved'?")
    ]
    assert failures("one_of", "s", {"s": "pending"}, values=["approved"]) == [
        ("s", "'pending' is not one of approved")
    ]


def test_a_listed_word_passes_even_when_it_reads_like_a_placeholder(failures: Failures) -> None:
    assert failures("one_of", "s", {"s": "none"}, values=["none", "predictive"]) == []
    assert failures("one_of", "s", {"s": "TBD"}, values=["approved"]) == [
        ("s", "'TBD' is not one of approved")
    ]
