"""``manifest.parse``: the bytes of a file, read or unsaved, judged as ``load`` judges the file."""

from __future__ import annotations

from pathlib import Path

from govcheck.load import manifest
from govcheck.load.discover import Source
from govcheck.load.yaml import MAX_BYTES

ROOT = Path(__file__).resolve().parents[3]
FAILING = ROOT / "examples" / "failing" / "pilot.yaml"


def test_parse_gives_what_load_gives_for_the_file() -> None:
    raw = FAILING.read_bytes()
    for explicit in (True, False):
        loaded = manifest.load(Source(FAILING, explicit=explicit), ROOT)
        parsed = manifest.parse(raw, FAILING, "examples/failing/pilot.yaml", explicit)
        assert [_plain(t) for t in parsed[0]] == [_plain(t) for t in loaded[0]] and len(parsed[0]) == 1
        assert parsed[1] == loaded[1]


def _plain(target: manifest.Target) -> tuple[object, ...]:
    return target.doc.file, target.doc.index, target.doc.data, target.file, target.repo_root, target.sha256


def test_unsaved_text_is_judged_in_place_of_the_file(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    path = tmp_path / "pilots" / "pilot.yaml"  # need not exist: evidence resolves from its directory
    targets, found = manifest.parse(b"apiVersion: govcheck/v1\nkind: AIPilot\n", path, "p.yaml", False)
    assert found == [] and [(t.file, t.repo_root, t.doc.data["kind"]) for t in targets] == [
        (path, tmp_path, "AIPilot")
    ]


def test_a_scanned_file_that_is_other_yaml_gives_nothing_and_a_broken_manifest_one_finding() -> None:
    assert manifest.parse(b"services: {web: {image: x}}\n", FAILING, "c.yaml", False) == ([], [])
    _, found = manifest.parse(b"kind: AIPilot\nspec: [\n", FAILING, "p.yaml", False)
    assert [(f.rule, f.line) for f in found] == [("GC-PARSE", 3)]


def test_text_over_the_size_limit_is_one_finding() -> None:
    raw = b"kind: AIPilot\n" + b"# padding\n" * (MAX_BYTES // 10 + 1)
    _, found = manifest.parse(raw, FAILING, "p.yaml", False)
    assert [(f.rule, f.line, f.column) for f in found] == [("GC-PARSE", 1, 1)]
    assert "more than 1,048,576 bytes" in found[0].message
