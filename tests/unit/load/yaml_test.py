from __future__ import annotations

import pytest

from govcheck.load.yaml import MAX_BYTES, ParseError, load_all, read_text


def load_one(text: str) -> object:
    docs = load_all(text, "f.yaml")
    assert len(docs) == 1
    return docs[0].data


def test_scalars_follow_yaml_1_2_and_dates_stay_text() -> None:
    data = load_one("a: yes\nb: true\nc: 0x1F\nd: 1_000\ne: 2.5\nf: ~\ng: 2026-01-31\nh: '12'\ni: .inf\n")
    assert data == {
        "a": "yes",
        "b": True,
        "c": 31,
        "d": 1000,
        "e": 2.5,
        "f": None,
        "g": "2026-01-31",
        "h": "12",
        "i": float("inf"),
    }


@pytest.mark.parametrize("text", ["true", "True", "TRUE", "false", "False", "FALSE"])
def test_a_bool_tag_reads_the_yaml_1_2_spellings(text: str) -> None:
    assert load_one(f"a: !!bool {text}\n") == {"a": text.lower() == "true"}


@pytest.mark.parametrize("text", ["no", "off", "yes", "'0'", "''", "'False '", "tRUE"])
def test_a_bool_tag_on_anything_else_is_a_located_error(text: str) -> None:
    with pytest.raises(ParseError) as info:
        load_one(f"x: 1\na: !!bool {text}\n")
    assert (info.value.line, info.value.column) == (2, 4)
    assert "is not true or false; write true or false" in info.value.message


def test_keys_are_text() -> None:
    assert load_one("1: a\ntrue: b\n") == {"1": "a", "true": "b"}


def test_every_value_keeps_its_position() -> None:
    doc = load_all("spec:\n  ownership:\n    owner: {name: Ann}\n  list:\n    - a\n    - b\n", "f.yaml")[0]
    assert doc.locate(("spec", "ownership", "owner", "name")) == (
        3,
        13,
        ("spec", "ownership", "owner", "name"),
    )
    assert doc.locate(("spec", "list", 1)) == (6, 7, ("spec", "list", 1))
    # A missing key points at its closest existing parent key.
    assert doc.locate(("spec", "ownership", "sponsor", "name")) == (2, 3, ("spec", "ownership"))


def test_multi_document_files() -> None:
    docs = load_all("a: 1\n---\nb: 2\n", "f.yaml")
    assert [d.data for d in docs] == [{"a": 1}, {"b": 2}]
    assert [d.index for d in docs] == [0, 1]


def test_merge_keys_expand_and_explicit_keys_win() -> None:
    data = load_one("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n")
    assert data["other"] == {"x": 1, "y": 3}


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("a: 1\na: 2\n", 2, "duplicate key 'a'"),
        (
            "a: !!python/object/apply:os.system [ls]\n",
            1,
            "unsupported YAML tag !!python/object/apply:os.system",
        ),
        ("a: !custom x\n", 1, "unsupported YAML tag !custom"),
        ("a: [1, 2\n", 2, "invalid YAML"),
        ("a: &a [*a]\n", 1, "nested deeper than"),
        ("? [a]\n: b\n", 1, "mapping key must be a plain scalar"),
        ("self: &s {<<: *s}\n", 1, ""),
    ],
)
def test_unsafe_or_broken_yaml_is_a_located_parse_error(text: str, line: int, words: str) -> None:
    if not words:  # a self-merge is harmless and must not loop
        assert load_one(text) == {"self": {}}
        return
    with pytest.raises(ParseError) as info:
        load_all(text, "f.yaml")
    assert info.value.line == line
    assert words in info.value.message


def test_alias_bombs_are_refused_quickly() -> None:
    lines = ["a: &a [1,1,1,1,1,1,1,1,1]"]
    for prev, name in zip("abcdef", "bcdefg", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(ParseError, match="alias bomb"):
        load_all("\n".join(lines) + "\n", "f.yaml")


@pytest.mark.parametrize("depth", [100, 100_000])
def test_deep_nesting_is_refused_without_crashing(depth: int) -> None:
    with pytest.raises(ParseError, match="nested deeper"):
        load_all("[" * depth + "]" * depth, "f.yaml")


def test_block_sequences_nested_on_one_line_are_bounded() -> None:
    with pytest.raises(ParseError, match="nested deeper"):
        load_all("- " * 50_000 + "x\n", "f.yaml")


def test_text_must_be_utf8_and_bounded() -> None:
    assert read_text("f", "\ufeffa: 1".encode()) == "a: 1"
    with pytest.raises(ParseError, match=r"not UTF-8 text \(byte 0xff\)") as info:
        read_text("f", b"a: 1\nb: \xff\n")
    assert (info.value.line, info.value.column) == (2, 4)
    with pytest.raises(ParseError, match="at most"):
        read_text("f", b"#" * (MAX_BYTES + 1))
