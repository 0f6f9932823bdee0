"""Field paths such as ``spec.success_metrics[*].baseline``: parsed once, resolved fast.

Checks take plain paths rather than JMESPath because a path knows where it points: a
finding about a missing field can be located at its closest existing parent.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from govcheck.model import MISSING, DocPath

_SEGMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)((?:\[(?:\*|\d+)\])*)")
_INDEX = re.compile(r"\[(\*|\d+)\]")


class _Wild:
    def __repr__(self) -> str:
        return "[*]"


WILD = _Wild()
Part = str | int | _Wild


class FieldPath(NamedTuple):
    """A parsed field path (``parse`` makes one): ``text`` as written, ``parts`` the names, indexes, ``WILD``.

    A check parses its paths once, when the pack is compiled, and resolves them for every manifest.
    """

    text: str
    parts: tuple[Part, ...]

    def resolve(self, data: Any) -> list[tuple[DocPath, Any]]:
        """Every concrete path the pattern names, with its value or ``MISSING``.

        A ``[*]`` over a missing or empty list names nothing (vacuously true).
        """
        out: list[tuple[DocPath, Any]] = []
        _walk(data, self.parts, (), out)
        return out

    def first(self, data: Any) -> tuple[DocPath, Any]:
        """The single value of a path without wildcards."""
        found = self.resolve(data)
        return found[0] if found else (tuple(p for p in self.parts if not isinstance(p, _Wild)), MISSING)


def _walk(node: Any, parts: tuple[Part, ...], at: DocPath, out: list[tuple[DocPath, Any]]) -> None:
    for i, part in enumerate(parts):
        if isinstance(part, _Wild):
            if isinstance(node, list):
                for n, item in enumerate(node):
                    _walk(item, parts[i + 1 :], at + (n,), out)
            return
        # Two arms, not one: each narrows the part's type for the index.
        if isinstance(part, str) and isinstance(node, dict) and part in node:  # noqa: SIM114
            node = node[part]
        elif isinstance(part, int) and isinstance(node, list) and part < len(node):
            node = node[part]
        else:
            if not any(isinstance(p, _Wild) for p in parts[i:]):  # a [*] over nothing is vacuous
                out.append((at + parts[i:], MISSING))  # type: ignore[operator]
            return
        at = at + (part,)
    out.append((at, node))


def parse(text: str) -> FieldPath:
    """Parse a path, raising ``ValueError`` with a reason for a malformed one."""
    if not isinstance(text, str) or not text:
        raise ValueError(f"a field path must be a non-empty string, not {text!r}")
    parts: list[Part] = []
    for segment in text.split("."):
        match = _SEGMENT.fullmatch(segment)
        if match is None:
            raise ValueError(
                f"{text!r} is not a field path (expected dotted names with optional [*] or [N], "
                "e.g. spec.success_metrics[*].baseline)"
            )
        parts.append(match.group(1))
        parts.extend(WILD if i == "*" else int(i) for i in _INDEX.findall(match.group(2)))
    return FieldPath(text, tuple(parts))


def dotted(path: DocPath) -> str:
    """``('spec', 'metrics', 0, 'name')`` as ``spec.metrics[0].name``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
