"""docs/editors.md says what govcheck does: its JSON settings parse, its modeline is the one
``govcheck init`` writes, and the server command it configures is ``govcheck lsp``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from govcheck.authoring.schemas import EDITOR_FILE, MODELINE

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "editors.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("snippet", re.findall(r"```json\n(.*?)```", DOC, re.S))
def test_the_json_settings_parse(snippet: str) -> None:
    assert isinstance(json.loads(snippet), dict)


def test_the_modeline_and_the_schema_file_are_init_s() -> None:
    assert f"```yaml\n# {MODELINE}\n```" in DOC
    assert f"govcheck schema manifest > {EDITOR_FILE}" in DOC


def test_every_client_runs_govcheck_lsp() -> None:
    assert '"glspc.serverCommand": "govcheck",\n     "glspc.serverCommandArguments": ["lsp"]' in DOC
    assert DOC.count('cmd = { "govcheck", "lsp" }') == 2
