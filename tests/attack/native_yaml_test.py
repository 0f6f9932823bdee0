"""The native YAML reader (``govcheck/load/_yaml.c``) under attack: a pilot repository's YAML is
hostile, and the reader must take a text only when it reads it exactly as the composed route
does (the same values of the same types, keys in the same order, the same ``locate`` for every
path), decline everything else, and never crash, leak, hang or be fooled.

- Differential generation far past tests/unit/load/native_test.py: structure-aware documents in
  block and flow styles with every scalar style, multi-line plain scalars, explicit keys, empty
  values, quoted keys with escapes, comments everywhere, tabs, every line break YAML knows (CRLF,
  CR, NEL, LS, PS), characters outside the BMP, indentation tricks, document markers and several
  documents, then mutated; both shrinkable (hypothesis) and in bulk (seeded); and numbers of
  every YAML 1.2 shape, short ones exhaustively.
- libyaml releases read some texts differently: those texts, and the refusal of a libyaml the
  reader was not checked against (a system upgrade changes the library without a rebuild).
- Memory: the reader built with AddressSanitizer and UndefinedBehaviorSanitizer over the corpus;
  references and traced memory over many loads of accepted texts and of every way to decline.
- Bounds: 1 MiB of ``[`` or ``- ``, a 1 MiB scalar, 100,000 documents, 100,000 keys, ``MAX_NODES``
  and ``MAX_DEPTH`` at and one past the limit, in a subprocess with a timeout.
- The position table: its size and every subtree size against the data, and ``locate`` on every
  path, paths below scalars, negative indices, bools as indices and keys that are not text.
- Two holes outside the reader, for yaml.py and composed.py: ruamel.yaml.clib reading past the
  text it has decoded after a ``\\`` line continuation before CRLF at a 16 KiB boundary (it lost
  the rest of the document), and ``locate`` walking a large container's children from the
  start on every call (a finding per key of a large mapping was quadratic).
"""

from __future__ import annotations

import itertools
import math
import os
import random
import re
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govcheck.load import composed
from govcheck.load import yaml as yamlio
from govcheck.load.yaml import MAX_DEPTH, MAX_NODES, ParseError
from tests.unit.load.native_test import native, natively, same  # skips this module where unbuilt

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "govcheck" / "load" / "_yaml.c"
# Parts that are not keys or indices of the container they meet: locate must stop there alike.
_ODD_IN_MAPPING = ("\x00absent", 0, -1, True, None, 1.0, ("k",), b"k")
_ODD_IN_LIST = ("0", True, False, None, 0.0, -1)


def paths(data: Any, prefix: tuple[Any, ...] = (), limit: int | None = None) -> Iterator[tuple[Any, ...]]:
    """Every path into ``data`` (at most ``limit`` children per container), odd parts at every
    level, one step past each list's end, and paths that go on below scalars."""
    yield prefix
    if isinstance(data, dict):
        for odd in _ODD_IN_MAPPING:
            yield (*prefix, odd)
        for key, value in itertools.islice(data.items(), limit):
            yield from paths(value, (*prefix, key), limit)
    elif isinstance(data, list):
        for odd in (*_ODD_IN_LIST, len(data), -len(data) - 1):
            yield (*prefix, odd)
        for i, value in itertools.islice(enumerate(data), limit):
            yield from paths(value, (*prefix, i), limit)
    else:
        yield (*prefix, "below")
        yield (*prefix, 0)
        yield (*prefix, "below", 0)


def table_agrees(data: Any, table: bytes) -> None:
    """The table holds one (line, column, size) per node, pre-order, keys and values alternately,
    and each size is its subtree's: checked against the data it was read with."""
    cells = memoryview(table).cast("i")
    assert len(table) % 12 == 0

    def walk(value: Any, at: int) -> int:
        assert cells[3 * at] >= 0 and cells[3 * at + 1] >= 0
        end = at + 1
        if isinstance(value, dict):
            for item in value.values():
                assert cells[3 * end + 2] == 1  # a key is a scalar
                end = walk(item, end + 1)
        elif isinstance(value, list):
            for item in value:
                end = walk(item, end)
        assert cells[3 * at + 2] == end - at, (value, at)
        return end

    assert walk(data, 0) == len(cells) // 3


def compare(text: str, limit: int | None = None, documents: int | None = None) -> bool:
    """Assert the native reading is the composed one; True when the native reader took the text.

    ``limit`` bounds the children followed per container and ``documents`` the documents located
    at each end of the stream (every document's data is compared), for the largest texts."""
    read = natively(text)
    if read is None:
        return False
    fast = yamlio.load_all(text, "f.yaml")
    try:
        slow = yamlio._load_composed(text, "f.yaml")
    except ParseError as exc:
        raise AssertionError(f"the native reader took a text the composed route refuses: {exc!r}") from None
    assert len(fast) == len(slow) == len(read)
    for i, ((data, table), mine, theirs) in enumerate(zip(read, fast, slow, strict=True)):
        assert same(mine.data, theirs.data), (text, mine.data, theirs.data)
        table_agrees(data, table)
        if documents is not None and documents <= i < len(read) - documents:
            continue
        for path in paths(mine.data, limit=limit):
            walked = composed.locate(theirs.node, path)  # no index: every container walked
            assert mine.locate(path) == theirs.locate(path) == walked, (text, path)
    return True


# Structure-aware YAML. ``Gen`` draws through a chooser, so the same generator runs under
# hypothesis (shrinkable) and from a seeded random.Random (many texts fast).


class Chooser:
    def choice(self, options: Sequence[Any]) -> Any:
        raise NotImplementedError

    def between(self, low: int, high: int) -> int:
        raise NotImplementedError

    def chance(self, percent: int) -> bool:
        return self.between(0, 99) >= 100 - percent  # shrinks towards False: the plainer text


class Seeded(Chooser):
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def choice(self, options: Sequence[Any]) -> Any:
        return self.r.choice(options)

    def between(self, low: int, high: int) -> int:
        return self.r.randint(low, high)


class Drawn(Chooser):
    def __init__(self, draw: Callable[[Any], Any]) -> None:
        self.draw = draw

    def choice(self, options: Sequence[Any]) -> Any:
        return self.draw(st.sampled_from(options))

    def between(self, low: int, high: int) -> int:
        return int(self.draw(st.integers(low, high)))


BREAKS = ["\n", "\r\n", "\r", "\x85", "\u2028", "\u2029"]
ODD_CHARACTERS = [
    *"é\u00a0\u3000\ufeff\u200b\u00df\t #:-?,[]{}&*!|>'\"%@`\\.~=<\r\n\x85\u2028\u2029\x7f\x1b",
    "\U0001f600",
    "\U00010000",
    "\U0010fffd",
    "\ud7ff",
    "\ue000",
    "\ufffd",
    "\ufffe",
]
WORDS = [
    *("true", "True", "TRUE", "tRue", "false", "FALSE", "null", "Null", "NULL", "nULL", "~"),
    *("yes", "no", "on", "off", "y", "n", "<<", "=", "!", "&", "*", "a", "b", "key", "x y"),
    *("a:b", "a#b", "a #b", "a?b", "http://x/y?q=1", "- a", "@x", "`x", "%x", "...", "---"),
    *("a...", "a---", "é", "\U0001f600", "24x7", "v1.2", "1.2.3", "", "'", '"', "a\\b", "a\tb"),
]
ESCAPES = [
    *("\\n", "\\t", "\\x41", "\\u00e9", "\\U0001F600", "\\N", "\\_", "\\L", "\\P", "\\0", "\\a"),
    *("\\e", "\\/", "\\ ", "\\\t", "\\\n  ", "\\'", "\\ud800", "\\x0", "\\q", "\\U00110000", "\\b"),
    *("\\r", "\\f", "\\v", '\\"', "\\\\"),
]
KEYS = ["a", "b", "c", "id", "é", "\U0001f600", "k y", "1", "true", "null", "", "<<", "-", "a:b", "x#y"]


def digits(c: Chooser, low: int = 1, high: int = 6) -> str:
    pool = "0123456789_" if c.chance(20) else "0123456789"
    return "".join(c.choice(pool) for _ in range(c.between(low, high)))


def number(c: Chooser) -> str:
    """A plain scalar shaped like a YAML 1.2 number, timestamp or something near one."""
    sign = c.choice(["", "", "-", "+"])
    shape = c.between(0, 13)
    if shape == 0:
        return sign + digits(c)
    if shape == 1:
        return sign + digits(c) + "." + c.choice(["", digits(c)])
    if shape == 2:
        exponent = c.choice(["", "e", "E"]) + c.choice(["", "+", "-"]) + c.choice(["", digits(c, 1, 3)])
        return sign + c.choice(["", digits(c)]) + "." + digits(c) + exponent
    if shape == 3:
        return sign + digits(c) + c.choice(["e", "E"]) + c.choice(["", "+", "-"]) + digits(c, 1, 3)
    if shape == 4:
        body = "".join(c.choice("0123456789abcdefABCDEF_") for _ in range(c.between(0, 5)))
        return sign + "0" + c.choice("xXoObB") + body
    if shape == 5:
        return c.choice(["", "+", "-"]) + c.choice(
            [".inf", ".Inf", ".INF", ".iNf", "inf", ".nan", ".NaN", ".NAN", ".nAn", "nan", "Infinity"]
        )
    if shape == 6:
        day = f"{c.between(0, 9999):04d}-{c.between(0, 99):02d}-{c.between(0, 99):02d}"
        return day + c.choice(["", "T10:00:00Z", " 10:00:00", "t1:02:03.5 +01:00", "T10:00:00.123-05"])
    if shape == 7:
        return sign + "9" * c.between(18, 80)
    if shape == 8:
        return sign + "0" * c.between(1, 5) + digits(c)
    if shape == 9:
        return digits(c) + ":" + digits(c, 1, 2) + c.choice(["", ":" + digits(c, 1, 2), ".5"])
    if shape == 10:
        return ".".join(digits(c, 1, 3) for _ in range(c.between(2, 4)))
    if shape == 11:
        return sign + "1" + "0" * c.between(300, 320) + ".5e" + c.choice(["", "-"]) + str(c.between(300, 400))
    if shape == 12:
        return (
            sign + c.choice(["0", "1"]) + "." + "0" * c.between(0, 3) + c.choice(["e-400", "e400", "e-324"])
        )
    return "".join(c.choice("0123456789+-_.eExXoObB: \t") for _ in range(c.between(1, 8)))


def plain_text(c: Chooser) -> str:
    roll = c.between(0, 9)
    if roll < 4:
        return number(c)
    if roll < 7:
        return str(c.choice(WORDS))
    return "".join(c.choice([*ODD_CHARACTERS, *"abcxyz019 "]) for _ in range(c.between(1, 6)))


class Gen:
    """A YAML stream drawn as a tree, then written in mixed styles."""

    def __init__(self, c: Chooser) -> None:
        self.c = c
        self.brk = c.choice(BREAKS) if c.chance(30) else "\n"

    def br(self) -> str:
        return str(self.c.choice(BREAKS)) if self.c.chance(5) else self.brk

    def comment(self) -> str:
        return str(self.c.choice(["", " # c", "  #", " #é\U0001f600", "\t# t"])) if self.c.chance(30) else ""

    def value(self, depth: int) -> tuple[str, Any]:
        roll = self.c.between(0, 99)
        if depth > 4 or roll < 45:
            return ("s", plain_text(self.c))
        if roll < 72:
            return ("m", [(self.key(), self.value(depth + 1)) for _ in range(self.c.between(0, 4))])
        return ("l", [self.value(depth + 1) for _ in range(self.c.between(0, 4))])

    def key(self) -> str:
        if self.c.chance(70):
            return str(self.c.choice(KEYS)) + (str(self.c.between(0, 3)) if self.c.chance(50) else "")
        return plain_text(self.c)

    def quoted(self, text: str) -> str:
        if self.c.chance(50):
            return "'" + text.replace("'", "''") + "'"
        out = []
        for ch in text:
            if ch in '"\\':
                out.append("\\" + ch)
            elif self.c.chance(6):
                out.append(self.c.choice(ESCAPES))
            else:
                out.append(ch)
        return '"' + "".join(out) + '"'

    def scalar(self, text: str, indent: int, block_ok: bool) -> str:
        roll = self.c.between(0, 99)
        if roll < 55:
            return text
        if roll < 85 or not block_ok:
            return self.quoted(text)
        header = self.c.choice(["|", ">", "|-", ">-", "|+", ">+", "|2", ">1", "|1-", ">+2", "|0"])
        pad = " " * (indent + self.c.choice([1, 2, 2, 3]))
        lines = text.split("\n") if text else [""]
        body = self.brk.join(pad + line if line or self.c.chance(50) else "" for line in lines)
        return header + self.c.choice(["", " # c", "  "]) + self.brk + body

    def space(self) -> str:
        if self.c.chance(40):
            return str(self.c.choice(["", " ", "  ", "\t", self.br() + " "]))
        return " " if self.c.chance(50) else ""

    def flow(self, node: tuple[str, Any]) -> str:
        kind, x = node
        if kind == "s":
            return self.scalar(x, 0, block_ok=False)
        sep = "," + self.space()
        if kind == "l":
            trailing = "," if x and self.c.chance(20) else ""
            return "[" + self.space() + sep.join(self.flow(i) for i in x) + self.space() + trailing + "]"
        parts = []
        for k, v in x:
            key = self.scalar(k, 0, block_ok=False)
            if self.c.chance(10):
                parts.append("? " + key + self.space() + ":" + self.space() + " " + self.flow(v))
            elif self.c.chance(8):
                parts.append(key)  # a key without a value
            else:
                parts.append(
                    key + self.space() + ":" + self.c.choice([" ", "\t", self.br() + " "]) + self.flow(v)
                )
        return "{" + self.space() + sep.join(parts) + self.space() + "}"

    def block(self, node: tuple[str, Any], indent: int, out: list[str], lead: str) -> None:
        """Lines for ``node``; ``lead`` is what its line already holds (``key:`` or ``-``)."""
        kind, x = node
        if kind == "s" or not x or self.c.chance(15):
            text = self.scalar(x, indent, block_ok=True) if kind == "s" else self.flow(node)
            out.append(lead + (" " if lead else "") + text + self.comment())
            return
        if lead:
            out.append(lead + self.comment())
        if kind == "l":
            step = self.c.choice([0, 2, 2, 4]) if lead and not lead.lstrip().startswith("-") else 2
            pad = " " * (indent + step) if lead else " " * indent
            for item in x:
                self.block(item, len(pad) + 2, out, pad + "-")
            return
        pad = " " * (indent + self.c.choice([1, 2, 2, 4])) if lead else " " * indent
        for k, v in x:
            key = self.scalar(k, indent, block_ok=False)
            if self.c.chance(8):
                out.append(pad + "? " + key)  # an explicit key
                self.block(v, len(pad) + 2, out, pad + ":")
            else:
                self.block(v, len(pad) + 2, out, pad + key + self.c.choice([":", ":", ":", " :"]))
            if self.c.chance(5):
                out.append(self.c.choice(["", pad + "# own line", "#", "   ", "\t"]))

    def document(self) -> str:
        node = self.value(0)
        if self.c.chance(30):
            return self.flow(node)
        out: list[str] = []
        self.block(node, 0, out, "")
        return self.br().join(out)

    def stream(self) -> str:
        docs = []
        for i in range(self.c.choice([1, 1, 1, 2, 3])):
            doc = self.document()
            if i or self.c.chance(20):
                doc = (
                    self.c.choice(["---", "--- ", "---\t", "--- # c"])
                    + (self.brk if self.c.chance(70) else " ")
                    + doc
                )
            if self.c.chance(10):
                doc += self.brk + self.c.choice(["...", "... # e"])
            docs.append(doc)
        return self.brk.join(docs) + (self.brk if self.c.chance(70) else "")


def mutate(c: Chooser, text: str) -> str:
    chars = list(text)
    for _ in range(c.between(1, 4)):
        op, at = c.between(0, 4), c.between(0, len(chars))
        if op == 0:
            chars.insert(at, c.choice(ODD_CHARACTERS + BREAKS))
        elif op == 1 and chars:
            del chars[min(at, len(chars) - 1)]
        elif op == 2 and chars:
            chars[min(at, len(chars) - 1)] = c.choice([*ODD_CHARACTERS, *BREAKS, " "])
        elif op == 3:
            chars.insert(
                at, c.choice([" ", "  ", "\t", "- ", ": ", "? ", "# ", "---", "...", "\n  ", "\r\n"])
            )
        else:
            start = c.between(0, len(chars))
            chars[at:at] = chars[start : start + c.between(0, 20)]
    return "".join(chars)


def generated(c: Chooser) -> str:
    text = Gen(c).stream()
    return mutate(c, text) if c.chance(40) else text


def seeded_corpus(count: int, start: int = 0) -> Iterator[str]:
    for seed in range(start, start + count):
        yield generated(Seeded(seed))


@st.composite
def _yaml_texts(draw: Callable[[Any], Any]) -> str:
    return generated(Drawn(draw))


@settings(
    max_examples=700,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
@given(_yaml_texts())
def test_generated_streams_read_alike_or_are_declined(text: str) -> None:
    compare(text)


def test_many_seeded_streams_read_alike_and_most_are_taken() -> None:
    taken = sum(compare(text) for text in seeded_corpus(12_000))
    assert taken > 4_000  # the generator must reach the native reader, not only its declines


_fragments = st.lists(
    st.sampled_from(
        [
            *("a", "é", "\U0001f600", "1", "0x1F", "1_0", ".5", "-", "- ", "-\t", ":", ": ", ":\t", "?"),
            *("? ", ",", "[", "]", "{", "}", "#", " #", "'", "''", '"', "\\", '\\"', "\\n", "|", ">"),
            *("|-", ">+", "|2", "&", "*", "!", "%", "@", "`", "...", "---", "--- ", "... ", " ", "  "),
            *("\t", "\n", "\n", "\r\n", "\r", "\x85", "\u2028", "\u2029", "\ufeff", "~", "<<", "="),
            *("true", "null", ".inf", "1.5", "2026-01-01", "x: y", "k:", "a b", "\n  ", "\n- ", "\n? "),
            *("\n: ", "\n    ", "\\x41", "\\u00e9", "\\\n", "\\\r\n", "''''", "'a b'", '"a\\tb"', "\u00a0"),
        ]
    ),
    max_size=60,
)


@settings(max_examples=1500, deadline=None)
@given(_fragments.map("".join))
def test_fragment_soup_reads_alike_or_is_declined(text: str) -> None:
    compare(text)


# Numbers: every short text over the characters the number rules use, a document each.


def _each_as_a_document(texts: Sequence[str]) -> None:
    stream = "".join(f"--- {t}\n" for t in texts)
    if not compare(stream):  # one declined text declines the stream: then one at a time
        for t in texts:
            compare(f"--- {t}\n")


@pytest.mark.parametrize(
    ("alphabet", "longest"),
    [("0123456789+-_.eExXoObBaAfFinNIT:Z ", 3), ("01.-+_eEoxb:", 4), ("07.-+_e:", 5)],
)
def test_every_short_number_shape_reads_alike(alphabet: str, longest: int) -> None:
    shapes = ["".join(p) for n in range(1, longest + 1) for p in itertools.product(alphabet, repeat=n)]
    for i in range(0, len(shapes), 400):
        _each_as_a_document(shapes[i : i + 400])


@st.composite
def _numbers(draw: Callable[[Any], Any]) -> str:
    return number(Drawn(draw))


@settings(max_examples=400, deadline=None)
@given(st.lists(_numbers(), min_size=1, max_size=30))
def test_generated_number_shapes_read_alike(shapes: list[str]) -> None:
    _each_as_a_document(shapes)
    compare("".join(f"- {s}\n" for s in shapes))
    compare("{" + ", ".join(f"k{i}: {s}" for i, s in enumerate(shapes)) + "}")


def test_numbers_keep_their_type_value_and_sign() -> None:
    cases = {
        "0": 0,
        "-0": 0,
        "+7": 7,
        "007": 7,
        "08": 8,
        "1_000": 1000,
        "0x1F": 31,
        "0o17": 15,
        "0b101": 5,
        "-0x_1": -1,
        "9" * 63: int("9" * 63),
        "9" * 64: int("9" * 64),
        "1" * 5000: "1" * 5000,  # past Python's int digit limit: the composed route keeps the text
        "-0.0": -0.0,
        "0.5": 0.5,
        "1.": 1.0,
        ".5": 0.5,
        "1e3": 1000.0,
        "1E-3": 0.001,
        "1.7976931348623157e309": math.inf,
        "0.1e-400": 0.0,
        ".inf": math.inf,
        "-.Inf": -math.inf,
        "+.INF": math.inf,
        "-.nan": "-.nan",
        ".iNf": ".iNf",
        "1.2.3": "1.2.3",
        "2026-01-01": "2026-01-01",
        "2026-01-01T10:00:00Z": "2026-01-01T10:00:00Z",
        "0X1F": "0X1F",
        "1e": "1e",
        "24x7": "24x7",
    }
    for text, value in cases.items():
        assert compare(f"a: {text}\n")
        assert same(yamlio.load_all(f"a: {text}\n", "f.yaml")[0].data["a"], value), text


# Where libyaml releases read differently. The reader declines what the copy in
# ruamel.yaml.clib reads otherwise, and its import refuses a release it was not checked against.

RELEASE_SENSITIVE = [
    "[?]\n",  # an error up to 0.2.5, a mapping after
    "[ ? ]\n",
    "a: [ ? ] ]\n",  # taken up to 0.2.5 (the ']' is lost), an error after
    "[ ? a ]\n",
    "[?a]\n",
    "{?a: b}\n",
    'a: "\\\'"\n',  # an escaped quote in double quotes: 0.1.x only
    'a: "\\/"\n',
    "[a:b]\n",  # ':' and '?' in flow plain scalars: 0.2.2 and 0.2.5 changed both
    "[a?b]\n",
    "{a:b}\n",
    "{a: b:c}\n",
    "[a :b]\n",
    "[a\n:b]\n",
    "[a ?b]\n",
    "[http://x.example/y]\n",
    '{"a":b}\n',
    "{'a':b}\n",
    "[a:]\n",
    "{a:,b}\n",
    "[!a,b]\n",  # ',' ends a tag in flow from 0.2.5
    "[!<a,b> c]\n",
    "%YAML 1.2\n---\na: 1\n",
    "%YAML 1.1\n---\na: 1\n",
    "'a\nb'\n",
    "- 'a\nb'\n",
    "a: 'b\nc'\n",
    "a:\n  'b\nc'\n",
]


@pytest.mark.parametrize("text", RELEASE_SENSITIVE)
def test_texts_libyaml_releases_read_differently_read_alike_or_are_declined(text: str) -> None:
    compare(text)


def test_flow_plain_scalars_with_colon_or_question_mark_are_declined() -> None:
    for text in ("[a:b]\n", "[a?b]\n", "{a: b:c}\n", "[a :b]\n", "[a ?b]\n", "[http://x.example/y]\n"):
        assert natively(text) is None, text


def _compiler() -> str | None:
    cc = (sysconfig.get_config_var("CC") or "cc").split()[0]
    return shutil.which(cc) or shutil.which("gcc") or shutil.which("cc")


SHIM = """
void yaml_get_version(int *major, int *minor, int *patch) { *major = %d; *minor = %d; *patch = %d; }
const char *yaml_get_version_string(void) { return "%d.%d.%d"; }
"""


@pytest.mark.skipif(
    sys.platform != "linux" or _compiler() is None, reason="needs a C compiler and LD_PRELOAD"
)
@pytest.mark.parametrize(("version", "refused"), [((0, 2, 6), True), ((0, 1, 7), True), ((0, 2, 5), False)])
def test_a_libyaml_release_the_reader_was_not_checked_against_is_refused(
    tmp_path: Path, version: tuple[int, int, int], refused: bool
) -> None:
    """libyaml 0.1.x reads "\\'" as a quote and the parser after 0.2.5 reads [?] as a mapping, where
    the composed route refuses both: with either release loaded the reader must not be used."""
    cc = _compiler()
    assert cc is not None
    (tmp_path / "shim.c").write_text(SHIM % (version * 2))
    shim = tmp_path / "libshim.so"
    subprocess.run(
        [cc, "-shared", "-fPIC", str(tmp_path / "shim.c"), "-o", str(shim)], check=True, timeout=60
    )
    code = textwrap.dedent(
        """
        from govcheck.load import yaml
        print(yaml._native is None)
        try:
            yaml.load_all('[?]', 'f.yaml')
        except yaml.ParseError as exc:
            print(exc.message)
        try:
            from govcheck.load import _yaml
        except ImportError as exc:
            print(exc)
        """
    )
    env = {**os.environ, "LD_PRELOAD": str(shim)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    lines = out.stdout.splitlines()
    assert lines and lines[0] == str(refused), out.stdout + out.stderr
    assert "did not find expected ',' or ']'" in lines[1]
    if refused:
        assert "libyaml {}.{}.{} does not parse as".format(*version) in lines[2]


# Memory: the reader built with AddressSanitizer and UndefinedBehaviorSanitizer.


def _sanitizer_runtime(cc: str, name: str) -> str | None:
    found = subprocess.run([cc, f"-print-file-name={name}"], capture_output=True, text=True, timeout=60)
    path = found.stdout.strip()
    return path if os.path.isabs(path) and os.path.exists(path) else None


TAKEN = "taken"  # read natively (and alike)
COMPOSED = "composed"  # declined natively, read by the composed route
DEEP, MANY = f"nested deeper than {MAX_DEPTH} levels", f"more than {MAX_NODES:,} values"


def bounds_cases() -> dict[str, tuple[str, str]]:
    """Texts at and past every limit, with what reading them must give: taken natively, read by
    the composed route, or the start of the composed route's error message."""
    mib = 1 << 20
    over = MAX_DEPTH + 1
    return {
        "1 MiB of [": ("[" * mib, DEEP),
        "1 MiB of {": ("{" * mib, DEEP),
        "1 MiB of '- '": ("- " * (mib // 2), DEEP),
        "1 MiB of '? '": ("? " * (mib // 2), DEEP),
        "1 MiB of [ then ]": ("[" * (mib // 2) + "]" * (mib // 2), DEEP),
        "a 1 MiB plain scalar": ("a: " + "x" * (mib - 4), TAKEN),
        "a 1 MiB scalar of digits": ("a: " + "1" * (mib - 4), TAKEN),
        "a 1 MiB scalar of digits and spaces": ("a: " + "1 " * ((mib - 4) // 2), TAKEN),
        "a 1 MiB double-quoted scalar": ('a: "' + "x\\t" * ((mib - 6) // 3) + '"', TAKEN),
        "a 1 MiB single-quoted scalar": ("a: '" + "x''" * ((mib - 6) // 3) + "'", TAKEN),
        "a 1 MiB literal scalar": ("a: |\n" + "  xxxxxxx\n" * (mib // 10), TAKEN),
        "a 1 MiB key": ("x" * (mib - 4) + ": a", "invalid YAML"),
        "a 1 MiB scalar of non-BMP characters": ("a: " + "\U0001f600" * (mib // 4 - 1), TAKEN),
        "100,000 documents": ("--- a\n" * 50_000 + "---\n" * 50_000, TAKEN),
        "100,000 keys in one mapping": ("".join(f"k{i}: v\n" for i in range(100_000)), MANY),
        "MAX_NODES - 1 keys": ("".join(f"k{i}: v\n" for i in range(MAX_NODES - 1)), TAKEN),
        "MAX_NODES values": ("- x\n" * (MAX_NODES - 1), TAKEN),
        "MAX_NODES + 1 values": ("- x\n" * MAX_NODES, MANY),
        "MAX_NODES + 1 values in flow": ("[" + "1," * MAX_NODES + "]", MANY),
        "a duplicate key after 99,000": (
            "".join(f"k{i}: v\n" for i in range(99_000)) + "k5: again\n",
            "duplicate key 'k5'",
        ),
        "an anchor after a large subtree": ("a: [" + "1," * 90_000 + "]\nb: &x 1\nc: *x\n", COMPOSED),
        "a tag after a large subtree": ("a: [" + "1," * 90_000 + "]\nb: !!str 1\n", COMPOSED),
        "a parse error after a large subtree": ("a: [" + "1," * 90_000 + "]\nb: [\n", "invalid YAML"),
        "depth MAX_DEPTH, a scalar": ("[" * MAX_DEPTH + "x" + "]" * MAX_DEPTH, TAKEN),
        "depth MAX_DEPTH, empty": ("[" * MAX_DEPTH + "]" * MAX_DEPTH, TAKEN),
        "depth MAX_DEPTH + 1, empty": ("[" * over + "]" * over, COMPOSED),
        "depth MAX_DEPTH + 2": ("[" * (over + 1) + "]" * (over + 1), DEEP),
        "block depth MAX_DEPTH": (
            "".join("  " * i + "a:\n" for i in range(MAX_DEPTH)) + "  " * MAX_DEPTH + "x\n",
            TAKEN,
        ),
        "block depth MAX_DEPTH + 1": (
            "".join("  " * i + "a:\n" for i in range(over)) + "  " * over + "x\n",
            DEEP,
        ),
        "1 MiB of comments": ("# c\n" * (mib // 4), TAKEN),
        "1 MiB of line breaks": ("\n" * mib, TAKEN),
        "1 MiB of CR": ("\r" * mib, TAKEN),
        "1 MiB of NEL": ("\x85" * (mib // 2), TAKEN),
        "a flow mapping of repeated keys": ("{" + "a: b, " * 20_000 + "}", "duplicate key 'a'"),
    }


def run_bounds() -> None:
    """Every bounds case, read as it must be (the entry point of a subprocess)."""
    for name, (text, expected) in bounds_cases().items():
        print("start", name, flush=True)
        read = natively(text)
        assert (read is not None) == (expected == TAKEN), name
        if read is not None:
            assert compare(text, limit=3, documents=3), name
        else:
            try:
                yamlio.load_all(text, "f.yaml")  # declined: this is the composed route's reading
            except ParseError as exc:
                assert exc.message.startswith(expected), (name, exc)
            else:
                assert expected == COMPOSED, name
        print("done", name, flush=True)


def test_bounds_finish_and_read_right() -> None:
    code = "from tests.attack.native_yaml_test import run_bounds; run_bounds()"
    try:
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=90
        )
    except subprocess.TimeoutExpired as exc:
        started = (exc.stdout or b"").decode().splitlines()
        pytest.fail(f"bounds did not finish; the last case started: {started[-1:]}")
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-4000:]
    assert sum(line.startswith("done ") for line in out.stdout.splitlines()) == len(bounds_cases())


def sanitizer_corpus() -> list[str]:
    from tests.unit.load.native_test import HOSTILE

    numbers = ["".join(p) for n in range(1, 4) for p in itertools.product("01.-+_eEx:", repeat=n)]
    return [
        *HOSTILE,
        *RELEASE_SENSITIVE,
        *(text for text, _ in bounds_cases().values()),
        *seeded_corpus(3_000, start=10_000),
        *("--- " + n + "\n" for n in numbers),
        "a: \ud800\n",
        "\ufeffa: 1\n",
        "a: b\x00c\n",
    ]


def run_sanitized(library: str) -> None:
    """Load the reader from ``library`` and read the sanitizer corpus (entry point for a subprocess)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("_yaml", library)
    assert spec is not None and spec.loader is not None
    reader = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reader)
    yamlio._native = reader
    for text in sanitizer_corpus():
        read = natively(text, reader)
        if read is not None:
            for data, table in read:
                table_agrees(data, table)
    print("sanitized", len(sanitizer_corpus()))


@pytest.mark.skipif(sys.platform != "linux" or _compiler() is None, reason="needs a C compiler")
def test_the_reader_is_memory_safe_under_sanitizers(tmp_path: Path) -> None:
    cc = _compiler()
    assert cc is not None
    asan, ubsan = _sanitizer_runtime(cc, "libasan.so"), _sanitizer_runtime(cc, "libubsan.so")
    if asan is None or ubsan is None:
        pytest.skip("the compiler has no AddressSanitizer or UndefinedBehaviorSanitizer runtime")
    library = tmp_path / ("_yaml" + (sysconfig.get_config_var("EXT_SUFFIX") or ".so"))
    flags = ["-g", "-O1", "-fno-omit-frame-pointer", "-fsanitize=address,undefined"]
    flags += ["-fno-sanitize-recover=all", "-shared", "-fPIC", f"-I{sysconfig.get_paths()['include']}"]
    prefix = os.environ.get("LIBYAML_PREFIX")
    libs = [f"-I{prefix}/include", f"-L{prefix}/lib", f"-Wl,-rpath,{prefix}/lib"] if prefix else []
    built = subprocess.run(
        [cc, *flags, *libs, str(SOURCE), "-o", str(library), "-lyaml"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if built.returncode != 0:
        pytest.skip(f"no sanitized build here: {built.stderr.strip()[-300:]}")
    env = {
        **os.environ,
        "LD_PRELOAD": f"{asan}:{ubsan}",
        "PYTHONMALLOC": "malloc",  # every allocation through malloc, where AddressSanitizer sees it
        "ASAN_OPTIONS": "detect_leaks=0:abort_on_error=1",  # the interpreter itself leaks at exit
        "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1",
    }
    code = f"from tests.attack.native_yaml_test import run_sanitized; run_sanitized({str(library)!r})"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=180
    )
    assert out.returncode == 0 and "sanitized" in out.stdout, out.stderr[-6000:]


# Memory and references over many loads: nothing the reader takes, or declines part way, stays.
# The limits are small here (the same code declines at any limit), so that every case is cheap
# and declines with new objects built: texts of two characters and more, floats, large ints.

LEAK_NODES, LEAK_DEPTH = 40, 6
_LEAK_CASES = {
    "accepted": "ab: 1\nbc: [xy, {cd: de, ef: 1.5, fg: ~, gh: true}]\n'qr': \"rs\"\n"
    "---\n- 0x1F\n- 2026-01-01\n",
    "a number through Python": "ab: [1_000, 0x1f, 1e5, .inf, " + "9" * 70 + "]\n",
    "a parse error inside a document": "ab: {bc: [cd, de, 2.5\n",
    "a parse error after a document": "ab: 1.5\n---\nbc: [xy, 3.5\n",
    "an anchor inside a collection": "ab: [1.5, xy, {bc: &x cd}]\n",
    "an alias": "ab: [1.5, xy]\nbc: *x\n",
    "a duplicate key deep inside": "ab:\n  bc:\n    cd: [1.5, {de: xy, de: yz}]\n",
    "a tag deep inside": "ab: {bc: [1.5, !!str 2]}\n",
    "a tagged collection": "ab: [1.5, !!seq [xy]]\n",
    "a merge key": "ab: {bc: 1.5}\ncd: {<<: {de: 1}}\n",
    "a collection as a key": "ab: {[bc]: 1.5}\n",
    "a flow scalar with a colon": "ab: {bc: [xy, cd:de]}\n",
    "a refused plain scalar": "ab: [1.5, xy, =]\n",
    "a merge key as a value": "ab: [1.5, xy, <<]\n",
    "over the node limit, a scalar": "[" + "xy, " * LEAK_NODES + "]",
    "over the node limit, a collection": "[" + "xy, " * (LEAK_NODES - 1) + "[yz]]",
    "over the node limit, a key's value": "{" + ", ".join(f"k{i}: 2.5" for i in range(LEAK_NODES)) + "}",
    "over the depth limit": "[xy, " * (LEAK_DEPTH + 2) + "]" * (LEAK_DEPTH + 2),
    "a directive": "%YAML 1.2\n---\nab: 1.5\n",
    "a lone surrogate": "ab: \ud800\n",
    "a byte-order mark": "\ufeffab: 1.5\n",
}


@pytest.mark.parametrize("name", list(_LEAK_CASES))
def test_loading_again_and_again_keeps_no_memory_or_references(name: str) -> None:
    text = _LEAK_CASES[name]

    def load() -> Any:
        return native.load(text, yamlio._number, yamlio._DECLINE, LEAK_NODES, LEAK_DEPTH)

    # Shared objects a lost reference would show on: interned keys, small ints, singletons.
    shared = [sys.intern(w) for w in re.findall(r"[A-Za-z_]\w*", text)]
    watched = [text, yamlio._number, yamlio._DECLINE, None, True, False, *range(10), *shared]
    turns = 20_000
    for _ in range(1_000):
        load()
    counts = [sys.getrefcount(x) for x in watched]
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(turns):
            load()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    after = [sys.getrefcount(x) for x in watched]
    assert grown < 64 * 1024, f"{grown:,} bytes more after {turns:,} loads"
    for x, was, now in zip(watched, counts, after, strict=True):
        assert abs(now - was) < 100, (x, was, now)


# Holes outside the reader, in the composed route and in locate.


def _large_containers(rng: random.Random) -> str:
    """Mappings and lists on both sides of the size from which locate indexes them, nested,
    in block and flow style, with scalars, empty containers and keys that look like numbers."""

    def node(depth: int, indent: str) -> str:
        size = rng.choice((0, 1, composed._INDEX_FROM - 1, composed._INDEX_FROM, 40))
        kind = rng.choice(("map", "list", "flow") if depth < 3 else ("scalar",))
        if kind == "scalar" or size == 0:
            return rng.choice((" x", " 1", " {}", " []", ' "q"'))
        if kind == "flow":
            return " {" + ", ".join(f"f{i}: [{i}, {{g: {i}}}]" for i in range(size)) + "}"
        lines = []
        for i in range(size):
            head = f"{indent}k{i}:" if kind == "map" else f"{indent}-"
            lines.append(head + node(depth + 1, indent + "  "))
        return "\n" + "\n".join(lines)

    return "top:" + node(0, "  ") + "\n"


def test_large_containers_locate_as_when_walked() -> None:
    # compare() checks the native table's index and the composed index against a plain walk.
    rng = random.Random(16)
    texts = [_large_containers(rng) for _ in range(30)]
    assert sum(compare(text, limit=composed._INDEX_FROM + 2) for text in texts) >= 25
    assert yamlio.INDEX_FROM == composed._INDEX_FROM


def test_merged_large_mappings_locate_as_when_walked() -> None:
    # Merges are composed: the index must keep the builder's precedence, own keys first, then
    # each source in the order listed, a source's own merges before the next source.
    many = composed._INDEX_FROM * 2
    text = "a: &a\n" + "".join(f"  k{i}: a{i}\n" for i in range(many))
    text += "b: &b\n  <<: *a\n" + "".join(f"  k{i}: b{i}\n" for i in range(0, many, 3))
    text += "c: &c\n  z: c\n  y: c\n"
    text += "d:\n  <<: [*c, *b]\n  k5: d\n  self: &s {<<: *c}\n"
    text += "e: {<<: [*b, *c], k1: e}\n"
    doc = yamlio.load_all(text, "f.yaml")[0]
    for path in paths(doc.data):
        for _ in range(2):  # the second locate hits the index the first built
            assert doc.locate(path) == composed.locate(doc.node, path), path
    lines = text.splitlines()
    for key, value in (("z", "c"), ("k3", "b3"), ("k4", "a4"), ("k5", "d")):
        assert doc.data["d"][key] == value
        assert doc.locate(("d", key))[:2] == (lines.index(f"  {key}: {value}") + 1, 3), key
    assert doc.data["e"]["k1"] == "e" and doc.locate(("e", "k1"))[:2] == (
        len(lines),
        lines[-1].index("k1") + 1,
    )


def _stale_read_text(anchor: bool) -> str:
    """A double-quoted scalar whose '\\' line continuation before CRLF ends exactly at a 16 KiB
    boundary of libyaml's raw buffer, where an escaped quote sits where the reader looks next.

    ruamel.yaml.clib's libyaml copy lacks the check libyaml 0.2.1 added there (a fix from
    OSS-Fuzz), reads a byte it has not filled in this pass, here a stale '"', as the closing quote
    and loses the rest of the document; PyYAML, ruamel's pure-Python parser and libyaml 0.2.5
    (the native reader) read all of it.
    """
    head = "#" + "c" * 16379 + "\n"  # the next token starts 3 bytes before 16384: refilled there
    text = head + ('a: &x "' if anchor else 'a: "')
    text += "x" * (32765 - len(text)) + '\\"\n'  # the escaped quote at 32766
    text += "y" * (49149 - len(text)) + "\\\r\n"  # the continuation's CRLF ends at 49152
    return text + 'zzz"\nb: hidden\n'


def test_the_native_reader_reads_a_continuation_before_crlf_at_a_buffer_boundary() -> None:
    read = natively(_stale_read_text(anchor=False))
    assert read is not None
    data = read[0][0]
    assert list(data) == ["a", "b"] and data["b"] == "hidden"
    assert data["a"] == "x" * 16380 + '" ' + "y" * 16381 + "zzz"  # the continuation joins y and z


def check_stale_read() -> None:
    """Entry point for a subprocess: ruamel's copy may read memory it has not filled."""
    natively_read = natively(_stale_read_text(anchor=False))
    assert natively_read is not None and list(natively_read[0][0]) == ["a", "b"]
    declined = yamlio.load_all(_stale_read_text(anchor=True), "f.yaml")[0].data  # an anchor: composed
    assert list(declined) == ["a", "b"] and declined["a"].endswith("yzzz"), list(declined)
    compare(_stale_read_text(anchor=False))


def test_the_composed_route_reads_a_continuation_before_crlf_at_a_buffer_boundary() -> None:
    code = "from tests.attack.native_yaml_test import check_stale_read; check_stale_read()"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-3000:]


_LARGE = {
    "mapping": lambda n: "".join(f"k{i}: {{}}\n" for i in range(n)),
    "list": lambda n: "items:\n" + "".join(f"- {{a: {i}}}\n" for i in range(n)),
    "merged": lambda n: "base: &b\n" + "".join(f"  k{i}: {i}\n" for i in range(n)) + "top:\n  <<: *b\n",
}


def _large_path(shape: str, n: int, i: int) -> tuple[tuple[Any, ...], int, int]:
    """The path to the ``i``-th child of ``_LARGE[shape]`` and the line and column it is at."""
    if shape == "mapping":
        return (f"k{i}",), i + 1, 1
    if shape == "list":
        return ("items", i), i + 2, 3
    return ("top", f"k{i}"), i + 2, 3


def locate_every_key(shape: str, n: int, composed_route: bool) -> None:
    """Entry point for a subprocess: one locate per child, as one finding per key makes."""
    text = _LARGE[shape](n)
    doc = yamlio._load_composed(text, "f.yaml")[0] if composed_route else yamlio.load_all(text, "f.yaml")[0]
    for i in range(n):
        path, line, column = _large_path(shape, n, i)
        assert doc.locate(path) == (line, column, path), (path, doc.locate(path))


@pytest.mark.parametrize("composed_route", [False, True], ids=["table", "nodes"])
@pytest.mark.parametrize("shape", sorted(_LARGE))
def test_locating_every_child_of_a_large_container_is_not_quadratic(shape: str, composed_route: bool) -> None:
    # 20,000 children: about 10 s when every locate walks the children before its own, well
    # under a second when a container's children are indexed once.
    code = "from tests.attack.native_yaml_test import locate_every_key; "
    code += f"locate_every_key({shape!r}, 20_000, {composed_route})"
    subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=4, check=True
    )
