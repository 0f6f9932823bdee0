"""govcheck: policy-as-code for AI pilots in healthcare."""
from __future__ import annotations

import pluggy

__version__ = "0.1.0"
PROJECT_URL = "https://github.com/govcheck/govcheck"

hookimpl = pluggy.HookimplMarker("govcheck")
"""Decorator for plugin hook implementations: ``@govcheck.hookimpl``."""

__all__ = ["PROJECT_URL", "__version__", "hookimpl"]
