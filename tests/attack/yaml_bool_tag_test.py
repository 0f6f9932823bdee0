"""``!!bool`` with a false word must not read as true.

load/yaml.py resolves ``!!bool`` text it does not know with ``bool(text)``: ``!!bool no`` and
``!!bool off`` become True, while PyYAML and ruamel's safe loader read both as False.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import MINI, TODAY, manifest, write

DAY = TODAY.isoformat()


def review(run: Any, tmp_path: Path, written: str) -> Any:
    doc = manifest(**{"spec.risk_tier": "high", "spec.workflow.human_review": {"required": "@@"}})
    text = json.dumps(doc, indent=1).replace('"@@"', written)
    file = write(tmp_path / "pilot.yaml", text)
    return run("check", "--pack", MINI, "--today", DAY, "-q", str(file))


def test_plain_false_fails(run: Any, tmp_path: Path) -> None:
    result = review(run, tmp_path, "false")
    assert result.exit_code == 1 and "error WF-001" in result.stdout


@pytest.mark.parametrize("written", ["!!bool no", "!!bool off", "!!bool '0'", "!!bool 'False '"])
@pytest.mark.xfail(strict=True, reason="hole: !!bool no/off/0 is read as true, human review passes")
def test_a_tagged_false_word_is_not_true(run: Any, tmp_path: Path, written: str) -> None:
    result = review(run, tmp_path, written)
    assert result.exit_code == 1 and "error WF-001" in result.stdout
