"""Where a field path sits in the pilot manifest schema: its type, or that it cannot exist."""

from __future__ import annotations

import re
from typing import Any

from govcheck.resources import schema

PathParts = tuple[Any, ...]  # field names, and ints for list items


def schema_at(path: PathParts) -> dict[str, Any] | None:
    """The manifest schema of the field at ``path`` ($refs followed); {} where the schema says
    nothing about it, None where the schema forbids it (so no valid manifest has it)."""
    root = schema("pilot-manifest")
    node: dict[str, Any] = root
    for part in path:
        node = _deref(root, node)
        if not isinstance(part, str):
            node = node.get("items", {}) if isinstance(node.get("items"), dict) else {}
        elif part in node.get("properties", {}):
            node = node["properties"][part]
        elif any(re.search(p, part) for p in node.get("patternProperties", {})):
            node = {}
        elif node.get("additionalProperties") is False:
            return None
        else:
            extra = node.get("additionalProperties")
            node = extra if isinstance(extra, dict) else {}
    return _deref(root, node)


def _deref(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = root["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node
