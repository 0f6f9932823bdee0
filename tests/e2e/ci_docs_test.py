"""Every YAML snippet in docs/ci.md parses, and every govcheck command in it works."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from govcheck.load.yaml import load_all

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
SNIPPETS = re.findall(r"```yaml\n(.*?)```", DOC, flags=re.S)
COMMANDS = sorted({m.strip() for s in SNIPPETS for m in re.findall(r"(govcheck check[^\n]*)", s)})


def test_the_guide_has_snippets_for_each_ci_system() -> None:
    assert len(SNIPPETS) >= 5
    for needle in ("upload-sarif", "codequality:", "PublishTestResults", "id: govcheck"):
        assert any(needle in s for s in SNIPPETS), needle


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[f"snippet{i}" for i in range(len(SNIPPETS))])
def test_snippets_are_valid_yaml(snippet: str) -> None:
    (doc,) = load_all(snippet, "docs/ci.md")
    assert isinstance(doc.data, (dict, list))


@pytest.mark.parametrize("command", COMMANDS)
def test_commands_in_the_guide_work(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    (tmp_path / "governance").mkdir()
    (tmp_path / "governance" / "waivers.yaml").write_text(
        "apiVersion: govcheck/v1\nkind: WaiverSet\nwaivers: []\n"
    )
    (tmp_path / "governance" / "packs" / "org").mkdir(parents=True)  # the central gate's own pack
    (tmp_path / "governance" / "packs" / "org" / "pack.yaml").write_text(
        "apiVersion: govcheck/v1\nkind: PolicyPack\nmetadata: {name: org, version: '1'}\n"
        "extends: [healthcare-ai-baseline]\nrules: []\n"
    )
    monkeypatch.chdir(tmp_path)
    args = shlex.split(command)[1:]
    result = run(*args)
    assert result.exit_code in (0, 1), result.stderr
    assert "examples/failing/pilot.yaml:" in result.stdout
    for option in re.findall(r"--format (\w+)=(\S+)", command):
        name, file = option
        text = (tmp_path / file).read_text(encoding="utf-8")
        if name in ("sarif", "gitlab"):
            assert json.loads(text)
        elif name == "junit":
            assert ET.fromstring(text).tag in ("testsuites", "testsuite")
        else:
            assert text.startswith("::")
