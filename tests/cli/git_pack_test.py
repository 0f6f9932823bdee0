"""``--pack git+URL@REV#SUBDIR``, in configuration and in the lock file, through the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.gitpacks import Origin, commit, make_origin
from tests.helpers import write

PILOT = "apiVersion: govcheck/v1\nkind: AIPilot\nmetadata: {id: x}\nspec: {risk_tier: low, stage: pilot}\n"


@pytest.fixture
def origin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Origin:
    found = make_origin(tmp_path, monkeypatch)
    (tmp_path / "repo").mkdir()
    monkeypatch.chdir(tmp_path / "repo")
    write(tmp_path / "repo" / "pilot.yaml", PILOT)
    return found


def packs(result: Any) -> list[tuple[str, str, str]]:
    assert result.exit_code == 0, result.stderr
    return [(p["name"], p["version"], p["source"]) for p in json.loads(result.stdout)["packs"]]


@pytest.mark.parametrize("rev", ["v1", "main", "commit"])
def test_a_pack_from_git_is_checked_and_reported_at_its_commit(run: Any, origin: Origin, rev: str) -> None:
    name = origin.v1 if rev == "commit" else rev
    result = run("check", "--pack", origin.ref(name), "--format", "json", "pilot.yaml")
    version, pinned = ("0.2.0", origin.main) if rev == "main" else ("0.1.0", origin.v1)
    assert packs(result) == [("mini", version, origin.ref(pinned))]


def test_the_lock_pins_the_commit_and_a_moved_branch_stops_the_gate(run: Any, origin: Origin) -> None:
    assert run("pack", "lock", "--pack", origin.ref("main")).exit_code == 0
    lock = json.loads(Path("govcheck.lock").read_text())
    assert [p["source"] for p in lock["packs"]] == [origin.ref(origin.main)]
    assert run("check", "--pack", origin.ref("main"), "--locked", "pilot.yaml").exit_code == 0
    (origin.work / "README.md").write_text("the pack file itself is unchanged\n")
    moved = commit(origin, "a readme")
    result = run("check", "--pack", origin.ref("main"), "--locked", "pilot.yaml")
    assert result.exit_code == 2 and result.stdout == ""
    assert (
        f"govcheck.lock: pack mini is locked at {origin.ref(origin.main)}"
        f" but in use from {origin.ref(moved)}:"
        " the branch or tag it names has moved since the lock was written" in result.stderr
    )
    shutil.rmtree(origin.bare)  # the locked commit is in the cache: no remote needed
    assert run("check", "--pack", origin.ref(origin.main), "--locked", "pilot.yaml").exit_code == 0


def test_a_configuration_may_add_a_pack_from_git(run: Any, origin: Origin) -> None:
    write(
        origin.work / "packs" / "extra" / "pack.yaml",
        "apiVersion: govcheck/v1\nkind: PolicyPack\nmetadata: {name: extra, version: '1'}\n"
        "rules:\n  - {id: EXT-001, title: t, category: data, severity: warning, message: needs retention,"
        " check: {present: spec.data.retention_days}}\n",
    )
    head = commit(origin, "an extra pack")
    write(Path(".govcheck.yaml"), f"packs: ['{origin.ref('main', 'packs/extra')}']\n")
    result = run("check", "--pack", origin.ref("v1"), "--format", "json", "pilot.yaml")
    assert packs(result) == [
        ("mini", "0.1.0", origin.ref(origin.v1)),
        ("extra", "1", origin.ref(head, "packs/extra")),
    ]


@pytest.mark.parametrize(
    ("ref", "said"),
    [
        ("git+ext::sh -c 'touch marker'", "not a git pack reference"),
        ("{url}@--upload-pack=touch marker", "not a git pack reference"),
        ("{url}@--upload-pack=touch", "is not a branch, a tag or a commit id"),
        ("{url}@v1#../..", "must be a path inside the repository"),
        ("{url}@v9#packs/mini", "couldn't find remote ref v9"),
        ("{url}@v1#packs", "no pack.yaml at #packs of commit"),
    ],
)
def test_bad_references_are_exit_2_naming_the_reference_and_run_nothing(
    run: Any, origin: Origin, ref: str, said: str
) -> None:
    ref = ref.format(url=f"git+{origin.url}")
    result = run("check", "--pack", ref, "pilot.yaml")
    assert result.exit_code == 2 and ref in result.stderr and said in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert not Path("marker").exists() and not (origin.bare / "marker").exists()
