"""The built-in reporters, registered through the same hook a plugin uses.

Each format's module is imported only when a run writes that format: a pre-commit run that
prints text does not pay for XML or SARIF.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from govcheck import hookimpl
from govcheck.interfaces import ReporterSpec


def _deferred(module: str, function: str) -> Callable[..., Any]:
    def call(*args: Any) -> Any:
        return getattr(importlib.import_module(f"govcheck.report.{module}"), function)(*args)

    call.__name__ = call.__qualname__ = f"{module}.{function}"
    return call


def _spec(
    name: str,
    description: str,
    extension: str,
    needs_outcomes: bool = False,
    streams: bool = False,
    needs_provenance: bool = False,
) -> ReporterSpec:
    return ReporterSpec(
        name,
        _deferred(name, "render"),
        description,
        extension,
        needs_outcomes,
        _deferred(name, "stream") if streams else None,
        needs_provenance,
    )


BUILTIN: tuple[ReporterSpec, ...] = (
    _spec("text", "one line per finding with a fix hint, then a summary", ".txt", streams=True),
    _spec(
        "json",
        "findings and per-rule outcomes as JSON",
        ".json",
        needs_outcomes=True,
        streams=True,
        needs_provenance=True,
    ),
    _spec(
        "sarif", "SARIF 2.1.0 for GitHub code scanning and other SARIF tools", ".sarif", needs_provenance=True
    ),
    _spec("junit", "JUnit XML: a testsuite per manifest, a testcase per rule", ".xml", needs_outcomes=True),
    _spec("github", "GitHub Actions annotations (workflow commands)", ".txt"),
    _spec("gitlab", "GitLab Code Quality report (JSON)", ".json"),
)


@hookimpl
def govcheck_reporters() -> list[ReporterSpec]:
    """The built-in formats, through the hook a plugin implements: names and clashes are checked alike."""
    return list(BUILTIN)
