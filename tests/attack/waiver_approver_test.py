"""A waiver's approved_by must name an approver, judged as strictly as manifest text is.

lang/values.py turns away ``(TBD)``, ``TBD.``, ``TBC``, ``FIXME``, ``<slot>`` and ``TBD ...``,
and waivers.py asks it, so none of those spellings approves a waiver.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import MINI, TODAY, manifest, write

DAY = TODAY.isoformat()
WAIVER = (
    "apiVersion: govcheck/v1\nkind: WaiverSet\nwaivers:\n  - {{rule: OWN-003, pilot: denials-triage,"
    ' reason: we will name one, status: approved, approved_by: "{who}", approved_on: 2026-11-01,'
    " expires: 2026-12-31}}\n"
)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = tmp_path / "pilot-repo"
    (repo / ".git").mkdir(parents=True)
    write(repo / "pilot.yaml", manifest(**{"spec.ownership.post_launch_owner": None}))
    monkeypatch.chdir(repo)
    return repo


def test_a_real_approver_still_waives(run: Any, repo: Path) -> None:
    write(repo / ".govcheck-waivers.yaml", WAIVER.format(who="AI Governance Committee"))
    assert run("check", "--pack", MINI, "--today", DAY, "pilot.yaml").exit_code == 0


@pytest.mark.parametrize("who", ["(TBD)", "TBD.", "N/A.", "TBC", "FIXME", "<approver>", "TBD - board"])
def test_a_placeholder_approver_in_any_spelling_is_no_approval(run: Any, repo: Path, who: str) -> None:
    write(repo / ".govcheck-waivers.yaml", WAIVER.format(who=who))
    result = run("check", "--pack", MINI, "--today", DAY, "-q", "pilot.yaml")
    assert result.exit_code == 1 and "error OWN-003" in result.stdout
