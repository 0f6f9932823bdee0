"""A repository's own configuration must not leave its failing manifests unjudged.

docs/ci.md: nothing the checked repository keeps (its configuration included) can make a
manifest pass that the same command fails without it. ``exclude:`` in ``.govcheck.yaml`` does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import MINI, TODAY, manifest, write

DAY = TODAY.isoformat()


def test_configured_exclude_cannot_turn_a_failing_run_green(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "pilot-repo"
    (repo / ".git").mkdir(parents=True)
    write(repo / "pilot.yaml", manifest())
    failing = manifest(**{"metadata.id": "legacy", "spec.ownership.post_launch_owner": None})
    write(repo / "team" / "legacy" / "pilot.yaml", failing)
    monkeypatch.chdir(repo)
    without = run("check", "--pack", MINI, "--today", DAY, "--no-config", ".")
    assert without.exit_code == 1 and "OWN-003" in without.stdout
    write(repo / ".govcheck.yaml", "exclude:\n  - team/legacy/\n")
    with_config = run("check", "--pack", MINI, "--today", DAY, ".")
    assert with_config.exit_code != 0
