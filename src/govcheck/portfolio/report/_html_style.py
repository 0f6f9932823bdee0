"""The page's only styling: inline, no fonts or images to fetch.

Every background is light and every text colour dark, so any text colour is readable on any
background of the page (WCAG AA, 4.5:1; ``tests/unit/portfolio/html_contrast_test.py`` checks
every pair). Chart fills are not text; they keep 3:1 against the white page (WCAG 1.4.11).
"""

from __future__ import annotations

CSP = "default-src 'none'; style-src 'unsafe-inline'"

# Fills for the verdicts and statuses the model has today; a verdict or status it gains later
# takes the next of FALLBACK_FILLS by its position, so it is drawn in a colour of its own.
VERDICT_FILLS = {
    "expand": "#1a7f37",
    "fix-gaps": "#9a6700",
    "redesign": "#8250df",
    "consider-stopping": "#cf222e",
    "retired": "#6e7781",
}
STATUS_FILLS = {
    "ready": "#1a7f37",
    "attention": "#9a6700",
    "blocked": "#cf222e",
    "not-assessed": "#6e7781",
}
FALLBACK_FILLS = ("#0969da", "#bc4c00", "#1b7c83", "#bf3989", "#57606a", "#4d2d00")
ROADMAP_FILL = "#0969da"


def verdict_fill(verdict: str, position: int) -> str:
    """The fill of a verdict's bars and swatches."""
    return VERDICT_FILLS.get(verdict) or FALLBACK_FILLS[position % len(FALLBACK_FILLS)]


def status_fill(status: str, position: int) -> str:
    """The fill of a readiness status in the dimension chart."""
    return STATUS_FILLS.get(status) or FALLBACK_FILLS[position % len(FALLBACK_FILLS)]


# A backslash at the end of a line joins it to the next (long rules stay on one line of CSS).
CSS = """
:root { --ink: #1f2328; --muted: #57606a; --rule: #d0d7de; --link: #0550ae; --paper: #ffffff; \
--shade: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1400px; padding: 16px; color: var(--ink); background: var(--paper);
       font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       overflow-wrap: break-word; }
h1 { font-size: 24px; margin: 0 0 4px; } \
h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid var(--rule); }
h3 { font-size: 15px; margin: 0 0 4px; display: inline; } h4 { font-size: 13px; margin: 10px 0 2px; }
article.rule h3 { display: block; }
.meta, small { color: var(--muted); }
a { color: var(--link); }
.scroll { max-width: 100%; overflow-x: auto; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid var(--rule); padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { background: var(--shade); color: var(--ink); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.cards { display: flex; gap: 12px; list-style: none; padding: 0; flex-wrap: wrap; }
.cards li { border: 1px solid var(--rule); border-radius: 6px; padding: 8px 16px; min-width: 150px; \
flex: 1 1 150px; }
.cards b { display: block; font-size: 28px; }
.swatch { width: 12px; height: 12px; margin-right: 6px; vertical-align: -1px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 420px), 1fr)); gap: 16px; }
figure.chart { margin: 0; min-width: 0; border: 1px solid var(--rule); border-radius: 6px; padding: 12px; }
.legend { list-style: none; padding: 0; margin: 6px 0; display: flex; flex-wrap: wrap; gap: 4px 14px; \
font-size: 0.93em; }
.chart-row { display: grid; grid-template-columns: minmax(0, 11em) minmax(0, 1fr) 4em; gap: 8px; \
align-items: center; margin: 3px 0; }
.chart-label { font-size: 0.93em; } .chart-total { text-align: right; font-variant-numeric: tabular-nums; }
svg.bar { width: 100%; height: 18px; display: block; background: var(--shade); }
details.numbers > summary, details.page > summary { cursor: pointer; color: var(--link); margin: 6px 0; }
details.group { border: 1px solid var(--rule); border-radius: 6px; padding: 6px 10px; margin: 10px 0; }
details.group > summary { cursor: pointer; padding: 4px 0; }
details.page { margin-left: 8px; }
.heatmap { width: 100%; } .heatmap td.cell { text-align: center; min-width: 56px; }
.heatmap th[scope=row] { min-width: 9em; } .heatmap small { font-size: 0.86em; }
.heatmap th[scope=row] small { overflow-wrap: anywhere; }
td.verdict { font-weight: 600; min-width: 12em; } td.verdict small { font-weight: 400; }
td.findings { min-width: 14em; } td.findings ul { margin: 4px 0; padding-left: 18px; }
.s-ready { background: #dafbe1; color: #116329; } .s-attention { background: #fff8c5; color: #6c4400; }
.s-blocked { background: #ffebe9; color: #a40e26; font-weight: 600; } \
.s-not-assessed { background: var(--shade); color: var(--muted); }
.sev-error { color: #a40e26; font-weight: 600; } .sev-warning { color: #6c4400; } \
.sev-info { color: var(--link); }
pre { background: var(--shade); color: var(--ink); padding: 8px; border-radius: 6px; overflow-x: auto; \
white-space: pre-wrap; }
article.rule { border: 1px solid var(--rule); border-radius: 6px; padding: 12px 16px; margin: 12px 0; }
article.rule:target { outline: 3px solid var(--link); }
@media print {
  @page { size: landscape; margin: 10mm; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  body { max-width: none; padding: 0; font-size: 10px; }
  .scroll { overflow: visible; }
  details.group::details-content, details.page::details-content { content-visibility: visible; \
display: contents; }
  details.numbers > summary, details.page > summary { display: none; }
  thead { display: table-header-group; }
  tr, figure.chart, article.rule, .cards li { break-inside: avoid; }
  .heatmap { width: 100%; table-layout: auto; }
  th, td { padding: 2px 4px; }
  .heatmap td.cell { min-width: 0; } td.verdict, td.findings, .heatmap th[scope=row] { min-width: 0; }
  h2, h3 { break-after: avoid; }
}
"""
