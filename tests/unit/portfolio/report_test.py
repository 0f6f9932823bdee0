"""Portfolio formats without a browser: escaping, anchors, empty portfolios."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

from govcheck.portfolio.report import FORMATS
from govcheck.portfolio.run import PortfolioSettings, run_portfolio
from tests.helpers import write

HOSTILE = '<script>alert("x")</script>'


def _portfolio(tmp_path: Path):  # type: ignore[no-untyped-def]
    write(
        tmp_path / "p.yaml",
        {
            "apiVersion": "govcheck/v1",
            "kind": "AIPilot",
            "metadata": {"id": 'x" onmouseover="alert(1)', "name": HOSTILE},
            "spec": {
                "use_case": "other",
                "risk_tier": "high",
                "stage": "pilot",
                "summary": HOSTILE,
                "scope": {"users": "<b>many</b>"},
                "workflow": {"integration": "standalone", "exceptions_process": HOSTILE},
            },
        },
    )
    write(tmp_path / "bad.yaml", "apiVersion: govcheck/v1\nkind: AIPilot\nmetadata: [<img src=x>\n")
    settings = PortfolioSettings(
        paths=(str(tmp_path / "p.yaml"), str(tmp_path / "bad.yaml")),
        today=dt.date(2026, 11, 25),
        cwd=tmp_path,
        jobs=1,
    )
    return run_portfolio(settings)


def test_html_escapes_everything_from_manifests(tmp_path: Path) -> None:
    page = FORMATS["html"](_portfolio(tmp_path))
    assert "<script" not in page and "<img" not in page and "<b>many" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert 'onmouseover="' not in page and "x&quot; onmouseover=&quot;alert(1)" in page


def test_every_finding_links_to_an_explanation_on_the_page(tmp_path: Path) -> None:
    page = FORMATS["html"](_portfolio(tmp_path))
    links = set(re.findall(r'href="#(rule-[^"]+)"', page))
    anchors = set(re.findall(r'<article class="rule" id="(rule-[^"]+)"', page))
    assert {"rule-gc-schema", "rule-gc-parse", "rule-srwf-001"} <= links <= anchors
    article = page[page.index('id="rule-srwf-001"') :].split("</article>")[0]
    for section in ("Why it matters", "How to fix", "References", "ONC HTI-1 170.315(b)(11)(i)"):
        assert section in article


def test_unreadable_files_are_problems_in_every_format(tmp_path: Path) -> None:
    portfolio = _portfolio(tmp_path)
    assert [f.rule for f in portfolio.problems] == ["GC-PARSE"]
    assert FORMATS["text"](portfolio).splitlines()[-1].startswith("bad.yaml:4:1: error GC-PARSE invalid YAML")
    assert json.loads(FORMATS["json"](portfolio))["problems"][0]["rule"] == "GC-PARSE"
    assert len(list(csv.DictReader(io.StringIO(FORMATS["csv"](portfolio))))) == 1


def test_an_empty_portfolio_renders(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    portfolio = run_portfolio(
        PortfolioSettings(paths=(str(tmp_path / "empty"),), today=dt.date(2026, 11, 25), cwd=tmp_path)
    )
    assert FORMATS["text"](portfolio).splitlines()[0] == "0 pilot(s) as of 2026-11-25: none"
    assert FORMATS["csv"](portfolio).count("\n") == 1
    assert json.loads(FORMATS["json"](portfolio))["totals"]["pilots"] == 0
    assert '<tr class="pilot">' not in FORMATS["html"](portfolio)
