"""Lock files: the name, version and sha256 of every pack a gate uses, so a change shows.

``govcheck pack lock`` writes one; ``govcheck check --locked`` refuses to run when a pack in
use (after ``extends``) differs from it, so editing a shipped or shared pack in place, or
swapping the pack a name resolves to, cannot silently change the gate. A pack from git is
also locked to its commit (``source``: ``git+URL@COMMIT#DIR``): the lock wins, so a branch or
tag that has moved since the lock was written fails ``--locked`` even when the pack file's
bytes did not change.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from govcheck.errors import PackError, Problem
from govcheck.model import PackInfo
from govcheck.packs import git

DEFAULT_FILE = "govcheck.lock"
VERSION = 1
Entry = tuple[str, str, str, str]  # name, version, sha256, and the git+ source ("" for others)


def render(packs: Iterable[PackInfo]) -> str:
    """The lock file's text: JSON, sorted, so the same packs always give the same bytes."""
    entries = sorted({_entry(p) for p in packs})
    body = {"lockVersion": VERSION, "packs": [_body(*e) for e in entries]}
    return json.dumps(body, indent=2, sort_keys=True) + "\n"


def _entry(pack: PackInfo) -> Entry:
    # Only a git source is recorded: a path or an installed name says where this machine keeps a
    # copy, and the sha256 already pins its bytes.
    pinned = pack.source if git.is_git_ref(pack.source) else ""
    return pack.name, pack.version, pack.digest, pinned


def _body(name: str, version: str, sha256: str, source: str) -> dict[str, str]:
    return {"name": name, "version": version, "sha256": sha256, **({"source": source} if source else {})}


def read(lock_path: str | Path) -> set[Entry]:
    path = Path(lock_path)
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        entries = {
            (str(e["name"]), str(e["version"]), str(e["sha256"]), str(e.get("source", "")))
            for e in body["packs"]
        }
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
    used = {_entry(p) for p in policy_packs}
    sources = {p.name: p.source for p in policy_packs}
    problems = [
        Problem(str(lock_path), 0, 0, f"pack {name} {_difference(name, used, locked, sources.get(name, ''))}")
        for name in sorted({e[0] for e in used ^ locked})
    ]
    if problems:
        raise PackError(
            f"the policy packs differ from the lock file {lock_path}; if the change is intended and "
            "approved, run govcheck pack lock again:",
            tuple(problems),
        )


def _difference(name: str, used: set[Entry], locked: set[Entry], source: str) -> str:
    now = sorted(e[1:] for e in used if e[0] == name)
    then = sorted(e[1:] for e in locked if e[0] == name)
    if not then:
        return f"in use ({_show(now)}, from {source}) but not locked"
    if not now:
        return f"locked ({_show(then)}) but not in use"
    if [e[:2] for e in now] == [e[:2] for e in then]:
        return (
            f"is locked at {_sources(then)} but in use from {_sources(now)}: the branch or tag it names has"
            " moved since the lock was written; name the locked commit, or lock again"
        )
    return f"changed: locked {_show(then)}, in use {_show(now)} (from {source})"


def _show(entries: list[tuple[str, str, str]]) -> str:
    return ", ".join(f"{v} sha256:{d[:16]}" for v, d, _ in entries)


def _sources(entries: list[tuple[str, str, str]]) -> str:
    return ", ".join(s or "a path or an installed name" for _, _, s in entries)
