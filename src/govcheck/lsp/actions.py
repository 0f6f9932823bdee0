"""Quick fixes: a finding's remediation merged into the document (``merge``), one action per finding."""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types

from govcheck.lang.fieldpath import parse
from govcheck.lsp.checker import Checked
from govcheck.lsp.diagnostics import Units, diagnostic, docs_url, lines_of
from govcheck.lsp.merge import Edit, remediation_edits
from govcheck.model import DocPath, Finding


def quick_fixes(
    checked: Checked,
    text: str,
    uri: str,
    lines: range,
    units: Units,
    sent: Sequence[types.Diagnostic] = (),
) -> list[types.CodeAction]:
    """A quick fix for each finding on ``lines`` (from 0) whose remediation merges into ``text``.

    Each action names the client's own diagnostic for the finding when ``sent`` has it.
    """
    doc_lines = lines_of(text)
    by_fingerprint = {d.data: d for d in sent if isinstance(d.data, str)}
    actions = []
    for finding in checked.findings:
        if finding.line - 1 not in lines or not finding.remediation:
            continue
        edits = remediation_edits(text, finding.document, finding.remediation, _path(finding.path))
        if not edits:
            continue
        shown = by_fingerprint.get(finding.fingerprint) or diagnostic(
            finding, doc_lines, units, docs_url(checked, finding.rule)
        )
        actions.append(
            types.CodeAction(
                title=_title(finding),
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[shown],
                is_preferred=finding.suppression is None,
                edit=types.WorkspaceEdit(changes={uri: [_text_edit(e, doc_lines, units) for e in edits]}),
            )
        )
    return actions


def _title(finding: Finding) -> str:
    what = f": {finding.title}" if finding.title else ""
    return f"Add what {finding.rule} asks for{what}"


def _path(dotted: str) -> DocPath:
    """The finding's field as parts (``spec.metrics[0].name``); () when it names none."""
    try:
        return tuple(p for p in parse(dotted).parts if isinstance(p, (str, int)))
    except ValueError:
        return ()


def _text_edit(edit: Edit, lines: Sequence[str], units: Units) -> types.TextEdit:
    return types.TextEdit(
        range=types.Range(start=_position(edit.start, lines, units), end=_position(edit.end, lines, units)),
        new_text=edit.text,
    )


def _position(at: tuple[int, int], lines: Sequence[str], units: Units) -> types.Position:
    line, column = at
    text = lines[line] if line < len(lines) else ""
    return types.Position(line=line, character=units(text[:column]))
