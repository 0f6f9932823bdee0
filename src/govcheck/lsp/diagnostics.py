"""Findings as LSP diagnostics: 0-based positions in the client's units, severity, rule, docs link.

A waived finding is shown as a hint that names its waiver, rather than hidden: the pilot team
sees which of its gaps an approval covers, and until when.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from lsprotocol import types

from govcheck.lsp.checker import Checked
from govcheck.model import Finding

SOURCE = "govcheck"
SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}

Units = Callable[[str], int]  # how many of the client's code units a piece of text takes


def diagnostics(checked: Checked, text: str, units: Units) -> list[types.Diagnostic]:
    lines = lines_of(text)
    return [diagnostic(f, lines, units, docs_url(checked, f.rule)) for f in checked.findings]


def diagnostic(finding: Finding, lines: Sequence[str], units: Units, href: str = "") -> types.Diagnostic:
    message, severity = finding.message, SEVERITY[finding.severity]
    if finding.suppression is not None:
        waiver = finding.suppression
        message = f"waived until {waiver.expires} (approved by {waiver.approved_by}): {message}"
        severity = types.DiagnosticSeverity.Hint
    return types.Diagnostic(
        range=finding_range(finding, lines, units),
        message=message,
        severity=severity,
        code=finding.rule,
        code_description=types.CodeDescription(href=href) if href else None,
        source=SOURCE,
        data=finding.fingerprint,
    )


def problem(message: str) -> types.Diagnostic:
    """A diagnostic for what kept the document from being judged (a broken pack, an internal error)."""
    start = types.Position(line=0, character=0)
    return types.Diagnostic(
        range=types.Range(start=start, end=start),
        message=message,
        severity=types.DiagnosticSeverity.Error,
        source=SOURCE,
    )


def finding_range(finding: Finding, lines: Sequence[str], units: Units) -> types.Range:
    """From the finding's (1-based) line and column to the end of what that line says."""
    line = min(max(finding.line - 1, 0), max(len(lines) - 1, 0))
    text = lines[line] if lines else ""
    start = min(max(finding.column - 1, 0), len(text))
    end = max(start, len(_without_comment(text)))
    return types.Range(
        start=types.Position(line=line, character=units(text[:start])),
        end=types.Position(line=line, character=units(text[:end])),
    )


def lines_of(text: str) -> list[str]:
    """The document's lines as YAML counts them (a line break is LF or CR LF), without the breaks."""
    return [line.removesuffix("\r") for line in text.split("\n")]


def docs_url(checked: Checked, rule_id: str) -> str:
    rule = checked.loaded.rule(rule_id)
    return rule.info.docs_url if rule is not None else ""


def _without_comment(line: str) -> str:
    """The line up to a trailing ``# comment`` (a ``#`` after a space), right-stripped."""
    at = line.find(" #")
    return (line[:at] if at >= 0 else line).rstrip()
