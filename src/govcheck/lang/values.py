"""What a value says, for every rule: whether it is empty."""

from __future__ import annotations

from typing import Any


def is_empty(value: Any) -> bool:
    """Null, empty text, an empty list or mapping: a value that says nothing."""
    return value is None or value == "" or value == [] or value == {}
