"""The built-in reporters, registered through the same hook a plugin uses."""
from __future__ import annotations

from govcheck import hookimpl
from govcheck.interfaces import ReporterSpec
from govcheck.report import json, text

BUILTIN: tuple[ReporterSpec, ...] = (
    text.SPEC,
    json.SPEC,
)


@hookimpl
def govcheck_reporters() -> list[ReporterSpec]:
    return list(BUILTIN)
