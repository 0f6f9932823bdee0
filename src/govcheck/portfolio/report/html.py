"""One self-contained HTML page a governance committee reads at a glance, at any size.

Summaries come first: verdict counts, then inline SVG charts (verdicts by tier and by use case,
readiness per dimension, and the capability roadmap when the portfolio carries one). Then the
pilots, grouped by verdict with counts: each group a ``<details>`` that is open only while the
page is still within its first screenful, and a group of more than ``PAGE`` pilots split into
pages of its own, so that 10,000 pilots stay a page a browser opens quickly and a person can
scan. Each pilot's row carries its readiness, verdict and reasons, and its findings folded away;
every finding links to its rule's card at the end of the page.

No scripts, fonts or images; the page forbids fetching anything (Content-Security-Policy).
Everything that comes from a manifest or a pack is escaped. Verdicts, statuses and dimensions
are whatever the portfolio model carries (``portfolio.model``), in its order: a verdict this
module has no wording or colour for is still shown, with its key as its label.
"""

from __future__ import annotations

import html
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from typing import IO

from govcheck.model import RuleInfo
from govcheck.portfolio.model import (
    DIMENSIONS,
    RETIRED,
    STATUSES,
    FindingRow,
    PilotDetail,
    PilotReadiness,
    Portfolio,
    dimension_of,
    unlisted_rule,
)
from govcheck.portfolio.report._common import (
    STATUS_LABELS,
    VERDICT_LABELS,
    Sink,
    pilot_label,
    some_pilots,
    tier_text,
    to_string,
)
from govcheck.portfolio.report._html_charts import RoadmapStep, Series, roadmap, stacked_bars
from govcheck.portfolio.report._html_style import (
    CSP,
    CSS,
    ROADMAP_FILL,
    status_fill,
    verdict_fill,
)

VERDICT_MEANING = {
    "expand": "passes every blocking rule of its next gate",
    "fix-gaps": "blocked only by governance, ownership, operating-model, monitoring or metrics-evidence gaps",
    "redesign": "blocked by workflow or data findings",
    "consider-stopping": "measured results past the metric's horizon are no better than baseline",
    "retired": "retired; listed, not judged",
}
SCREENFUL = 25  # pilot rows that may be open when the page loads; groups after that start folded
PAGE = 250  # a verdict group longer than this is split into folded pages of this many pilots
# Up to this many pilots every finding is listed with its message. Beyond it a pilot's findings
# are listed by rule (with counts), and the messages are left to the json format: tens of
# findings a pilot for 10,000 pilots would make a page of 100 MB that a browser takes many
# seconds to open, for detail a committee does not read there.
MESSAGES_UP_TO = 1000


def e(value: object) -> str:
    """Text escaped for HTML content and quoted attributes: all text from a manifest or pack passes here."""
    return html.escape(str(value), quote=True)


def anchor(rule: str) -> str:
    """The element id of a rule's explanation; a character other than a letter, digit or ``-`` becomes ``_``.

    A rule id is pack text, so it is reduced to characters that need no escaping in an id or a link.
    """
    return "rule-" + "".join(c if c.isalnum() or c == "-" else "_" for c in rule.lower())


def _slug(key: str) -> str:
    return "".join(c if c.isalnum() or c == "-" else "_" for c in key.lower())


def verdict_label(verdict: str) -> str:
    """A verdict's words; one this module does not know reads as its key."""
    return VERDICT_LABELS.get(verdict, verdict.replace("-", " "))


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status.replace("-", " "))


def verdicts_of(portfolio: Portfolio) -> list[str]:
    """The verdicts to show, in the model's order (its totals), then any only the rows carry."""
    order = list(portfolio.totals.verdicts)
    seen = set(order)
    for p in portfolio.pilots:
        if p.verdict not in seen:
            seen.add(p.verdict)
            order.append(p.verdict)
    return order


def _row(cells: Iterable[str], cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<tr{attr}>" + "".join(cells) + "</tr>"


def _head(*names: str) -> str:
    return "<thead>" + _row(f'<th scope="col">{e(n)}</th>' for n in names) + "</thead>"


def _swatch(colour: str) -> str:
    return (
        '<svg class="swatch" viewBox="0 0 10 10" aria-hidden="true" focusable="false">'
        f'<rect width="10" height="10" fill="{e(colour)}"/></svg>'
    )


def _cards(portfolio: Portfolio, verdicts: Sequence[str]) -> str:
    counts = portfolio.totals.verdicts
    items = []
    for i, v in enumerate(verdicts):
        n = counts.get(v, sum(1 for p in portfolio.pilots if p.verdict == v))
        meaning = f"<br><small>{e(VERDICT_MEANING[v])}</small>" if v in VERDICT_MEANING else ""
        target = f'<a href="#group-{_slug(v)}">{e(verdict_label(v))}</a>' if n else e(verdict_label(v))
        items.append(f"<li>{_swatch(verdict_fill(v, i))}<b>{n:,}</b>{target}{meaning}</li>")
    return '<section id="summary"><h2>Verdicts</h2><ul class="cards">' + "".join(items) + "</ul></section>"


def _scroll(name: str) -> str:
    """A table's own scrolling box: on a narrow screen the table scrolls, never the page.

    Focusable and named, so that keyboard users can scroll it too (WCAG 2.1.1).
    """
    return f'<div class="scroll" tabindex="0" role="region" aria-label="{e(name)}">'


def _matrix(
    table: Mapping[str, Mapping[str, int]], columns: Iterable[str], name: str, label: str = ""
) -> str:
    columns = [c for c in columns if any(c in row for row in table.values())]
    body = "".join(
        _row(
            [
                f'<th scope="row">{e(k)}</th>',
                *(f'<td class="num">{row.get(c, 0)}</td>' for c in columns),
                f'<td class="num">{sum(row.values())}</td>',
            ]
        )
        for k, row in table.items()
    )
    names = [verdict_label(c) if label == "verdict" else c for c in columns]
    return f"{_scroll(name)}<table>{_head('', *names, 'total')}<tbody>{body}</tbody></table></div>"


def _numbers(table: str) -> str:
    return f'<details class="numbers"><summary>The numbers</summary>{table}</details>'


def _verdict_chart(
    ident: str, title: str, table: Mapping[str, Mapping[str, int]], verdicts: Sequence[str]
) -> str:
    series = [Series(v, verdict_label(v), verdict_fill(v, i)) for i, v in enumerate(verdicts)]
    return stacked_bars(
        ident, title, list(table.items()), series, _numbers(_matrix(table, verdicts, title, "verdict"))
    )


def _readiness_chart(portfolio: Portfolio) -> str:
    by_dimension = portfolio.totals.by_dimension
    statuses = list(STATUSES) + sorted({s for row in by_dimension.values() for s in row} - set(STATUSES))
    series = [Series(s, status_label(s), status_fill(s, i)) for i, s in enumerate(statuses)]
    rows = [(d.capitalize(), counts) for d, counts in by_dimension.items()]
    table = _matrix({d.capitalize(): c for d, c in by_dimension.items()}, statuses, "Readiness per dimension")
    return stacked_bars("chart-readiness", "Readiness per dimension (pilots)", rows, series, _numbers(table))


def roadmap_steps(portfolio: Portfolio) -> list[RoadmapStep]:
    """The capability roadmap the model carries, as chart steps; none when it carries none.

    The one place that reads the roadmap from the model: a portfolio without a ``roadmap``
    (an iterable of steps with ``capability``, ``blocks`` and ``unblocked``) draws no roadmap.
    """
    steps = getattr(portfolio, "roadmap", None) or ()
    return [RoadmapStep(str(s.capability), int(s.blocks), int(s.unblocked)) for s in steps]


def _charts(portfolio: Portfolio, verdicts: Sequence[str]) -> str:
    judged = sum(1 for p in portfolio.pilots if p.verdict != RETIRED)
    parts = [
        _verdict_chart("chart-by-tier", "Verdicts by tier", portfolio.totals.by_tier, verdicts),
        _verdict_chart("chart-by-use-case", "Verdicts by use case", portfolio.totals.by_use_case, verdicts),
        _readiness_chart(portfolio),
        roadmap(roadmap_steps(portfolio), ROADMAP_FILL, judged),
    ]
    return f'<section id="charts"><h2>At a glance</h2><div class="charts">{"".join(parts)}</div></section>'


def _rule_links(rules: Iterable[str]) -> str:
    return ", ".join(f'<a href="#{anchor(r)}">{e(r)}</a>' for r in rules)


def _roadmap_table(portfolio: Portfolio) -> str:
    """The roadmap with what stands behind each step: the rules naming it and the pilots it blocks."""
    steps = portfolio.roadmap
    if not steps:
        return ""
    rows = "".join(
        f'<tr><td>{n}</td><th scope="row">{e(s.capability)}</th><td>{s.blocks:,}</td>'
        f"<td>{s.unblocked:,} ({s.unblocked_so_far:,} so far)</td>"
        f"<td>{_rule_links(s.rules)}</td><td>{e(some_pilots(s.pilots))}</td></tr>"
        for n, s in enumerate(steps, 1)
    )
    return (
        '<section id="roadmap"><h2>Capability roadmap</h2><p>Enterprise capabilities that block pilots,'
        " in the order that unblocks the most: a pilot is unblocked once every capability blocking it"
        " is built and nothing else blocks it.</p>"
        + _scroll("Capability roadmap")
        + '<table class="roadmap">'
        + _head("Step", "Capability", "Blocks", "Unblocks", "Rules", "Pilots")
        + f"<tbody>{rows}</tbody></table></div></section>"
    )


def _finding(p: PilotReadiness, f: FindingRow) -> str:
    where = f"{f.line}:{f.column}" if f.file == p.file else f"{f.file}:{f.line}:{f.column}"
    return (
        f'<li><a href="#{anchor(f.rule)}">{e(f.rule)}</a> <span class="sev-{_slug(f.severity)}">'
        f"{e(f.severity)}</span> {e(f.message)} "
        f"<small>({e(dimension_of(f.category))}, {e(where)})</small></li>"
    )


def _findings(p: PilotReadiness, d: PilotDetail) -> str:
    if not d.findings:
        return '<td class="findings">none at its next gate</td>'
    items = "".join(_finding(p, f) for f in d.findings)
    return (
        f'<td class="findings"><details><summary>{len(d.findings)} finding(s)</summary>'
        f"<ul>{items}</ul></details></td>"
    )


def _findings_by_rule(d: PilotDetail) -> str:
    """A large portfolio's findings cell: per severity, the rules that found something, and how often."""
    if not d.findings:
        return '<td class="findings">none at its next gate</td>'
    by_severity: dict[str, dict[str, int]] = {}
    for f in d.findings:
        rules = by_severity.setdefault(f.severity, {})
        rules[f.rule] = rules.get(f.rule, 0) + 1
    parts = []
    for severity, rules in by_severity.items():
        links = ", ".join(
            f'<a href="#{anchor(rule)}">{e(rule)}</a>' + (f" &times;{n}" if n > 1 else "")
            for rule, n in rules.items()
        )
        parts.append(f'<span class="sev-{_slug(severity)}">{e(severity)}</span>: {links}')
    return (
        f'<td class="findings"><details><summary>{len(d.findings)} finding(s)</summary>'
        f"<p>{'<br>'.join(parts)}</p></details></td>"
    )


# A rule id in brackets at the end of a reason's clause: "Title (SRDATA-001)".
_RULE_IN_REASON = re.compile(r"\(([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)\)")


def reason_html(reason: str) -> str:
    """A reason in words, each rule id in it a link to that rule's card further down the page."""
    return _RULE_IN_REASON.sub(lambda m: f'(<a href="#{anchor(html.unescape(m[1]))}">{m[1]}</a>)', e(reason))


_DIMENSION_REASON = re.compile(r"^([a-z-]+): (.*)$")
_TITLED_RULE = re.compile(r"(.*?) \(([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)\)(?:; |$)")


def short_reason_html(reason: str) -> str:
    """A dimension's reason for a large page: its first rule's title, then the other rules by id.

    Every id still links to its rule's card, where the title is; at 10,000 pilots the full
    titles of every blocking rule would be most of the page.
    """
    head = _DIMENSION_REASON.match(reason)
    rules = _TITLED_RULE.findall(head[2]) if head else []
    if not head or not rules:
        return reason_html(reason)
    (title, first), rest = rules[0], rules[1:]
    more = ", ".join(f'<a href="#{anchor(r)}">{e(r)}</a>' for _, r in rest)
    return f'{e(head[1])}: {e(title)} (<a href="#{anchor(first)}">{e(first)}</a>)' + (
        f"; {len(rest)} more: {more}" if rest else ""
    )


def pilot_row(n: int, p: PilotReadiness, d: PilotDetail, messages: bool = True) -> str:
    """One pilot's row: who, verdict and why (second, so it stays in view on a phone), readiness, facts.

    A pure function of the row and its detail: the same bytes wherever it is rendered. Without
    ``messages`` (a large portfolio) the findings are listed by rule, not one by one.
    """
    name = f"<br><small>{e(p.name)}</small>" if p.name else ""
    shown = reason_html if messages else short_reason_html
    why = f"<br><small>{'<br>'.join(shown(r) for r in p.reasons)}</small>" if p.reasons else ""
    cells = [
        f'<th scope="row" id="pilot-{n}">{e(pilot_label(p))}{name}<br><small>{e(p.file)}</small></th>',
        f'<td class="verdict">{e(verdict_label(p.verdict))}{why}</td>',
    ]
    for dim in DIMENSIONS:
        status = p.readiness.get(dim, "not-assessed")
        cells.append(f'<td class="cell s-{_slug(status)}">{e(status_label(status))}</td>')
    cells += [
        f"<td>{e(p.use_case or '-')}</td>",
        f"<td>{e(tier_text(p))}</td>",
        f"<td>{e(p.stage or '(none)')} &rarr; {e(p.next_stage)}</td>",
        _findings(p, d) if messages else _findings_by_rule(d),
    ]
    return _row(cells, "pilot")


def _table_head() -> str:
    dims = (d.capitalize() for d in DIMENSIONS)
    return _head("Pilot", "Verdict, why", *dims, "Use case", "Tier", "Stage, gate", "Findings")


def _group(verdict: str, index: int, count: int, rows: IO[str], shown_before: int) -> Iterator[str]:
    """One verdict's pilots: a folded group, open while the page is within its first screenful."""
    opened = " open" if shown_before + count <= SCREENFUL else ""
    meaning = f" <small>{e(VERDICT_MEANING[verdict])}</small>" if verdict in VERDICT_MEANING else ""
    yield (
        f'<details class="group" id="group-{_slug(verdict)}"{opened}><summary><h3>'
        f"{_swatch(verdict_fill(verdict, index))}{e(verdict_label(verdict))}: {count:,} pilot(s){meaning}"
        "</h3></summary>"
    )
    pages = count > PAGE
    rows.seek(0)
    for start in range(0, count, PAGE):
        last = min(start + PAGE, count)
        if pages:
            yield f'<details class="page"><summary>pilots {start + 1}&ndash;{last}</summary>'
        yield _scroll(f"{verdict_label(verdict)}: pilots {start + 1} to {last}")
        yield f'<table class="heatmap">{_table_head()}<tbody>'
        for _ in range(min(PAGE, count - start)):
            yield rows.readline()
        yield "</tbody></table></div>"
        if pages:
            yield "</details>"
    yield "</details>"


def _pilots(portfolio: Portfolio, verdicts: Sequence[str]) -> Iterator[str]:
    """The pilots by verdict, each verdict's rows spooled to a temporary file in one pass.

    The details are read once, in order; no group is held in memory whole.
    """
    spools: dict[str, IO[str]] = {}
    counts: dict[str, int] = {}
    messages = len(portfolio.pilots) <= MESSAGES_UP_TO
    with ExitStack() as stack:
        for n, (p, d) in enumerate(portfolio.with_details(), 1):
            if p.verdict not in spools:
                spools[p.verdict] = stack.enter_context(
                    tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n")
                )
            # One row a line, so a group is read back row by row (a row has no newline of its own:
            # every text in it is escaped, and html.escape leaves newlines, so they are replaced).
            spools[p.verdict].write(pilot_row(n, p, d, messages).replace("\n", "&#10;") + "\n")
            counts[p.verdict] = counts.get(p.verdict, 0) + 1
        yield (
            '<section id="pilots"><h2>Pilots by verdict</h2><p class="meta">Each pilot evaluated at its '
            "next gate. Blocked: an error-severity finding; attention: warnings only; not assessed: no "
            "rule of the dimension applies. Open a group to see its pilots.</p>"
        )
        if not messages:
            yield (
                f'<p class="meta">With more than {MESSAGES_UP_TO:,} pilots, each pilot\'s findings are '
                "listed by rule, and its reasons give each dimension's first rule by title and the "
                "others by id (each links to the rule); every finding's message and place are in "
                "the json format "
                "(<code>govcheck portfolio --format json</code>).</p>"
            )
        shown = 0
        for i, v in enumerate(verdicts):
            if counts.get(v):
                yield from _group(v, i, counts[v], spools[v], shown)
                shown += counts[v]
        yield "</section>"


def _rules(portfolio: Portfolio) -> list[RuleInfo]:
    rules = {r.id: r for r in portfolio.rules}
    for r in portfolio.unlisted_rules:  # reserved rules (GC-SCHEMA, ...) are not in any pack
        rules.setdefault(r.id, r)
    for f in portfolio.problems:
        if f.rule not in rules:
            rules[f.rule] = unlisted_rule(f)
    return sorted(rules.values(), key=lambda r: r.id)


def _rule(r: RuleInfo) -> str:
    refs = "".join(f"<li>{e(ref)}</li>" for ref in r.references)
    parts = [
        f'<article class="rule" id="{anchor(r.id)}"><h3>{e(r.id)}: {e(r.title)}</h3>',
        f'<p class="meta">{e(r.category)} ({e(dimension_of(r.category))}) · {e(r.severity)}'
        f" · pack {e(r.pack)}</p>",
    ]
    if r.rationale:
        parts.append(f"<h4>Why it matters</h4><p>{e(r.rationale)}</p>")
    if r.remediation:
        parts.append(f"<h4>How to fix</h4><pre>{e(r.remediation.rstrip())}</pre>")
    if refs:
        parts.append(f"<h4>References</h4><ul>{refs}</ul>")
    return "".join(parts) + "</article>"


def _problems(portfolio: Portfolio) -> str:
    if not portfolio.problems:
        return ""
    items = "".join(
        f"<li>{e(f.file)}:{f.line}:{f.column}: {e(f.message)}"
        f' (<a href="#{anchor(f.rule)}">{e(f.rule)}</a>)</li>'
        for f in portfolio.problems
    )
    return f'<section id="problems"><h2>Files that could not be read</h2><ul>{items}</ul></section>'


def _body(portfolio: Portfolio) -> Iterator[Iterable[str]]:
    packs = ", ".join(f"{p.name} {p.version}" for p in portfolio.packs)
    verdicts = verdicts_of(portfolio)
    yield [
        f'<header><h1>{e(_title(portfolio))}</h1><p class="meta">{len(portfolio.pilots):,} pilot(s) · '
        f"packs: {e(packs)}</p></header>"
    ]
    yield [
        "<main>",
        _cards(portfolio, verdicts),
        _problems(portfolio),
        _charts(portfolio, verdicts),
        _roadmap_table(portfolio),
    ]
    yield _pilots(portfolio, verdicts)
    yield [
        '<section id="by-category"><h2>Findings by category and tier</h2>',
        _matrix(portfolio.totals.by_category_tier, portfolio.tiers, "Findings by category and tier"),
        "</section>",
    ]
    yield ['<section id="rules"><h2>Rules</h2>' + "".join(_rule(r) for r in _rules(portfolio)) + "</section>"]
    yield ["</main>"]


def _title(portfolio: Portfolio) -> str:
    return f"AI pilot portfolio: scale readiness as of {portfolio.today}"


def page_start(title: str) -> str:
    """A self-contained page's head: no scripts, nothing fetched (the CSP), the report's style."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{e(CSP)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{CSS}</style></head>\n<body>\n"
    )


def write(portfolio: Portfolio, out: Sink) -> None:
    """The page, section by section; the pilots' details are read once, in order, never held whole."""
    out.write(page_start(_title(portfolio)))
    for i, section in enumerate(_body(portfolio)):
        if i:
            out.write("\n")
        for piece in section:
            out.write(piece)
    out.write("\n</body></html>\n")


def render(portfolio: Portfolio) -> str:
    """``write`` into one string, as ``FORMATS`` lists the format."""
    return to_string(write, portfolio)
