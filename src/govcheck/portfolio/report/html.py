"""One self-contained HTML page: a readiness heat map, findings by category and tier, and
every finding linked to its rule's explanation further down the page.

No scripts, fonts or images; the page forbids fetching anything (Content-Security-Policy).
Everything that comes from a manifest or a pack is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator, Mapping

from govcheck.model import RuleInfo
from govcheck.portfolio.model import (
    DIMENSIONS,
    VERDICTS,
    FindingRow,
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
    tier_text,
    to_string,
)
from govcheck.portfolio.report._html_style import CSP, CSS

VERDICT_MEANING = {
    "expand": "passes every blocking rule of its next gate",
    "fix-gaps": "blocked only by governance, ownership, operating-model, monitoring or metrics-evidence gaps",
    "redesign": "blocked by workflow or data findings",
    "consider-stopping": "measured results past the metric's horizon are no better than baseline",
    "retired": "retired; listed, not judged",
}


def e(value: object) -> str:
    """Text escaped for HTML content and quoted attributes: all text from a manifest or pack passes here."""
    return html.escape(str(value), quote=True)


def anchor(rule: str) -> str:
    """The element id of a rule's explanation; a character other than a letter, digit or ``-`` becomes ``_``.

    A rule id is pack text, so it is reduced to characters that need no escaping in an id or a link.
    """
    return "rule-" + "".join(c if c.isalnum() or c == "-" else "_" for c in rule.lower())


def _row(cells: Iterable[str], cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<tr{attr}>" + "".join(cells) + "</tr>"


def _head(*names: str) -> str:
    return "<thead>" + _row(f'<th scope="col">{e(n)}</th>' for n in names) + "</thead>"


def _cards(portfolio: Portfolio) -> str:
    items = [
        f'<li class="v-{v}"><b>{portfolio.totals.verdicts[v]}</b>{e(VERDICT_LABELS[v])}<br>'
        f"<small>{e(VERDICT_MEANING[v])}</small></li>"
        for v in VERDICTS
    ]
    return '<section id="summary"><h2>Verdicts</h2><ul class="cards">' + "".join(items) + "</ul></section>"


def _heat_row(n: int, p: PilotReadiness) -> str:
    name = f"<br><small>{e(p.name)}</small>" if p.name else ""
    cells = [
        f'<th scope="row"><a href="#findings-{n}">{e(pilot_label(p))}</a>{name}</th>',
        f"<td>{e(p.use_case or '-')}</td>",
        f"<td>{e(tier_text(p))}</td>",
        f"<td>{e(p.stage or '(none)')} &rarr; {e(p.next_stage)}</td>",
    ]
    cells += [
        f'<td class="cell s-{p.readiness[d]}">{e(STATUS_LABELS[p.readiness[d]])}</td>' for d in DIMENSIONS
    ]
    why = f"<br><small>{'<br>'.join(e(r) for r in p.reasons)}</small>" if p.reasons else ""
    cells.append(f'<td class="verdict v-{p.verdict}">{e(VERDICT_LABELS[p.verdict])}{why}</td>')
    return _row(cells, "pilot")


def _heat_map(portfolio: Portfolio) -> Iterator[str]:
    head = _head(
        "Pilot", "Use case", "Tier", "Stage, next gate", *(d.capitalize() for d in DIMENSIONS), "Verdict"
    )
    yield (
        '<section id="heatmap"><h2>Readiness heat map</h2>'
        '<p class="meta">Each pilot evaluated at its next gate. '
        "Blocked: an error-severity finding; attention: warnings only; "
        "not assessed: no rule of the dimension applies."
        f'</p><table class="heatmap">{head}<tbody>'
    )
    yield from (_heat_row(n, p) for n, p in enumerate(portfolio.pilots, 1))
    yield "</tbody></table></section>"


def _matrix(title: str, ident: str, table: Mapping[str, Mapping[str, int]], columns: Iterable[str]) -> str:
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
    names = [VERDICT_LABELS.get(c, c) for c in columns]
    return (
        f'<section id="{ident}"><h2>{e(title)}</h2><table>{_head("", *names, "total")}'
        f"<tbody>{body}</tbody></table></section>"
    )


def _finding_row(n: int, p: PilotReadiness, f: FindingRow, first: bool) -> str:
    pilot = (
        f'<th scope="row" id="findings-{n}">{e(pilot_label(p))}</th>'
        if first
        else f'<th scope="row">{e(pilot_label(p))}</th>'
    )
    return _row(
        [
            pilot,
            f'<td><a href="#{anchor(f.rule)}">{e(f.rule)}</a></td>',
            f'<td class="sev-{e(f.severity)}">{e(f.severity)}</td>',
            f"<td>{e(dimension_of(f.category))}</td>",
            f"<td>{e(f.message)}</td>",
            f"<td><small>{e(f.file)}:{f.line}:{f.column}</small></td>",
        ],
        "finding",
    )


def _findings(portfolio: Portfolio) -> Iterator[str]:
    head = _head("Pilot", "Rule", "Severity", "Dimension", "Message", "Where")
    yield f'<section id="findings"><h2>Findings</h2><table>{head}<tbody>'
    for n, (p, d) in enumerate(portfolio.with_details(), 1):
        if not d.findings:
            yield _row(
                [
                    f'<th scope="row" id="findings-{n}">{e(pilot_label(p))}</th>',
                    '<td colspan="5">no findings at its next gate</td>',
                ],
                "clean",
            )
        yield from (_finding_row(n, p, f, i == 0) for i, f in enumerate(d.findings))
    yield "</tbody></table></section>"


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
    yield [
        f'<header><h1>{e(_title(portfolio))}</h1><p class="meta">{len(portfolio.pilots)} pilot(s) · '
        f"packs: {e(packs)}</p></header>"
    ]
    yield [_cards(portfolio)]
    yield _heat_map(portfolio)
    yield [
        _matrix(
            "Findings by category and tier", "by-category", portfolio.totals.by_category_tier, portfolio.tiers
        )
    ]
    yield [_matrix("Verdicts by tier", "by-tier", portfolio.totals.by_tier, VERDICTS)]
    yield [_matrix("Verdicts by use case", "by-use-case", portfolio.totals.by_use_case, VERDICTS)]
    yield _findings(portfolio)
    yield [_problems(portfolio)]
    yield ['<section id="rules"><h2>Rules</h2>' + "".join(_rule(r) for r in _rules(portfolio)) + "</section>"]


def _title(portfolio: Portfolio) -> str:
    return f"AI pilot portfolio: scale readiness as of {portfolio.today}"


def write(portfolio: Portfolio, out: Sink) -> None:
    """The page, section by section; the pilots' details are read once, in order, never held whole."""
    title = _title(portfolio)
    out.write(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{e(CSP)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{CSS}</style></head>\n<body>\n"
    )
    for i, section in enumerate(_body(portfolio)):
        if i:
            out.write("\n")
        for piece in section:
            out.write(piece)
    out.write("\n</body></html>\n")


def render(portfolio: Portfolio) -> str:
    """``write`` into one string, as ``FORMATS`` lists the format."""
    return to_string(write, portfolio)
