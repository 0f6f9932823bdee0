"""What a policy change would do, as text, JSON or one offline HTML page (``--compare-pack``).

Every format gives the same things: the packs before and after, the pilots changing verdict
(with the moves between verdicts), the verdicts on each side, the blocking findings added and
removed per rule, and for every pilot its verdict and blocking findings before and after.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from dataclasses import asdict
from typing import Any

from govcheck import __version__
from govcheck.model import PackInfo
from govcheck.portfolio.compare import Comparison, PilotChange, verdict_counts
from govcheck.portfolio.model import FindingRow
from govcheck.portfolio.report._common import VERDICT_LABELS, Sink
from govcheck.portfolio.report.html import anchor, e, page_start

FORMAT_VERSION = "govcheck-portfolio-compare/1"


def _packs(packs: tuple[PackInfo, ...]) -> str:
    return ", ".join(f"{p.name} {p.version}" for p in packs)


def _label(verdict: str) -> str:
    return VERDICT_LABELS.get(verdict, verdict)


def _titles(c: Comparison) -> dict[str, str]:
    return {r.id: r.title for r in (*c.before.rules, *c.after.rules)}


def _rules_of(findings: tuple[FindingRow, ...]) -> list[str]:
    return sorted({f.rule for f in findings})


# ------------------------------------------------------------------ text


def _text_lines(c: Comparison) -> Iterator[str]:
    yield f"policy change as of {c.before.today}"
    yield f"  before: {_packs(c.packs_before)}"
    yield f"  after:  {_packs(c.packs_after)}"
    if c.replaced:
        yield f"  replaced: {', '.join(c.replaced)}"
    if c.added_packs:
        yield f"  added: {', '.join(c.added_packs)}"
    yield f"pilots changing verdict: {c.changed} of {len(c.pilots)}"
    for before, after, n in c.transitions:
        yield f"  {_label(before)} -> {_label(after)}: {n}"
    for side, later in (("before", False), ("after", True)):
        counts = verdict_counts(c.pilots, later)
        yield f"verdicts {side}: " + ", ".join(f"{n} {_label(v)}" for v, n in counts.items() if n)
    titles = _titles(c)
    added, removed = sum(r.added for r in c.by_rule), sum(r.removed for r in c.by_rule)
    yield f"blocking findings: {added} added, {removed} removed"
    for r in c.by_rule:
        yield f"  {r.rule}  +{r.added}  -{r.removed}  {titles.get(r.rule, '')}".rstrip()
    changed = [p for p in c.pilots if p.changed or p.added or p.removed]
    if changed:
        yield "pilots:"
    for p in changed:
        moves = [f"+{r}" for r in _rules_of(p.added)] + [f"-{r}" for r in _rules_of(p.removed)]
        verdicts = f"{_label(p.verdict_before)} -> {_label(p.verdict_after)}"
        yield f"  {p.pilot}: {verdicts}  {' '.join(moves)}".rstrip()


def write_text(c: Comparison, out: Sink) -> None:
    """Packs, totals, per-rule changes, then each pilot whose verdict or blocking findings change."""
    out.write("\n".join(_text_lines(c)) + "\n")


# ------------------------------------------------------------------ json


def _finding(f: FindingRow) -> dict[str, Any]:
    return f._asdict()


def _pilot(p: PilotChange) -> dict[str, Any]:
    return {
        "pilot": p.pilot,
        "file": p.file,
        "document": p.document,
        "verdict_before": p.verdict_before,
        "verdict_after": p.verdict_after,
        "changed": p.changed,
        "blocking_before": [_finding(f) for f in p.blocking_before],
        "blocking_after": [_finding(f) for f in p.blocking_after],
        "added": [_finding(f) for f in p.added],
        "removed": [_finding(f) for f in p.removed],
    }


def document(c: Comparison) -> dict[str, Any]:
    """The comparison as one JSON value (the shape is in docs/portfolio.md)."""
    return {
        "format": FORMAT_VERSION,
        "tool": {"name": "govcheck", "version": __version__},
        "today": c.before.today,
        "packs_before": [asdict(p) for p in c.packs_before],
        "packs_after": [asdict(p) for p in c.packs_after],
        "replaced": list(c.replaced),
        "added": list(c.added_packs),
        "totals": {
            "pilots": len(c.pilots),
            "changed": c.changed,
            "transitions": [{"before": a, "after": b, "pilots": n} for a, b, n in c.transitions],
            "verdicts_before": verdict_counts(c.pilots, False),
            "verdicts_after": verdict_counts(c.pilots, True),
            "findings_added": sum(r.added for r in c.by_rule),
            "findings_removed": sum(r.removed for r in c.by_rule),
        },
        "by_rule": [{"rule": r.rule, "added": r.added, "removed": r.removed} for r in c.by_rule],
        "pilots": [_pilot(p) for p in c.pilots],
    }


def write_json(c: Comparison, out: Sink) -> None:
    out.write(json.dumps(document(c), indent=2, ensure_ascii=False) + "\n")


# ------------------------------------------------------------------ html


def _rule_link(rule: str, titles: dict[str, str]) -> str:
    title = titles.get(rule, "")
    return f'<a href="#{anchor(rule)}" title="{e(title)}">{e(rule)}</a>'


def _html_body(c: Comparison) -> Iterator[str]:
    titles = _titles(c)
    yield (
        f"<header><h1>What the policy change would do, as of {e(c.before.today)}</h1>"
        f'<p class="meta">before: {e(_packs(c.packs_before))}<br>after: {e(_packs(c.packs_after))}</p>'
        "</header><main>"
    )
    moves = "".join(f"<li>{e(_label(a))} &rarr; {e(_label(b))}: {n:,}</li>" for a, b, n in c.transitions)
    yield (
        f'<section id="summary"><h2>{c.changed:,} of {len(c.pilots):,} pilot(s) change verdict</h2>'
        f"<ul>{moves}</ul></section>"
    )
    rows = "".join(
        f'<tr><th scope="row">{_rule_link(r.rule, titles)}</th><td>{e(titles.get(r.rule, ""))}</td>'
        f"<td>{r.added:,}</td><td>{r.removed:,}</td></tr>"
        for r in c.by_rule
    )
    yield (
        '<section id="by-rule"><h2>Blocking findings per rule</h2>'
        '<div class="scroll" tabindex="0" role="region" aria-label="Blocking findings per rule">'
        '<table><thead><tr><th scope="col">Rule</th><th scope="col">Title</th>'
        '<th scope="col">Added</th><th scope="col">Removed</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div></section>"
    )
    pilot_rows = "".join(
        f'<tr><th scope="row">{e(p.pilot)}<br><small>{e(p.file)}</small></th>'
        f"<td>{e(_label(p.verdict_before))}</td><td>{e(_label(p.verdict_after))}</td>"
        f"<td>{', '.join(_rule_link(r, titles) for r in _rules_of(p.added))}</td>"
        f"<td>{', '.join(_rule_link(r, titles) for r in _rules_of(p.removed))}</td></tr>"
        for p in c.pilots
    )
    yield (
        '<section id="pilots"><h2>Every pilot, before and after</h2>'
        '<div class="scroll" tabindex="0" role="region" aria-label="Every pilot, before and after">'
        '<table><thead><tr><th scope="col">Pilot</th><th scope="col">Verdict before</th>'
        '<th scope="col">Verdict after</th><th scope="col">Blocking findings added</th>'
        '<th scope="col">Removed</th></tr></thead>'
        f"<tbody>{pilot_rows}</tbody></table></div></section>"
    )
    cards = "".join(
        f'<article class="rule" id="{anchor(rule)}"><h3>{e(rule)}: {e(titles.get(rule, ""))}</h3></article>'
        for rule in sorted({r.rule for r in c.by_rule})
    )
    yield f'<section id="rules"><h2>Rules</h2>{cards}</section></main>'


def write_html(c: Comparison, out: Sink) -> None:
    """One self-contained page, no scripts, in the portfolio page's style."""
    out.write(page_start("Policy change preview"))
    for part in _html_body(c):
        out.write(part + "\n")
    out.write("</body></html>\n")


CompareWriter = Callable[[Comparison, Sink], None]
COMPARE_WRITERS: dict[str, CompareWriter] = {"text": write_text, "json": write_json, "html": write_html}


def render(c: Comparison, fmt: str) -> str:
    """One format of the comparison as a string."""
    out = io.StringIO()
    COMPARE_WRITERS[fmt](c, out)
    return out.getvalue()
