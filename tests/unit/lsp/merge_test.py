"""A remediation merged into a manifest: the edits add what is missing where it belongs and leave
everything else as written; applied for every ``present`` rule shipped, the finding goes."""

from __future__ import annotations

import copy
import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from govcheck.authoring.loading import configured
from govcheck.lang.fieldpath import parse
from govcheck.lang.values import nothing_problem
from govcheck.load.discover import Source
from govcheck.load.yaml import load_all
from govcheck.lsp.merge import Edit, remediation_edits
from govcheck.model import DocPath, Finding
from govcheck.run import Job, evaluate_sources
from tests.helpers import TODAY

ROOT = Path(__file__).resolve().parents[3]
READY = ROOT / "examples" / "ready"


def apply(text: str, edits: list[Edit]) -> str:
    """The text with ``edits`` made, as an LSP client makes them (positions in the original text)."""
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        begin, end = starts[edit.start[0]] + edit.start[1], starts[edit.end[0]] + edit.end[1]
        text = text[:begin] + edit.text + text[end:]
    return text


def merged(text: str, snippet: str, at: str = "", document: int = 0) -> str:
    parts = tuple(p for p in parse(at).parts if isinstance(p, (str, int))) if at else ()
    return apply(text, remediation_edits(text, document, snippet, parts))


FIX = "spec:\n  ownership:\n    executive_sponsor: {name: Gloria Achebe, role: VP}\n"


@pytest.mark.parametrize(
    ("text", "snippet", "at", "expected"),
    [
        pytest.param(
            "spec:\n  ownership:\n    business_owner: {name: B}\n  stage: pilot\n",
            FIX,
            "spec.ownership.executive_sponsor.name",
            "spec:\n  ownership:\n    business_owner: {name: B}\n"
            "    executive_sponsor: {name: Gloria Achebe, role: VP}\n  stage: pilot\n",
            id="a missing key at the end of its block mapping",
        ),
        pytest.param(
            "spec:\n  ownership: {business_owner: {name: B}}\n",
            FIX,
            "spec.ownership.executive_sponsor.name",
            "spec:\n  ownership: {business_owner: {name: B},"
            " executive_sponsor: {name: Gloria Achebe, role: VP}}\n",
            id="a missing key before the closing brace of a flow mapping",
        ),
        pytest.param(
            "spec:\n  ownership: {business_owner: {name: B},\n    }\n",
            FIX,
            "",
            "spec:\n  ownership: {business_owner: {name: B},\n"
            "    executive_sponsor: {name: Gloria Achebe, role: VP}}\n",
            id="a flow mapping ending in a comma",
        ),
        pytest.param(
            "spec:\n  ownership:\n    executive_sponsor: {name: TBD, role: VP}\n",
            FIX,
            "spec.ownership.executive_sponsor.name",
            "spec:\n  ownership:\n    executive_sponsor: {name: Gloria Achebe, role: VP}\n",
            id="the value the finding is about is replaced",
        ),
        pytest.param(
            "spec:\n  ownership:\n    executive_sponsor: {name: Ann, role: CMO}\n",
            FIX,
            "spec.ownership",
            "spec:\n  ownership:\n    executive_sponsor: {name: Ann, role: CMO}\n",
            id="values the finding is not about stay",
        ),
        pytest.param(
            "spec:\n  ownership:\n    executive_sponsor:  # TODO OWN-002\n  stage: pilot\n",
            FIX,
            "spec.ownership.executive_sponsor.name",
            "spec:\n  ownership:\n    executive_sponsor:  # TODO OWN-002\n"
            "      name: Gloria Achebe\n      role: VP\n  stage: pilot\n",
            id="an empty key gets the fields below it",
        ),
        pytest.param(
            'spec:\n  ownership:\n    executive_sponsor: ""\n',
            FIX,
            "spec.ownership.executive_sponsor.name",
            "spec:\n  ownership:\n    executive_sponsor: \n      name: Gloria Achebe\n      role: VP\n",
            id="a blank value gives way to the fields",
        ),
        pytest.param(
            "spec:\n  governance:\n    audit_logging:  # TODO\n",
            "spec:\n  governance:\n    audit_logging: true\n",
            "spec.governance.audit_logging",
            "spec:\n  governance:\n    audit_logging: true  # TODO\n",
            id="an empty scalar after its colon",
        ),
        pytest.param(
            "spec:\n  use_case: other\n",
            "spec:\n  monitoring:\n    alerting:\n      owner: Ann  # who answers\n"
            "    review_cadence_days: 30\n",
            "spec.monitoring.alerting.owner",
            "spec:\n  use_case: other\n  monitoring:\n    alerting:\n      owner: Ann  # who answers\n"
            "    review_cadence_days: 30\n",
            id="a whole block copied as written, comments included",
        ),
        pytest.param(
            "spec:\n  data:\n    quality_checks:\n    - {name: a, threshold: 0.9}\n  stage: pilot\n",
            "spec:\n  data:\n    quality_checks:\n      - {name: a, threshold: 0.9}\n      - name: b\n"
            "        threshold: 0.95\n",
            "spec.data.quality_checks",
            "spec:\n  data:\n    quality_checks:\n    - {name: a, threshold: 0.9}\n    - name: b\n"
            "      threshold: 0.95\n  stage: pilot\n",
            id="entries a list does not have are appended at its dashes",
        ),
        pytest.param(
            "spec:\n  scope: {sites: [north]}\n",
            "spec:\n  scope: {sites: [north, south]}\n",
            "spec.scope.sites",
            "spec:\n  scope: {sites: [north, south]}\n",
            id="a flow list",
        ),
        pytest.param(
            "spec:\n  success_metrics:\n    - name: a\n      baseline: 1\n    - name: b\n",
            "spec:\n  success_metrics:\n    - {name: days-to-appeal, data_source: claims-extract}\n",
            "spec.success_metrics[1].data_source",
            "spec:\n  success_metrics:\n    - name: a\n      baseline: 1\n    - name: b\n"
            "      data_source: claims-extract\n",
            id="the entry the finding names gets the snippet's entry merged in",
        ),
        pytest.param(
            "spec:\n  stage: pilot",
            "spec:\n  ownership:\n    post_launch_owner: {name: X}\n",
            "",
            "spec:\n  stage: pilot\n  ownership:\n    post_launch_owner: {name: X}",
            id="after a last line without a line break",
        ),
        pytest.param(
            "spec:\r\n  stage: pilot\r\n",
            "spec:\n  use_case: other\n",
            "",
            "spec:\r\n  stage: pilot\r\n  use_case: other\r\n",
            id="CRLF line breaks",
        ),
        pytest.param(
            "spec:\n  ownership:\n    business_owner: {name: B}\n",
            "spec:\n  ownership:\n    executive_sponsor: {name: E}\n"
            "  monitoring: {review_cadence_days: 30}\n",
            "",
            "spec:\n  ownership:\n    business_owner: {name: B}\n    executive_sponsor: {name: E}\n"
            "  monitoring: {review_cadence_days: 30}\n",
            id="a child's and its parent's additions at one place, in order",
        ),
        pytest.param(
            "spec:\n  summary: |\n    two\n    lines\n\n  stage: pilot\n",
            "spec:\n  summary: x\n  use_case: other\n",
            "",
            "spec:\n  summary: |\n    two\n    lines\n\n  stage: pilot\n  use_case: other\n",
            id="after a block scalar",
        ),
        pytest.param(
            "spec:\n  stage: pilot\n",
            "Fix the YAML at the line shown.",
            "",
            "spec:\n  stage: pilot\n",
            id="prose is no snippet",
        ),
        pytest.param(
            "spec: [unclosed\n",
            FIX,
            "",
            "spec: [unclosed\n",
            id="a document that does not parse gets no edits",
        ),
    ],
)
def test_merge(text: str, snippet: str, at: str, expected: str) -> None:
    assert merged(text, snippet, at) == expected


def test_the_document_the_finding_is_in() -> None:
    text = "kind: Other\n---\nspec:\n  stage: pilot\n"
    assert merged(text, "spec:\n  use_case: other\n", document=1) == text + "  use_case: other\n"


# ------------------------------------------------------------ every present rule, for real

POLICY = configured(("healthcare-ai-baseline", "scale-readiness"), (), ROOT)[1]
PRESENT = [r for r in POLICY.rules if r.check_name == "present" and r.info.remediation]
READY_DATA = load_all((READY / "pilot.yaml").read_text(encoding="utf-8"), "pilot.yaml")[0].data


def _dump(data: Any, flow: bool) -> str:
    yaml = YAML(typ="safe")  # libyaml's emitter: quoted as govcheck's libyaml parser reads it
    yaml.default_flow_style = None if flow else False
    yaml.width = 4096
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _findings(directory: Path, text: str, rule: str, stage: str | None) -> list[Finding]:
    (directory / "pilot.yaml").write_text(text, encoding="utf-8")
    job = Job(POLICY, TODAY, stage, directory)
    results, problems = evaluate_sources(job, [Source(directory / "pilot.yaml", explicit=True)])
    assert problems == []
    return [f for r in results for f in r.findings if f.rule == rule]


def _leaves(data: Any, at: DocPath = ()) -> Iterator[tuple[DocPath, Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, (*at, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _leaves(value, (*at, i))
    else:
        yield at, data


def _get(data: Any, at: DocPath) -> Any:
    for part in at:
        data = data[part]
    return data


def _broken(path: DocPath, how: str) -> dict[str, Any]:
    """The ready example with the field at ``path`` deleted, its parent deleted, or blank."""
    data = copy.deepcopy(READY_DATA)
    target = path if how != "parent" else path[:-1]
    parent = _get(data, target[:-1])
    if how == "blank":
        parent[target[-1]] = ""
    else:
        del parent[target[-1]]
    return data


@pytest.fixture(scope="module")
def pilot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("pilot")
    shutil.copytree(READY / "docs", directory / "docs")
    return directory


@pytest.mark.parametrize("flow", [False, True], ids=["block", "flow"])
@pytest.mark.parametrize("how", ["leaf", "parent", "blank"])
def test_every_present_rule_is_fixed_by_its_remediation(pilot_dir: Path, how: str, flow: bool) -> None:
    """At the gate to expand, where both shipped packs' rules apply to the ready example."""
    stage = "expansion"
    fixed, placeholders = [], []
    for rule in PRESENT:
        first = next(iter(parse(rule.target.replace("[*]", "[0]")).parts))
        path = tuple(p for p in parse(rule.target.replace("[*]", "[0]")).parts if isinstance(p, (str, int)))
        assert first == "spec"
        try:
            data = _broken(path, how)
        except (KeyError, IndexError, TypeError):
            continue  # the ready example does not have this field to take away
        text = _dump(data, flow)
        before = _findings(pilot_dir, text, rule.info.id, stage)
        if not before:
            continue  # the rule does not apply to the example, or another field now fails it
        finding = before[0]
        at = tuple(p for p in parse(finding.path).parts if isinstance(p, (str, int)))
        after_text = apply(text, remediation_edits(text, 0, rule.info.remediation, at))
        after = load_all(after_text, "pilot.yaml")[0].data
        for leaf, value in _leaves(data):  # nothing the document had is lost or changed
            if leaf[: len(at)] != at and not (isinstance(value, str) and not value.strip()):
                assert _get(after, leaf) == value, (rule.info.id, leaf)
        still = [f for f in _findings(pilot_dir, after_text, rule.info.id, stage) if f.path == finding.path]
        snippet_value = _get(load_all(rule.info.remediation, "fix")[0].data, _snippet_path(at))
        if nothing_problem(snippet_value) is not None:  # the snippet shows a placeholder (<name>)
            assert _get(after, at) == snippet_value, rule.info.id
            placeholders.append(rule.info.id)
        else:
            assert still == [], (rule.info.id, after_text)
            fixed.append(rule.info.id)
    assert len(fixed) >= 5 and len(fixed) + len(placeholders) >= 10, (fixed, placeholders)


def _snippet_path(at: DocPath) -> DocPath:
    """Where the snippet holds the value for ``at``: its list entries are examples for any entry."""
    return tuple(0 if isinstance(p, int) else p for p in at)
