"""The history page in a real headless Chromium: quiet, offline, no wider than a phone, and
axe-core finds no serious or critical accessibility violation, for portfolio and check runs.

The browser is the portfolio layout test's (DevTools over a pipe). Skipped with a reason when
Chromium is not installed; a missing axe-core skips only the axe test, except in CI.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from govcheck.history.store import connect
from tests.e2e.portfolio_layout_test import AXE_CANDIDATES, AXE_INSTALL, CHROMIUM, PHONE, Browser, _problems
from tests.unit.history.factory import pilot, record

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None, reason="Chromium is not installed (apt-get install -y chromium chromium-driver)"
    ),
]
HOSTILE = '<img src=x onerror="alert(1)">'


def _records() -> Iterator[object]:
    for month in range(1, 13):
        day = f"2026-{month:02d}-15"
        pilots = [
            pilot(
                f"pilot-{i:02d}",
                ("expand", "fix-gaps", "redesign")[(i + month) % 3],
                blocking=("R-1",) * (i % 2),
            )
            for i in range(12)
        ]
        pilots.append(pilot(HOSTILE, "consider-stopping", metrics="blocked", blocking=("MET-001",)))
        yield record(day, pilots, run_id=f"p{month:02d}")
        yield record(day, [pilot(f"pilot-{i:02d}", blocking=("R-2",) * (month % 2)) for i in range(5)])


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from click.testing import CliRunner

    from govcheck.cli import cli

    folder = tmp_path_factory.mktemp("history")
    url = f"sqlite:///{folder / 'history.db'}"
    with connect(url) as store:
        for r in _records():
            store.append(r)  # type: ignore[arg-type]
    out = {}
    for kind in ("portfolio", "check"):
        out[kind] = folder / f"{kind}.html"
        args = [
            "history",
            "--record",
            url,
            "--kind",
            kind,
            "--by",
            "month",
            "--format",
            "html",
            "-o",
            str(out[kind]),
        ]
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    b = Browser(tmp_path / "profile")
    try:
        yield b
    finally:
        b.close()


@pytest.mark.parametrize("kind", ["portfolio", "check"])
def test_the_page_is_quiet_and_no_wider_than_a_phone(
    browser: Browser, pages: dict[str, Path], kind: str
) -> None:
    page = pages[kind]
    browser.open(page.as_uri(), PHONE, 844)
    widths = browser.js("[document.documentElement.scrollWidth, innerWidth, document.body.scrollWidth]")
    assert widths[0] <= widths[1] == PHONE and widths[2] <= PHONE, widths
    assert browser.js("document.querySelectorAll('svg.spark').length") == (13 if kind == "portfolio" else 5)
    assert browser.js("document.querySelectorAll('img').length") == 0  # the hostile id stayed text
    assert _problems(browser, page) == []


@pytest.mark.parametrize("kind", ["portfolio", "check"])
def test_axe_finds_no_serious_or_critical_violation(
    browser: Browser, pages: dict[str, Path], kind: str
) -> None:
    axe = next((p for p in AXE_CANDIDATES if p.is_file()), None)
    if axe is None:
        message = f"axe-core is not installed: {AXE_INSTALL} (or set GOVCHECK_AXE_CORE)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    for width, height in ((1280, 2000), (PHONE, 844)):
        browser.open(pages[kind].as_uri(), width, height)
        browser.js(axe.read_text(encoding="utf-8"))  # by DevTools, outside the page's CSP
        for unfold in (False, True):
            if unfold:
                browser.js("document.querySelectorAll('details').forEach(d => d.open = true)")
            found = browser.js(
                "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations"
                ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
                ".map(v => [v.id, v.impact, v.help, v.nodes.slice(0, 3).map(n => n.target.join(' '))]))"
            )
            assert found == [], f"{kind} at {width} px, folds {'open' if unfold else 'closed'}: {found}"
