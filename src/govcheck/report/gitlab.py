"""GitLab Code Quality report: a JSON array the merge request widget reads.

An issue's fingerprint is the finding's own (``Finding.fingerprint``, the one SARIF uses), which
leaves out the line: GitLab compares fingerprints between the base and head of a merge request,
so a comment added above a finding must not show it as fixed and new again. GitLab also treats
issues with the same fingerprint as one, so a rare repeat (same file, pilot, rule and path at
another place) gets an occurrence number. Waived findings are left out.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from govcheck.interfaces import ReportOptions
from govcheck.model import Finding, RunResult

SEVERITY = {"error": "critical", "warning": "major", "info": "info"}


def fingerprint(f: Finding, occurrence: int = 0) -> str:
    """``f.fingerprint``, or for the ``occurrence``-th repeat of it a hash of it and that number.

    Repeats are numbered in report order, which is sorted by line, so the first one keeps the
    finding's own fingerprint and the issue it is in SARIF.
    """
    if not occurrence:
        return f.fingerprint
    return hashlib.sha256(f"{f.fingerprint}#{occurrence}".encode()).hexdigest()[:32]


def issue(f: Finding, occurrence: int = 0) -> dict[str, Any]:
    """One Code Quality issue; ``occurrence`` (issues of the same fingerprint before it) keeps it unique."""
    return {
        "type": "issue",
        "check_name": f.rule,
        "description": f"{f.rule}: {f.message}",
        "severity": SEVERITY[f.severity],
        "fingerprint": fingerprint(f, occurrence),
        "location": {"path": f.file, "lines": {"begin": max(f.line, 1)}},
    }


def render(result: RunResult, options: ReportOptions) -> str:
    """The issues of the unwaived findings, in reported order, repeats of a fingerprint numbered."""
    seen: dict[str, int] = {}
    issues = []
    for f in result.findings:
        if f.suppressed:
            continue
        issues.append(issue(f, seen.get(f.fingerprint, 0)))
        seen[f.fingerprint] = seen.get(f.fingerprint, 0) + 1
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
