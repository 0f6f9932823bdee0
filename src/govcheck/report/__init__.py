"""The built-in reporters, registered through the same hook a plugin uses."""
from __future__ import annotations

from govcheck import hookimpl
from govcheck.interfaces import ReporterSpec
from govcheck.report import github, gitlab, json, junit, sarif, text

BUILTIN: tuple[ReporterSpec, ...] = (
    text.SPEC,
    json.SPEC,
    sarif.SPEC,
    junit.SPEC,
    github.SPEC,
    gitlab.SPEC,
)


@hookimpl
def govcheck_reporters() -> list[ReporterSpec]:
    return list(BUILTIN)
