"""Regular expressions from policy packs: Python's ``re.search`` verdict, in bounded time.

A pack's patterns (a ``matches`` check's, and ``pattern`` or ``patternProperties`` in a
``schema`` check's fragment) run on every manifest the gate sees, and Python's backtracking
engine takes exponential time on some of them: ``^(a+)+$`` on ``"aaaa…!"`` never finishes.
jsonschema answers ``pattern`` with ``re.search``, so that is the verdict to keep. A pattern is
run one of two ways, each giving exactly that verdict:

* a *small* pattern (no unbounded repetition, and at most ``BUDGET`` steps to try every way
  it can match at one place) runs on ``re`` itself, back-references, lookaround and all: its
  work is linear in the text.
* any other is translated into RE2, whose time is linear in the text. RE2's own classes,
  ``\\b`` and ``$`` mean something else (``\\d`` is ASCII-only there, ``$`` never matches
  before a final newline), so none of them is reused: ``re`` itself works out which
  characters each character class of the pattern accepts, the text is rewritten with one
  symbol per combination of classes a character belongs to, and RE2 runs over the symbols.

A pattern that fits neither (a back-reference or lookaround together with unbounded
repetition, say) is refused with ``UnsafePattern`` when its pack is loaded. RE2 (the
``google-re2`` package) is imported only when a pattern needs it.
"""

from __future__ import annotations

import array
import importlib
import re
import sys
from bisect import bisect_right
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from typing import Any

Search = Callable[[str], bool]

BUDGET = 20_000
"""Steps allowed for trying every way a small pattern can match at one place of the text."""

_parser: Any = importlib.import_module("re._parser" if hasattr(re, "_parser") else "sre_parse")
_compiler: Any = importlib.import_module("re._compiler" if hasattr(re, "_compiler") else "sre_compile")
_MAXREPEAT = _parser.MAXREPEAT
_I, _M, _S, _A = int(re.IGNORECASE), int(re.MULTILINE), int(re.DOTALL), int(re.ASCII)
_TYPE_FLAGS = int(re.ASCII) | int(re.LOCALE) | int(re.UNICODE)
_TOP = 0x110000
_NEWLINE = 10
_WORD_CHARS = [ord(c) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"]
_CATEGORIES = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
}
_BACKTRACKING = {
    "GROUPREF": "a back-reference",
    "GROUPREF_EXISTS": "a conditional group",
    "ASSERT": "a lookahead or lookbehind",
    "ASSERT_NOT": "a lookahead or lookbehind",
    "ATOMIC_GROUP": "an atomic group",
    "POSSESSIVE_REPEAT": "a possessive repeat",
}


class UnsafePattern(ValueError):
    """A pattern that could take more than linear time and cannot be run any other way."""


def searcher(source: str, *, end_is_end: bool = False) -> Search:
    """A test for ``re.search(source, text) is not None`` whose time is linear in the text.

    With ``end_is_end``, ``$`` (outside MULTILINE) matches only at the very end of the text, as
    ``\\Z`` does, not also before a final newline. Raises ``re.error`` for a pattern ``re`` does
    not compile and ``UnsafePattern`` for one that can be run in neither bounded way.
    """
    return _searcher(source, end_is_end)


def is_small(source: str) -> bool:
    """Whether ``re`` itself runs ``source`` in linear time (see the module's docstring)."""
    try:
        _measure(_parser.parse(source))
    except _TooBig:
        return False
    return True


@lru_cache(maxsize=512)  # a pack's check is compiled once per tier, with the same pattern
def _searcher(source: str, end_is_end: bool) -> Search:
    compiled = re.compile(source)
    try:
        _measure(_parser.parse(source))
    except _TooBig as exc:
        why = str(exc)
    else:
        if end_is_end:
            parsed = _parser.parse(source)
            _end_at_end(parsed, parsed.state.flags)
            compiled = _compiler.compile(parsed, 0)
        return lambda text: compiled.search(text) is not None
    try:
        return _Translated(_parser.parse(source), end_is_end).search
    except _NoRE2 as exc:
        raise UnsafePattern(
            f"pattern {source!r} could take exponential time on some text: it {why}, and it uses"
            f" {exc}, which RE2 cannot run; bound the repetition (say {{0,64}} for * or +) or"
            " write the pattern without it"
        ) from None


class _TooBig(Exception):
    """Not a small pattern; says why."""


class _NoRE2(Exception):
    """Names what in a pattern RE2 cannot run with Python's meaning."""


def _name(op: Any) -> str:
    return str(op.name)


# Small patterns


def _measure(seq: Iterable[Any]) -> None:
    ways, steps = _ways(seq, {})
    if ways * steps > BUDGET:
        raise _TooBig(f"has more than {BUDGET} steps of ways to match at one place")


def _capped(n: int) -> int:
    if n > BUDGET:
        raise _TooBig(f"has more than {BUDGET} steps of ways to match at one place")
    return n


def _ways(seq: Iterable[Any], groups: dict[int, int]) -> tuple[int, int]:
    """How many ways ``seq`` can match at one place, and the steps one way takes (bounds)."""
    ways, steps = 1, 0
    for op, av in seq:
        w, s = _ways_of(_name(op), av, groups)
        ways, steps = _capped(ways * w), _capped(steps + s)
    return ways, steps


def _ways_of(name: str, av: Any, groups: dict[int, int]) -> tuple[int, int]:
    if name in ("LITERAL", "NOT_LITERAL", "ANY", "IN", "AT"):
        return 1, 1
    if name == "BRANCH":
        found = [_ways(alt, groups) for alt in av[1]]
        return _capped(sum(w for w, _ in found)), max(s for _, s in found) + 1
    if name == "SUBPATTERN":
        ways, steps = _ways(av[-1], groups)
        if av[0] is not None:
            groups[av[0]] = steps
        return ways, steps + 1
    if name == "ATOMIC_GROUP":
        ways, steps = _ways(av, groups)
        return ways, steps + 1
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, high, body = av
        if high == _MAXREPEAT:
            raise _TooBig("repeats without bound")
        w, s = _ways(body, groups)
        if w == 1:
            ways = _capped(high - low + 1)
        else:  # w**low + ... + w**high: past the budget within a few terms
            power = 1
            for _ in range(low):
                power = _capped(power * w)
            ways = 0
            for _ in range(low, high + 1):
                ways, power = _capped(ways + power), power * w
        return ways, _capped(high * (s + 1) + 1)
    if name == "GROUPREF":
        return 1, groups.get(av, BUDGET + 1)
    if name == "GROUPREF_EXISTS":
        yes = _ways(av[1], groups)
        no = _ways(av[2], groups) if av[2] is not None else (1, 0)
        return _capped(yes[0] + no[0]), max(yes[1], no[1]) + 1
    if name in ("ASSERT", "ASSERT_NOT"):
        ways, steps = _ways(av[1], groups)
        return ways, steps + 1
    raise _TooBig(f"uses {name}")


def _combine(flags: int, add: int, remove: int) -> int:
    """Flags inside ``(?flags-flags:...)``, as ``re``'s compiler combines them."""
    if add & _TYPE_FLAGS:
        flags &= ~_TYPE_FLAGS
    return (flags | add) & ~remove


def _end_at_end(seq: Any, flags: int) -> None:
    """Turns each ``$`` outside MULTILINE into ``\\Z``, in place."""
    data = seq.data if hasattr(seq, "data") else seq
    for i, (op, av) in enumerate(data):
        name = _name(op)
        if name == "AT" and _name(av) == "AT_END" and not flags & _M:
            data[i] = (op, _parser.AT_END_STRING)
        elif name == "SUBPATTERN":
            _end_at_end(av[-1], _combine(flags, av[1], av[2]))
        elif name == "BRANCH":
            for alt in av[1]:
                _end_at_end(alt, flags)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            _end_at_end(av[2], flags)
        elif name == "ATOMIC_GROUP":
            _end_at_end(av, flags)
        elif name in ("ASSERT", "ASSERT_NOT"):
            _end_at_end(av[1], flags)
        elif name == "GROUPREF_EXISTS":
            for part in av[1:]:
                if part is not None:
                    _end_at_end(part, flags)


# RE2


class _Boundary:
    def __init__(self, inside: bool) -> None:
        self.text = r"\B" if inside else r"\b"


_Piece = str | int | _Boundary


class _Template:
    """An RE2 pattern with each character class left as the index of its ``re`` text."""

    def __init__(self, parsed: Any, end_is_end: bool) -> None:
        self.pieces: list[_Piece] = []
        self.classes: list[str] = []
        self.ascii_boundary: bool | None = None  # the kind of \b used: ASCII-only, Unicode, none
        self.end_is_end = end_is_end
        self.seq(parsed, parsed.state.flags, True)

    def seq(self, seq: Any, flags: int, tail: bool) -> None:
        items = list(seq)
        for i, (op, av) in enumerate(items):
            self.node(_name(op), av, flags, tail and i == len(items) - 1)

    def node(self, name: str, av: Any, flags: int, tail: bool) -> None:
        out = self.pieces
        if name in ("LITERAL", "NOT_LITERAL", "ANY", "IN"):
            text = _class_text(name, av, flags)
            if text not in self.classes:
                self.classes.append(text)
            out.append(self.classes.index(text))
        elif name == "AT":
            out.append(self.at(_name(av), flags, tail))
        elif name == "BRANCH":
            out.append("(?:")
            for i, alt in enumerate(av[1]):
                out.append("|" if i else "")
                self.seq(alt, flags, tail)
            out.append(")")
        elif name == "SUBPATTERN":
            out.append("(?:")
            self.seq(av[-1], _combine(flags, av[1], av[2]), tail)
            out.append(")")
        elif name in ("MAX_REPEAT", "MIN_REPEAT"):  # lazy or greedy, a match exists or not
            low, high, body = av
            out.append("(?:")
            self.seq(body, flags, tail and high <= 1)
            out.append(")")
            if high == _MAXREPEAT:
                out.append(f"{{{low},}}")
            else:
                out.append(f"{{{low}}}" if low == high else f"{{{low},{high}}}")
        else:
            raise _NoRE2(_BACKTRACKING.get(name, name))

    def at(self, name: str, flags: int, tail: bool) -> _Piece:
        if name == "AT_BEGINNING":
            return "(?m:^)" if flags & _M else r"\A"
        if name == "AT_BEGINNING_STRING":
            return r"\A"
        if name == "AT_END_STRING":
            return r"\z"
        if name == "AT_END":
            if flags & _M:
                return "(?m:$)"
            if self.end_is_end:
                return r"\z"
            if tail:  # Python's $ also matches before a final newline: take the newline
                return r"(?:\n?\z)"
            raise _NoRE2("a `$` with more of the pattern after it")
        if name in ("AT_BOUNDARY", "AT_NON_BOUNDARY"):
            kind = bool(flags & _A)
            if self.ascii_boundary not in (None, kind):
                raise _NoRE2("both ASCII and Unicode word boundaries")
            self.ascii_boundary = kind
            return _Boundary(name == "AT_NON_BOUNDARY")
        raise _NoRE2(name)


def _escape(code: int) -> str:
    return f"\\U{code:08x}"


def _class_text(name: str, av: Any, flags: int) -> str:
    """The class as ``re`` source, to ask ``re`` which characters it accepts."""
    if name == "LITERAL":
        body = _escape(av)
    elif name == "NOT_LITERAL":
        body = f"[^{_escape(av)}]"
    elif name == "ANY":
        body = "."
    else:
        parts = []
        for op, item in av:
            kind = _name(op)
            if kind == "NEGATE":
                parts.append("^")
            elif kind == "LITERAL":
                parts.append(_escape(item))
            elif kind == "RANGE":
                parts.append(f"{_escape(item[0])}-{_escape(item[1])}")
            elif kind == "CATEGORY" and _name(item) in _CATEGORIES:
                parts.append(_CATEGORIES[_name(item)])
            else:
                raise _NoRE2(kind)
        body = f"[{''.join(parts)}]"
    letters = "".join(c for c, f in (("i", _I), ("s", _S), ("a", _A)) if flags & f)
    return f"(?{letters}:{body})" if letters else body


Ranges = list[tuple[int, int]]


def _runs(text: str, chars: str, base: int) -> Ranges:
    return [(base + m.start(), base + m.end() - 1) for m in re.finditer(f"(?:{text})+", chars)]


@cache
def _all_chars() -> str:
    """Every code point in order (surrogates too: a text may hold them)."""
    codes = array.array("I", range(_TOP))
    if codes.itemsize != 4:
        return "".join(map(chr, range(_TOP)))
    return codes.tobytes().decode(f"utf-32-{sys.byteorder[0]}e", "surrogatepass")


@lru_cache(maxsize=256)
def _ranges(text: str) -> Ranges:
    """Every code point the class ``text`` accepts, as ``re`` decides."""
    plain = _plain_ranges(text)
    return plain if plain is not None else _runs(text, _all_chars(), 0)


def _plain_ranges(text: str) -> Ranges | None:
    """The ranges of a class with no case folding and no ``\\d``-style category, without a scan."""
    if text.startswith("(?"):
        if text.startswith("(?s:") and text[4:-1] == ".":
            return [(0, _TOP - 1)]
        return None
    if text == ".":
        return _complement([(_NEWLINE, _NEWLINE)])
    parsed = list(_parser.parse(text))
    (op, av), *_ = parsed
    name = _name(op)
    if name == "LITERAL":
        return [(av, av)]
    if name == "NOT_LITERAL":
        return _complement([(av, av)])
    negate, ranges = False, []
    for item_op, item in av:
        kind = _name(item_op)
        if kind == "NEGATE":
            negate = True
        elif kind == "LITERAL":
            ranges.append((item, item))
        elif kind == "RANGE":
            ranges.append(item)
        else:
            return None
    merged = _merge(ranges)
    return _complement(merged) if negate else merged


def _merge(ranges: Ranges) -> Ranges:
    out: Ranges = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(hi, out[-1][1]))
        else:
            out.append((lo, hi))
    return out


def _complement(ranges: Ranges) -> Ranges:
    out, start = [], 0
    for lo, hi in _merge(ranges):
        if lo > start:
            out.append((start, lo - 1))
        start = hi + 1
    if start < _TOP:
        out.append((start, _TOP - 1))
    return out


def _member(ranges: Ranges) -> Callable[[int], bool]:
    lows = [lo for lo, _ in ranges]

    def contains(code: int) -> bool:
        i = bisect_right(lows, code) - 1
        return i >= 0 and code <= ranges[i][1]

    return contains


class _Alphabet:
    """Characters up to ``top``, one symbol per combination of the pattern's classes."""

    def __init__(self, features: list[Ranges], top: int, boundary: bool, wide: bool) -> None:
        cuts = {0, top}
        for ranges in features:
            for lo, hi in ranges:
                cuts.update(c for c in (lo, hi + 1) if c < top)
        tests = [_member(r) for r in features]
        self.starts = sorted(cuts - {top})
        words = iter(_WORD_CHARS)
        others = (
            c
            for c in range(0xD800 if wide else 0x100)
            if c != _NEWLINE and not (boundary and c in _WORD_CHARS)
        )
        symbols: dict[tuple[bool, ...], int] = {}
        self.symbols: list[int] = []
        for start in self.starts:
            key = tuple(test(start) for test in tests)
            if key not in symbols:
                # feature 0 is "is a newline", feature 1 "is a word character" when \b is used:
                # RE2's ^, $ and \b look for exactly these symbols
                if key[0]:
                    symbols[key] = _NEWLINE
                else:
                    symbol = next(words if boundary and key[1] else others, None)
                    if symbol is None:
                        raise _NoRE2("too many kinds of characters")
                    symbols[key] = symbol
            self.symbols.append(symbols[key])
        self.by_symbol = symbols

    def accepting(self, feature: int) -> list[int]:
        return sorted({s for key, s in self.by_symbol.items() if key[feature]})


def _class(symbols: list[int], wide: bool) -> str:
    if not symbols:
        return r"[^\x00-\x{10ffff}]" if wide else r"[^\x00-\xff]"
    out = []
    for lo, hi in _merge([(s, s) for s in symbols]):
        out.append(_symbol(lo, wide) if lo == hi else f"{_symbol(lo, wide)}-{_symbol(hi, wide)}")
    return f"[{''.join(out)}]"


def _symbol(code: int, wide: bool) -> str:
    return f"\\x{{{code:x}}}" if wide else f"\\x{code:02x}"


def _re2(pattern: str, wide: bool) -> Any:
    import re2  # type: ignore[import-untyped]  # only a pattern that is not small pays for importing it

    options = re2.Options()
    options.never_capture = True
    options.log_errors = False
    if not wide:
        options.encoding = re2.Options.Encoding.LATIN1
    try:
        return re2.compile(pattern if wide else pattern.encode("ascii"), options)
    except re2.error as exc:
        raise _NoRE2(f"what RE2 refuses ({exc})") from None


class _Translated:
    """The pattern on RE2: one program for ASCII text, one (built when first needed) for any."""

    def __init__(self, parsed: Any, end_is_end: bool) -> None:
        self.template = _Template(parsed, end_is_end)
        boundary = self.template.ascii_boundary is not None
        self.word = r"(?a:\w)" if self.template.ascii_boundary else r"\w"
        ascii_chars = "".join(map(chr, range(128)))
        features = [[(_NEWLINE, _NEWLINE)]] + ([_runs(self.word, ascii_chars, 0)] if boundary else [])
        features += [_runs(text, ascii_chars, 0) for text in self.template.classes]
        alphabet = _Alphabet(features, 128, boundary, wide=False)
        table = bytearray(range(256))
        for start, end, symbol in zip(
            alphabet.starts, alphabet.starts[1:] + [128], alphabet.symbols, strict=True
        ):
            table[start:end] = bytes([symbol]) * (end - start)
        self.ascii_table = bytes(table)
        self.ascii = _re2(self.render(alphabet, len(features) - len(self.template.classes), False), False)
        # re gives \b and \B no match at all in an empty text; RE2 would find \B there
        self.empty: bool | None = None
        if boundary:
            never = self.render(alphabet, len(features) - len(self.template.classes), False, never=True)
            self.empty = _re2(never, False).search(b"") is not None
        self.wide: tuple[list[int], list[int], Any] | None = None

    def render(self, alphabet: _Alphabet, first: int, wide: bool, never: bool = False) -> str:
        out = []
        for piece in self.template.pieces:
            if isinstance(piece, int):
                out.append(_class(alphabet.accepting(first + piece), wide))
            elif isinstance(piece, _Boundary):
                out.append(_class([], wide) if never else piece.text)
            else:
                out.append(piece)
        return "".join(out)

    def search(self, text: str) -> bool:
        if text.isascii():
            if not text and self.empty is not None:
                return self.empty
            return self.ascii.search(text.encode("ascii").translate(self.ascii_table)) is not None
        starts, symbols, program = self.wide or self.build_wide()
        table = {c: symbols[bisect_right(starts, c) - 1] for c in map(ord, set(text))}
        return program.search(text.translate(table)) is not None

    def build_wide(self) -> tuple[list[int], list[int], Any]:
        boundary = self.template.ascii_boundary is not None
        features = [[(_NEWLINE, _NEWLINE)]] + ([_ranges(self.word)] if boundary else [])
        features += [_ranges(text) for text in self.template.classes]
        try:
            alphabet = _Alphabet(features, _TOP, boundary, wide=True)
            program = _re2(self.render(alphabet, len(features) - len(self.template.classes), True), True)
        except _NoRE2 as exc:
            raise UnsafePattern(
                f"this text cannot be matched in bounded time: the pattern has {exc}"
            ) from None
        self.wide = (alphabet.starts, alphabet.symbols, program)
        return self.wide
