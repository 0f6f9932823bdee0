"""What most built-in checks share: the public path-check helpers, used as a plugin would."""

from __future__ import annotations

from govcheck.interfaces import Test, path_check, require

__all__ = ["Test", "path_check", "require"]
