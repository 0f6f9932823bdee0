"""govcheck: policy-as-code for AI pilots in healthcare."""
from __future__ import annotations

import pluggy

__version__ = "0.1.0"

hookimpl = pluggy.HookimplMarker("govcheck")
"""Decorator for plugin hook implementations: ``@govcheck.hookimpl``."""

__all__ = ["__version__", "hookimpl"]
