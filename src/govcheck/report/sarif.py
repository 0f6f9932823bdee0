"""SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.

Paths are relative to the repository root (``%SRCROOT%``), never absolute, so a report is the
same on every machine. Waived and baselined findings stay as results with an accepted external
suppression (a baselined one's justification is "baseline"). A run holds at most
``MAX_RESULTS`` results (GitHub's limit); the most severe unwaived findings are kept and a
notification says how many were left out.

``automationDetails.id`` is ``govcheck/check/<packs>``: consumers that track alerts per analysis
(GitHub's category is the part up to the last ``/``) see one stable category, and the packs'
names, the part after it, tell runs with other packs apart. Azure DevOps' Advanced Security
rejects a log without it or without ``tool.driver.fullName``.

With the run's provenance, ``invocations[0]`` has the exit code, ``versionControlProvenance``
the commit and the remote (only a remote shown without credentials: SARIF requires the URI),
and the properties the commit, dirty state, plugins and settings files. Only a recorded run's
log has its times and ``automationDetails.guid`` (its run id): any other log of the same input
is the same bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from govcheck import PROJECT_URL, __version__
from govcheck.interfaces import ReportOptions
from govcheck.model import SEVERITY_RANK, Finding, Provenance, RunResult
from govcheck.report._sarif_rules import LEVEL, descriptor, rule_infos

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "govcheck/v1"
MAX_RESULTS = 25_000
AUTOMATION_CATEGORY = "govcheck/check/"


def artifact_location(file: str) -> dict[str, str]:
    """A URI reference relative to ``%SRCROOT%``; a file outside the repository keeps its own URI."""
    path = file.replace("\\", "/")
    if path.startswith("/") or re.match(r"[A-Za-z]:/", path):
        return {"uri": "file://" + ("" if path.startswith("/") else "/") + quote(path, safe="/:")}
    return {"uri": quote(path.removeprefix("./"), safe="/"), "uriBaseId": SRCROOT}


def _result(f: Finding, index: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": index,
        "level": LEVEL[f.severity],
        "message": {"text": f.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": artifact_location(f.file),
                    "region": {"startLine": max(f.line, 1), "startColumn": max(f.column, 1)},
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": {"pilot": f.pilot, "path": f.path, "tier": f.tier, "stage": f.stage, "pack": f.pack},
    }
    if f.suppression is not None:
        s = f.suppression
        extra = (
            {"baseline": s.reference, "createdBy": s.approved_by}
            if s.baseline
            else {"approvedBy": s.approved_by, "expires": s.expires, "reference": s.reference}
        )
        out["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": s.justification,
                "properties": {k: v for k, v in extra.items() if v},
            }
        ]
    return out


def kept(findings: Sequence[Finding], limit: int) -> tuple[list[Finding], int]:
    """At most ``limit`` findings, in report order: unwaived and most severe first."""
    if len(findings) <= limit:
        return list(findings), 0
    ranked = sorted(
        range(len(findings)), key=lambda i: (findings[i].suppressed, -SEVERITY_RANK[findings[i].severity], i)
    )
    chosen = sorted(ranked[:limit])
    return [findings[i] for i in chosen], len(findings) - limit


def _invocation(left_out: int, provenance: Provenance | None) -> dict[str, Any]:
    """The run's invocation: it ran to the end (a report is written only then), with its exit
    code and, for a recorded run, its times."""
    out: dict[str, Any] = {"executionSuccessful": True}
    if provenance is not None:
        out["exitCode"] = provenance.exit_code
        if provenance.recorded is not None:
            out["startTimeUtc"] = provenance.recorded.started
            out["endTimeUtc"] = provenance.recorded.finished
    if left_out:
        text = (
            f"{left_out} result(s) were left out: a SARIF run holds at most {MAX_RESULTS:,} results. "
            "The most severe unwaived findings were kept; the json format lists every finding."
        )
        out["toolExecutionNotifications"] = [{"level": "warning", "message": {"text": text}}]
    return out


def _provenance_properties(p: Provenance) -> dict[str, Any]:
    return {
        "commit": p.commit,
        "dirty": p.dirty,
        "failOn": p.fail_on,
        "plugins": [{"name": name, "version": version} for name, version in p.plugins],
        "config": p.config._asdict() if p.config is not None else None,
        "waivers": p.waivers._asdict() if p.waivers is not None else None,
    }


def automation_id(result: RunResult) -> str:
    """``govcheck/check/`` and the packs' names, sorted and joined by ``+``; the same on every rerun.

    A ``/`` in a name would move the category boundary, so it becomes ``-``.
    """
    names = sorted({p.name.replace("/", "-") for p in result.packs})
    return AUTOMATION_CATEGORY + "+".join(names)


def render(result: RunResult, options: ReportOptions) -> str:
    """One SARIF run: a descriptor for each rule that ran or that a finding names, then the results.

    A run holds at most ``MAX_RESULTS``; past that the most severe unwaived findings are kept and a
    notification says how many were left out.
    """
    infos = rule_infos(result.rules, result.findings)
    index = {info.id: i for i, info in enumerate(infos)}
    findings, left_out = kept(result.findings, MAX_RESULTS)
    driver = {
        "name": "govcheck",
        "fullName": f"govcheck {__version__}",
        "version": __version__,
        "semanticVersion": __version__,
        "informationUri": PROJECT_URL,
        "rules": [descriptor(info) for info in infos],
    }
    provenance = result.provenance
    automation = {"id": automation_id(result)}
    if provenance is not None and provenance.recorded is not None:
        automation["guid"] = provenance.recorded.run_id  # the decision record's id
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "automationDetails": automation,
        "invocations": [_invocation(left_out, provenance)],
    }
    if provenance is not None and provenance.commit and provenance.repository:
        # SARIF requires the repository's URI here; without a remote that can be shown, the
        # commit is still in the properties below.
        run["versionControlProvenance"] = [
            {"repositoryUri": provenance.repository, "revisionId": provenance.commit}
        ]
    run["columnKind"] = "unicodeCodePoints"
    run["results"] = [_result(f, index[f.rule]) for f in findings]
    run["properties"] = {
        "today": result.today,
        "stage": result.stage,
        "packs": [{"name": p.name, "version": p.version, "digest": p.digest} for p in result.packs],
        **(_provenance_properties(provenance) if provenance is not None else {}),
    }
    document = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
