"""Lock files: deterministic, and every difference named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govcheck.errors import PackError
from govcheck.model import PackInfo
from govcheck.packs.lock import render, verify_lock

BASE = PackInfo("healthcare-ai-baseline", "1.0.0", "installed:healthcare-ai-baseline", "a" * 64)
MINE = PackInfo("example-health", "2.1.0", "packs/example-health/pack.yaml", "b" * 64)


def locked(tmp_path: Path, *packs: PackInfo) -> Path:
    path = tmp_path / "govcheck.lock"
    path.write_text(render(packs), encoding="utf-8")
    return path


def test_the_lock_file_is_the_same_for_the_same_packs_in_any_order(tmp_path: Path) -> None:
    assert render((BASE, MINE)) == render((MINE, BASE, MINE))
    assert json.loads(render((BASE, MINE))) == {
        "lockVersion": 1,
        "packs": [
            {"name": "example-health", "sha256": "b" * 64, "version": "2.1.0"},
            {"name": "healthcare-ai-baseline", "sha256": "a" * 64, "version": "1.0.0"},
        ],
    }


def test_the_same_packs_verify(tmp_path: Path) -> None:
    verify_lock((BASE, MINE), locked(tmp_path, MINE, BASE))


def test_each_differing_pack_is_named(tmp_path: Path) -> None:
    lock = locked(tmp_path, BASE, PackInfo("retired-pack", "1.0.0", "x", "c" * 64))
    changed = PackInfo(BASE.name, BASE.version, BASE.source, "d" * 64)
    with pytest.raises(PackError) as caught:
        verify_lock((changed, MINE), lock)
    assert [p.message for p in caught.value.problems] == [
        "pack example-health in use (2.1.0 sha256:bbbbbbbbbbbbbbbb, from packs/example-health/pack.yaml)"
        " but not locked",
        "pack healthcare-ai-baseline changed: locked 1.0.0 sha256:aaaaaaaaaaaaaaaa,"
        " in use 1.0.0 sha256:dddddddddddddddd (from installed:healthcare-ai-baseline)",
        "pack retired-pack locked (1.0.0 sha256:cccccccccccccccc) but not in use",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "cannot read the lock file"),
        ("pilot: yes\n", "is not a govcheck lock file"),
        ('{"lockVersion": 2, "packs": []}', "lockVersion 2 is not 1"),
    ],
)
def test_an_unusable_lock_file_is_a_pack_error(tmp_path: Path, text: str | None, message: str) -> None:
    path = tmp_path / "govcheck.lock"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(PackError, match=message):
        verify_lock((BASE,), path)
