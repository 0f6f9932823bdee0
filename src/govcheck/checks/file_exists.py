"""``file_exists``: the field names an evidence file inside the repository, and the file says something.

The path is resolved relative to the manifest and must stay inside the repository: no
absolute paths, no ``..`` escape, no symbolic link that leads out. A link (``https://…``) is
evidence kept elsewhere, which the manifest schema accepts but this check cannot open; an
empty or whitespace-only file is a file committed to satisfy the rule, not evidence, and a
file under ``.git`` is git's bookkeeping.
"""

from __future__ import annotations

import codecs
import unicodedata
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from govcheck.checks._common import path_check, rejecting_placeholders
from govcheck.interfaces import CheckContext, CheckSpec, Evaluator
from govcheck.lang.values import is_url

# Characters that show nothing: whitespace (Unicode's too), control characters such as NUL,
# and invisible format characters such as the zero-width space and the byte-order mark.
_UNSEEN = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})


def inside_repository(value: Any, ctx: CheckContext) -> Path | str:
    """The resolved file, or the reason it is not acceptable evidence."""
    if not isinstance(value, str) or not value.strip():
        return f"{value!r} is not a file path"
    if is_url(value):
        return f"{value!r} is a link; this rule needs the file in the repository, relative to the manifest"
    if (
        value.startswith(("/", "\\"))
        or PurePosixPath(value).is_absolute()
        or (len(value) > 1 and value[1] == ":")
    ):
        return f"{value!r} is absolute; give a path relative to the manifest"
    root = ctx.repo_root.resolve()
    candidate = (ctx.file.parent / value).resolve()
    if candidate != root and root not in candidate.parents:
        return f"{value!r} leads outside the repository"
    if ".git" in candidate.relative_to(root).parts:
        return f"{value!r} is git's own metadata, not evidence"
    return candidate


def says_nothing(handle: BinaryIO) -> bool:
    """A file with no visible character: empty, whitespace, NUL bytes, zero-width spaces.

    Read as UTF-8 in chunks and stopped at the first visible character, so a large report
    costs one read; bytes that are not UTF-8 (a PDF) are visible.
    """
    decode = codecs.getincrementaldecoder("utf-8")(errors="replace").decode
    for chunk in iter(lambda: handle.read(1 << 16), b""):
        if any(unicodedata.category(ch) not in _UNSEEN for ch in decode(chunk)):
            return False
    return all(unicodedata.category(ch) in _UNSEEN for ch in decode(b"", final=True))


def _test(value: Any, ctx: CheckContext) -> str | None:
    found = inside_repository(value, ctx)
    if isinstance(found, str):
        return found
    if not found.is_file():
        return f"{value!r} does not exist"
    try:
        with found.open("rb") as handle:
            empty = says_nothing(handle)
    except OSError as exc:
        return f"{value!r} cannot be read: {exc.strerror or exc}"
    return f"{value!r} is empty or only whitespace" if empty else None


def compile_check(target: str, params: Mapping[str, Any]) -> Evaluator:
    return path_check(target, rejecting_placeholders(target, params, _test))


SPEC = CheckSpec(
    "file_exists",
    compile_check,
    {"placeholders": False},
    "the field names a file, relative to the manifest, inside the repository, that is not empty",
    stricter={"placeholders": "superset"},
)
