"""Write a manifest skeleton as YAML with ``# TODO`` comments (block style, schema order).

The text is built line by line rather than dumped, so that each ``# TODO`` sits beside its
field and the keys come in the order the manifest schema documents them.
"""

from __future__ import annotations

import json
import re
from typing import Any

from govcheck.authoring.skeleton import EMPTY_LIST, Entries, Leaf, Path, order

_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9./-]*$")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}


def render(tree: dict[str, Any], heading: list[str]) -> str:
    """The skeleton as YAML below ``heading`` (as ``#`` comment lines), keys in the schema's order.

    Each field gets its placeholder and a ``# TODO`` saying what needs it; a string that YAML would
    read as something else (``yes``, ``null``, a number) is written quoted.
    """
    lines = [f"# {line}" if line else "#" for line in heading]
    _mapping(tree, (), 0, lines, first_prefix="")
    return "\n".join(lines) + "\n"


def _mapping(
    node: dict[str, Any],
    path: Path,
    indent: int,
    lines: list[str],
    first_prefix: str | None = None,
) -> None:
    for n, key in enumerate(order(node, path)):
        pad = " " * indent
        prefix = first_prefix if n == 0 and first_prefix is not None else pad
        value = node[key]
        if isinstance(value, Leaf):
            lines.append(f"{prefix}{key}:{_scalar(value.placeholder)}  # TODO {value.todo()}".rstrip())
        elif isinstance(value, dict):
            lines.append(f"{prefix}{key}:")
            _mapping(value, path + (key,), indent + 2, lines)
        elif isinstance(value, list):
            # what the list itself needs; a list only a guard reads has its TODOs on its fields
            todo = value.leaf.todo() if isinstance(value, Entries) and value.leaf.rules else ""
            lines.append(f"{prefix}{key}:" + (f"  # TODO {todo}" if todo else ""))
            for item in value:
                _mapping(item, path + (key, 0), indent + 4, lines, first_prefix=f"{pad}  - ")
        else:
            lines.append(f"{prefix}{key}:{_scalar(value)}")


def _scalar(value: Any) -> str:
    if value is EMPTY_LIST:
        return " []"
    if value is None:
        return ""
    if isinstance(value, dict):
        return " {}"
    if isinstance(value, str) and _PLAIN.match(value) and value.lower() not in _RESERVED:
        return f" {value}"
    return f" {json.dumps(value)}"
