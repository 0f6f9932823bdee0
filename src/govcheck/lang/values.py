"""What a value says, for every rule: whether it is empty, blank or a placeholder, and the date,
measure or identity it holds.

A rule that passes on ``name: TBD`` or ``subgroups: [age, age, age]`` vouches for governance
that is not there, so every check that reads text, dates, numbers or lists asks these
functions rather than deciding for itself.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

# Whole-text placeholders. Text is compared after NFKC folding (fullwidth letters), with
# invisible format characters (zero-width spaces) dropped, look-alike Cyrillic and Greek
# capitals read as Latin, case folded, and every space and punctuation mark taken out, so
# "(TBD)", "T.B.D.", "T B D", "N/A" and "To be determined" are all one placeholder each. ""
# and an empty list are the placeholders ``govcheck init`` writes; they are empty, judged by
# ``is_empty``.
PLACEHOLDERS: frozenset[str] = frozenset(
    {
        *("tbd", "tbc", "tba", "todo", "fixme", "na", "none", "null", "nil", "unknown"),
        *("tobedetermined", "tobedecided", "tobeconfirmed", "tobeannounced", "tobedefined"),
        "notapplicable",
    }
)
# Words that never begin real text, so "TODO: ask Priya" and "TBD (committee)" are still
# placeholders; joined into a name ("tbd-triage") they are part of it. "None of the above" or
# "Unknown Health System" are real text, so none, null and unknown count only whole.
_PLACEHOLDER_PREFIX = re.compile(r"(?:tbd|tbc|tba|todo|fixme)(?![\w-])")
# The slots of remediation snippets and docs ("<name>", "<role, e.g. certified coder>",
# "[name]"), copied into a manifest unfilled.
_TEMPLATE = re.compile(r"<[^<>]*>|\[[^\[\]]*\]")
_EDGE = re.compile(r"^\W+|\W+$")
_SPACE = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[\W_]+")
# Capitals that look Latin in most fonts: "\u0422BD" (Cyrillic Te) is read as TBD.
_LOOK_ALIKE = str.maketrans(
    "\u0410\u0412\u0415\u041a\u041c\u041d\u041e\u0420\u0421\u0422\u0425\u0423"  # Cyrillic
    "\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4\u03a5\u03a7",  # Greek
    "ABEKMHOPCTXYABEZHIKMNOPTYX",
)


def is_empty(value: Any) -> bool:
    """Null, empty text, an empty list or mapping: a value that says nothing.

    JMESPath truthiness is built on this and must stay exactly JMESPath's; what else says
    nothing (blank text, placeholders) is ``says_nothing``.
    """
    return value is None or value == "" or value == [] or value == {}


def normal_words(words: Iterable[str]) -> frozenset[str]:
    """Placeholder words as ``text_problem`` compares them (a pack's ``placeholders:``)."""
    return frozenset(_squeezed(_normal(w)) for w in words)


def _visible(text: str) -> str:
    if text.isascii():  # most manifest text: nothing to fold, no format characters, no look-alikes
        return text
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if unicodedata.category(ch) != "Cf").translate(_LOOK_ALIKE)


def _normal(text: str) -> str:
    return _SPACE.sub(" ", _EDGE.sub("", _visible(text).strip().casefold()))


def _squeezed(core: str) -> str:
    return _NOT_WORD.sub("", core)


# text_problem's answers: the same owners, statuses and units recur in every manifest of a
# repository, and folding, stripping and matching them is most of a text check. It stops
# growing when full, so hostile text cannot grow it: texts that recur are met in the first
# manifests (on the bench's 10,000, 2,000 entries miss 2% more often than unbounded, where
# emptying it when full at 20,000 held 1.3 MB more for the whole run).
_ANSWERS: dict[tuple[str, frozenset[str]], str | None] = {}
_ANSWERS_MAX = 2_000
_ANSWERS_LONGEST = 200  # characters: names, roles and statuses are short; a 1 MiB text is not kept


def text_problem(text: str, extra: frozenset[str] = frozenset()) -> str | None:
    """Why text says nothing (``"empty"``, ``"blank"``, ``"a placeholder"``), or None.

    ``extra`` holds more placeholder words, already passed through ``normal_words``.
    """
    key = (text, extra)
    try:
        return _ANSWERS[key]
    except KeyError:
        pass
    answer = _text_problem(text, extra)
    if len(_ANSWERS) < _ANSWERS_MAX and len(text) <= _ANSWERS_LONGEST:
        _ANSWERS[key] = answer
    return answer


def _text_problem(text: str, extra: frozenset[str]) -> str | None:
    if text == "":
        return "empty"
    if not text.strip():
        return "blank"
    if _TEMPLATE.fullmatch(text.strip()) or not any(ch.isalnum() for ch in text):
        return "a placeholder"  # "<name>", "-", "?", "..."
    core = _normal(text)
    squeezed = _squeezed(core)
    if squeezed in PLACEHOLDERS or squeezed in extra or _PLACEHOLDER_PREFIX.match(core):
        return "a placeholder"
    return None


def says_nothing(value: Any, extra: frozenset[str] = frozenset()) -> bool:
    """Empty, blank or placeholder text, ``.nan``, or a list or mapping of nothing but those."""
    if is_empty(value):
        return True
    if isinstance(value, str):
        return text_problem(value, extra) is not None
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, list):
        return all(says_nothing(v, extra) for v in value)
    if isinstance(value, dict):
        return all(says_nothing(v, extra) for v in value.values())
    return False


def nothing_problem(value: Any, extra: frozenset[str] = frozenset()) -> str | None:
    """Why a value says nothing, worded for a finding's detail; None when it says something.

    Empty values keep the one-word ``"empty"`` the ``present`` check has always given.
    """
    if is_empty(value):
        return "empty"
    if isinstance(value, str):
        why = text_problem(value, extra)
        return None if why is None else f"{value!r} is {why}"
    if isinstance(value, float) and math.isnan(value):
        return ".nan is not a number"
    if isinstance(value, list) and says_nothing(value, extra):
        return "has only empty entries"
    if isinstance(value, dict) and says_nothing(value, extra):
        return "has only empty fields"
    return None


def shown_number(value: float | int) -> str:
    """A number as the manifest wrote it: YAML's ``.nan`` and ``.inf`` rather than Python's."""
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
    return repr(value)


def measure_problem(value: Any) -> str | None:
    """Why a value cannot be compared as a measure (a count, duration, rate or amount), or None.

    ``.nan`` compares false with everything and ``.inf`` beats every target, so either would
    let a comparison pass or fail for no reason; a negative count, duration or rate is an
    error of entry, not a result.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"{value!r} is not a number"
    if not math.isfinite(value):
        return f"{shown_number(value)} is not a finite number"
    if value < 0:
        return f"{shown_number(value)} is negative"
    return None


def as_date(value: Any) -> dt.date | None:
    """The ``YYYY-MM-DD`` date a value holds (a timestamp counts by its day), else None."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def same_key(value: Any) -> Any:
    """What two values share when they say the same thing: ``Age``, ``age`` and ``" age "``.

    Lists and mappings compare by their members, so ``{name: AUC}`` twice counts once.
    """
    if isinstance(value, str):
        return ("text", _SPACE.sub(" ", value.strip().casefold()))
    if isinstance(value, list):
        return ("list", tuple(same_key(v) for v in value))
    if isinstance(value, dict):
        return ("map", tuple(sorted((str(k), same_key(v)) for k, v in value.items() if not says_nothing(v))))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return ("number", int(value) if float(value).is_integer() else value)  # 1.0 and 1 are one number
    return (type(value).__name__, value)


# A scheme and "//" (https://wiki.example.org/runbook): a link to evidence held elsewhere. The
# manifest schema accepts it for any evidence field; a rule that needs the file itself in the
# repository reports it as a link, not as a missing file.
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(text: str) -> bool:
    return bool(_URL.match(text.strip()))


# Control characters and Unicode line breaks: none may reach a report as themselves.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """``text`` with every control character and line break written as an escape (``\\n``).

    A manifest's keys and values end up in findings that CI logs print line by line: a value
    holding a newline and ``::error file=…`` would otherwise start a forged annotation there,
    and an escape sequence could rewrite the terminal.
    """
    return (
        _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
        if _UNSAFE.search(text)
        else text
    )
