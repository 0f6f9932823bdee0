"""JUnit XML (the Apache Ant schema that Jenkins, GitLab and most CI servers read).

One testsuite per manifest document and one testcase per rule: a pass, a ``<failure>``
holding every unwaived finding of that rule, or ``<skipped>`` when the rule does not apply
or all its findings are waived. The schema allows one failure per testcase, so a rule that
fails at several places is one failure listing each ``file:line:col``. Findings that belong
to no evaluated manifest (an unreadable file, for one) go to a last testsuite, "govcheck".
Nothing depends on the clock or the machine: the timestamp is ``result.today`` at midnight.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from govcheck import __version__
from govcheck.interfaces import ReportOptions
from govcheck.model import SEVERITY_RANK, Finding, ManifestResult, Outcome, RunResult

STRAY_SUITE = "govcheck"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


@dataclass
class _Suite:
    name: str
    classname: str
    properties: list[tuple[str, str]]
    output: str = ""
    cases: list[ET.Element] = field(default_factory=list)


def _line(f: Finding) -> str:
    return f"{f.file}:{f.line}:{f.column} {f.rule} {f.message}"


def _waived(f: Finding) -> str:
    s = f.suppression
    assert s is not None
    if s.baseline:
        return f"baselined in {s.reference} (recorded by {s.approved_by})"
    return f"waived: {s.justification} (approved by {s.approved_by}, expires {s.expires})"


def _case(name: str, classname: str, findings: list[Finding], outcome: Outcome | None) -> ET.Element:
    case = ET.Element("testcase", name=_clean(name), classname=_clean(classname), time="0")
    open_ = [f for f in findings if not f.suppressed]
    waived = [f for f in findings if f.suppressed]
    if open_:
        first = open_[0]
        severity = max((f.severity for f in open_), key=SEVERITY_RANK.__getitem__)
        more = f" (and {len(open_) - 1} more)" if len(open_) > 1 else ""
        lines = [_line(f) for f in open_] + [f"{_line(f)} [{_waived(f)}]" for f in waived]
        if first.remediation:
            lines += ["fix:", *("  " + r for r in first.remediation.rstrip().splitlines())]
        failure = ET.SubElement(case, "failure", message=_clean(first.message + more), type=severity)
        failure.text = _clean("\n".join(lines) + "\n")
    elif waived:
        skipped = ET.SubElement(case, "skipped", message=_clean(_waived(waived[0])))
        skipped.text = _clean("\n".join(_line(f) for f in waived) + "\n")
    elif outcome is not None and outcome.status == "not-applicable":
        ET.SubElement(case, "skipped", message=_clean(f"not applicable: {outcome.reason}"))
    elif outcome is not None and outcome.status == "fail":
        ET.SubElement(case, "failure", message="the rule failed", type="error")
    return case


def _group(findings: Iterable[Finding], key: Callable[[Finding], str]) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in findings:
        out.setdefault(key(f), []).append(f)
    return out


def _assign(
    result: RunResult, manifests: Sequence[ManifestResult]
) -> tuple[list[list[Finding]], list[Finding]]:
    """The run's findings (waivers applied) per manifest, and those tied to none."""
    exact: dict[tuple[object, ...], int] = {}
    loose: dict[tuple[str, str], int] = {}
    for i, m in enumerate(manifests):
        loose.setdefault((m.file, m.pilot), i)
        for f in m.findings:
            exact.setdefault((f.file, f.pilot, f.rule, f.path, f.line, f.column, f.message), i)
    owned: list[list[Finding]] = [[] for _ in manifests]
    stray: list[Finding] = []
    for f in result.findings:
        at = exact.get(
            (f.file, f.pilot, f.rule, f.path, f.line, f.column, f.message), loose.get((f.file, f.pilot))
        )
        (stray if at is None else owned[at]).append(f)
    return owned, stray


def _suites(result: RunResult) -> list[_Suite]:
    titles = {r.id: r.title for r in result.rules}
    manifests = result.manifests
    per_file = Counter(m.file for m in manifests)
    owned, stray = _assign(result, manifests)
    suites = [
        _manifest_suite(m, f"{m.file}#{m.document}" if per_file[m.file] > 1 else m.file, findings, titles)
        for m, findings in zip(manifests, owned, strict=True)
    ]
    if stray:
        suites.append(_stray_suite(stray))
    return suites


def _manifest_suite(m: ManifestResult, name: str, findings: list[Finding], titles: dict[str, str]) -> _Suite:
    props = [
        ("file", m.file),
        ("document", str(m.document)),
        ("pilot", m.pilot),
        ("declared_tier", m.declared_tier),
        ("tier", m.tier),
        ("stage", m.stage),
    ]
    suite = _Suite(name, m.pilot or name, props, "".join(r + "\n" for r in m.tier_reasons))
    groups = _group(findings, lambda f: f.rule)
    for o in m.outcomes:
        title = titles.get(o.rule, "")
        suite.cases.append(_case(f"{o.rule} {title}".strip(), suite.classname, groups.pop(o.rule, []), o))
    for rule in sorted(groups):  # findings of no rule that ran here: GC-SCHEMA, or outcomes left out
        suite.cases.append(
            _case(f"{rule} {groups[rule][0].title}".strip(), suite.classname, groups[rule], None)
        )
    return suite


def _stray_suite(stray: list[Finding]) -> _Suite:
    suite = _Suite(STRAY_SUITE, STRAY_SUITE, [])
    for rule, group in sorted(_group(stray, lambda f: f.rule).items()):
        for file, found in sorted(_group(group, lambda f: f.file).items()):
            suite.cases.append(_case(f"{rule} {found[0].title}".strip(), file, found, None))
    return suite


def _suite_element(suite: _Suite, index: int, timestamp: str) -> ET.Element:
    failures = sum(1 for c in suite.cases if c.find("failure") is not None)
    skipped = sum(1 for c in suite.cases if c.find("skipped") is not None)
    element = ET.Element(
        "testsuite",
        name=_clean(suite.name),
        package=_clean(suite.name),
        id=str(index),
        timestamp=timestamp,
        hostname="localhost",
        tests=str(len(suite.cases)),
        failures=str(failures),
        errors="0",
        skipped=str(skipped),
        time="0",
    )
    properties = ET.SubElement(element, "properties")
    for name, value in [("govcheck.version", __version__), *suite.properties]:
        ET.SubElement(properties, "property", name=name, value=_clean(value))
    element.extend(suite.cases)
    ET.SubElement(element, "system-out").text = _clean(suite.output) or None
    ET.SubElement(element, "system-err")
    return element


def render(result: RunResult, options: ReportOptions) -> str:
    """The JUnit document, timestamped ``result.today`` at midnight so a rerun gives the same XML."""
    timestamp = f"{result.today or '1970-01-01'}T00:00:00"
    root = ET.Element("testsuites")
    root.extend(_suite_element(s, i, timestamp) for i, s in enumerate(_suites(result)))
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
