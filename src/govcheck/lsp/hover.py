"""Hover on a line with findings: each rule's title, what is wrong here, why and how to fix.

The sections are ``govcheck explain``'s (``authoring.ruledoc``), so the editor and the terminal
say the same; "What is checked" is left to ``explain``, which the hover names.
"""

from __future__ import annotations

from govcheck.authoring.ruledoc import describe
from govcheck.lsp.checker import Checked
from govcheck.model import Finding

SHOWN = ("Why", "How to fix", "References")


def hover_markdown(checked: Checked, line: int) -> str | None:
    """Markdown for the findings on ``line`` (from 0), one block per rule; None when there are none."""
    found: dict[str, Finding] = {}
    for f in checked.findings:
        if f.line - 1 == line:
            found.setdefault(f.rule, f)
    if not found:
        return None
    return "\n\n---\n\n".join(_explain(checked, f) for f in found.values())


def _explain(checked: Checked, finding: Finding) -> str:
    rule = checked.loaded.rule(finding.rule)
    if rule is None:  # a reserved rule (GC-PARSE, GC-SCHEMA ...): the finding says it all
        title, sections, more = finding.title, [("How to fix", finding.remediation)], ""
    else:
        doc = describe(rule, checked.loaded.policy, checked.loaded.registry.checks())
        title, sections = doc.title, [(h, body) for h, body in doc.sections() if h in SHOWN]
        more = f"`govcheck explain {doc.id}` shows what is checked at each tier."
        if rule.info.docs_url:
            more += f" [Documentation of {doc.id}]({rule.info.docs_url})"
    lines = [f"**{finding.rule}: {title}**", "", finding.message]
    if finding.suppression is not None:
        lines += ["", f"Waived until {finding.suppression.expires}: {finding.suppression.justification}"]
    for heading, body in sections:
        if body:
            fenced = heading == "How to fix" and rule is not None
            lines += ["", f"*{heading}*", "", f"```yaml\n{body}\n```" if fenced else body]
    return "\n".join([*lines, "", more] if more else lines)
