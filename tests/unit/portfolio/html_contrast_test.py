"""Every text colour of the portfolio page is readable on every background of it (WCAG AA).

Parsed from the page's CSS itself: each ``color`` is a text colour, each ``background`` a
background, custom properties resolved. The page keeps every background light and every text
colour dark, so the test asks for 4.5:1 on *every* pair, not only the pairs a selector pairs
today: a new nesting of text in a coloured cell cannot fall below it. Chart fills are
graphics, held to 3:1 against the page and the bar track (WCAG 1.4.11).
"""

from __future__ import annotations

import re

import pytest

from govcheck.portfolio.report import _html_style as style

DECLARATION = re.compile(r"(?<![\w-])(color|background|background-color)\s*:\s*([^;}]+)")


def luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of ``#rgb`` or ``#rrggbb``."""
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _variables(css: str) -> dict[str, str]:
    return dict(re.findall(r"(--[\w-]+)\s*:\s*(#[0-9a-fA-F]{3,6})\b", css))


def _colour(value: str, variables: dict[str, str]) -> str:
    value = value.strip()
    ref = re.fullmatch(r"var\((--[\w-]+)\)", value)
    if ref:
        return variables[ref.group(1)]
    found = re.match(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b", value)
    assert found, f"a colour the test cannot read: {value!r} (use #hex or var(--name))"
    return found.group(0)


def colours(css: str) -> tuple[set[str], set[str]]:
    """The text colours and the background colours the CSS declares."""
    variables = _variables(css)
    text: set[str] = set()
    backgrounds = {"#ffffff"}  # the browser's default page is white
    for prop, value in DECLARATION.findall(css):
        (text if prop == "color" else backgrounds).add(_colour(value, variables).lower())
    return text, backgrounds


def test_the_parser_reads_the_page_css() -> None:
    text, backgrounds = colours(style.CSS)
    assert {"#1f2328", "#57606a", "#0550ae", "#116329", "#6c4400", "#a40e26"} <= text
    assert {"#ffffff", "#f6f8fa", "#dafbe1", "#fff8c5", "#ffebe9"} <= backgrounds


def test_every_text_colour_on_every_background_is_at_least_4_5_to_1() -> None:
    text, backgrounds = colours(style.CSS)
    ratios = {(t, b): contrast(t, b) for t in text for b in backgrounds}
    worst = min(ratios, key=ratios.__getitem__)
    failing = {pair: round(r, 2) for pair, r in ratios.items() if r < 4.5}
    assert failing == {}, f"worst {worst}: {ratios[worst]:.2f}"


FILLS = sorted(
    {*style.VERDICT_FILLS.values(), *style.STATUS_FILLS.values(), *style.FALLBACK_FILLS, style.ROADMAP_FILL}
)


@pytest.mark.parametrize("fill", FILLS)
def test_chart_fills_stand_out_from_the_page_and_the_bar_track(fill: str) -> None:
    for background in ("#ffffff", "#f6f8fa"):
        assert contrast(fill, background) >= 3.0, (fill, background)


def test_the_contrast_formula() -> None:
    assert contrast("#000", "#fff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#8c959f", "#f6f8fa") < 3  # the grey the page had before: 2.85:1
