"""govcheck plugin: the ``evidence_file`` check, through govcheck's public hooks only."""

from __future__ import annotations

from govcheck import hookimpl
from govcheck.interfaces import CheckSpec
from govcheck_evidence import check

__version__ = "0.1.0"


@hookimpl
def govcheck_checks() -> list[CheckSpec]:
    return [check.SPEC]


__all__ = ["__version__", "govcheck_checks"]
