"""``!!bool`` with a false word must not read as true.

load/yaml.py resolves ``!!bool`` text it does not know with ``bool(text)``: ``!!bool no`` and
``!!bool off`` become True, while PyYAML and ruamel's safe loader read both as False.
Any reading of a YAML 1.1 word is a guess, so a ``!!bool`` that is not true or false is a
located parse error: the manifest fails, and the message says what to write.
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
def test_a_tagged_false_word_is_not_true(run: Any, tmp_path: Path, written: str) -> None:
    result = review(run, tmp_path, written)
    assert result.exit_code == 1
    assert "error GC-PARSE !!bool value" in result.stdout and "write true or false" in result.stdout


@pytest.mark.parametrize("written", ["!!bool true", "!!bool True", "!!bool FALSE"])
def test_a_tagged_yaml_boolean_is_read(run: Any, tmp_path: Path, written: str) -> None:
    result = review(run, tmp_path, written)
    assert ("error WF-001" in result.stdout) == written.endswith("FALSE")
    assert "GC-PARSE" not in result.stdout
