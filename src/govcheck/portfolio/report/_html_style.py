"""The page's only styling: inline, no fonts or images to fetch."""

from __future__ import annotations

CSP = "default-src 'none'; style-src 'unsafe-inline'"

# A backslash at the end of a line joins it to the next (long rules stay on one line of CSS).
CSS = """
:root { --ready: #1a7f37; --attention: #bf8700; --blocked: #cf222e; --none: #8c959f; \
--ink: #1f2328; --rule: #d0d7de; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1400px; padding: 24px; color: var(--ink); background: #fff;
       font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
h1 { font-size: 24px; margin: 0 0 4px; } \
h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid var(--rule); }
h3 { font-size: 15px; margin: 0 0 4px; } h4 { font-size: 13px; margin: 10px 0 2px; }
.meta, small { color: #59636e; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid var(--rule); padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { background: #f6f8fa; position: sticky; top: 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.cards { display: flex; gap: 12px; list-style: none; padding: 0; flex-wrap: wrap; }
.cards li { border: 1px solid var(--rule); border-left-width: 8px; border-radius: 6px; \
padding: 8px 16px; min-width: 150px; }
.cards b { display: block; font-size: 28px; }
.s-ready { background: #dafbe1; color: var(--ready); } .s-attention { background: #fff8c5; color: #7d4e00; }
.s-blocked { background: #ffebe9; color: var(--blocked); font-weight: 600; } \
.s-not-assessed { background: #f6f8fa; color: var(--none); }
.heatmap { width: 100%; } .heatmap td.cell { text-align: center; min-width: 56px; }
.heatmap th small, td.verdict small { font-size: 12px; }
.v-expand { border-left-color: var(--ready) !important; } \
.v-fix-gaps { border-left-color: var(--attention) !important; }
.v-redesign { border-left-color: #8250df !important; } \
.v-consider-stopping { border-left-color: var(--blocked) !important; }
.v-retired { border-left-color: var(--none) !important; }
td.verdict { font-weight: 600; border-left: 6px solid var(--rule); min-width: 220px; }
td.verdict small { font-weight: 400; }
.sev-error { color: var(--blocked); font-weight: 600; } \
.sev-warning { color: #7d4e00; } .sev-info { color: #0969da; }
pre { background: #f6f8fa; padding: 8px; border-radius: 6px; overflow-x: auto; }
article.rule { border: 1px solid var(--rule); border-radius: 6px; padding: 12px 16px; margin: 12px 0; }
article.rule:target { outline: 3px solid #0969da; }
a { color: #0969da; }
"""
