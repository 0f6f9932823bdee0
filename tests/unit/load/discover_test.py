"""Which files a scan reads: every spelling of a manifest is checked or reported, never skipped."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from govcheck.api import CheckSettings, run_check
from govcheck.errors import UsageError
from govcheck.load import discover
from govcheck.load.discover import compile_excludes, listing, printable, source
from govcheck.load.manifest import load
from govcheck.model import RunResult
from tests.helpers import MINI, TODAY, manifest, write

PILOT = json.dumps(manifest(), indent=1)
KIND_LINE = '"kind": "AIPilot"'
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def scan(root: Path, *paths: str, exclude: tuple[str, ...] = ()) -> RunResult:
    return run_check(
        CheckSettings(paths=named(root, paths), packs=(MINI,), cwd=root, today=TODAY, jobs=1, exclude=exclude)
    )


def checked(result: RunResult) -> list[str]:
    return [m.file for m in result.manifests]


def shown(root: Path, *paths: str, exclude: tuple[str, ...] = ()) -> list[str]:
    return [source(item).shown for item in listing(named(root, paths), root, exclude)]


def named(root: Path, paths: tuple[str, ...]) -> tuple[str, ...]:
    """Paths as the user names them, from ``root`` as the working directory."""
    return tuple(str(root / p) for p in paths or (".",))


@pytest.mark.parametrize(
    "kind",
    [
        r'"AI\x50ilot"',  # a double-quoted escape: the bytes never spell AIPilot
        r'"\u0041IPilot"',
        '"AI\\\n  Pilot"',  # an escaped line break inside double quotes
        "'AIPilot'",
        "!!str AIPilot",
        "!<tag:yaml.org,2002:str> AIPilot",
    ],
)
def test_every_spelling_of_the_kind_is_checked(tmp_path: Path, kind: str) -> None:
    write(tmp_path / "pilots" / "p.yaml", PILOT.replace(KIND_LINE, f'"kind": {kind}'))
    result = scan(tmp_path)
    assert checked(result) == ["pilots/p.yaml"]


@pytest.mark.parametrize(
    "kind", ["aipilot", "AIPILOT", "AiPilot", "'aipilot'", r'"ai\x70ilot"', '"AIPilot "']
)
def test_a_kind_in_another_case_is_a_finding_not_a_skip(tmp_path: Path, kind: str) -> None:
    write(tmp_path / "p.yaml", PILOT.replace(KIND_LINE, f'"kind": {kind}'))
    result = scan(tmp_path)
    assert checked(result) == []
    (finding,) = result.findings
    assert (finding.rule, finding.file, finding.line, finding.severity) == ("GC-KIND", "p.yaml", 3, "error")
    assert finding.message.startswith("kind is ")
    assert "; a pilot manifest says exactly kind: AIPilot (the case matters)" in finding.message


@pytest.mark.parametrize("key", ["Kind", "KIND"])
def test_the_kind_key_in_another_case_is_a_finding_too(tmp_path: Path, key: str) -> None:
    write(tmp_path / "p.yaml", PILOT.replace(KIND_LINE, f'"{key}": "AIPilot"'))
    (finding,) = scan(tmp_path).findings
    assert (finding.rule, finding.line) == ("GC-KIND", 3)
    assert finding.message.startswith(f"{key}: AIPilot; a pilot manifest says exactly kind: AIPilot")


@pytest.mark.parametrize(
    "kind",
    [
        "AIPilot\u200b",  # zero-width space
        "AI\u00adPilot",  # soft hyphen
        "\u2060AIPilot",  # word joiner
        "AI\u03a1ilot",  # Greek capital Rho
        "\u0391IPilot",  # Greek capital Alpha
        "\u0410I\u0420ilot",  # Cyrillic A and Er
        "AIP\u0456l\u043et",  # Cyrillic i and o
        "\uff21\uff29\uff30\uff49\uff4c\uff4f\uff54",  # fullwidth
        "AIPi\u034flot",  # combining grapheme joiner
        "AIP\u00edlot",  # an accent
    ],
)
@pytest.mark.parametrize("written", ["raw", "escaped"])
def test_a_kind_that_only_looks_like_the_kind_is_a_finding(tmp_path: Path, kind: str, written: str) -> None:
    text = json.dumps(manifest(kind=kind), indent=1, ensure_ascii=written == "escaped")
    write(tmp_path / "p.yaml", text)
    result = scan(tmp_path)
    assert checked(result) == []
    (finding,) = result.findings
    assert (finding.rule, finding.file, finding.line, finding.column) == ("GC-KIND", "p.yaml", 3, 2)
    assert finding.message.startswith(f"kind looks like AIPilot but is not exactly it: {ascii(kind)} (U+")


def test_a_key_that_only_looks_like_kind_is_a_finding(tmp_path: Path) -> None:
    write(tmp_path / "p.yaml", PILOT.replace(KIND_LINE, '"\u043aind": "AIPilot"'))  # Cyrillic ka
    (finding,) = scan(tmp_path).findings
    assert (finding.rule, finding.line) == ("GC-KIND", 3)
    assert "U+043A CYRILLIC SMALL LETTER KA" in finding.message


def test_other_text_outside_ascii_is_still_not_ours_to_judge(tmp_path: Path) -> None:
    write(tmp_path / "chart.yaml", "name: caf\u00e9\ndescription: \u041f\u0438\u043b\u043e\u0442 AI\n")
    write(tmp_path / "broken.yaml", "name: \u00e9t\u00e9\nb: [\n")  # broken, and no pilot in it
    write(tmp_path / "pack.yaml", "kind: P\u043elicyPack\n")
    result = scan(tmp_path)
    assert (checked(result), list(result.findings)) == ([], [])


def test_a_broken_file_with_a_look_alike_kind_is_reported(tmp_path: Path) -> None:
    write(tmp_path / "p.yaml", "kind: AI\u03a1ilot\nmetadata: {id: x\n")
    assert [f.rule for f in scan(tmp_path).findings] == ["GC-PARSE"]


def test_a_misspelt_document_does_not_hide_the_others_in_its_file(tmp_path: Path) -> None:
    write(tmp_path / "p.yaml", PILOT + "\n---\n" + PILOT.replace(KIND_LINE, '"kind": "aipilot"'))
    result = scan(tmp_path)
    assert checked(result) == ["p.yaml"]
    assert [(f.rule, f.document) for f in result.findings] == [("GC-KIND", 1)]


def test_other_yaml_is_still_not_ours_to_judge(tmp_path: Path) -> None:
    write(tmp_path / "workflow.yaml", 'on: push\nrun: "echo \\"a\\\\b\\""\n')  # an escape, no pilot
    write(tmp_path / "broken.yaml", 'a: "\\t\nb: [\n')  # an escape, and broken: another tool's file
    write(tmp_path / "pack.yaml", "kind: PolicyPack\n")
    result = scan(tmp_path)
    assert (checked(result), list(result.findings)) == ([], [])


def test_a_broken_file_that_names_the_kind_in_any_case_is_reported(tmp_path: Path) -> None:
    write(tmp_path / "p.yaml", "kind: aipilot\nmetadata: {id: x\n")
    assert [f.rule for f in scan(tmp_path).findings] == ["GC-PARSE"]


@pytest.mark.parametrize("directory", [".governance", ".github", ".config/pilots"])
def test_manifests_in_dot_directories_are_checked(tmp_path: Path, directory: str) -> None:
    write(tmp_path / directory / "p.yaml", PILOT)
    assert checked(scan(tmp_path)) == [f"{directory}/p.yaml"]


def test_upper_case_suffixes_are_yaml_too(tmp_path: Path) -> None:
    for name in ("a.YAML", "b.Yml", "c.yAmL", "d.txt", "e.yaml.bak"):
        write(tmp_path / name, PILOT)
    assert checked(scan(tmp_path)) == ["a.YAML", "b.Yml", "c.yAmL"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-32-be"])
def test_utf16_and_utf32_files_with_a_mark_are_not_skipped(tmp_path: Path, encoding: str) -> None:
    text = PILOT if encoding in ("utf-16", "utf-32") else "\ufeff" + PILOT  # the codec writes no mark
    (tmp_path / "p.yaml").write_bytes(text.encode(encoding))
    targets, findings = load(discover.Source(tmp_path / "p.yaml", explicit=False), tmp_path)
    # Checked once the reader decodes the mark; until then a GC-PARSE finding: never a silent skip.
    assert len(targets) == 1 or [f.rule for f in findings] == ["GC-PARSE"]


@needs_git
@pytest.mark.parametrize("directory", [".hg", ".svn", "team/.svn"])
def test_other_version_control_directories_are_read_where_git_tracks_files(
    tmp_path: Path, directory: str
) -> None:
    git(tmp_path, "init", "-q")
    write(tmp_path / directory / "tracked.yaml", PILOT)
    write(tmp_path / directory / "store" / "untracked.yaml", PILOT)
    write(tmp_path / ".hg" / "p.yaml" if directory != ".hg" else tmp_path / ".svn" / "p.yaml", PILOT)
    assert shown(tmp_path) == []  # untracked: another version control's own files
    git(tmp_path, "add", "-f", f"{directory}/tracked.yaml")
    # Tracked: the project's; the directory is then walked like any other (git's ignore rules).
    assert shown(tmp_path) == [f"{directory}/store/untracked.yaml", f"{directory}/tracked.yaml"]


def test_version_control_and_tool_directories_are_skipped_outside_git(tmp_path: Path) -> None:
    for directory in (".git", ".hg", ".svn", "node_modules/pkg", ".venv/lib", "__pycache__", "kept"):
        write(tmp_path / directory / "p.yaml", PILOT)
    assert shown(tmp_path) == ["kept/p.yaml"]


def refuse_to_list(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """As an unreadable directory fails for a user who is not root (the tests may run as root)."""
    real = os.scandir

    def scandir(path: Any) -> Any:
        if os.path.basename(os.path.normpath(os.fspath(path))) == name:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_unreadable_directories_are_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "ok" / "p.yaml", PILOT)
    write(tmp_path / "locked" / "p.yaml", PILOT)
    refuse_to_list(monkeypatch, "locked")
    result = scan(tmp_path)
    assert checked(result) == ["ok/p.yaml"]
    (finding,) = result.findings
    assert (finding.rule, finding.file, finding.line, finding.severity) == ("GC-PARSE", "locked/", 1, "error")
    assert finding.message == "cannot read the directory: Permission denied"


def test_an_unreadable_named_directory_is_a_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "locked").mkdir()
    refuse_to_list(monkeypatch, "locked")
    assert shown(tmp_path, "locked") == ["locked/"]
    assert shown(tmp_path / "locked", ".") == ["./"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs permissions that bind")
def test_a_directory_without_read_permission_is_a_finding(tmp_path: Path) -> None:
    write(tmp_path / "locked" / "p.yaml", PILOT)
    (tmp_path / "locked").chmod(0)
    try:
        assert [(f.rule, f.file) for f in scan(tmp_path).findings] == [("GC-PARSE", "locked/")]
    finally:
        (tmp_path / "locked").chmod(0o755)


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


@needs_git
def test_what_git_ignores_is_skipped_and_what_it_tracks_is_checked(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    write(tmp_path / ".gitignore", "build/\nscratch.yaml\nnode_modules/\ngenerated/\n")
    for name in ("a.yaml", "scratch.yaml", "build/out.yaml", "build/kept.yaml", ".github/p.yaml"):
        write(tmp_path / name, PILOT)
    for name in ("node_modules/tracked/p.yaml", "venv/p.yaml", "venv-like/p.yaml", "generated/deep/p.yaml"):
        write(tmp_path / name, PILOT)
    git(tmp_path, "add", "-f", "build/kept.yaml", "node_modules/tracked/p.yaml")
    assert shown(tmp_path) == [
        ".github/p.yaml",
        "a.yaml",
        "build/kept.yaml",  # ignored directory, tracked file: git's answer
        "node_modules/tracked/p.yaml",
        "venv-like/p.yaml",
    ]
    assert shown(tmp_path, "build") == ["build/kept.yaml"]  # git looks inside build/: its rules hold
    # A directory git ignores as a whole it never looks into; named, it is read in full.
    assert shown(tmp_path, "generated") == ["generated/deep/p.yaml"]
    assert shown(tmp_path, "generated/deep") == ["generated/deep/p.yaml"]
    assert shown(tmp_path, "scratch.yaml") == ["scratch.yaml"]  # a named file is always read
    write(tmp_path / "sub" / ".gitignore", "local.yaml\n")
    write(tmp_path / "sub" / "local.yaml", PILOT)
    write(tmp_path / "sub" / "p.yaml", PILOT)
    assert shown(tmp_path, "sub") == ["sub/p.yaml"]


@needs_git
def test_without_git_every_file_is_walked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git(tmp_path, "init", "-q")
    write(tmp_path / ".gitignore", "scratch.yaml\n")
    write(tmp_path / "scratch.yaml", PILOT)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert shown(tmp_path) == ["scratch.yaml"]


def test_a_git_inside_the_repository_is_never_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()
    tool = tmp_path / "tools" / "git"
    write(tool, f"#!/bin/sh\ntouch {tmp_path / 'ran'}\n")
    tool.chmod(0o755)
    write(tmp_path / "p.yaml", PILOT)
    monkeypatch.setenv("PATH", str(tool.parent))
    assert shown(tmp_path) == ["p.yaml"]
    assert not (tmp_path / "ran").exists()


@pytest.mark.parametrize(
    ("patterns", "expected"),
    [
        ((), ["a/fixtures/x.yaml", "drafts/p.yaml", "fixtures/keep.yaml", "fixtures/x.yaml", "p.yaml"]),
        (("fixtures",), ["drafts/p.yaml", "p.yaml"]),  # a name matches at any depth
        (("fixtures/",), ["drafts/p.yaml", "p.yaml"]),  # a directory
        (("/fixtures",), ["a/fixtures/x.yaml", "drafts/p.yaml", "p.yaml"]),  # anchored
        (("a/**/x.yaml",), ["drafts/p.yaml", "fixtures/keep.yaml", "fixtures/x.yaml", "p.yaml"]),
        (("**/x.yaml",), ["drafts/p.yaml", "fixtures/keep.yaml", "p.yaml"]),
        (
            ("fixtures/*", "!fixtures/keep.yaml"),
            ["a/fixtures/x.yaml", "drafts/p.yaml", "fixtures/keep.yaml", "p.yaml"],
        ),
        (("dr?fts",), ["a/fixtures/x.yaml", "fixtures/keep.yaml", "fixtures/x.yaml", "p.yaml"]),
        (("[a-d]*/",), ["fixtures/keep.yaml", "fixtures/x.yaml", "p.yaml"]),
        (("*.yaml",), []),
        (("p.yaml",), ["a/fixtures/x.yaml", "fixtures/keep.yaml", "fixtures/x.yaml"]),
    ],
)
def test_exclude_patterns_read_like_gitignore(
    tmp_path: Path, patterns: tuple[str, ...], expected: list[str]
) -> None:
    for name in ("p.yaml", "drafts/p.yaml", "fixtures/x.yaml", "fixtures/keep.yaml", "a/fixtures/x.yaml"):
        write(tmp_path / name, PILOT)
    assert shown(tmp_path, exclude=patterns) == expected


def test_exclude_patterns_match_reported_paths_and_never_named_files(tmp_path: Path) -> None:
    write(tmp_path / "pilots" / "drafts" / "p.yaml", PILOT)
    write(tmp_path / "pilots" / "p.yaml", PILOT)
    assert shown(tmp_path, "pilots", exclude=("pilots/drafts",)) == ["pilots/p.yaml"]
    assert shown(tmp_path, "pilots/drafts/p.yaml", exclude=("drafts",)) == ["pilots/drafts/p.yaml"]
    # Below a directory outside the working directory, patterns read paths relative to it.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    listed = shown(elsewhere, str(tmp_path / "pilots"), exclude=("/drafts", "pilots"))
    assert listed == [(tmp_path / "pilots" / "p.yaml").as_posix()]


@pytest.mark.parametrize("pattern", ["", "  ", "/", "!", "!/"])
def test_an_exclude_pattern_must_name_a_path(pattern: str) -> None:
    with pytest.raises(UsageError, match="names no path"):
        compile_excludes([pattern])


def test_file_names_that_are_not_utf8_are_shown_escaped_and_read(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9-\xff.yaml")
    write(tmp_path / "pilots" / name, PILOT)
    write(tmp_path / "pilots" / "line\nbreak.yaml", PILOT)
    listed = [source(item) for item in listing([str(tmp_path)], tmp_path)]
    assert [s.shown for s in listed] == ["pilots/caf\\xe9-\\xff.yaml", "pilots/line\\nbreak.yaml"]
    assert all(s.path.is_file() for s in listed)  # the real name, not the shown one
    assert [m.file for m in scan(tmp_path).manifests] == [s.shown for s in listed]


def test_two_files_shown_alike_are_both_read(tmp_path: Path) -> None:
    write(tmp_path / os.fsdecode(b"caf\xe9.yaml"), PILOT)
    write(tmp_path / "caf\\xe9.yaml", PILOT)  # a real backslash: the same text once escaped
    listed = [source(item) for item in listing([str(tmp_path)], tmp_path)]
    assert [s.shown for s in listed] == ["caf\\xe9.yaml", "caf\\xe9.yaml"]
    assert len({s.path for s in listed}) == 2


def test_printable_is_deterministic_and_leaves_ordinary_names_alone() -> None:
    assert printable("pilots/é ü/日本.yaml") == "pilots/é ü/日本.yaml"
    assert printable(os.fsdecode(b"\xff\x1b")) == printable(os.fsdecode(b"\xff\x1b")) == "\\xff\\x1b"
    assert printable("\ud800") == "\\ud800"  # a lone surrogate that is no escaped byte


def test_a_listing_leaves_nothing_for_the_cycle_collector(tmp_path: Path) -> None:
    # Every shown path of a large run was kept alive in a reference cycle after the listing
    # returned, until the cycle collector ran: about 1 MB at 10,000 manifests.
    import gc

    for i in range(50):
        write(tmp_path / f"p{i}.yaml", "x: 1\n")
    gc.collect()
    gc.disable()
    try:
        assert len(listing([str(tmp_path), str(tmp_path / "p1.yaml")], tmp_path)) == 50
        assert gc.collect() == 0
    finally:
        gc.enable()
