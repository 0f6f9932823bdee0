"""Human output: ``file:line:col: severity RULE message``, a fix hint, then a summary."""

from __future__ import annotations

import re
from collections.abc import Iterator

from govcheck.interfaces import ReportOptions
from govcheck.model import KIND_RULE, PARSE_RULE, SEVERITIES, WAIVER_RULE, BaselineUse, Finding, RunResult

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
NOT_A_MANIFEST = frozenset(
    (PARSE_RULE, KIND_RULE, WAIVER_RULE)
)  # findings about files that hold no manifest document
_COLORS = {"error": "31", "warning": "33", "info": "36", "waived": "2", "bold": "1", "dim": "2", "ok": "32"}


def _paint(text: str, style: str, options: ReportOptions) -> str:
    return f"\x1b[{_COLORS[style]}m{text}\x1b[0m" if options.color else text


def _safe(text: str) -> str:
    """Manifest values reach messages; never let them drive the reader's terminal."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def _finding(f: Finding, options: ReportOptions) -> list[str]:
    label = "waived" if f.suppressed else f.severity
    head = (
        f"{f.file}:{f.line}:{f.column}: {_paint(label, label, options)}"
        f" {_paint(f.rule, 'bold', options)} {_safe(f.message)}"
    )
    lines = [head]
    if f.suppression is not None:
        s = f.suppression
        lines.append(
            _paint(f"  waived until {s.expires} by {s.approved_by}: {s.justification}", "dim", options)
        )
    elif f.remediation and not options.quiet:
        lines.append(_paint("  fix:", "dim", options))
        lines.extend("    " + line for line in f.remediation.rstrip().splitlines())
    return lines


def summary(result: RunResult, failing: int) -> str:
    """The closing line: manifests checked, ``failing`` of them with unwaived findings, the counts.

    ``failing`` is counted by the caller, in its one pass over the findings; waived findings are
    counted apart from the severities.
    """
    counts = result.counts()
    parts = [f"{counts['error']} error(s)", f"{counts['warning']} warning(s)", f"{counts['info']} info"]
    baselined = counts.get("baselined", 0)
    if counts["suppressed"] - baselined:
        parts.append(f"{counts['suppressed'] - baselined} waived")
    if baselined:
        parts.append(f"{baselined} baselined")
    return f"{len(result.manifests)} manifest(s) checked, {failing} with findings: " + ", ".join(parts)


def stream(result: RunResult, options: ReportOptions) -> Iterator[str]:
    """The report a finding at a time, in one pass: a run over thousands of manifests never holds it whole."""
    raised = {(m.file, m.pilot): m for m in result.manifests if m.tier_reasons}
    noted: set[tuple[str, str]] = set()
    failing, last = 0, None  # manifest documents with an unwaived finding; sorted, so each one's are adjacent
    for f in result.findings:
        if f.suppression is None or not f.suppression.baseline:  # the baseline's point: only new ones
            yield "\n".join(_finding(f, options)) + "\n"
        if (f.file, f.pilot) in raised:
            noted.add((f.file, f.pilot))
        document = (f.file, f.document)
        if not f.suppressed and f.rule not in NOT_A_MANIFEST and document != last:
            failing, last = failing + 1, document
    if options.quiet:
        return
    for key, m in raised.items():
        if key in noted:
            yield (
                f"{m.file}: note: effective tier {m.tier} (declared {m.declared_tier or 'none'}): "
                + "; ".join(m.tier_reasons)
                + "\n"
            )
    if result.baseline is not None:
        yield from _gone(result.baseline)
    counts = result.counts()
    style = "error" if any(counts[s] for s in SEVERITIES) else "ok"
    yield _paint(summary(result, failing), style, options) + "\n"


def _gone(use: BaselineUse) -> Iterator[str]:
    for e in use.gone:
        about = f"{e.rule} on pilot {_safe(e.pilot)}" + (f" at {_safe(e.path)}" if e.path else "")
        yield f"{use.file}:{e.line}: note: baseline entry for {about} no longer occurs; remove it\n"


def render(result: RunResult, options: ReportOptions) -> str:
    """``stream`` joined: the same report, whole."""
    return "".join(stream(result, options))
