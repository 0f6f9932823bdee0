"""Lock files: the name, version and sha256 of every pack a gate uses, so a change shows.

``govcheck pack lock`` writes one; ``govcheck check --locked`` refuses to run when a pack in
use (after ``extends``) differs from it, so editing a shipped or shared pack in place, or
swapping the pack a name resolves to, cannot silently change the gate.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from govcheck.errors import PackError, Problem
from govcheck.model import PackInfo

DEFAULT_FILE = "govcheck.lock"
VERSION = 1
Entry = tuple[str, str, str]  # name, version, sha256


def render(packs: Iterable[PackInfo]) -> str:
    """The lock file's text: JSON, sorted, so the same packs always give the same bytes."""
    entries = sorted({(p.name, p.version, p.digest) for p in packs})
    body = {"lockVersion": VERSION, "packs": [{"name": n, "version": v, "sha256": d} for n, v, d in entries]}
    return json.dumps(body, indent=2, sort_keys=True) + "\n"


def read(lock_path: str | Path) -> set[Entry]:
    path = Path(lock_path)
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        entries = {(str(e["name"]), str(e["version"]), str(e["sha256"])) for e in body["packs"]}
    except OSError as exc:
        raise PackError(
            f"cannot read the lock file {path}: {exc.strerror or exc}; write one with govcheck pack lock"
        ) from None
    except (ValueError, KeyError, TypeError):
        raise PackError(
            f"{path} is not a govcheck lock file; write one with govcheck pack lock (to name the lock "
            "file of check --locked, write --locked=FILE)"
        ) from None
    if body.get("lockVersion") != VERSION:
        raise PackError(
            f"{path}: lockVersion {body.get('lockVersion')!r} is not {VERSION}; "
            "write it again with govcheck pack lock"
        )
    return entries


def verify_lock(policy_packs: tuple[PackInfo, ...], lock_path: str | Path) -> None:
    """Raise ``PackError`` naming each pack that differs between the packs in use and the lock."""
    locked = read(lock_path)
    used = {(p.name, p.version, p.digest) for p in policy_packs}
    sources = {p.name: p.source for p in policy_packs}
    problems = []
    for name in sorted({n for n, _, _ in used ^ locked}):
        now = sorted(f"{v} sha256:{d[:16]}" for n, v, d in used if n == name)
        then = sorted(f"{v} sha256:{d[:16]}" for n, v, d in locked if n == name)
        if not then:
            what = f"in use ({', '.join(now)}, from {sources[name]}) but not locked"
        elif not now:
            what = f"locked ({', '.join(then)}) but not in use"
        else:
            what = f"changed: locked {', '.join(then)}, in use {', '.join(now)} (from {sources[name]})"
        problems.append(Problem(str(lock_path), 0, 0, f"pack {name} {what}"))
    if problems:
        raise PackError(
            f"the policy packs differ from the lock file {lock_path}; if the change is intended and "
            "approved, run govcheck pack lock again:",
            tuple(problems),
        )
