"""The trend of decision records: buckets on the ``today`` axis, blocked streaks, changes, diffs."""

from __future__ import annotations

import subprocess
import sys

from govcheck.history.changes import State, change
from govcheck.history.diff import diff
from govcheck.history.query import pilot_key, trend
from tests.unit.history.factory import finding, pilot, stored


def test_runs_a_quarter_apart_by_today_are_a_quarter_apart_and_the_last_run_of_a_bucket_wins() -> None:
    runs = [
        stored(1, "2026-04-02", [pilot("a", "expand")]),
        # Recorded second, judged as of an earlier day: it comes first on the time axis.
        stored(2, "2026-01-10", [pilot("a", "redesign", data="blocked", blocking=("D-1",))]),
        stored(3, "2026-02-20", [pilot("a", "fix-gaps", governance="attention")]),
    ]
    t = trend(runs)
    assert [(b.key, b.first, b.last, b.runs) for b in t.buckets] == [
        ("2026-Q1", "2026-01-10", "2026-02-20", (2, 3)),
        ("2026-Q2", "2026-04-02", "2026-04-02", (1,)),
    ]
    assert [s.verdict for s in t.pilots[0].states if s] == ["fix-gaps", "expand"]
    assert t.buckets[0].verdicts == {"fix-gaps": 1}
    assert t.buckets[0].readiness["governance"] == {"attention": 1}
    assert [r.position for r in t.runs] == [2, 3, 1] and t.latest == "2026-04-02"


def test_buckets_by_month_and_by_run() -> None:
    runs = [stored(1, "2026-01-31", [pilot("a", "expand")]), stored(2, "2026-02-01", [pilot("a", "expand")])]
    assert [b.key for b in trend(runs, by="month").buckets] == ["2026-01", "2026-02"]
    assert [b.key for b in trend(runs, by="run").buckets] == ["#1", "#2"]
    assert [b.key for b in trend(runs, by="quarter").buckets] == ["2026-Q1"]


def test_a_pilot_absent_from_the_last_run_of_a_bucket_keeps_its_state_there() -> None:
    runs = [
        stored(1, "2026-01-05", [pilot("a", "expand"), pilot("b", "fix-gaps")]),
        stored(2, "2026-01-06", [pilot("a", "redesign")]),
    ]
    (bucket,) = trend(runs).buckets
    assert {k: s.verdict for k, s in bucket.pilots.items()} == {"a": "redesign", "b": "fix-gaps"}


def test_blocked_since_the_first_run_of_the_current_streak_with_its_rules() -> None:
    blocked = pilot("a", "fix-gaps", governance="blocked", blocking=("G-1",))
    runs = [
        stored(1, "2026-01-01", [blocked]),
        stored(2, "2026-02-01", [pilot("a", "expand")]),  # the streak breaks here
        stored(3, "2026-03-01", [blocked]),
        stored(4, "2026-03-15", [pilot("b", "expand")]),  # does not judge a: breaks nothing
        stored(5, "2026-04-10", [pilot("a", "fix-gaps", blocking=("G-1", "G-2"))]),
    ]
    a, b = trend(runs, by="run").pilots
    assert a.since is not None and (a.since.today, a.since.position, a.since.days) == ("2026-03-01", 3, 40)
    assert a.current.blocking == ("G-1", "G-2") and a.current.position == 5
    assert b.since is None and not b.current.blocked
    assert a.states[3] is None  # run 4 did not judge a


def test_regressions_and_improvements_between_the_last_two_buckets() -> None:
    before = [
        pilot("worse-verdict", "fix-gaps"),
        pilot("worse-dimension", "expand"),
        pilot("became-blocked", "expand"),
        pilot("better", "redesign", data="blocked", blocking=("D-1",)),
        pilot("both", "redesign", data="blocked", blocking=("D-1",)),
        pilot("retiring", "expand"),
        pilot("same", "fix-gaps", governance="attention"),
    ]
    after = [
        pilot("worse-verdict", "redesign"),
        pilot("worse-dimension", "expand", monitoring="attention"),
        pilot("became-blocked", "fix-gaps", blocking=("G-1",), governance="blocked"),
        pilot("better", "expand"),
        pilot("both", "fix-gaps", governance="attention", blocking=("G-1",)),
        pilot("retiring", "retired", **{d: "not-assessed" for d in ("workflow", "data")}),
        pilot("same", "fix-gaps", governance="attention"),
        pilot("new", "redesign", data="blocked", blocking=("D-1",)),
    ]
    t = trend([stored(1, "2026-01-01", before), stored(2, "2026-04-01", after)])
    assert {c.pilot: c.worse for c in t.regressed} == {
        "worse-verdict": ("verdict fix-gaps -> redesign",),
        "worse-dimension": ("monitoring ready -> attention",),
        "became-blocked": ("blocked by G-1", "verdict expand -> fix-gaps", "governance ready -> blocked"),
        "both": ("governance ready -> attention",),
    }
    assert {c.pilot: c.better for c in t.improved} == {
        "better": ("no longer blocked", "verdict redesign -> expand", "data blocked -> ready"),
        "both": ("verdict redesign -> fix-gaps", "data blocked -> ready"),
    }


def test_a_dimension_becoming_blocked_from_not_assessed_is_a_regression_but_not_the_reverse() -> None:
    def s(status: str) -> State:
        return State(1, "2026-01-01", readiness={"data": status})

    assert change("a", s("not-assessed"), s("blocked")).worse == ("data not-assessed -> blocked",)
    assert change("a", s("blocked"), s("not-assessed")).better == ()
    assert change("a", s("attention"), s("blocked")).worse == ("data attention -> blocked",)


def test_pilots_each_rule_blocked_per_bucket() -> None:
    runs = [
        stored(1, "2026-01-01", [pilot("a", blocking=("R-1",)), pilot("b", blocking=("R-1", "R-2"))]),
        stored(2, "2026-04-01", [pilot("a", blocking=("R-2",)), pilot("b")]),
    ]
    assert trend(runs).rules == (("R-1", (2, 0)), ("R-2", (1, 1)))


def test_kinds_are_kept_apart_portfolio_first() -> None:
    runs = [
        stored(1, "2026-01-01", [pilot("a", blocking=("R-1",))]),
        stored(2, "2026-01-02", [pilot("a", "expand")]),
    ]
    assert trend(runs).kind == "portfolio" and trend(runs).runs[0].position == 2
    checks = trend(runs, kind="check")
    assert checks.kinds == {"check": 1, "portfolio": 1}
    assert [r.position for r in checks.runs] == [1]
    assert checks.pilots[0].current.verdict == "" and checks.pilots[0].current.blocked
    assert trend(runs[:1]).kind == "check"


def test_a_pilot_is_its_id_else_its_file_and_two_documents_of_one_id_merge() -> None:
    assert pilot_key(pilot("", file="x.yaml")) == "x.yaml"
    assert pilot_key(pilot("", file="x.yaml", document=2)) == "x.yaml#2"
    twice = [
        pilot("a", "expand", file="one.yaml"),
        pilot("a", "redesign", data="attention", blocking=("D-1",), file="two.yaml"),
    ]
    (p,) = trend([stored(1, "2026-01-01", twice)]).pilots
    assert (p.current.verdict, p.current.readiness["data"], p.current.blocking) == (
        "redesign",
        "attention",
        ("D-1",),
    )


def test_only_the_pilot_asked_for() -> None:
    runs = [stored(1, "2026-01-01", [pilot("a", "expand"), pilot("b", "expand")])]
    assert [p.pilot for p in trend(runs, pilot="b").pilots] == ["b"]
    assert trend([]).buckets == () and trend([]).latest == ""


def test_an_unreadable_today_is_a_bucket_of_its_own_and_no_days() -> None:
    runs = [stored(1, "someday", [pilot("a", blocking=("R-1",))])]
    t = trend(runs)
    assert t.buckets[0].key == "(no date)" and t.pilots[0].since is not None
    assert t.pilots[0].since.days is None


def test_diff_opens_closes_and_waives_by_fingerprint() -> None:
    a = stored(
        1,
        "2026-01-01",
        [pilot("p", "fix-gaps", blocking=("R-1",), governance="blocked")],
        findings=[
            finding("p", "R-1"),
            finding("p", "R-2"),
            finding("p", "R-3"),
            finding("p", "R-4", waiver="dana|2026-06-01|CHG-1"),
        ],
    )
    b = stored(
        2,
        "2026-02-01",
        [pilot("p", "expand")],
        findings=[
            finding("p", "R-2", line=9),  # moved: still the same finding
            finding("p", "R-3", waiver="dana|2026-06-01|CHG-2"),
            finding("p", "R-4"),  # its waiver lapsed
            finding("p", "R-5"),
        ],
    )
    d = diff(a, b)
    assert [f.rule for f in d.opened] == ["R-4", "R-5"]
    assert [f.rule for f in d.closed] == ["R-1"]
    assert [(f.rule, f.waiver) for f in d.waived] == [("R-3", "dana|2026-06-01|CHG-2")]
    assert [(f.rule, f.line) for f in d.still_open] == [("R-2", 9)]
    assert [c.pilot for c in d.improved] == ["p"] and d.regressed == ()
    assert (d.before.position, d.after.position) == (1, 2)


def test_the_queries_and_reports_import_no_database_library() -> None:
    code = (
        "import sys, govcheck.history.query, govcheck.history.diff, govcheck.history.report;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'psycopg')))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout == "[]\n"
