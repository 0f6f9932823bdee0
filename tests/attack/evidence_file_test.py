"""file_exists accepts only evidence: a file of the repository that says something.

git's own metadata (``.git/HEAD``) is inside the work tree but no evidence, and a file of
Unicode whitespace or NUL bytes says nothing, like the ASCII-whitespace file already refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import MINI, TODAY, manifest, write

DAY = TODAY.isoformat()


def with_report(run: Any, tmp_path: Path, report: str, content: bytes | None) -> Any:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    if content is not None:
        (repo / "docs").mkdir()
        (repo / report).write_bytes(content)
    doc = manifest(**{"spec.risk_tier": "high", "spec.governance.validation": {"report": report}})
    doc["spec"]["workflow"]["human_review"]["required"] = True
    doc["spec"]["data"]["quality_checks"].append({"name": "timeliness", "threshold": 0.9})
    file = write(repo / "pilot.yaml", doc)
    return run("check", "--pack", MINI, "--today", DAY, "-q", str(file))


def test_ascii_whitespace_file_is_refused(run: Any, tmp_path: Path) -> None:
    result = with_report(run, tmp_path, "docs/validation.md", b" \n\t\n")
    assert result.exit_code == 1 and "GOV-003" in result.stdout


def test_real_report_passes(run: Any, tmp_path: Path) -> None:
    assert with_report(run, tmp_path, "docs/validation.md", b"# Validation\n").exit_code == 0


def test_git_metadata_is_no_evidence(run: Any, tmp_path: Path) -> None:
    result = with_report(run, tmp_path, ".git/HEAD", None)
    assert result.exit_code == 1 and "GOV-003" in result.stdout


@pytest.mark.parametrize(
    "content",
    ["\u200b\u00a0\n\u3000\n".encode(), b"\x00" * 100],
    ids=["unicode-whitespace", "nul-bytes"],
)
def test_a_file_that_says_nothing_is_no_evidence(run: Any, tmp_path: Path, content: bytes) -> None:
    result = with_report(run, tmp_path, "docs/validation.md", content)
    assert result.exit_code == 1 and "GOV-003" in result.stdout
