"""Portfolio verdicts, readiness and the consider-stopping rule (docs/portfolio.md)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from govcheck.api import CheckSettings, run_check
from govcheck.errors import UsageError
from govcheck.portfolio.metrics import (
    MetricFacts,
    MetricJudgement,
    add_quarters,
    facts_of,
    judge,
    should_consider_stopping,
)
from govcheck.portfolio.model import Portfolio, build, dimension_of, next_stage, verdict
from govcheck.portfolio.report import DETAILED, FORMATS
from govcheck.portfolio.run import PortfolioSettings, evaluate_portfolio, run_portfolio
from tests.helpers import MINI, write

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "portfolio"
TODAY = dt.date(2026, 11, 25)
STAGES = ("pilot", "expansion", "enterprise")


def portfolio(tmp_path: Path, *paths: str | Path, details: bool = True, **settings: Any) -> Portfolio:
    options = {"today": TODAY, "cwd": tmp_path, "jobs": 1, **settings}
    return run_portfolio(PortfolioSettings(paths=tuple(str(p) for p in paths), **options), details=details)


@pytest.mark.parametrize(
    ("stage", "blocked", "stop", "expected"),
    [
        ("pilot", set(), False, "expand"),
        ("enterprise", set(), False, "expand"),
        ("pilot", {"governance"}, False, "fix-gaps"),
        ("expansion", {"ownership", "monitoring", "metrics", "manifest"}, False, "fix-gaps"),
        ("pilot", {"workflow"}, False, "redesign"),
        ("pilot", {"data"}, False, "redesign"),
        ("expansion", {"data", "governance", "ownership"}, False, "redesign"),
        ("pilot", set(), True, "consider-stopping"),
        ("pilot", {"workflow", "governance"}, True, "consider-stopping"),
        ("retired", {"workflow"}, True, "retired"),
        ("retired", set(), False, "retired"),
        ("", {"governance"}, False, "fix-gaps"),
    ],
)
def test_verdict_precedence(stage: str, blocked: set[str], stop: bool, expected: str) -> None:
    assert verdict(stage, blocked, stop) == expected


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        ("pilot", "expansion"),
        ("expansion", "enterprise"),
        ("enterprise", "enterprise"),
        ("retired", "retired"),
        ("", "expansion"),
        ("sandbox", "expansion"),
    ],
)
def test_next_stage(stage: str, expected: str) -> None:
    assert next_stage(stage, STAGES) == expected


@pytest.mark.parametrize(
    ("category", "dimension"),
    [
        ("workflow", "workflow"),
        ("data", "data"),
        ("governance", "governance"),
        ("ownership", "ownership"),
        ("operating-model", "ownership"),
        ("monitoring", "monitoring"),
        ("metrics", "metrics"),
        ("schema", "manifest"),
    ],
)
def test_categories_map_to_dimensions(category: str, dimension: str) -> None:
    assert dimension_of(category) == dimension


@pytest.mark.parametrize(
    ("day", "quarters", "expected"),
    [
        ("2025-06-02", 3, "2026-03-02"),
        ("2025-11-30", 1, "2026-02-28"),
        ("2023-11-30", 1, "2024-02-29"),
        ("2025-01-31", 0, "2025-01-31"),
        ("2025-10-15", 5, "2027-01-15"),
    ],
)
def test_add_quarters(day: str, quarters: int, expected: str) -> None:
    assert add_quarters(dt.date.fromisoformat(day), quarters).isoformat() == expected


def metric(
    baseline: float | None = 9.5,
    target: float | None = 6.0,
    current: float | None = 9.8,
    measured_on: str = "2026-10-31",
    horizon: int | None = 3,
) -> MetricFacts:
    return MetricFacts("days-to-appeal", baseline, target, current, measured_on, horizon)


# start 2025-06-02 + 3 quarters: the horizon ends 2026-03-02
@pytest.mark.parametrize(
    ("facts", "start", "expected"),
    [
        (metric(current=9.8), "2025-06-02", "no-better"),  # lower is better, and it got worse
        (metric(current=9.5), "2025-06-02", "no-better"),  # equal to the baseline is no better
        (metric(current=9.4), "2025-06-02", "improved"),  # better, though short of the target
        (metric(baseline=82, target=90, current=81), "2025-06-02", "no-better"),  # higher is better
        (metric(baseline=82, target=90, current=83), "2025-06-02", "improved"),
        (metric(measured_on="2026-03-01"), "2025-06-02", "not-due"),  # measured before the horizon ends
        (metric(measured_on="2026-03-02"), "2025-06-02", "no-better"),  # measured on the day it ends
        (metric(baseline=0, target=0, current=1), "2025-06-02", "no-direction"),
        (metric(current=None), "2025-06-02", "incomplete"),
        (metric(baseline=None), "2025-06-02", "incomplete"),
        (metric(target=None), "2025-06-02", "incomplete"),
        (metric(horizon=None), "2025-06-02", "incomplete"),
        (metric(measured_on=""), "2025-06-02", "incomplete"),
        (metric(), "", "incomplete"),  # no start date: no horizon
        (metric(), "soon", "incomplete"),
    ],
)
def test_judge(facts: MetricFacts, start: str, expected: str) -> None:
    assert judge(facts, start).judgement == expected


def judged(*judgements: str) -> tuple[MetricJudgement, ...]:
    return tuple(MetricJudgement(f"m{i}", j, "", None, None, None, "") for i, j in enumerate(judgements))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("judgements", "expected"),
    [
        ((), False),
        (("no-better",), True),
        (("no-better", "no-better"), True),
        (("no-better", "improved"), False),  # one measure beat its baseline: some value
        (("no-better", "not-due", "incomplete"), True),  # only judged metrics count
        (("not-due", "incomplete", "no-direction"), False),  # nothing judged: no evidence either way
        (("improved",), False),
    ],
)
def test_should_consider_stopping(judgements: tuple[str, ...], expected: bool) -> None:
    assert should_consider_stopping(judged(*judgements)) is expected


def test_facts_survive_a_schema_invalid_manifest() -> None:
    data = {
        "metadata": {"name": 3},
        "spec": {
            "stage": ["x"],
            "scope": {"start_date": 20250101},
            "governance": {"approval": {"date": "2025-02-01"}},
            "success_metrics": [
                {"baseline": "9", "target": True, "horizon_quarters": True, "current": "high"},
                "not a metric",
            ],
        },
    }
    facts = facts_of(data, "f.yaml", 0)
    assert (facts.name, facts.stage, facts.start) == (
        "",
        "",
        "2025-02-01",
    )  # start falls back to the approval date
    assert facts.metrics == (MetricFacts("", None, None, None, "", None),)
    assert facts_of({"spec": {"success_metrics": {"a": 1}}}, "f.yaml", 0).metrics == ()


EXPECTED = {
    "ambient-scribe": "expand",
    "coding-assistant": "expand",
    "mammography-second-read": "expand",
    "policy-search": "fix-gaps",  # the baseline's enterprise gate: no tested fallback on file
    "scheduling-assistant": "fix-gaps",
    "sepsis-early-warning": "fix-gaps",
    "discharge-summary": "fix-gaps",
    "portal-message-drafts": "fix-gaps",
    "imaging-triage": "fix-gaps",  # blocked only by the shared data feeds it needs: a platform gap
    "contact-centre-copilot": "redesign",
    "cdi-query-suggestions": "redesign",
    "denials-appeals": "consider-stopping",
    "nursing-knowledge-assistant": "consider-stopping",
    "symptom-chatbot": "retired",
}


def test_the_example_portfolio(tmp_path: Path) -> None:
    result = portfolio(tmp_path, EXAMPLES)
    assert {p.id: p.verdict for p in result.pilots} == EXPECTED
    assert {p.use_case for p in result.pilots} >= {
        "clinical-documentation",
        "coding",
        "denials",
        "patient-access",
        "imaging",
        "contact-center",
        "knowledge-retrieval",
    }
    assert {p.declared_tier for p in result.pilots} == {"low", "moderate", "high", "critical"}
    assert {p.stage for p in result.pilots} == {"pilot", "expansion", "enterprise", "retired"}
    assert not result.problems and not any(
        f.rule.startswith("GC-") for _, d in result.with_details() for f in d.findings
    )
    by_id = {p.id: p for p in result.pilots}
    assert (
        by_id["portal-message-drafts"].tier == "moderate"
        and by_id["portal-message-drafts"].declared_tier == "low"
    )
    # The enterprise gate: an approval scoped to pilot and expansion with a condition still open;
    # innovation-fund money and no decommission plan (operating-model rules, so ownership).
    # Reasons are rule titles, each with its id for the link to the rule's card.
    reasons = by_id["discharge-summary"].reasons
    assert [r.split(":")[0] for r in reasons] == ["governance", "ownership"]
    assert "The approval covers enterprise rollout (SRGOV-014)" in reasons[0]
    assert "A decommission plan exists (OPS-002)" in reasons[1]
    assert by_id["discharge-summary"].readiness["ownership"] == "blocked"  # an operating-model rule
    assert by_id["imaging-triage"].reasons == (
        "data: No pilot-only data condition remains at enterprise scale (DATA-009); The data feeds"
        " reach every site the rollout plans to reach (SRDATA-001); Every site the coverage list"
        " claims is fed by a data source (SRDATA-005); No data condition is still pilot-only at"
        " enterprise rollout (SRDATA-007)",
    )
    assert by_id["sepsis-early-warning"].reasons == (
        "monitoring: Monitoring was reviewed recently (MON-002); Performance was reviewed recently"
        " enough for the risk tier (SRMON-004)",
    )
    # No reason quotes a rule's expression.
    assert not any("`" in r or "spec." in r for p in result.pilots for r in p.reasons)
    assert (
        by_id["denials-appeals"]
        .reasons[0]
        .startswith("days-to-appeal: measured 9.8 on 2026-10-31, past the horizon (2026-03-02)")
    )
    # Retired: listed, not judged.
    retired = by_id["symptom-chatbot"]
    assert set(retired.readiness.values()) == {"not-assessed"} and not retired.reasons
    assert sum(retired.counts.values()) == 0
    # Stopping: the heat map says so too.
    assert by_id["denials-appeals"].readiness["metrics"] == "blocked"
    assert by_id["nursing-knowledge-assistant"].readiness["metrics"] == "blocked"
    t = result.totals
    assert sum(t.verdicts.values()) == len(result.pilots) == 14
    assert all(sum(counts.values()) == 14 for counts in t.by_dimension.values())
    assert (
        sum(sum(row.values()) for row in t.by_category_tier.values())
        == t.severity["error"] + t.severity["warning"]
    )


def test_the_docs_describe_the_example_portfolio_as_it_is(tmp_path: Path) -> None:
    import re

    docs = (ROOT / "docs" / "portfolio.md").read_text(encoding="utf-8")
    section = docs.split("## The example portfolio")[1].split("\n## ")[0]
    rows = re.findall(r"^\| `([a-z-]+)` \| [^|]+ \| ([^|]+) \| ([a-z]+) \| ([a-z ]+) \|", section, re.M)
    shown = {
        pid: (tier.strip(), stage, verdict.strip().replace(" ", "-")) for pid, tier, stage, verdict in rows
    }
    result = portfolio(tmp_path, EXAMPLES, details=False)
    actual = {
        p.id: (
            p.tier if p.tier == p.declared_tier else f"{p.tier} (declared {p.declared_tier})",
            p.stage,
            p.verdict,
        )
        for p in result.pilots
    }
    assert shown == actual


def _beside_its_evidence(path: Path, doc: Any) -> Path:
    """Write a changed example where its evidence files (examples/portfolio/docs) are too."""
    if not (path.parent / "docs").exists():
        shutil.copytree(EXAMPLES / "docs", path.parent / "docs")
    return write(path, doc)


def _example(name: str) -> dict[str, Any]:
    from govcheck.load.yaml import load_all, read_text

    path = EXAMPLES / f"{name}.yaml"
    data: dict[str, Any] = load_all(read_text(path.name, path.read_bytes()), path.name)[0].data
    return data


def test_warnings_alone_do_not_block(tmp_path: Path) -> None:
    doc = _example("coding-assistant")
    del doc["spec"]["monitoring"]["dashboard"]  # SRMON-005 is a warning at the enterprise gate
    (pilot,) = portfolio(tmp_path, _beside_its_evidence(tmp_path / "p.yaml", doc)).pilots
    assert (pilot.verdict, pilot.readiness["monitoring"], dict(pilot.counts)) == (
        "expand",
        "attention",
        {"error": 0, "warning": 1, "info": 0},
    )


def test_one_improved_metric_is_enough_to_keep_going(tmp_path: Path) -> None:
    doc = _example("denials-appeals")
    doc["spec"]["success_metrics"][1]["current"]["value"] = 41.0  # overturn rate now beats its baseline of 38
    ((pilot, detail),) = portfolio(tmp_path, _beside_its_evidence(tmp_path / "p.yaml", doc)).with_details()
    assert [m.judgement for m in detail.metrics] == ["no-better", "improved"]
    # Not a pilot to stop: it is judged on its findings, and days to appeal, still worse than
    # its baseline, is an evidence gap at the gate.
    assert (pilot.verdict, pilot.reasons) == (
        "fix-gaps",
        (
            "metrics: Measured results beat the baseline before expansion (MET-007); Every measured"
            " result has moved the right way from its baseline (SRMET-010)",
        ),
    )


def test_the_horizon_counts_from_approval_when_there_is_no_start_date(tmp_path: Path) -> None:
    doc = _example("denials-appeals")
    del doc["spec"]["scope"]["start_date"]  # approved 2026-05-20: the horizon ends 2027-02-20, not due yet
    ((pilot, detail),) = portfolio(tmp_path, _beside_its_evidence(tmp_path / "p.yaml", doc)).with_details()
    assert {m.judgement for m in detail.metrics} == {"not-due"}
    # No verdict to stop before the horizon; results below baseline are still a gap at the gate.
    assert (pilot.verdict, pilot.reasons) == (
        "fix-gaps",
        (
            "metrics: Measured results beat the baseline before expansion (MET-007); Every measured"
            " result has moved the right way from its baseline (SRMET-010)",
        ),
    )


def test_a_schema_problem_is_a_gap_and_an_unreadable_file_is_not_a_pilot(tmp_path: Path) -> None:
    doc = _example("policy-search")
    doc["spec"]["workflow"]["integration"] = "plugin"
    _beside_its_evidence(tmp_path / "a.yaml", doc)
    write(tmp_path / "b.yaml", "apiVersion: govcheck/v1\nkind: AIPilot\nmetadata: [\n")
    result = portfolio(tmp_path, tmp_path / "a.yaml", tmp_path / "b.yaml")
    (pilot,) = result.pilots
    assert pilot.verdict == "redesign"  # the bad value also fails SRWF-001
    assert [f.rule for f in result.problems] == ["GC-PARSE"]
    doc["spec"]["workflow"]["integration"] = "embedded"
    doc["spec"]["x-owner"] = "ok"
    doc["spec"]["scope"]["users"] = "many"
    (pilot,) = portfolio(tmp_path, _beside_its_evidence(tmp_path / "a.yaml", doc)).pilots
    assert pilot.verdict == "fix-gaps"
    assert pilot.reasons[-1] == "manifest: The manifest follows the pilot manifest schema (GC-SCHEMA)"


def test_progress_is_reported_in_order_and_completely(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    run_portfolio(
        PortfolioSettings(paths=(str(EXAMPLES),), today=TODAY, cwd=tmp_path, jobs=2),
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls[-1] == (14, 14)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "gen_corpus.py"), "300", str(out)], check=True, timeout=120
    )
    return out


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_jobs_do_not_change_the_output(corpus: Path, tmp_path: Path, fmt: str) -> None:
    serial = FORMATS[fmt](portfolio(corpus, corpus, jobs=1))
    assert FORMATS[fmt](portfolio(corpus, corpus, jobs=2)) == serial
    if fmt == "json":
        document = json.loads(serial)
        assert document["totals"]["pilots"] == 300
        assert sum(document["totals"]["verdicts"].values()) == 300


def test_extra_packs_count_in_the_verdict(tmp_path: Path) -> None:
    pack = tmp_path / "extra" / "pack.yaml"
    write(
        pack,
        "apiVersion: govcheck/v1\nkind: PolicyPack\nmetadata: {name: extra, version: '1'}\nrules:\n"
        "  - {id: EXTRA-001, title: A workflow rule, category: workflow, severity: error,\n"
        "     check: {present: spec.workflow.x-lane}, message: needs a lane}\n",
    )
    shutil.copy(EXAMPLES / "coding-assistant.yaml", tmp_path / "p.yaml")
    shutil.copytree(EXAMPLES / "docs", tmp_path / "docs")
    # By default the portfolio judges with the packs check applies at a promotion gate.
    assert [p.name for p in portfolio(tmp_path, tmp_path / "p.yaml").packs] == [
        "healthcare-ai-tiering",
        "healthcare-ai-baseline",
        "scale-readiness",
    ]
    # Named packs replace them, as --pack does for check; the extra pack's rule decides.
    result = portfolio(
        tmp_path, tmp_path / "p.yaml", packs=("healthcare-ai-baseline", "scale-readiness", str(pack.parent))
    )
    assert [p.name for p in result.packs] == [
        "healthcare-ai-tiering",
        "healthcare-ai-baseline",
        "scale-readiness",
        "extra",
    ]
    assert (result.pilots[0].verdict, result.pilots[0].reasons) == (
        "redesign",
        ("workflow: A workflow rule (EXTRA-001)",),
    )
    alone = portfolio(tmp_path, tmp_path / "p.yaml", packs=(str(pack.parent),))
    assert [p.name for p in alone.packs] == ["extra"]


@pytest.mark.parametrize("fmt", sorted(set(FORMATS) - DETAILED))
def test_rows_alone_give_the_text_and_csv_reports(corpus: Path, fmt: str) -> None:
    rows_only = portfolio(corpus, corpus, jobs=2, details=False)
    assert rows_only.details is None
    assert FORMATS[fmt](rows_only) == FORMATS[fmt](portfolio(corpus, corpus, jobs=1))


@pytest.mark.parametrize("fmt", sorted(DETAILED))
def test_json_and_html_refuse_a_portfolio_without_findings(tmp_path: Path, fmt: str) -> None:
    with pytest.raises(ValueError, match="without its pilots' findings and metrics"):
        FORMATS[fmt](portfolio(tmp_path, EXAMPLES, details=False))


def test_a_run_result_built_into_a_portfolio_reports_the_same(corpus: Path) -> None:
    settings = PortfolioSettings(paths=(str(corpus),), today=TODAY, cwd=corpus, jobs=2)
    built, streamed = build(evaluate_portfolio(settings)), run_portfolio(settings)
    for fmt in sorted(FORMATS):
        assert FORMATS[fmt](built) == FORMATS[fmt](streamed), fmt


def test_details_can_be_read_again_in_order(corpus: Path) -> None:
    result = portfolio(corpus, corpus, jobs=2)
    first = [(p.file, len(d.findings)) for p, d in result.with_details()]
    assert first == [(p.file, len(d.findings)) for p, d in result.with_details()]
    assert [file for file, _ in first] == sorted(file for file, _ in first)  # pilot-00001.yaml, ...
    assert sum(n for _, n in first) == sum(result.totals.severity.values())


def test_rows_share_the_values_they_repeat(corpus: Path) -> None:
    pilots = portfolio(corpus, corpus, jobs=2, details=False).pilots
    for field in ("readiness", "counts", "categories", "reasons", "verdict", "tier", "use_case"):
        values = [getattr(p, field) for p in pilots]
        distinct = {repr(v) for v in values}
        assert len({id(v) for v in values}) == len(distinct) < len(values), field


def test_the_portfolio_reads_the_files_check_reads_in_the_same_order(tmp_path: Path) -> None:
    for name in (
        "b/c.yaml",
        "b-c.yaml",
        "b.yaml",
        "a/b/c.yml",
        "a/b.yaml",
        "a.b/x.yaml",
        "B.yaml",
        "a b.yaml",
        ".hidden/x.yaml",
        "node_modules/x.yaml",
        "z/readme.txt",
        "named.yaml",
    ):
        write(tmp_path / name, "kind: AIPilot\n")
    paths = (str(tmp_path / "named.yaml"), str(tmp_path), str(tmp_path / "a") + "/")
    checked = run_check(CheckSettings(paths=paths, packs=(MINI,), cwd=tmp_path, jobs=1))
    reviewed = portfolio(tmp_path, *paths, jobs=1)
    assert [p.file for p in reviewed.pilots] == [m.file for m in checked.manifests]
    # Each file once (named.yaml named and found); .hidden checked, node_modules skipped.
    assert len(checked.manifests) == 10
    with pytest.raises(UsageError, match="nowhere.yaml: no such file or directory"):
        portfolio(tmp_path, tmp_path / "nowhere.yaml")
