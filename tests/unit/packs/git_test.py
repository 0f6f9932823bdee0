"""Packs from git: references parsed strictly, fetched once, pinned to a commit, kept in their repository."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from govcheck.errors import PackError
from govcheck.packs import git
from govcheck.packs.loader import PackLoader
from tests.gitpacks import Origin, commit, make_origin


@pytest.fixture
def origin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Origin:
    return make_origin(tmp_path, monkeypatch)


def load(ref: str, cwd: Path) -> tuple[str, str, list[str]]:
    loader = PackLoader({}, cwd)
    pack = loader.load(ref)
    problems = [str(p) for p in loader.problems]
    return (pack.version, pack.origin, problems) if pack and not problems else ("", "", problems)


@pytest.mark.parametrize(
    ("ref", "parsed"),
    [
        ("git+file:///srv/packs.git", git.GitRef("file:///srv/packs.git", "", "")),
        ("git+file:///srv/packs.git@v1#packs/x", git.GitRef("file:///srv/packs.git", "v1", "packs/x")),
        (
            "git+ssh://git@example.org/org/packs.git@release/2.0#x/",
            git.GitRef("ssh://git@example.org/org/packs.git", "release/2.0", "x"),
        ),
        ("git+https://example.org/packs@" + "a" * 40, git.GitRef("https://example.org/packs", "a" * 40, "")),
        ("git+https://example.org/packs#.", git.GitRef("https://example.org/packs", "", "")),
    ],
)
def test_references_are_parsed_as_pip_reads_them(ref: str, parsed: git.GitRef) -> None:
    assert git.parse(ref) == parsed


@pytest.mark.parametrize(
    ("ref", "said"),
    [
        ("git+ext::sh -c touch% marker", "not a git pack reference"),
        ("git+-uhttps://example.org/x", "not a git pack reference"),
        ("git+http://example.org/x", "not a git pack reference"),
        ("git+git@example.org:org/x.git", "not a git pack reference"),
        ("git+https://example.org/x?a=b", "not a git pack reference"),
        ("git+file:///srv/x.git@--upload-pack=touch", "is not a branch, a tag or a commit id"),
        ("git+file:///srv/x.git@main:refs/heads/other", "is not a branch, a tag or a commit id"),
        ("git+file:///srv/x.git@v1#../..", "must be a path inside the repository"),
        ("git+file:///srv/x.git@v1#/etc", "must be a path inside the repository"),
    ],
)
def test_hostile_references_are_refused_before_git_runs(ref: str, said: str) -> None:
    with pytest.raises(PackError, match=said):
        git.parse(ref)


def test_a_tag_a_branch_and_a_commit_each_resolve_to_their_commit(origin: Origin, tmp_path: Path) -> None:
    assert load(origin.ref("v1"), tmp_path) == ("0.1.0", origin.ref(origin.v1), [])
    assert load(origin.ref("main"), tmp_path) == ("0.2.0", origin.ref(origin.main), [])
    assert load(origin.ref(), tmp_path) == ("0.2.0", origin.ref(origin.main), [])  # the default branch
    assert load(origin.ref(origin.v1), tmp_path) == ("0.1.0", origin.ref(origin.v1), [])
    cached = tmp_path / "cache" / "govcheck" / "packs"
    assert sorted(p.name for p in cached.glob("*/*")) == sorted([origin.v1, origin.main])
    assert not list(cached.glob("*/.fetch-*")) and not list(cached.glob("*/*/.git"))


def test_a_cached_commit_needs_no_remote(origin: Origin, tmp_path: Path) -> None:
    assert load(origin.ref(origin.v1), tmp_path)[0] == "0.1.0"
    shutil.rmtree(origin.bare)
    assert load(origin.ref(origin.v1), tmp_path) == ("0.1.0", origin.ref(origin.v1), [])
    assert "git fetch failed" in load(origin.ref("v1"), tmp_path)[2][0]  # a tag must be asked for


def test_what_cannot_be_fetched_or_loaded_is_a_problem_naming_the_reference(
    origin: Origin, tmp_path: Path
) -> None:
    for ref, said in (
        (origin.ref("v9"), "git fetch failed: fatal: couldn't find remote ref v9"),
        (git.PREFIX + (tmp_path / "nowhere.git").as_uri(), "git fetch failed"),
        (origin.ref("v1", "packs/other"), f"no pack.yaml at #packs/other of commit {origin.v1}"),
    ):
        (problem,) = load(ref, tmp_path)[2]
        assert problem.startswith(f"{ref}: ") and not problem.startswith(f"{ref}: {ref}") and said in problem


def test_a_symlink_out_of_the_repository_is_not_exported(origin: Origin, tmp_path: Path) -> None:
    (tmp_path / "secret.yaml").write_text("not a pack\n")
    (origin.work / "packs" / "evil").mkdir()
    (origin.work / "packs" / "evil" / "pack.yaml").symlink_to(tmp_path / "secret.yaml")
    commit(origin, "a link out")
    (problem,) = load(origin.ref("main", "packs/evil"), tmp_path)[2]
    assert "cannot be exported" in problem


def test_a_pack_from_git_extends_only_packs_in_its_repository(origin: Origin, tmp_path: Path) -> None:
    (tmp_path / "local").mkdir()
    shutil.copytree(origin.work / "packs" / "mini", tmp_path / "local" / "mini")
    child = origin.work / "packs" / "child"
    child.mkdir()
    pack = (
        "apiVersion: govcheck/v1\nkind: PolicyPack\nmetadata: {{name: child, version: '1'}}\n"
        "extends: [{}]\nrules: []\n"
    )
    (child / "pack.yaml").write_text(pack.format(tmp_path / "local" / "mini"))
    commit(origin, "extends a local path")
    (problem,) = load(origin.ref("main", "packs/child"), tmp_path)[2]
    assert f"extends '{tmp_path / 'local' / 'mini'}' leaves the repository of {origin.url}" in problem
    (child / "pack.yaml").write_text(pack.format("../mini"))
    head = commit(origin, "extends its sibling")
    loader = PackLoader({}, tmp_path)
    loaded = loader.load(origin.ref("main", "packs/child"))
    assert loaded is not None and not loader.problems
    assert [p.origin for p in loaded.lineage()] == [
        origin.ref(head, "packs/mini"),
        origin.ref(head, "packs/child"),
    ]


def test_the_cache_is_never_inside_the_checked_repository(
    origin: Origin, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(origin.work / ".cache"))
    (problem,) = load(origin.ref("v1"), origin.work)[2]
    assert "is inside the checked repository" in problem
