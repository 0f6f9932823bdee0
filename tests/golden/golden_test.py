"""Every report format of every case under tests/golden/ matches its expected file.

A case is a directory: input manifests, usually a small pack, ``case.json`` with the
arguments of ``govcheck check`` and the expected exit code, and ``expected.<ext>`` per
format. The CLI runs from inside a copy of the case directory, so paths in reports are
relative to it, and outside any git work tree: the provenance of the json and sarif reports
says no commit, as it would for an unpacked sdist, instead of the commit this checkout is at.
The plugins it lists are fixed ones (``PLUGINS``), not whichever happen to be installed.
``pytest --update-golden`` rewrites the expected files. A directory without ``case.json``
(``constructed/``) holds the outputs of a RunResult built in tests/unit/report_test.py.
``.gitignore`` ignores ``*.sarif`` (CI output): add a new ``expected.sarif`` with ``git add -f``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from govcheck.history import provenance

HERE = Path(__file__).resolve().parent
PLUGINS = (("govcheck-evidence", "0.1.0"), ("govcheck-hti1", "0.1.0"))
TODAY = "2026-11-25"
FORMATS = {
    "text": "expected.txt",
    "json": "expected.json",
    "sarif": "expected.sarif",
    "junit": "expected.xml",
    "github": "expected.github",
    "gitlab": "expected.gitlab.json",
}
CASES = sorted(d.name for d in HERE.iterdir() if (d / "case.json").is_file())


def test_cases_are_discovered() -> None:
    assert {"clean", "mixed"} <= set(CASES)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("case", CASES)
def test_golden(
    case: str, fmt: str, run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, update_golden: bool
) -> None:
    directory = HERE / case
    spec = json.loads((directory / "case.json").read_text(encoding="utf-8"))
    inputs = shutil.copytree(directory, tmp_path / case, ignore=shutil.ignore_patterns("expected.*"))
    assert provenance.checked_tree(["."], inputs) is None, "the copy must be outside any git work tree"
    monkeypatch.setattr(provenance, "plugins", lambda registry: PLUGINS)
    monkeypatch.chdir(inputs)
    result = run("check", "--today", TODAY, "--format", fmt, *spec["args"])
    assert result.stderr == ""
    assert result.exit_code == spec["exit_code"], result.output
    expected = directory / FORMATS[fmt]
    if update_golden:
        expected.write_text(result.stdout, encoding="utf-8", newline="\n")
    assert expected.is_file(), f"{expected} is missing; run pytest --update-golden"
    assert result.stdout == expected.read_text(encoding="utf-8")
