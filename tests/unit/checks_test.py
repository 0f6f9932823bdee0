from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest

from govcheck.checks import BUILTIN
from govcheck.interfaces import CheckContext
from govcheck.plugins import load_registry

CHECKS = {spec.name: spec for spec in BUILTIN}


def run(name: str, target: str, data: Any, tmp_path: Path | None = None, **params: Any) -> list[str]:
    """Reasons the check gives, one per failing place (empty when it passes)."""
    root = tmp_path or Path("/nonexistent")
    ctx = CheckContext(data, root / "pilot.yaml", root, dt.date(2026, 11, 25), "moderate", "pilot")
    return [f.detail for f in CHECKS[name].compile(target, params)(ctx)]


def test_builtins_are_registered_through_the_plugin_hook() -> None:
    assert (
        set(load_registry(entry_points=False).checks())
        == set(CHECKS)
        == {
            *("present", "expr", "schema", "max_age", "min_count", "matches", "one_of", "file_exists"),
            *("date_order", "subset", "improves"),
        }
    )


@pytest.mark.parametrize(
    ("value", "reasons"),
    [
        ("Ann", []),
        ("", ["empty"]),
        (None, ["empty"]),
        ([], ["empty"]),
        ({}, ["empty"]),
        (0, []),
        (False, []),
    ],
)
def test_present(value: Any, reasons: list[str]) -> None:
    assert run("present", "a.b", {"a": {"b": value}}) == reasons


def test_present_missing_and_wildcards() -> None:
    assert run("present", "a.b", {"a": {}}) == ["missing"]
    assert run("present", "a.b", {"a": "text"}) == ["missing"]
    assert run("present", "m[*].x", {"m": [{"x": 1}, {}, {"x": ""}]}) == ["missing", "empty"]
    assert run("present", "m[*].x", {}) == []


def test_expr_uses_jmespath_truthiness_and_points_at_its_field() -> None:
    spec = CHECKS["expr"].compile("spec.review.required == `true`", {})
    ctx = CheckContext(
        {"spec": {"review": {"required": False}}}, Path("p"), Path("."), dt.date.today(), "", ""
    )
    (failure,) = spec(ctx)
    assert failure.path == ("spec", "review", "required") and failure.value is False
    assert run("expr", "length(items) >= `2`", {"items": [1, 2]}) == []
    assert run("expr", "items", {"items": []}) == ["does not meet the rule's condition"]
    assert run("expr", "a.b == `true`", {"a": {"b": "yes"}}) == ['found "yes"']
    assert run("expr", "a.b == `true`", {"a": {}}) == ["missing"]


def test_expr_rejects_broken_jmespath_at_compile_time() -> None:
    with pytest.raises(ValueError, match="invalid JMESPath"):
        CHECKS["expr"].compile("spec.[", {})


@pytest.mark.parametrize(
    ("value", "ok"),
    [("2026-08-27", True), ("2026-08-26", False), ("2027-01-01", False), ("soon", False), (20260101, False)],
)
def test_max_age_counts_days_from_today(value: Any, ok: bool) -> None:
    reasons = run("max_age", "d", {"d": value}, days=90)
    assert (reasons == []) is ok
    if value == "2026-08-26":
        assert reasons == ["2026-08-26 is 91 days old (at most 90)"]


def test_min_count() -> None:
    assert run("min_count", "l", {"l": [1, 2]}, count=2) == []
    assert run("min_count", "l", {"l": [1]}, count=2) == ["has 1 of at least 2"]
    assert run("min_count", "l", {"l": "x"}, count=1) == ["'x' is not a list"]
    with pytest.raises(ValueError, match="count"):
        CHECKS["min_count"].compile("l", {"count": "two"})


def test_matches_and_one_of() -> None:
    assert run("matches", "id", {"id": "ok-id"}, pattern="^[a-z-]+$") == []
    assert run("matches", "id", {"id": "Bad_Id"}, pattern="^[a-z-]+$") == [
        "'Bad_Id' does not match ^[a-z-]+$"
    ]
    with pytest.raises(ValueError, match="regular expression"):
        CHECKS["matches"].compile("id", {"pattern": "("})
    assert run("one_of", "s", {"s": "approved"}, values=["approved"]) == []
    assert run("one_of", "s", {"s": "pending"}, values=["approved"]) == ["'pending' is not one of approved"]
    assert run("one_of", "s", {"s": 1}, values=[True]) == ["1 is not one of True"]


def test_schema_fragment_points_inside_the_value() -> None:
    failures = CHECKS["schema"].compile("m", {"is": {"type": "array", "items": {"required": ["unit"]}}})(
        CheckContext({"m": [{"unit": "d"}, {}]}, Path("p"), Path("."), dt.date.today(), "", "")
    )
    assert [(f.path, f.detail) for f in failures] == [(("m", 1), "'unit' is a required property")]
    with pytest.raises(ValueError, match="not a valid JSON Schema"):
        CHECKS["schema"].compile("m", {"is": {"type": "nope"}})


def test_file_exists_stays_inside_the_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    (repo / "docs" / "validation.md").write_text("ok")
    (tmp_path / "secret.md").write_text("outside")
    os.symlink(tmp_path / "secret.md", repo / "docs" / "link.md")

    def reasons(value: Any) -> list[str]:
        return run("file_exists", "f", {"f": value}, repo)

    assert reasons("docs/validation.md") == []
    assert reasons("docs/missing.md") == ["'docs/missing.md' does not exist"]
    assert reasons("../secret.md") == ["'../secret.md' leads outside the repository"]
    assert reasons("docs/link.md") == ["'docs/link.md' leads outside the repository"]
    assert reasons(str(tmp_path / "secret.md")) == [
        f"{str(tmp_path / 'secret.md')!r} is absolute; give a path relative to the manifest"
    ]
    assert reasons(42) == ["42 is not a file path"]


def test_public_api_is_reexported() -> None:
    import govcheck

    for name in (
        "Finding",
        "RunResult",
        "RuleInfo",
        "CheckSpec",
        "CheckContext",
        "Failure",
        "ReporterSpec",
        "ReportOptions",
        "PackSource",
        "MISSING",
        "hookimpl",
        "run_check",
        "CheckSettings",
        "exit_code",
    ):
        assert name in govcheck.__all__ and getattr(govcheck, name) is not None
