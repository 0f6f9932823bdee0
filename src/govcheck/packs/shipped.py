"""The packs shipped with govcheck, offered through the same hook a plugin uses."""

from __future__ import annotations

from govcheck import hookimpl
from govcheck.interfaces import PackSource
from govcheck.resources import data_dir


@hookimpl
def govcheck_pack_sources() -> list[PackSource]:
    root = data_dir("policies")
    return [
        PackSource(name=d.name, path=d / "pack.yaml")
        for d in sorted(root.iterdir())
        if (d / "pack.yaml").is_file()
    ]
