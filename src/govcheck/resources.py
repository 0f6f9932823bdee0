"""Where the shipped policy packs, schemas and framework data live, however govcheck was installed.

In a wheel packs and schemas are inside the package (``govcheck/_data``); in a source checkout
or an editable install they are the repository's own ``policies/`` and ``schemas/``. Framework
data is always package data (``govcheck/frameworks``).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """``policies`` or ``schemas``, whichever way govcheck was installed."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"govcheck's {name}/ directory is missing from this installation")


def frameworks_dir() -> Path:
    """The framework data: package data in every install, so unlike ``data_dir`` nowhere else to look."""
    return _PACKAGE / "frameworks"


@cache
def schema(name: str) -> dict[str, Any]:
    """A shipped JSON Schema by short name: ``pilot-manifest``, ``policy-pack``, ..."""
    path = data_dir("schemas") / f"{name}.schema.json"
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded
