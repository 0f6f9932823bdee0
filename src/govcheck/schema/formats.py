"""JSON Schema ``format`` checks as jsonschema's Draft 2020-12 format checker makes them.

The formats govcheck's schemas use are answered here without importing jsonschema (a fifth
of a cold start); any other format asks jsonschema's own checker. Each answer here is compared
with jsonschema's in ``tests/unit/schema/fast_test.py``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import cache
from importlib.util import find_spec
from typing import Any

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
# jsonschema checks "uri" only when one of these is installed; without them every value passes.
URI_LIBRARIES = ("rfc3987", "rfc3986_validator")


def is_date(value: Any) -> bool:
    if not isinstance(value, str):
        return True
    try:
        return bool(_DATE.fullmatch(value) and dt.date.fromisoformat(value))
    except ValueError:
        return False


def is_email(value: Any) -> bool:
    return not isinstance(value, str) or "@" in value


def _unchecked(value: Any) -> bool:
    return True


@cache
def _uri_checked() -> bool:
    return any(find_spec(name) is not None for name in URI_LIBRARIES)


def _by_jsonschema(name: str) -> Callable[[Any], bool]:
    def conforms(value: Any) -> bool:
        from jsonschema import Draft202012Validator

        return bool(Draft202012Validator.FORMAT_CHECKER.conforms(value, name))

    return conforms


def check(name: str) -> Callable[[Any], bool]:
    """The test for ``format: name``."""
    if name == "date":
        return is_date
    if name in ("email", "idn-email"):
        return is_email
    if name in ("uri", "uri-reference") and not _uri_checked():
        return _unchecked
    return _by_jsonschema(name)
