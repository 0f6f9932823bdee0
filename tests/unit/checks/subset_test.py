"""``subset``: every planned site is among the sites the data sources cover."""

from __future__ import annotations

from typing import Any

import pytest

from govcheck.checks import BUILTIN
from tests.unit.checks.conftest import Failures

OF = "data.sources[*].sites"


def _data(planned: Any, *sources: list[str]) -> dict[str, Any]:
    return {"data": {"coverage": {"planned_sites": planned}, "sources": [{"sites": s} for s in sources]}}


def test_each_planned_site_no_source_covers_is_one_failure_at_its_place(failures: Failures) -> None:
    data = _data(["north", "south", "lakeside"], ["north"])
    assert failures("subset", "data.coverage.planned_sites", data, of=OF) == [
        ("data.coverage.planned_sites[1]", f"'south' is not among {OF}"),
        ("data.coverage.planned_sites[2]", f"'lakeside' is not among {OF}"),
    ]


def test_the_sources_together_cover_the_plan_whatever_the_case(failures: Failures) -> None:
    assert (
        failures(
            "subset", "data.coverage.planned_sites", _data(["north", "South"], ["north"], ["south"]), of=OF
        )
        == []
    )
    assert failures("subset", "data.coverage.planned_sites", _data([], ["north"]), of=OF) == []


def test_placeholders_cover_nothing(failures: Failures) -> None:
    assert failures("subset", "data.coverage.planned_sites", _data(["TBD", ""], ["TBD"]), of=OF) == [
        ("data.coverage.planned_sites[0]", "'TBD' is a placeholder"),
        ("data.coverage.planned_sites[1]", "empty"),
    ]


def test_several_pools_and_what_is_not_a_list(failures: Failures) -> None:
    data = {"a": ["x", "y"], "b": "x", "c": ["y"]}
    assert failures("subset", "a", data, of=["b", "c"]) == []
    assert failures("subset", "b", data, of="c") == [("b", "'x' is not a list")]
    assert failures("subset", "z", data, of="c") == [("z", "missing")]


@pytest.mark.parametrize("of", [None, [], [1]])
def test_bad_parameters_are_pack_errors(of: Any) -> None:
    spec = next(s for s in BUILTIN if s.name == "subset")
    with pytest.raises(ValueError, match="of"):
        spec.compile("a", {} if of is None else {"of": of})
