"""govcheck plugin for ONC HTI-1 decision support interventions.

Offers the ``onc-hti1`` policy pack (``govcheck_pack_sources``) and the
``hti1_source_attributes`` check it uses (``govcheck_checks``), through govcheck's public
hooks only.
"""

from __future__ import annotations

from pathlib import Path

from govcheck import hookimpl
from govcheck.interfaces import CheckSpec, PackSource
from govcheck_hti1 import check

__version__ = "0.1.0"
PACK_NAME = "onc-hti1"
PACK_PATH = Path(__file__).resolve().parent / "packs" / PACK_NAME / "pack.yaml"


@hookimpl
def govcheck_checks() -> list[CheckSpec]:
    return [check.SPEC]


@hookimpl
def govcheck_pack_sources() -> list[PackSource]:
    return [
        PackSource(
            PACK_NAME,
            PACK_PATH,
            "ONC HTI-1 decision support interventions: source attributes and risk management",
        )
    ]


__all__ = ["PACK_NAME", "PACK_PATH", "__version__", "govcheck_checks", "govcheck_pack_sources"]
