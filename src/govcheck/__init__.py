"""govcheck: policy-as-code for AI pilots in healthcare.

The public API is re-exported here and imported on first use, so ``import govcheck`` (and
every command that does not need the evaluator) stays cheap.
"""

from __future__ import annotations

import os
import sys


def _launch_dir() -> str | None:
    """Take the working directory off ``sys.path`` when ``python -m govcheck`` put it first.

    Python does that for ``-m`` (``sys.argv[0]`` is ``"-m"`` while the package is imported), so
    a ``json.py``, ``pluggy.py`` or ``jmespath.py`` in the repository being checked would run in
    place of the real module. It goes before anything else is imported; ``--plugin`` modules,
    the user's own choice, are still looked for there (``plugins.py``).
    """
    launched = sys.argv[:1] == ["-m"] and not getattr(sys.flags, "safe_path", False)
    if launched and sys.path and os.path.abspath(sys.path[0] or ".") == os.getcwd():
        return sys.path.pop(0)
    return None


LAUNCH_DIR = _launch_dir()

# Imported only now that the working directory is off sys.path.
import importlib  # noqa: E402
from typing import TYPE_CHECKING, Any  # noqa: E402

import pluggy  # noqa: E402

if TYPE_CHECKING:  # what type checkers see; at run time each name is imported on first use
    from govcheck.api import CheckSettings, exit_code, load_policy, run_check
    from govcheck.interfaces import (
        MISSING,
        CheckContext,
        CheckSpec,
        Failure,
        FieldPath,
        PackSource,
        ReporterSpec,
        ReportOptions,
        parse_field_path,
        path_check,
    )
    from govcheck.model import Finding, ManifestResult, Outcome, PackInfo, RuleInfo, RunResult, Suppression

__version__ = "0.1.0"
PROJECT_URL = "https://github.com/govcheck/govcheck"

hookimpl = pluggy.HookimplMarker("govcheck")
"""Decorator for plugin hook implementations: ``@govcheck.hookimpl``."""

_LAZY = {
    "Finding": "govcheck.model",
    "RunResult": "govcheck.model",
    "RuleInfo": "govcheck.model",
    "ManifestResult": "govcheck.model",
    "Outcome": "govcheck.model",
    "Suppression": "govcheck.model",
    "PackInfo": "govcheck.model",
    "CheckSpec": "govcheck.interfaces",
    "CheckContext": "govcheck.interfaces",
    "Failure": "govcheck.interfaces",
    "ReporterSpec": "govcheck.interfaces",
    "ReportOptions": "govcheck.interfaces",
    "PackSource": "govcheck.interfaces",
    "MISSING": "govcheck.interfaces",
    "FieldPath": "govcheck.interfaces",
    "parse_field_path": "govcheck.interfaces",
    "path_check": "govcheck.interfaces",
    "CheckSettings": "govcheck.api",
    "run_check": "govcheck.api",
    "exit_code": "govcheck.api",
    "load_policy": "govcheck.api",
}

__all__ = [
    "PROJECT_URL",
    "__version__",
    "hookimpl",
    "Finding",
    "RunResult",
    "RuleInfo",
    "ManifestResult",
    "Outcome",
    "Suppression",
    "PackInfo",
    "CheckSpec",
    "CheckContext",
    "Failure",
    "ReporterSpec",
    "ReportOptions",
    "PackSource",
    "MISSING",
    "FieldPath",
    "parse_field_path",
    "path_check",
    "CheckSettings",
    "run_check",
    "exit_code",
    "load_policy",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'govcheck' has no attribute {name!r}")
