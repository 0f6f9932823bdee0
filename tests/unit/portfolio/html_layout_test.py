"""The portfolio page's structure without a browser: charts, verdict groups, folds, pages, roadmap."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from govcheck.portfolio import model
from govcheck.portfolio.report import _html_charts as charts
from govcheck.portfolio.report import html
from govcheck.portfolio.roadmap import RoadmapStep
from govcheck.portfolio.run import PortfolioSettings, run_portfolio

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples" / "portfolio"


@pytest.fixture(scope="module")
def examples() -> model.Portfolio:
    settings = PortfolioSettings(paths=(str(EXAMPLES),), today=dt.date(2026, 11, 25), cwd=ROOT, jobs=1)
    return run_portfolio(settings)


def _many(base: model.Portfolio, verdicts: Sequence[str]) -> model.Portfolio:
    """A portfolio of one example pilot repeated, one row per verdict given, totals recomputed.

    The pilot is the one with the most findings.
    """
    first, detail = max(base.with_details(), key=lambda pd: len(pd[1].findings))
    pilots = [dataclasses.replace(first, id=f"p-{i}", verdict=v) for i, v in enumerate(verdicts)]
    return dataclasses.replace(
        base, pilots=tuple(pilots), totals=model.totals(pilots), details=[detail] * len(pilots)
    )


@pytest.mark.parametrize("counts", [[1, 2, 3], [0, 5, 0], [999, 1], [1, 1, 1], [7], [0, 0], [333, 333, 334]])
def test_bar_shares_add_up_and_keep_every_count_visible(counts: list[int]) -> None:
    shares = charts.shares(counts, sum(counts))
    assert sum(shares) == (charts.VIEW if sum(counts) else 0)
    assert all(s > 0 for s, c in zip(shares, counts, strict=True) if c)
    assert all(s == 0 for s, c in zip(shares, counts, strict=True) if not c)
    assert charts.shares(counts, sum(counts)) == shares


def test_summaries_come_before_the_pilots_and_charts_draw_the_totals(examples: model.Portfolio) -> None:
    page = html.render(examples)
    order = [page.index(f'id="{ident}"') for ident in ("summary", "charts", "pilots", "rules")]
    assert order == sorted(order)
    for ident in ("chart-by-tier", "chart-by-use-case", "chart-readiness"):
        figure = page[page.index(f'id="{ident}"') :].split("</figure>")[0]
        assert "<svg" in figure and "<rect" in figure
    tiers = page[page.index('id="chart-by-tier"') :].split("</figure>")[0]
    assert tiers.count('class="chart-row"') == len(examples.totals.by_tier)
    readiness = page[page.index('id="chart-readiness"') :].split("</figure>")[0]
    assert readiness.count('class="chart-row"') == len(model.DIMENSIONS)
    assert html.render(examples) == page  # the same bytes every time


def test_pilots_are_grouped_by_verdict_with_counts_in_the_models_order(examples: model.Portfolio) -> None:
    page = html.render(examples)
    groups = re.findall(r'<details class="group" id="group-([\w-]+)"', page)
    present = [v for v in examples.totals.verdicts if examples.totals.verdicts[v]]
    assert groups == present
    for v in present:
        group = page[page.index(f'id="group-{v}"') :].split('<details class="group"')[0]
        assert f": {examples.totals.verdicts[v]:,} pilot(s)" in group
        assert group.count('<tr class="pilot">') == examples.totals.verdicts[v]
    assert page.count('<tr class="pilot">') == len(examples.pilots)


def _with_roadmap(examples: model.Portfolio, steps: tuple[RoadmapStep, ...]) -> model.Portfolio:
    @dataclasses.dataclass(frozen=True)
    class WithRoadmap(model.Portfolio):
        roadmap: tuple[RoadmapStep, ...] = ()  # type: ignore[assignment]

    fields = {f.name: getattr(examples, f.name) for f in dataclasses.fields(examples)}
    return WithRoadmap(**fields, roadmap=steps)


def test_no_roadmap_is_drawn_without_roadmap_data(examples: model.Portfolio) -> None:
    page = html.render(_with_roadmap(examples, ()))
    assert "chart-roadmap" not in page and "Capability roadmap" not in page


def test_the_roadmap_is_drawn_when_the_model_carries_one(examples: model.Portfolio) -> None:
    steps = (
        RoadmapStep("shared data feeds <x>", 5, 3, 3, ("R-1",), ("a", "b"), ("a",)),
        RoadmapStep("identity matching", 2, 2, 5, ("R-2",), ("b",), ("b",)),
    )
    page = html.render(_with_roadmap(examples, steps))
    figure = page[page.index('id="chart-roadmap"') :].split("</figure>")[0]
    assert figure.count('class="chart-row"') == 2
    assert "shared data feeds &lt;x&gt;" in figure and "<x>" not in figure
    assert ">5</span>" in figure  # 3 + 2 unblocked once both are built
    table = page[page.index('<section id="roadmap">') :].split("</section>")[0]
    assert table.count("<tr><td>") == 2 and "3 (3 so far)" in table and "<x>" not in table


def test_a_verdict_the_report_does_not_know_is_still_shown(examples: model.Portfolio) -> None:
    portfolio = _many(examples, ["expand", "fix-platform-gaps", "fix-platform-gaps"])
    page = html.render(portfolio)
    assert 'id="group-fix-platform-gaps"' in page and "fix platform gaps: 2 pilot(s)" in page
    tiers = page[page.index('id="chart-by-tier"') :].split("</figure>")[0]
    assert "fix platform gaps" in tiers


def test_a_large_portfolio_opens_folded_and_long_groups_are_paged(examples: model.Portfolio) -> None:
    verdicts = ["consider-stopping"] * 3 + ["redesign"] * (html.PAGE * 2 + 7) + ["expand"] * 40
    page = html.render(_many(examples, verdicts))
    opened = dict(re.findall(r'<details class="group" id="group-([\w-]+)"( open)?', page))
    assert opened == {"consider-stopping": " open", "redesign": "", "expand": ""}
    redesign = page[page.index('id="group-redesign"') :].split('<details class="group"')[0]
    assert re.findall(r'<details class="page"><summary>pilots ([\d&;a-z]+)</summary>', redesign) == [
        f"1&ndash;{html.PAGE}",
        f"{html.PAGE + 1}&ndash;{2 * html.PAGE}",
        f"{2 * html.PAGE + 1}&ndash;{2 * html.PAGE + 7}",
    ]
    assert redesign.count('<tr class="pilot">') == html.PAGE * 2 + 7
    assert page.count('<tr class="pilot">') == len(verdicts)


def test_a_small_portfolio_opens_every_group(examples: model.Portfolio) -> None:
    assert len(examples.pilots) <= html.SCREENFUL
    page = html.render(examples)
    assert not re.search(r'<details class="group" id="[\w-]+">', page)


def test_a_newline_in_manifest_text_keeps_one_row_a_line(examples: model.Portfolio) -> None:
    (first, detail), *_ = examples.with_details()
    row = dataclasses.replace(first, name="two\nlines", reasons=("a\nb",))
    portfolio = dataclasses.replace(examples, pilots=(row,), totals=model.totals([row]), details=[detail])
    page = html.render(portfolio)
    assert "two&#10;lines" in page and page.count('<tr class="pilot">') == 1


def test_beyond_the_limit_findings_are_listed_by_rule_without_messages(
    examples: model.Portfolio, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, detail = max(examples.with_details(), key=lambda pd: len(pd[1].findings))
    assert len(detail.findings) > 1
    few = html.render(_many(examples, ["redesign"] * 3))
    monkeypatch.setattr(html, "MESSAGES_UP_TO", 2)
    many = html.render(_many(examples, ["redesign"] * 3))
    message = html.e(detail.findings[0].message)
    assert message in few and message not in many
    assert "listed by rule" in many and "--format json" in many
    for f in detail.findings:
        assert f'href="#{html.anchor(f.rule)}"' in many
    assert len(many) < len(few)
