"""Human output: ``file:line:col: severity RULE message``, a fix hint, then a summary."""
from __future__ import annotations

import re
from typing import Iterator

from govcheck.finding import Finding, RunResult
from govcheck.interfaces import ReporterSpec, ReportOptions

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_COLORS = {"error": "31", "warning": "33", "info": "36", "waived": "2", "bold": "1", "dim": "2", "ok": "32"}


def _paint(text: str, style: str, options: ReportOptions) -> str:
    return f"\x1b[{_COLORS[style]}m{text}\x1b[0m" if options.color else text


def _safe(text: str) -> str:
    """Manifest values reach messages; never let them drive the reader's terminal."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def _finding(f: Finding, options: ReportOptions) -> list[str]:
    label = "waived" if f.suppressed else f.severity
    head = f"{f.file}:{f.line}:{f.column}: {_paint(label, label, options)} {_paint(f.rule, 'bold', options)} {_safe(f.message)}"
    lines = [head]
    if f.suppression is not None:
        s = f.suppression
        lines.append(_paint(f"  waived until {s.expires} by {s.approved_by}: {s.justification}", "dim", options))
    elif f.remediation and not options.quiet:
        lines.append(_paint("  fix:", "dim", options))
        lines.extend("    " + line for line in f.remediation.rstrip().splitlines())
    return lines


def summary(result: RunResult) -> str:
    counts = result.counts()
    parts = [f"{counts['error']} error(s)", f"{counts['warning']} warning(s)", f"{counts['info']} info"]
    if counts["suppressed"]:
        parts.append(f"{counts['suppressed']} waived")
    failing = len(_with_findings(result) & {(m.file, m.document) for m in result.manifests})
    return f"{len(result.manifests)} manifest(s) checked, {failing} with findings: " + ", ".join(parts)


def _with_findings(result: RunResult) -> set[tuple[str, int]]:
    return {(f.file, f.document) for f in result.findings if not f.suppressed}


def stream(result: RunResult, options: ReportOptions) -> Iterator[str]:
    """The report a finding at a time, so a run over thousands of manifests never holds it whole."""
    for f in result.findings:
        yield "\n".join(_finding(f, options)) + "\n"
    if options.quiet:
        return
    noted = {(f.file, f.pilot) for f in result.findings}
    for m in result.manifests:
        if m.tier_reasons and (m.file, m.pilot) in noted:
            yield (f"{m.file}: note: effective tier {m.tier} (declared {m.declared_tier or 'none'}): "
                   + "; ".join(m.tier_reasons) + "\n")
    style = "error" if any(not f.suppressed for f in result.findings) else "ok"
    yield _paint(summary(result), style, options) + "\n"


def render(result: RunResult, options: ReportOptions) -> str:
    return "".join(stream(result, options))


SPEC = ReporterSpec("text", render, "one line per finding with a fix hint, then a summary", ".txt", stream=stream)
