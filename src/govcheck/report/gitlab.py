"""GitLab Code Quality report: a JSON array the merge request widget reads.

GitLab treats issues with the same fingerprint as one, so each fingerprint hashes the
finding's own (line-independent) fingerprint with its line, and a rare exact repeat gets an
occurrence number. Waived findings are left out.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from govcheck.interfaces import ReportOptions
from govcheck.model import Finding, RunResult

SEVERITY = {"error": "critical", "warning": "major", "info": "info"}


def fingerprint(f: Finding, occurrence: int = 0) -> str:
    """The finding's own fingerprint with its line, and ``occurrence`` for an exact repeat.

    GitLab merges issues that share a fingerprint: findings alike but for their line stay apart, and
    a repeat at the same line is numbered.
    """
    key = f"{f.fingerprint}:{f.line}" + (f"#{occurrence}" if occurrence else "")
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def issue(f: Finding, occurrence: int = 0) -> dict[str, Any]:
    """One Code Quality issue; ``occurrence`` (identical issues before it) keeps its fingerprint unique."""
    return {
        "type": "issue",
        "check_name": f.rule,
        "description": f"{f.rule}: {f.message}",
        "severity": SEVERITY[f.severity],
        "fingerprint": fingerprint(f, occurrence),
        "location": {"path": f.file, "lines": {"begin": max(f.line, 1)}},
    }


def render(result: RunResult, options: ReportOptions) -> str:
    """The issues of the unwaived findings, in reported order, exact repeats numbered."""
    seen: dict[str, int] = {}
    issues = []
    for f in result.findings:
        if f.suppressed:
            continue
        base = fingerprint(f)
        issues.append(issue(f, seen.get(base, 0)))
        seen[base] = seen.get(base, 0) + 1
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
