"""Where an evidence path leads, and whether that is acceptable evidence.

A manifest names evidence relative to itself. The file must be inside the repository: an
absolute path, a ``..`` that climbs out, or a symbolic link that leads out would let a
manifest point at anything on the machine that runs the check.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

_DRIVE = re.compile(r"^[A-Za-z]:")
# A scheme and "//", as the manifest schema's evidence fields describe a link: evidence kept
# elsewhere, which the schema accepts and this check cannot open. Kept equal to govcheck's
# own file_exists test (tests/contain_test.py compares them).
URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def locate(value: Any, manifest: Path, repo_root: Path) -> Path | str:
    """The resolved file inside ``repo_root``, or the reason the value is not acceptable."""
    if not isinstance(value, str) or not value.strip() or "\0" in value:
        return f"{value!r} is not a file path"
    if URL.match(value.strip()):
        return f"{value!r} is a link; this rule needs the file in the repository, relative to the manifest"
    if value.startswith(("/", "\\")) or _DRIVE.match(value):
        return f"{value!r} is absolute; give a path relative to the manifest"
    root = repo_root.resolve()
    base = manifest.resolve().parent
    if not _inside(Path(os.path.normpath(base / value)), root):
        return f"{value!r} leads outside the repository"
    try:
        resolved = (base / value).resolve()
    except (OSError, RuntimeError) as exc:  # a symbolic link loop, among others
        return f"{value!r} cannot be resolved: {exc}"
    if not _inside(resolved, root):
        return f"{value!r} is a symbolic link that leads outside the repository"
    if ".git" in resolved.relative_to(root).parts:
        return f"{value!r} is git's own metadata, not evidence"
    return resolved
