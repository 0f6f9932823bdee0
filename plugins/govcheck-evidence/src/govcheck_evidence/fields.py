"""Field paths such as ``spec.data.quality_checks[*].report``, resolved to every value they name.

govcheck's own path resolver is not public API, so a plugin carries its own; the semantics
match the built-in checks: ``[*]`` over a missing or empty list names nothing, and a missing
field is reported at its full path with the value ``MISSING``.
"""

from __future__ import annotations

import re
from typing import Any, Union

from govcheck.interfaces import MISSING

Part = Union[str, int, None]  # None stands for [*]
DocPath = tuple[str | int, ...]
_SEGMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)((?:\[(?:\*|\d+)\])*)")
_INDEX = re.compile(r"\[(\*|\d+)\]")


def parse(text: str) -> tuple[Part, ...]:
    """The parts of a path; ``ValueError`` with a reason for a malformed one."""
    if not isinstance(text, str) or not text:
        raise ValueError(f"the target must be a field path, not {text!r}")
    parts: list[Part] = []
    for segment in text.split("."):
        match = _SEGMENT.fullmatch(segment)
        if match is None:
            raise ValueError(f"{text!r} is not a field path (dotted names with optional [*] or [N])")
        parts.append(match.group(1))
        parts.extend(None if i == "*" else int(i) for i in _INDEX.findall(match.group(2)))
    return tuple(parts)


def resolve(data: Any, parts: tuple[Part, ...], at: DocPath = ()) -> list[tuple[DocPath, Any]]:
    """Every concrete path the parts name, with its value or ``MISSING``."""
    for i, part in enumerate(parts):
        if part is None:
            items = data if isinstance(data, list) else []
            return [
                found for n, item in enumerate(items) for found in resolve(item, parts[i + 1 :], at + (n,))
            ]
        if (
            isinstance(part, str)
            and isinstance(data, dict)
            and part in data
            or isinstance(part, int)
            and isinstance(data, list)
            and part < len(data)
        ):
            data = data[part]
        else:
            if None in parts[i:]:
                return []  # a [*] below a missing field is vacuous
            return [(at + tuple(p for p in parts[i:] if p is not None), MISSING)]
        at = at + (part,)
    return [(at, data)]
