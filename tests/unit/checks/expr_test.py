"""``expr``: a truthy result that is placeholder text does not pass."""

from __future__ import annotations

from tests.unit.checks.conftest import Failures

ROLE = "spec.review.required == `true` && spec.review.reviewer_role"


def test_a_placeholder_result_fails_where_the_expression_points(failures: Failures) -> None:
    review = {"spec": {"review": {"required": True, "reviewer_role": "TBD"}}}
    assert failures("expr", ROLE, review) == [("spec.review.required", "'TBD' is a placeholder")]
    review["spec"]["review"]["reviewer_role"] = "   "
    assert failures("expr", ROLE, review, at="spec.review") == [("spec.review", "'   ' is blank")]


def test_real_text_and_booleans_pass_and_false_results_keep_their_reason(failures: Failures) -> None:
    review = {"spec": {"review": {"required": True, "reviewer_role": "certified coder"}}}
    assert failures("expr", ROLE, review) == []
    assert failures("expr", "spec.review.required == `true`", review) == []
    review["spec"]["review"]["reviewer_role"] = ""
    assert failures("expr", ROLE, review) == [("spec.review.required", "found true")]


def test_a_list_of_placeholders_is_hollow_and_a_pack_adds_words(failures: Failures) -> None:
    assert failures("expr", "sites", {"sites": ["TBD", "-"]}) == [("sites", "has only empty entries")]
    assert failures("expr", "owner", {"owner": "pending"}, placeholders=["pending"]) == [
        ("owner", "'pending' is a placeholder")
    ]
