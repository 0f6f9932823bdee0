"""Load one file's pilot manifests; a file that cannot be read is a finding, not a crash."""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from govcheck.load.discover import Source, display, work_tree
from govcheck.load.yaml import Document, ParseError, load_all, read_file, read_text
from govcheck.model import KIND_RULE, PARSE_RULE, Finding

KIND = "AIPilot"


class Target(NamedTuple):
    """A manifest document to evaluate, and where it lives."""

    doc: Document
    file: Path
    repo_root: Path
    sha256: str = ""  # of the file's bytes as read: the record says which content was judged


def load(source: Source, cwd: Path) -> tuple[list[Target], list[Finding]]:
    """The AIPilot documents of one file, or the findings that say why it cannot be read."""
    shown = source.shown or display(source.path, cwd)
    if source.problem:  # a directory that could not be listed may hold manifests: never a silent pass
        return [], [_problem(PARSE_RULE, shown, 1, 1, source.problem)]
    try:
        raw = read_file(source.path)
    except OSError as exc:
        return [], [_problem(PARSE_RULE, shown, 1, 1, f"cannot read the file: {exc.strerror or exc}")]
    return parse(raw, source.path, shown, source.explicit)


def parse(raw: bytes, path: Path, shown: str, explicit: bool) -> tuple[list[Target], list[Finding]]:
    """The AIPilot documents in ``raw``, the bytes of the file at ``path``: as read from it, or as
    an editor holds them unsaved (evidence still resolves against ``path``). ``explicit`` when the
    user named the file, which must then be a manifest; found below a directory, other YAML is skipped."""
    if explicit:
        hint = _NAMED
    else:
        hint = _hint(raw)
        if not hint:
            return [], []  # other YAML in a scanned directory is not ours to judge
    try:
        docs = [d for d in load_all(read_text(shown, raw), shown) if d.data is not None]
    except ParseError as exc:
        if hint == _ESCAPED:  # only an escape could hide a pilot: another tool's YAML, not ours to judge
            return [], []
        return [], [_problem(PARSE_RULE, shown, exc.line, exc.column, exc.message)]
    pilots, misspelt = [], []
    for doc in docs:
        key, kind = _kind(doc.data)
        if key == "kind" and kind == KIND:
            pilots.append(doc)
        elif isinstance(kind, str) and _look_alike(kind) == _FOLDED:
            misspelt.append(_misspelt(shown, doc, key, kind))
    if not pilots:
        if misspelt or not explicit:
            return [], misspelt
        return [], [_not_a_manifest(shown, docs)]
    root = repo_root(_real_directory(path))
    digest = hashlib.sha256(raw).hexdigest()
    return [Target(d, path, root, digest) for d in pilots], misspelt


# How a file's bytes suggest it holds a pilot manifest. Only a hint can skip a file, so it must
# catch every spelling YAML allows: any case (a finding, below), quotes and tags (the letters
# are still there), escapes in double quotes (only the backslash is), other encodings, and
# text that only looks like the kind (invisible or look-alike characters, all outside ASCII).
_NAMED = "named"  # by the user: whatever it holds, it must be a manifest
_SPELT = "spelt"  # the letters of the kind, in some case
_ESCAPED = "escaped"  # a backslash escape that could spell them
_FOLDED = KIND.casefold()
_WIDE_MARKS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _hint(raw: bytes) -> str:
    """The hint a scanned file's bytes give, or "" when they cannot hold a pilot manifest."""
    if raw.startswith(_WIDE_MARKS):  # UTF-16 or UTF-32: look at the text, not at its bytes
        try:
            raw = read_text("", raw).encode("utf-8")
        except ParseError:  # no text we can read behind the mark: say so rather than skip a manifest
            return _SPELT
    if _FOLDED.encode() in raw.lower():
        return _SPELT
    if b"\\" in raw:
        return _ESCAPED
    # Without a backslash, YAML text is its bytes: an ASCII file cannot hold a disguise. Any
    # other is read as _look_alike reads a kind, but keeping only ASCII instead of removing
    # what is not seen (all of which is outside ASCII): never less, and no per-character loop.
    if not raw.isascii():
        visible = _latin(raw.decode("utf-8", "replace")).encode("ascii", "ignore")
        if _FOLDED.encode() in visible:
            return _SPELT
    return ""


_UNSEEN = frozenset({"Cf", "Mn", "Me"})  # format characters (U+200B, soft hyphen) and combining marks
# Greek and Cyrillic letters that look Latin in most fonts, after case folding (which brings
# their capitals here too: Greek Rho and Cyrillic Er both fold to a letter shaped like p).
_LATIN_LOOK = str.maketrans(
    {
        **dict.fromkeys("\u03b1\u0430", "a"),  # Greek alpha, Cyrillic a
        **dict.fromkeys("\u03b9\u0456\u0131\u04cf", "i"),  # iota, Byelorussian i, dotless i, palochka
        **dict.fromkeys("\u03c1\u0440", "p"),  # rho, er
        **dict.fromkeys("\u03bf\u043e", "o"),  # omicron, o
        **dict.fromkeys("\u03c4\u0442", "t"),  # tau, te (their capitals are T)
        **dict.fromkeys("\u03ba\u043a", "k"),  # kappa, ka: for the key ``kind``
        "\u0501": "d",  # Komi de
    }
)


# str.translate looks every character up (~50 ns each): only text holding one of the look-alikes
# pays for it, not a workflow with an accented name.
_HAS_LOOK_ALIKE = re.compile("[" + "".join(map(chr, _LATIN_LOOK)) + "]")


def _latin(text: str) -> str:
    """Compatibility forms folded (fullwidth letters), accents split off, case folded, and
    look-alike letters read as Latin."""
    folded = unicodedata.normalize("NFKD", text).casefold()
    return folded.translate(_LATIN_LOOK) if _HAS_LOOK_ALIKE.search(folded) else folded


def _look_alike(text: str) -> str:
    """Text as a reviewer reads it: ``_latin``, without what is not seen (format characters,
    combining marks such as U+034F or an accent) and surrounding space."""
    if text.isascii():
        return text.casefold().strip()
    return "".join(c for c in _latin(text) if unicodedata.category(c) not in _UNSEEN).strip()


def _kind(data: Any) -> tuple[str, Any]:
    """The key that names a document's kind (``kind``, else the same word in another case), and its value."""
    if not isinstance(data, dict):
        return "", None
    if "kind" in data:
        return "kind", data["kind"]
    key = next((k for k in data if isinstance(k, str) and _look_alike(k) == "kind"), "")
    return key, data[key] if key else None


def _misspelt(shown: str, doc: Document, key: str, kind: str) -> Finding:
    line, column, _ = doc.locate((key,))
    if (key == "kind" or key.isascii()) and kind.strip().casefold() == _FOLDED:
        written = f"{key}: {kind}" if key != "kind" else f"kind is {kind!r}"
        message = (
            f"{written}; a pilot manifest says exactly kind: {KIND} (the case matters), "
            "so this document is not checked"
        )
    else:
        # ascii(): the characters a reviewer cannot see or tell apart are the point of the message.
        odd = sorted({c for c in key + kind if not c.isascii() or not c.isprintable()})
        names = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'unnamed')}" for c in odd[:4])
        written = ascii(kind) if key == "kind" else f"{ascii(key)}: {ascii(kind)}"
        message = (
            f"kind looks like {KIND} but is not exactly it: {written} ({names}); "
            f"a pilot manifest says exactly kind: {KIND}, so this document is not checked"
        )
    return _problem(KIND_RULE, shown, line, column, message, doc.index)


def _not_a_manifest(shown: str, docs: list) -> Finding:  # type: ignore[type-arg]
    if not docs:
        return _problem(
            PARSE_RULE,
            shown,
            1,
            1,
            "the file is empty; a pilot manifest starts with apiVersion: govcheck/v1 and kind: AIPilot",
        )
    doc = docs[0]
    kind = doc.data.get("kind") if isinstance(doc.data, dict) else None
    line, column, _ = doc.locate(("kind",))
    what = f"kind is {kind!r}" if kind is not None else "it has no kind"
    return _problem(KIND_RULE, shown, line, column, f"not a pilot manifest: {what}; expected kind: {KIND}")


def _problem(rule: str, file: str, line: int, column: int, message: str, document: int = 0) -> Finding:
    return Finding(
        rule=rule,
        severity="error",
        message=message,
        file=file,
        line=line,
        column=column,
        category="schema",
        title="The file is a readable pilot manifest",
        remediation=(
            "Fix the YAML at the line shown; a manifest is one mapping with apiVersion: govcheck/v1 "
            "and kind: AIPilot."
        ),
        document=document,
    )


def _real_directory(path: Path) -> Path:
    """``path.resolve().parent``, resolved once per directory: a corpus holds many files per
    directory, and resolving walks every component (about 40 us a file)."""
    if os.path.islink(path):
        return path.resolve().parent
    parent = path.parent
    return _resolved(str(parent) if parent.is_absolute() else os.path.join(os.getcwd(), parent))


@lru_cache(maxsize=256)
def _resolved(directory: str) -> Path:
    return Path(directory).resolve()


def repo_root(directory: Path) -> Path:
    """The enclosing git work tree, else the directory itself: evidence may not leave it."""
    return work_tree(directory) or directory
