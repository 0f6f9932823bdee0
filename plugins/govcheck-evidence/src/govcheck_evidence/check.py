"""``evidence_file``: the field names an evidence file inside the repository, and it says something.

An empty or whitespace-only file is a file committed to satisfy a rule, not evidence.
Optional parameters (each may be given per tier, like any check parameter):
``max_age_days`` - the file changed at most N days before today (``--today``), by its last
commit where git knows it, else by its modification time; a commit dated after today is no
evidence of a recent change; ``sha256`` - the file's content is exactly the pinned one.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from govcheck.interfaces import CheckContext, CheckSpec, Evaluator, path_check
from govcheck_evidence import contain, history

NAME = "evidence_file"
_SHA256 = r"^[0-9a-fA-F]{64}$"  # compiled by re on first use: most runs pin no file


def _max_age(params: Mapping[str, Any]) -> int | None:
    days = params.get("max_age_days")
    if days is None:
        return None
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        raise ValueError(f"parameter 'max_age_days' must be a whole number of days (0 or more), not {days!r}")
    return days


def _pin(params: Mapping[str, Any]) -> str | None:
    pin = params.get("sha256")
    if pin is None:
        return None
    if not isinstance(pin, str) or not re.match(_SHA256, pin):
        raise ValueError(f"parameter 'sha256' must be 64 hexadecimal digits, not {pin!r}")
    return pin.lower()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


Dated = Callable[[Path, Path], "tuple[dt.date, str]"]


# Characters that show nothing: whitespace (Unicode's too), control characters such as NUL,
# and invisible format characters such as the zero-width space and the byte-order mark.
_UNSEEN = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})


def says_nothing(path: Path) -> bool:
    """A file with no visible character: empty, whitespace, NUL bytes, zero-width spaces.

    Read as UTF-8 in chunks and stopped at the first visible character, so a large report
    costs one read; bytes that are not UTF-8 (a PDF) are visible. govcheck's ``file_exists``
    judges a file the same way; a plugin keeps its own copy rather than import govcheck's
    internals (tests/contain_test.py compares the two).
    """
    decode = codecs.getincrementaldecoder("utf-8")(errors="replace").decode
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            if any(unicodedata.category(ch) not in _UNSEEN for ch in decode(chunk)):
                return False
    return all(unicodedata.category(ch) in _UNSEEN for ch in decode(b"", final=True))


def _age_problem(root: Path, path: Path, today: dt.date, days: int, dated: Dated) -> str | None:
    changed, how = dated(root, path)
    if changed > today and how == history.COMMITTED:
        # A commit's date is whatever its author's clock or GIT_COMMITTER_DATE said; one after
        # --today says nothing about how recent the evidence was on that day. A modification
        # time after it is different: uncommitted content is being changed now.
        return f"last changed {changed.isoformat()} ({how}), after today ({today.isoformat()})"
    age = (today - changed).days
    return (
        None
        if age <= days
        else f"last changed {changed.isoformat()} ({how}), {age} days ago (at most {days})"
    )


def compile_check(target: str, params: Mapping[str, Any]) -> Evaluator:
    days, pin = _max_age(params), _pin(params)
    cache: dict[tuple[Path, Path], tuple[dt.date, str]] = {}

    def dated(root: Path, path: Path) -> tuple[dt.date, str]:  # one git lookup per file per run
        if (root, path) not in cache:
            cache[root, path] = history.last_changed(root, path)
        return cache[root, path]

    def problem(value: Any, ctx: CheckContext) -> str | None:
        found = contain.locate(value, ctx.file, ctx.repo_root)
        if isinstance(found, str):
            return found
        if not found.exists():
            return f"{value!r} does not exist"
        if not found.is_file():
            return (
                f"{value!r} is a directory, not a file"
                if found.is_dir()
                else f"{value!r} is not a regular file"
            )
        try:
            if says_nothing(found):
                return f"{value!r} is empty or only whitespace"
            if pin is not None and (actual := sha256_of(found)) != pin:
                return f"{value!r} has sha256 {actual}, not the pinned {pin}"
            if days is not None:
                return _age_problem(ctx.repo_root.resolve(), found, ctx.today, days, dated)
        except OSError as exc:
            return f"{value!r} cannot be read: {exc.strerror or exc}"
        return None

    return path_check(target, problem)


SPEC = CheckSpec(
    NAME,
    compile_check,
    {"max_age_days": False, "sha256": False},
    "the field names a non-empty file inside the repository, optionally changed within"
    " `max_age_days` and pinned by `sha256`",
)
