"""``file_exists``: an empty file, a link or a placeholder is not evidence in the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.checks.conftest import Failures


def _card(failures: Failures, value: str) -> list[tuple[str, str]]:
    return failures("file_exists", "spec.model.card", {"spec": {"model": {"card": value}}})


@pytest.mark.parametrize(
    "content",
    [b"", b"   \n\t\r\n", b"\xef\xbb\xbf \n", b"\x00" * 100, "\u200b\u00a0\n\u3000\n".encode()],
    ids=["empty", "whitespace", "bom", "nul-bytes", "unicode-whitespace"],
)
def test_an_empty_or_whitespace_only_file_is_not_evidence(
    failures: Failures, tmp_path: Path, content: bytes
) -> None:
    (tmp_path / "card.md").write_bytes(content)
    assert _card(failures, "card.md") == [("spec.model.card", "'card.md' is empty or only whitespace")]


def test_a_file_with_content_is_evidence(failures: Failures, tmp_path: Path) -> None:
    (tmp_path / "card.md").write_bytes(b"\n" * 70000 + b"# Model card\n")  # past the first chunk
    (tmp_path / "card.pdf").write_bytes(b"%PDF-1.7\x00\x01")
    assert _card(failures, "card.md") == []
    assert _card(failures, "card.pdf") == []


@pytest.mark.parametrize(
    "link", ["https://wiki.example.org/ai/model-card", "http://x/y.md", "s3://bucket/card.md"]
)
def test_a_link_is_reported_as_a_link(failures: Failures, link: str) -> None:
    assert _card(failures, link) == [
        (
            "spec.model.card",
            f"{link!r} is a link; this rule needs the file in the repository, relative to the manifest",
        )
    ]


def test_a_placeholder_is_not_a_file_name_even_when_such_a_file_exists(
    failures: Failures, tmp_path: Path
) -> None:
    (tmp_path / "TBD").write_text("placeholder\n", encoding="utf-8")
    assert _card(failures, "TBD") == [("spec.model.card", "'TBD' is a placeholder")]
    assert _card(failures, "docs/none.md") == [("spec.model.card", "'docs/none.md' does not exist")]


def test_gits_own_files_are_not_evidence(failures: Failures, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    assert _card(failures, ".git/HEAD") == [
        ("spec.model.card", "'.git/HEAD' is git's own metadata, not evidence")
    ]
