"""Hostile YAML files: each is refused quickly with a located message, or read correctly.

Merge-key bombs and conflicts, files that never end or block (``/dev/zero``, FIFOs, huge
files), and UTF-16 or UTF-32 text. Whatever could hang runs the CLI in a subprocess with a
timeout, so a regression fails the test instead of stalling the suite; the pure-Python
composer (no ``ruamel.yaml.clib``) is run the same way.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from govcheck.load.yaml import MAX_BYTES, ParseError, load_all, read_file, read_text
from tests.helpers import MINI, manifest

POSIX_ONLY = pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/zero are POSIX")
BOTH_COMPOSERS = pytest.mark.parametrize("fallback", [False, True], ids=["c-composer", "python-composer"])
HEADER = "apiVersion: govcheck/v1\nkind: AIPilot\n"


def govcheck(cwd: Path, *args: str, fallback: bool = False) -> subprocess.CompletedProcess[str]:
    """The CLI in a subprocess that must finish within 10 s; ``fallback`` hides ruamel's C code."""
    hide = "sys.modules['_ruamel_yaml'] = None\n" if fallback else ""
    code = f"import sys\n{hide}from govcheck.cli import main\nraise SystemExit(main())\n"
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True, timeout=10
    )


def merge_bomb(levels: int = 24) -> str:
    """About 700 bytes whose merges double at every level: 2**24 pairs once copied out."""
    lines = [HEADER + "m0: &m0 {k0: v}"]
    lines += [f"m{i}: &m{i} {{<<: [*m{i - 1}, *m{i - 1}]}}" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def error(text: str) -> ParseError:
    with pytest.raises(ParseError) as info:
        load_all(text, "f.yaml")
    return info.value


# Merge keys: a bomb is refused like an alias bomb.


def test_a_merge_bomb_is_refused_like_an_alias_bomb() -> None:
    text = merge_bomb()
    exc = error(text)
    assert exc.message == (
        "more than 100,000 values (aliases and merge keys included); refusing a possible alias bomb"
    )
    # Located at the merge key that crossed the budget.
    assert text.splitlines()[exc.line - 1][exc.column - 1 :].startswith("<<:")


@BOTH_COMPOSERS
def test_a_merge_bomb_is_a_finding_and_in_a_pack_a_pack_error(tmp_path: Path, fallback: bool) -> None:
    (tmp_path / "bomb.yaml").write_text(merge_bomb(), encoding="utf-8")
    result = govcheck(tmp_path, "check", "--pack", MINI, "-q", "bomb.yaml", fallback=fallback)
    assert result.returncode == 1
    assert result.stdout.startswith("bomb.yaml:19:12: error GC-PARSE more than 100,000 values")

    (tmp_path / "p.yaml").write_text(json.dumps(manifest()), encoding="utf-8")
    result = govcheck(tmp_path, "check", "--pack", "./bomb.yaml", "p.yaml", fallback=fallback)
    assert result.returncode == 2
    assert "bomb.yaml:19:12: more than 100,000 values" in result.stderr


def test_locating_a_path_through_merges_visits_each_mapping_once() -> None:
    # Nodes composed but not built, so nothing refuses the bomb first: locate alone must not
    # expand the merges (it did, once per path step).
    code = (
        "from govcheck.load import composed, yaml\n"
        f"text = {merge_bomb()!r}\n"
        "doc = yaml.Document('f', 0, None, composed._compose(text, 'f')[0])\n"
        "print(doc.locate(('m24', 'k0')), doc.locate(('m24', 'nope')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=10, check=True)
    assert out.stdout.strip() == "(3, 10, ('m24', 'k0')) (27, 1, ('m24',))"


def test_a_long_chain_of_merges_loads_and_locates() -> None:
    links = 5_000  # deeper than Python's recursion limit, well within the file size limit
    text = "m0: &m0 {k: 1}\n" + "".join(f"m{i}: &m{i} {{<<: *m{i - 1}}}\n" for i in range(1, links))
    doc = load_all(text, "f.yaml")[0]
    assert doc.data[f"m{links - 1}"]["k"] == 1
    assert doc.locate((f"m{links - 1}", "k")) == (1, 10, (f"m{links - 1}", "k"))


def test_merges_nested_too_deep_are_refused() -> None:
    exc = error("m: " + "{<<: " * 70 + "{k: 1}" + "}" * 70 + "\n")
    assert "merge keys (<<) nested deeper than 64 levels" in exc.message


# Merge keys: a key repeated within a mapping, merged ones included, is a duplicate key.


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        # A merged mapping that repeats a key: other loaders take either value.
        ("m: {<<: {a: 1, a: 2}}\n", (1, 16), "duplicate key 'a'; a repeated key hides the earlier value"),
        # Two sources that both give a key.
        (
            "x: &x {a: 1}\ny: &y {a: 2}\nm: {<<: [*x, *y]}\n",
            (3, 5),
            "duplicate key 'a': the merge brings it twice, from 1:8 and 2:8",
        ),
        # ... also when one source has the key from its own merge, or overrides one it merged.
        ("x: &x {a: 1}\ny: &y {<<: *x}\nz: &z {a: 2}\nm: {<<: [*y, *z]}\n", (4, 5), "from 1:8 and 3:8"),
        ("x: &x {a: 1}\ny: &y {<<: *x, a: 2}\nm: {<<: [*x, *y]}\n", (3, 5), "from 1:8 and 2:16"),
        # Two merge keys in one mapping.
        ("s: &s {a: 1}\nm: {<<: *s, <<: *s}\n", (2, 13), "duplicate key '<<'"),
    ],
)
def test_a_key_repeated_through_a_merge_is_a_duplicate_key(
    text: str, where: tuple[int, int], message: str
) -> None:
    exc = error(text)
    assert ((exc.line, exc.column), exc.file) == (where, "f.yaml")
    assert message in exc.message


@pytest.mark.parametrize(
    ("text", "merged"),
    [
        # The mapping's own key overrides merged ones (the YAML merge-key spec).
        ("x: &x {a: 1}\ny: &y {a: 2}\nm: {<<: [*x, *y], a: 3}\n", {"a": 3}),
        ("x: &x {a: 1, b: 1}\nm:\n  <<: *x\n  b: 2\n", {"a": 1, "b": 2}),
        # The same mapping twice, directly or by two routes, brings one key, not two.
        ("x: &x {a: 1}\nm: {<<: [*x, *x]}\n", {"a": 1}),
        ("x: &x {a: 1}\ny: &y {<<: *x, b: 2}\nm: {<<: [*x, *y]}\n", {"a": 1, "b": 2}),
        # A mapping merged into itself adds nothing.
        ("m: &m {a: 1, <<: *m}\n", {"a": 1}),
    ],
)
def test_keys_that_every_loader_reads_alike_are_allowed(text: str, merged: dict[str, int]) -> None:
    doc = load_all(text, "f.yaml")[0]
    assert doc.data["m"] == merged
    for key in merged:
        line, column, found = doc.locate(("m", key))
        assert found == ("m", key)
        assert text.splitlines()[line - 1][column - 1 :].startswith(f"{key}:")


@BOTH_COMPOSERS
def test_a_merge_conflict_in_a_manifest_is_a_located_finding(tmp_path: Path, fallback: bool) -> None:
    (tmp_path / "p.yaml").write_text(HEADER + "metadata:\n  <<: [{id: a}, {id: b}]\n", encoding="utf-8")
    result = govcheck(tmp_path, "check", "--pack", MINI, "-q", "p.yaml", fallback=fallback)
    assert result.returncode == 1
    assert result.stdout.startswith(
        "p.yaml:4:3: error GC-PARSE duplicate key 'id': the merge brings it twice, from 4:9 and 4:18;"
    )


# Reading: bounded, and from regular files only.


def sparse(path: Path, head: bytes, size: int = 4 << 30) -> Path:
    """A file of ``size`` bytes that takes no disk space: reading it all would exhaust memory."""
    path.write_bytes(head)
    os.truncate(path, size)
    return path


def test_read_file_stops_one_byte_past_the_limit(tmp_path: Path) -> None:
    raw = read_file(sparse(tmp_path / "huge.yaml", HEADER.encode()))
    assert len(raw) == MAX_BYTES + 1
    with pytest.raises(ParseError, match="file is more than 1,048,576 bytes") as info:
        read_text("huge.yaml", raw)
    assert (info.value.line, info.value.column) == (1, 1)
    (tmp_path / "small.yaml").write_bytes(b"a: 1\r\n")
    assert read_file(tmp_path / "small.yaml") == b"a: 1\r\n"


def test_read_file_refuses_a_directory_as_before(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError):
        read_file(tmp_path)


@POSIX_ONLY
def test_read_file_refuses_devices_and_fifos_without_reading_them(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")  # nobody writes: opening it for reading would block
    with pytest.raises(OSError, match=r"not a regular file but a named pipe \(FIFO\)"):
        read_file(tmp_path / "pipe.yaml")
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")  # never ends
    with pytest.raises(OSError, match=r"not a regular file but a character device \(/dev/zero\)"):
        read_file(tmp_path / "zero.yaml")


@POSIX_ONLY
@BOTH_COMPOSERS
def test_scanned_files_that_never_end_or_block_are_findings(tmp_path: Path, fallback: bool) -> None:
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "pipe.yaml")
    sparse(tmp_path / "huge.yaml", HEADER.encode())
    result = govcheck(tmp_path, "check", "--pack", MINI, "-q", ".", fallback=fallback)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        # display() shows a link as its target.
        "/dev/zero:1:1: error GC-PARSE cannot read the file: not a regular file but a character device "
        "(/dev/zero); govcheck reads YAML from regular files only",
        "huge.yaml:1:1: error GC-PARSE file is more than 1,048,576 bytes; govcheck reads YAML files of "
        "at most that size",
        "pipe.yaml:1:1: error GC-PARSE cannot read the file: not a regular file but a named pipe (FIFO); "
        "govcheck reads YAML from regular files only",
    ]


@POSIX_ONLY
def test_a_named_fifo_is_a_finding(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    result = govcheck(tmp_path, "check", "--pack", MINI, "-q", "pipe.yaml")
    assert result.returncode == 1
    assert result.stdout.startswith("pipe.yaml:1:1: error GC-PARSE cannot read the file: not a regular file")


@POSIX_ONLY
def test_packs_waivers_and_configuration_are_read_bounded(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(json.dumps(manifest()), encoding="utf-8")
    sparse(tmp_path / "huge.yaml", b"apiVersion: govcheck/v1\n")
    too_big = "huge.yaml:1:1: file is more than 1,048,576 bytes"

    result = govcheck(tmp_path, "check", "--pack", "./huge.yaml", "p.yaml")
    assert (result.returncode, too_big in result.stderr) == (2, True), result.stderr
    result = govcheck(tmp_path, "check", "--pack", MINI, "--waivers", "huge.yaml", "p.yaml")
    assert (result.returncode, too_big in result.stderr) == (2, True), result.stderr
    result = govcheck(tmp_path, "check", "--pack", MINI, "--config", "huge.yaml", "p.yaml")
    assert (result.returncode, too_big in result.stderr) == (2, True), result.stderr

    os.mkfifo(tmp_path / "pipe.yaml")
    result = govcheck(tmp_path, "check", "--pack", MINI, "--waivers", "pipe.yaml", "p.yaml")
    assert result.returncode == 2
    assert "cannot read the waiver file pipe.yaml: not a regular file but a named pipe" in result.stderr


# Text: UTF-16 and UTF-32 with a byte-order mark are read, with their own lines and columns.

TEXT = "a: 1\nname: Zoë\nlist:\n  - 𝔘nicode\n  - [x, ü]\n"


@pytest.mark.parametrize("codec", ["utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_text_with_a_byte_order_mark_is_decoded(codec: str) -> None:
    raw = ("\ufeff" + TEXT).encode(codec)  # the "-le"/"-be" codecs write no mark of their own
    text = read_text("f.yaml", raw)
    assert text == TEXT
    doc = load_all(text, "f.yaml")[0]
    assert doc.data["list"] == ["𝔘nicode", ["x", "ü"]]
    assert doc.locate(("list", 1)) == (5, 5, ("list", 1))


def test_bytes_behind_a_mark_that_are_not_that_encoding_are_not_text() -> None:
    exc = pytest.raises(ParseError, read_text, "f.yaml", b"\xff\xfe\x00binary").value
    assert (exc.line, exc.column) == (1, 1)
    assert exc.message == (
        "not UTF-8 text (byte 0xff), nor UTF-16 as its byte-order mark suggests; save the file as UTF-8"
    )


@BOTH_COMPOSERS
def test_a_utf16_manifest_is_checked_like_its_utf8_copy(tmp_path: Path, fallback: bool) -> None:
    # Columns count characters: 'ë' is two bytes in UTF-8, two or four in UTF-16, four in UTF-32.
    text = HEADER + "metadata: {name: Zoë, id: Zoë-pilot}\nspec:\n  risk_tier: extreme\n"
    (tmp_path / "u8.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "u16.yaml").write_bytes(text.encode("utf-16"))  # with its mark, in native order
    (tmp_path / "u32.yaml").write_bytes(text.encode("utf-32"))
    results = {
        name: govcheck(tmp_path, "check", "--pack", MINI, "-q", f"{name}.yaml", fallback=fallback)
        for name in ("u8", "u16", "u32")
    }
    assert results["u8"].returncode == 1
    assert results["u8"].stdout.startswith(
        "u8.yaml:3:23: error META-001 metadata.id must be a lowercase slug"
    )
    for name in ("u16", "u32"):
        assert results[name].returncode == 1
        assert results[name].stdout.replace(f"{name}.yaml:", "u8.yaml:") == results["u8"].stdout


def test_the_fallback_composer_is_the_one_used_when_the_c_extension_is_missing() -> None:
    code = (
        "import sys\nsys.modules['_ruamel_yaml'] = None\n"
        "from govcheck.load import composer\n"
        "print(composer.Loader.__mro__[1].__name__, composer.NESTING_RISK)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=10, check=True)
    assert out.stdout.split() == ["SafeLoader", "200"]
