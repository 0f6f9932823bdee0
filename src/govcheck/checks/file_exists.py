"""``file_exists``: the field names an evidence file inside the repository.

The path is resolved relative to the manifest and must stay inside the repository: no
absolute paths, no ``..`` escape, no symbolic link that leads out.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from govcheck.checks._common import path_check
from govcheck.interfaces import CheckContext, CheckSpec, Evaluator


def inside_repository(value: Any, ctx: CheckContext) -> Path | str:
    """The resolved file, or the reason it is not acceptable evidence."""
    if not isinstance(value, str) or not value.strip():
        return f"{value!r} is not a file path"
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
    return candidate


def _test(value: Any, ctx: CheckContext) -> str | None:
    found = inside_repository(value, ctx)
    if isinstance(found, str):
        return found
    return None if found.is_file() else f"{value!r} does not exist"


def compile_check(target: str, params: Mapping[str, Any]) -> Evaluator:
    return path_check(target, _test)


SPEC = CheckSpec(
    "file_exists",
    compile_check,
    {},
    "the field names a file, relative to the manifest, inside the repository",
)
