"""Unit tests of the ``evidence_file`` check: containment, the sha256 pin, age by modification time.

They need the module importable (installed, or ``PYTHONPATH=plugins/govcheck-evidence/src``)
but not its entry point: the plugin is registered the way ``--plugin govcheck_evidence`` does it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip(
    "govcheck_evidence", reason="govcheck-evidence is not installed (pip install ./plugins/govcheck-evidence)"
)

from govcheck.interfaces import MISSING, CheckContext, Failure, parse_field_path  # noqa: E402
from govcheck.plugins import load_registry  # noqa: E402
from govcheck_evidence import check  # noqa: E402

TODAY = dt.date(2026, 11, 25)
CONTENT = b"# Validation report\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository (no git history) with a manifest in pilots/ and evidence beside it."""
    root = tmp_path / "repo"
    (root / "pilots" / "docs").mkdir(parents=True)
    (root / "pilots" / "docs" / "validation.md").write_bytes(CONTENT)
    (root / "shared.md").write_bytes(CONTENT)
    (tmp_path / "secret.txt").write_text("outside\n", encoding="utf-8")
    return root


def _run(
    repo: Path, value: Any, target: str = "spec.governance.validation.report", **params: Any
) -> list[Failure]:
    data = {"spec": {"governance": {"validation": {"report": value}}}}
    ctx = CheckContext(data, repo / "pilots" / "pilot.yaml", repo, TODAY, "high", "pilot")
    return list(check.compile_check(target, params)(ctx))


def _reasons(repo: Path, value: Any, **params: Any) -> list[str]:
    return [f.detail for f in _run(repo, value, **params)]


@pytest.mark.parametrize(
    "value", ["docs/validation.md", "./docs/validation.md", "../shared.md", "docs/../docs/validation.md"]
)
def test_a_file_inside_the_repository_passes(repo: Path, value: str) -> None:
    assert _reasons(repo, value) == []


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("/etc/passwd", "'/etc/passwd' is absolute; give a path relative to the manifest"),
        ("\\\\server\\share\\x.md", "is absolute"),
        ("C:\\evidence\\x.md", "is absolute"),
        ("c:x.md", "is absolute"),
        ("../../secret.txt", "'../../secret.txt' leads outside the repository"),
        ("docs/../../../secret.txt", "leads outside the repository"),
        ("docs/missing.md", "'docs/missing.md' does not exist"),
        ("docs", "'docs' is a directory, not a file"),
        ("", "'' is not a file path"),
        ("   ", "is not a file path"),
        ("docs/a\0b", "is not a file path"),
        (42, "42 is not a file path"),
        (["docs/validation.md"], "is not a file path"),
    ],
)
def test_what_is_not_acceptable_evidence(repo: Path, value: Any, reason: str) -> None:
    (found,) = _reasons(repo, value)
    assert reason in found


def test_a_missing_field_is_missing(repo: Path) -> None:
    (failure,) = _run(repo, None, target="spec.governance.validation.document")
    assert (failure.path, failure.value, failure.detail) == (
        ("spec", "governance", "validation", "document"),
        MISSING,
        "missing",
    )


def test_a_symbolic_link_that_leads_out_is_refused_and_one_inside_is_followed(repo: Path) -> None:
    docs = repo / "pilots" / "docs"
    (docs / "out.md").symlink_to(repo.parent / "secret.txt")
    (docs / "escape").symlink_to(repo.parent)
    (docs / "in.md").symlink_to(repo / "shared.md")
    assert _reasons(repo, "docs/out.md") == [
        "'docs/out.md' is a symbolic link that leads outside the repository"
    ]
    assert _reasons(repo, "docs/escape/secret.txt") == [
        "'docs/escape/secret.txt' is a symbolic link that leads outside the repository"
    ]
    assert _reasons(repo, "docs/in.md") == []


def test_a_symbolic_link_loop_is_a_failure_not_a_crash(repo: Path) -> None:
    docs = repo / "pilots" / "docs"
    (docs / "a").symlink_to(docs / "b")
    (docs / "b").symlink_to(docs / "a")
    (reason,) = _reasons(repo, "docs/a")
    assert reason.startswith("'docs/a' ")


def test_every_item_of_a_list_is_checked_at_its_own_path(repo: Path) -> None:
    data = {
        "spec": {
            "data": {"quality_checks": [{"report": "docs/validation.md"}, {"report": "docs/nope.md"}, {}]}
        }
    }
    ctx = CheckContext(data, repo / "pilots" / "pilot.yaml", repo, TODAY, "high", "pilot")
    failures = check.compile_check("spec.data.quality_checks[*].report", {})(ctx)
    assert [(f.path, f.detail) for f in failures] == [
        (("spec", "data", "quality_checks", 1, "report"), "'docs/nope.md' does not exist"),
        (("spec", "data", "quality_checks", 2, "report"), "missing"),
    ]
    assert parse_field_path("spec.data.quality_checks[*].report").resolve({"spec": {}}) == []


def test_the_sha256_pin_must_match(repo: Path) -> None:
    digest = hashlib.sha256(CONTENT).hexdigest()
    assert _reasons(repo, "docs/validation.md", sha256=digest.upper()) == []
    (reason,) = _reasons(repo, "docs/validation.md", sha256="0" * 64)
    assert reason == f"'docs/validation.md' has sha256 {digest}, not the pinned {'0' * 64}"


def test_age_is_the_modification_time_outside_git(repo: Path) -> None:
    evidence = repo / "pilots" / "docs" / "validation.md"
    changed = dt.datetime(2026, 6, 1, 12, 0).timestamp()
    os.utime(evidence, (changed, changed))
    assert _reasons(repo, "docs/validation.md", max_age_days=177) == []
    assert _reasons(repo, "docs/validation.md", max_age_days=176) == [
        "last changed 2026-06-01 (modification time), 177 days ago (at most 176)"
    ]


@pytest.mark.parametrize(
    ("target", "params", "message"),
    [
        ("spec..report", {}, "is not a field path"),
        ("", {}, "a field path must be a non-empty string"),
        ("spec.report", {"max_age_days": -1}, "parameter 'max_age_days' must be a whole number of days"),
        ("spec.report", {"max_age_days": True}, "parameter 'max_age_days' must be a whole number of days"),
        ("spec.report", {"max_age_days": "90"}, "parameter 'max_age_days' must be a whole number of days"),
        ("spec.report", {"sha256": "abc"}, "parameter 'sha256' must be 64 hexadecimal digits"),
        ("spec.report", {"sha256": "g" * 64}, "parameter 'sha256' must be 64 hexadecimal digits"),
    ],
)
def test_bad_targets_and_parameters_are_pack_errors(
    target: str, params: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        check.compile_check(target, params)


def test_the_plugin_module_provides_the_check_without_its_entry_point() -> None:
    registry = load_registry(plugins=["govcheck_evidence"], entry_points=False)
    assert registry.checks()["evidence_file"] is check.SPEC
    assert check.SPEC.params == {"max_age_days": False, "sha256": False}


@pytest.mark.parametrize(
    "content",
    [b"", b" \n\t\r\n", b"\xef\xbb\xbf\n\n", b"\x00" * 10, "\u200b\u3000\n".encode()],
    ids=["empty", "whitespace", "bom", "nul-bytes", "unicode-whitespace"],
)
def test_an_empty_or_whitespace_only_file_is_not_evidence(repo: Path, content: bytes) -> None:
    (repo / "pilots" / "docs" / "blank.md").write_bytes(content)
    assert _reasons(repo, "docs/blank.md") == ["'docs/blank.md' is empty or only whitespace"]
    assert _reasons(repo, "docs/blank.md", max_age_days=365) == [
        "'docs/blank.md' is empty or only whitespace"
    ]


def test_a_file_whose_first_chunk_is_whitespace_still_counts(repo: Path) -> None:
    (repo / "pilots" / "docs" / "late.md").write_bytes(b" " * 70000 + b"# Report\n")
    assert _reasons(repo, "docs/late.md") == []
