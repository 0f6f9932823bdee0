"""Packed results: reported order without a final sort, each file once, re-readable passes."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from govcheck import run as _parallel
from govcheck.api import CheckSettings, run_check
from govcheck.load import discover as manifests
from govcheck.model import Finding, sort_findings
from govcheck.packed import Lazy, Packed, pack
from tests.helpers import MINI, TODAY, check, manifest, write


def finding(file: str, line: int, rule: str = "R-1") -> Finding:
    return Finding(rule, "error", f"{rule} at {line}", file, line)


def test_lazy_reads_again_on_every_pass_and_compares_as_a_sequence() -> None:
    calls: list[int] = []

    def items() -> list[int]:
        calls.append(1)
        return [3, 1, 2]

    lazy = Lazy(items, 3)
    assert list(lazy) == [3, 1, 2] and list(lazy) == [3, 1, 2] and len(calls) == 2
    assert len(lazy) == 3 and lazy[1] == 1 and lazy[-1] == 2 and lazy[:2] == (3, 1)
    assert lazy == (3, 1, 2) and lazy == [3, 1, 2] and lazy != (3, 1) and lazy != (3, 1, 5)
    assert lazy == Lazy(lambda: iter((3, 1, 2)), 3)
    with pytest.raises(TypeError):
        hash(lazy)


def test_packed_chunks_keep_their_findings_sorted_and_counted() -> None:
    out = Packed()
    out.add(pack([], [finding("a.yaml", 9), finding("a.yaml", 2, "R-2"), finding("a.yaml", 2)]), 0, 3)
    out.add(pack([], [finding("b.yaml", 1)]), 0, 1)
    assert [(f.file, f.line, f.rule) for f in out.all_findings()] == [
        ("a.yaml", 2, "R-1"),
        ("a.yaml", 2, "R-2"),
        ("a.yaml", 9, "R-1"),
        ("b.yaml", 1, "R-1"),
    ]
    assert len(out.all_findings()) == 4 and len(out.manifest_results()) == 0


def test_listing_is_in_reported_order_where_path_order_differs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    # Path order puts a/ before a-b/ (by part); reported order compares the text: "a-b/" < "a/".
    for name in ("a/x.yaml", "a-b/x.yaml", "a.b/x.yaml", "a/b/y.yml"):
        write(tmp_path / name, "kind: AIPilot\n")
    walked = [s.path.relative_to(tmp_path).as_posix() for s in manifests.discover([str(tmp_path)])]
    listed = [manifests.source(item).shown for item in manifests.listing(["."], tmp_path)]
    assert walked == ["a/b/y.yml", "a/x.yaml", "a-b/x.yaml", "a.b/x.yaml"]
    assert listed == sorted(listed) == ["a-b/x.yaml", "a.b/x.yaml", "a/b/y.yml", "a/x.yaml"]


def test_listing_shows_paths_as_display_does_and_names_each_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    one = write(tmp_path / "pilots" / "one.yaml", "kind: AIPilot\n")
    write(tmp_path / "pilots" / "two.yaml", "kind: AIPilot\n")
    os.symlink(one, tmp_path / "pilots" / "link.yaml")
    listed = [
        manifests.source(item)
        for item in manifests.listing([str(tmp_path / "pilots"), "pilots/one.yaml", "pilots", "."], tmp_path)
    ]
    assert [(s.shown, s.explicit) for s in listed] == [
        ("pilots/one.yaml", True),
        ("pilots/two.yaml", False),
    ]  # the link resolves to one.yaml
    assert all(manifests.display(s.path, tmp_path) == s.shown and s.path.is_file() for s in listed)


def test_a_run_reports_what_one_global_sort_would(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_parallel, "CHUNK", 2)  # several chunks, split inside a/
    monkeypatch.chdir(tmp_path)
    for index, name in enumerate(("a/p.yaml", "a-b/p.yaml", "a.b/p.yaml", "z/p.yaml", "a/b/p.yaml")):
        doc = manifest(**{"metadata.id": f"pilot-{index}", "spec.ownership": None, "spec.monitoring": None})
        write(tmp_path / name, doc)
    write(tmp_path / "a" / "broken.yaml", "kind: AIPilot\nspec: [\n")
    settings = CheckSettings(paths=(".",), packs=(MINI,), today=TODAY, cwd=tmp_path)
    for jobs in (1, 2):
        result = run_check(dataclasses.replace(settings, jobs=jobs))
        found = list(result.findings)
        assert found == list(sort_findings(found)) and len({f.file for f in found}) == 6
        assert [m.file for m in result.manifests] == sorted(m.file for m in result.manifests)


def test_a_file_named_twice_is_checked_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    once = check(tmp_path, manifest(**{"spec.ownership": None}))
    file = str(tmp_path / "pilot.yaml")
    twice = run_check(
        CheckSettings(paths=(file, file, "pilot.yaml"), packs=(MINI,), today=TODAY, cwd=tmp_path)
    )
    assert len(twice.manifests) == 1 and list(twice.findings) == list(once.findings)


def test_a_chunk_made_here_is_packed_only_once_another_follows() -> None:
    out = Packed()
    out.hold([], [finding("a.yaml", 9), finding("a.yaml", 2)])
    assert out.blobs == [] and [f.line for f in out.all_findings()] == [2, 9]
    out.hold([], [finding("b.yaml", 1)])
    out.add(pack([], [finding("c.yaml", 1)]), 0, 1)
    assert len(out.blobs) == 3
    assert [(f.file, f.line) for f in out.all_findings()] == [
        ("a.yaml", 2),
        ("a.yaml", 9),
        ("b.yaml", 1),
        ("c.yaml", 1),
    ]
    assert len(out.all_findings()) == 4
