"""What ``govcheck check one.yaml`` imports: only what a one-file check needs.

A pre-commit hook starts govcheck on every commit, so each module it imports is paid for every
time. Each test runs a check in a fresh interpreter and reads ``sys.modules`` afterwards.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]
PROBE = """
import sys
from govcheck.cli import main
try:
    main(sys.argv[2:])
except SystemExit:
    pass
watched = tuple(sys.argv[1].split(","))
print("LOADED", sorted(m for m in sys.modules if m.split(".")[0] in watched or m in watched), file=sys.stderr)
"""


def loaded(watched: tuple[str, ...], *args: str, cwd: Path = ROOT) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(watched), "check", "--today", "2026-11-25", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
    shown = done.stderr.rpartition("LOADED ")[2].strip()
    assert shown.startswith("["), done.stderr
    return list(ast.literal_eval(shown))


def test_a_failing_schema_rule_is_worded_without_jsonschema() -> None:
    # examples/failing fails schema checks of the default pack: their errors are worded too.
    assert loaded(("jsonschema", "referencing", "attrs"), "examples/failing/pilot.yaml") == []


def test_a_valid_pyproject_table_is_read_without_jsonschema(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.govcheck]\nfail_on = "warning"\n', encoding="utf-8")
    (tmp_path / "pilot.yaml").write_text((ROOT / "examples/ready/pilot.yaml").read_text(encoding="utf-8"))
    assert loaded(("jsonschema",), "pilot.yaml", cwd=tmp_path) == []


def test_a_check_imports_no_other_command() -> None:
    from govcheck.cli import COMMANDS

    others = tuple(target.partition(":")[0] for name, target in COMMANDS.items() if name != "check")
    assert loaded(others, "examples/ready/pilot.yaml") == []


def test_a_passing_file_loads_nothing_only_other_paths_need() -> None:
    only_elsewhere = (
        "govcheck.baseline",  # --baseline
        "govcheck.packs.tighten",  # packs added by a configuration
        "govcheck.history",  # --record, provenance
        "govcheck.portfolio",
        "govcheck.authoring",
        "tarfile",  # packs from git, with tempfile and shutil (and through it bz2 and lzma)
        "tempfile",
        "shutil",
        "difflib",  # did-you-mean for a rejected word
        "calendar",  # the wording of a date that does not exist
        "traceback",  # --traceback
        "multiprocessing",  # --jobs
        "pickle",  # with zlib, packed results: a run of more than one chunk, or with workers
        "zlib",
        "concurrent",
    )
    assert loaded(only_elsewhere, "examples/ready/pilot.yaml") == []


DATACLASSES = """
import dataclasses, sys
from govcheck.cli import main
try:
    main(["check", "--today", "2026-11-25", "examples/failing/pilot.yaml"])
except SystemExit:
    pass
found = sorted(
    f"{name}.{key}"
    for name, module in list(sys.modules.items())
    if name.split(".")[0] in ("govcheck", "govcheck_evidence", "govcheck_hti1")
    for key, value in vars(module).items()
    if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == name
)
print("FOUND", found, file=sys.stderr)
"""

# Each dataclass costs about half a millisecond to define. The ones a check defines are the types
# of the public API (what run_check, load_policy and plugins see) and load/'s; a record only one
# module reads is a NamedTuple or a plain class.
PUBLIC = {
    "govcheck.api.CheckSettings",
    "govcheck.errors.Problem",
    *(f"govcheck.interfaces.{n}" for n in ("CheckContext", "CheckSpec", "Failure", "PackSource")),
    *(f"govcheck.interfaces.{n}" for n in ("ReportOptions", "ReporterSpec")),
    "govcheck.lang.fieldpath.FieldPath",
    *(
        f"govcheck.model.{n}"
        for n in ("BaselineEntry", "BaselineUse", "Finding", "ManifestResult", "Outcome")
    ),
    *(f"govcheck.model.{n}" for n in ("PackInfo", "Provenance", "Recorded", "RuleInfo", "RunResult")),
    "govcheck.model.Suppression",
    "govcheck.packs.policy.Policy",
    "govcheck.packs.rules.CompiledRule",
    "govcheck.packs.rules.TieringRule",
}


def test_the_dataclasses_a_check_defines_are_public_types() -> None:
    done = subprocess.run(
        [sys.executable, "-c", DATACLASSES], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    found = set(ast.literal_eval(done.stderr.rpartition("FOUND ")[2].strip()))
    assert {name for name in found if not name.startswith("govcheck.load.")} <= PUBLIC
