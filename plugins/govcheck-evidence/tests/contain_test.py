"""Links: the manifest schema accepts one as evidence, and both evidence checks name it a link.

The schema's evidence fields take "a path relative to this manifest or a link"; a check that
needs the file in the repository must say that a link is a link, not that a file by that odd
name does not exist, and govcheck's own ``file_exists`` and this plugin must agree on which
values are links.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

pytest.importorskip(
    "govcheck_evidence", reason="govcheck-evidence is not installed (pip install ./plugins/govcheck-evidence)"
)

from jsonschema import Draft202012Validator  # noqa: E402

from govcheck.interfaces import CheckContext  # noqa: E402
from govcheck.plugins import load_registry  # noqa: E402
from govcheck_evidence import contain  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]
SCHEMA = json.loads((ROOT / "schemas" / "pilot-manifest.schema.json").read_text(encoding="utf-8"))
LINKS = ["https://wiki.example.org/ai/validation", "http://intranet/report.pdf", "s3://evidence/card.md"]
PATHS = ["docs/validation.md", "docs/https-notes.md", "docs/a:b.md"]


def _reason(name: str, value: str, repo: Path) -> str | None:
    spec = load_registry(plugins=["govcheck_evidence"], entry_points=False).checks()[name]
    ctx = CheckContext({"report": value}, repo / "pilot.yaml", repo, dt.date(2026, 11, 25), "high", "pilot")
    found = spec.compile("report", {})(ctx)
    return found[0].detail if found else None


@pytest.mark.parametrize("value", LINKS + PATHS)
def test_the_manifest_schema_accepts_links_and_paths_as_evidence(value: str) -> None:
    pilot = {
        "apiVersion": "govcheck/v1",
        "kind": "AIPilot",
        "metadata": {"id": "x"},
        "spec": {"governance": {"validation": {"report": value}}},
    }
    assert list(Draft202012Validator(SCHEMA).iter_errors(pilot)) == []
    assert "link" in SCHEMA["$defs"]["evidencePath"]["description"]


@pytest.mark.parametrize("value", LINKS)
def test_both_evidence_checks_report_a_link_as_a_link(value: str, tmp_path: Path) -> None:
    said = f"{value!r} is a link; this rule needs the file in the repository, relative to the manifest"
    assert _reason("evidence_file", value, tmp_path) == said
    assert _reason("file_exists", value, tmp_path) == said
    assert contain.locate(value, tmp_path / "pilot.yaml", tmp_path) == said


@pytest.mark.parametrize("value", PATHS)
def test_a_path_is_never_taken_for_a_link(value: str, tmp_path: Path) -> None:
    assert _reason("evidence_file", value, tmp_path) == f"{value!r} does not exist"
    assert _reason("file_exists", value, tmp_path) == f"{value!r} does not exist"


@pytest.mark.parametrize(
    ("content", "evidence"),
    [
        (b"", False),
        (b"\x00\n \t", False),
        ("\ufeff\u200b\u00a0".encode(), False),
        (b"%PDF\xff", True),
        (b"ok", True),
    ],
)
def test_both_evidence_checks_judge_a_files_content_alike(
    content: bytes, evidence: bool, tmp_path: Path
) -> None:
    (tmp_path / "report.md").write_bytes(content)
    said = None if evidence else "'report.md' is empty or only whitespace"
    assert _reason("evidence_file", "report.md", tmp_path) == said
    assert _reason("file_exists", "report.md", tmp_path) == said


def test_both_evidence_checks_refuse_gits_own_files(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("[core]\n", encoding="utf-8")
    said = "'.git/config' is git's own metadata, not evidence"
    assert _reason("evidence_file", ".git/config", tmp_path) == said
    assert _reason("file_exists", ".git/config", tmp_path) == said
