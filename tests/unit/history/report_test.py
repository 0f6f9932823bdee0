"""History formats without a database: the schema, escaping, formula cells, empty and wide trends."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from govcheck.history.diff import diff
from govcheck.history.query import Trend, trend
from govcheck.history.report import DIFF_FORMATS, FORMATS, VERIFY_FORMATS
from govcheck.history.store import StoredRun, Verification
from tests.unit.history.factory import finding, pilot, stored

ROOT = Path(__file__).resolve().parents[3]
SCHEMA = json.loads((ROOT / "schemas" / "history.schema.json").read_text(encoding="utf-8"))
HOSTILE = '<script>alert("x")</script>'
ATTRIBUTE = 'x" onmouseover="alert(1)'


def valid(document: Any) -> None:
    Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(document)


def _runs() -> list[StoredRun]:
    return [
        stored(
            1,
            "2026-01-10",
            [
                pilot("denials", "fix-gaps", governance="blocked", blocking=("SRGOV-003",)),
                pilot("sepsis", "expand"),
                pilot(HOSTILE, "redesign", data="blocked", blocking=("SRDATA-001",)),
            ],
        ),
        stored(
            2,
            "2026-04-12",
            [
                pilot(
                    "denials",
                    "fix-gaps",
                    governance="blocked",
                    monitoring="attention",
                    blocking=("SRGOV-003",),
                ),
                pilot("sepsis", "redesign", data="blocked", blocking=("SRDATA-001",)),
                pilot(HOSTILE, "expand"),
                pilot(ATTRIBUTE, "fix-gaps", blocking=("=HYPERLINK(1)",), governance="blocked"),
            ],
        ),
        stored(3, "2026-04-13", [pilot("denials", blocking=("SRGOV-003",))]),
    ]


@pytest.fixture
def portfolio() -> Trend:
    return trend(_runs())


def test_the_schema_is_valid_and_listed(run: Any) -> None:
    Draft202012Validator.check_schema(SCHEMA)
    result = run("schema", "history")
    assert result.exit_code == 0 and json.loads(result.stdout) == SCHEMA


@pytest.mark.parametrize("kind", ["portfolio", "check"])
def test_json_is_the_trend_and_meets_the_schema(kind: str) -> None:
    document = json.loads(FORMATS["json"](trend(_runs(), kind=kind)))
    valid(document)
    assert (document["report"], document["kind"], document["kinds"]) == (
        "trend",
        kind,
        {"check": 1, "portfolio": 2},
    )
    pilots = {p["pilot"]: p for p in document["pilots"]}
    assert pilots["denials"]["blocked_since"]["today"] == (
        "2026-01-10" if kind == "portfolio" else "2026-04-13"
    )
    if kind == "portfolio":
        assert [b["key"] for b in document["buckets"]] == ["2026-Q1", "2026-Q2"]
        assert pilots[ATTRIBUTE]["states"][0] is None
        assert document["changes"]["from"] == "2026-Q1"
        assert [c["pilot"] for c in document["regressed"]] == ["denials", "sepsis"]
        assert {"rule": "SRGOV-003", "blocked": [1, 1]} in document["rules"]
    else:
        assert document["dimensions"] == [] and document["changes"]["from"] is None


def test_diff_and_verify_json_meet_the_schema() -> None:
    a, b = (
        stored(1, "2026-01-01", [pilot("p", blocking=("R-1",))], findings=[finding("p", "R-1")]),
        stored(2, "2026-02-01", [pilot("p")], findings=[finding("p", "R-2", waiver="x|2026-06-01|C-1")]),
    )
    document = json.loads(DIFF_FORMATS["json"](diff(a, b)))
    valid(document)
    assert [f["rule"] for f in document["closed"]] == ["R-1"] and document["opened"] == []
    for v in (Verification(2, "ab" * 32, ()), Verification(2, "ab" * 32, ("run #2 (x): hash mismatch",))):
        verified = json.loads(VERIFY_FORMATS["json"](v))
        valid(verified)
        assert verified["intact"] is not v.problems


def test_text_is_the_buckets_the_changes_and_who_is_blocked_since_when(portfolio: Trend) -> None:
    text = FORMATS["text"](portfolio)
    assert text.startswith("History: 2 portfolio run(s) by quarter, 2026-01-10 to 2026-04-12")
    assert "(also 1 check run(s): --kind check)" in text
    assert "  sepsis: blocked by SRDATA-001; verdict expand -> redesign; data ready -> blocked\n" in text
    blocked = text.split("Blocked now: 3 pilot(s)\n")[1].split("\n\n")[0].splitlines()
    assert blocked[1].split() == ["denials", "2026-01-10", "92", "#1", "SRGOV-003"]
    assert re.search(r"\n  denials +fix gaps +ok +ok +XX +ok +~ +ok +FF\n", text)
    assert all(line == line.rstrip() for line in text.splitlines())


def test_text_shows_control_characters_of_a_record_as_escapes() -> None:
    text = FORMATS["text"](trend([stored(1, "2026-01-01", [pilot("a\x1b[2Jb\nc", "expand")])]))
    assert "\x1b" not in text and "a\\x1b[2Jb\\x0ac" in text


def test_csv_is_a_row_per_pilot_per_bucket_and_no_cell_is_a_formula() -> None:
    runs = [
        stored(
            1, "2026-01-01", [pilot(p, "expand", blocking=("@SUM(1)",)) for p in ("=cmd()", "+1", "-1", "@x")]
        ),
    ]
    rows = list(csv.reader(io.StringIO(FORMATS["csv"](trend(runs)))))
    assert rows[0][:5] == ["kind", "bucket", "bucket_first", "bucket_last", "pilot"]
    assert [r[4] for r in rows[1:]] == ["'+1", "'-1", "'=cmd()", "'@x"]
    assert {r[8] for r in rows[1:]} == {"'@SUM(1)"}
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_html_escapes_every_value_from_a_record(portfolio: Trend) -> None:
    page = FORMATS["html"](portfolio)
    assert "<script" not in page and 'onmouseover="' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "x&quot; onmouseover=&quot;alert(1)" in page
    assert "Content-Security-Policy" in page and page.count("<svg") > 4
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</html>\n")


def test_html_of_check_runs_says_blocked_or_not() -> None:
    page = FORMATS["html"](trend(_runs(), kind="check"))
    assert "Pilots blocked per run" not in page and "Pilots blocked per quarter" in page
    assert "blocked by SRGOV-003" in page and "Readiness per dimension" not in page


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_renders_an_empty_history_and_a_wide_one_the_same_way_twice(name: str) -> None:
    assert FORMATS[name](trend([])) == FORMATS[name](trend([]))
    runs = [
        stored(n, f"2026-{1 + n // 28:02d}-{1 + n % 28:02d}", [pilot(f"p{i}", "expand") for i in range(30)])
        for n in range(1, 60)
    ]
    wide = trend(runs, by="run")
    assert len(wide.buckets) == 59
    assert FORMATS[name](wide) == FORMATS[name](trend(list(reversed(runs)), by="run"))
