from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from tests.helpers import MINI, manifest, write

BAD_INPUTS = {
    "broken.yaml": (
        b"apiVersion: govcheck/v1\nkind: AIPilot\nmetadata: {id: x\n",
        "broken.yaml:4:1: error GC-PARSE invalid YAML",
    ),
    "binary.yaml": (b"\xff\xfe\x00binary", "binary.yaml:1:1: error GC-PARSE not UTF-8 text"),
    "empty.yaml": (b"", "empty.yaml:1:1: error GC-PARSE the file is empty"),
    "kind.yaml": (
        b"apiVersion: govcheck/v1\nkind: PolicyPack\n",
        "kind.yaml:2:1: error GC-KIND not a pilot manifest: kind is 'PolicyPack'",
    ),
    "tag.yaml": (
        b'apiVersion: govcheck/v1\nkind: AIPilot\nmetadata: !!python/object/apply:os.system ["true"]\n',
        "tag.yaml:3:11: error GC-PARSE unsupported YAML tag !!python/object/apply:os.system",
    ),
    "dup.yaml": (
        b"apiVersion: govcheck/v1\nkind: AIPilot\nmetadata: {id: a}\nmetadata: {id: b}\n",
        "dup.yaml:4:1: error GC-PARSE duplicate key 'metadata'",
    ),
    "aliases.yaml": (
        (
            "a: &a [1,1,1,1,1,1,1,1,1]\n"
            + "".join(
                f"{n}: &{n} [" + ",".join([f"*{p}"] * 9) + "]\n"
                for p, n in zip("abcdef", "bcdefg", strict=True)
            )
        ).encode(),
        "aliases.yaml:1:10: error GC-PARSE more than 100,000 values (aliases included);"
        " refusing a possible alias bomb",
    ),
    "deep.yaml": (
        b"[" * 100_000 + b"]" * 100_000,
        "deep.yaml:1:65: error GC-PARSE nested deeper than 64 levels",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_manifests_are_findings_not_crashes(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    raw, expected = BAD_INPUTS[name]
    (tmp_path / name).write_bytes(raw)
    monkeypatch.chdir(tmp_path)
    started = time.monotonic()
    result = run("check", "--pack", MINI, "-q", name)
    assert time.monotonic() - started < 2
    assert result.exit_code == 1
    assert result.stdout.startswith(expected)
    assert result.stdout.count("\n") == 1 and "Traceback" not in result.stdout + result.stderr


def test_other_files_are_still_checked_after_a_bad_one(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a.yaml", "kind: AIPilot\nbroken: [\n")
    write(tmp_path / "b.yaml", manifest(**{"spec.success_metrics": [{"name": "x", "unit": "days"}]}))
    result = run("check", "--pack", MINI, "-q", ".")
    assert [line.split(" ")[2] for line in result.stdout.splitlines()] == ["GC-PARSE", "MET-002"]


def test_directory_scan_skips_yaml_that_is_not_a_manifest(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "ci.yaml", "jobs: {build: {}}\n")
    write(tmp_path / "docs" / "bad.yml", "a: [\n")
    write(tmp_path / "pilots" / "p.yaml", manifest())
    result = run("check", "--pack", MINI, "--today", "2026-11-25", ".")
    assert result.exit_code == 0
    assert result.stdout == "1 manifest(s) checked, 0 with findings: 0 error(s), 0 warning(s), 0 info\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--pack", "no-such-pack"), "no policy pack 'no-such-pack'"),
        (("--format", "xml"), "unknown --format 'xml'; available:"),
        (("--stage", "launch"), "--stage 'launch' is not a stage of the loaded packs"),
        (("--today", "tomorrow"), "'tomorrow' is not a date; use YYYY-MM-DD"),
        (("missing.yaml",), "missing.yaml: no such file or directory"),
        (("--plugin", "no_such_module_x"), "cannot import plugin module 'no_such_module_x'"),
    ],
)
def test_usage_errors_exit_2_with_one_message(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "p.yaml", manifest())
    result = run(
        "check",
        *(args if "--pack" in args else ("--pack", MINI, *args)),
        *(() if "missing.yaml" in args else ("p.yaml",)),
    )
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("pack", "expected"),
    [
        (
            "rules:\n  - id: BAD-001\n    title: t\n    category: data\n    severity: error\n    message: m\n"
            '    check: {expr: "spec.["}\n',
            "pack.yaml:11:5: pack broken → rule BAD-001 → check → expr: invalid JMESPath",
        ),
        (
            "rules:\n  - id: BAD-001\n    title: t\n    category: data\n    severity: error\n    message: m\n"
            "    check: {exists: spec.x}\n",
            "pack.yaml:11:5: pack broken → rule BAD-001 → check names no known check (keys: exists)",
        ),
        ("rules:\n  - id: bad\n", "pack.yaml:6:5: rules[0].id: 'bad' does not match"),
    ],
)
def test_a_broken_pack_exits_2_naming_file_and_line(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pack: str, expected: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path / "pack.yaml",
        "apiVersion: govcheck/v1\nkind: PolicyPack\nmetadata: {name: broken, version: '1'}\n"
        "tiers: [low, high]\n" + pack,
    )
    write(tmp_path / "p.yaml", manifest())
    result = run("check", "--pack", "pack.yaml", "p.yaml")
    assert result.exit_code == 2
    assert expected in result.stderr, result.stderr


def test_json_output_validates_and_is_byte_identical(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, root: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path / "a.yaml", manifest(**{"spec.ownership": None, "spec.monitoring.last_review": "2020-01-01"})
    )
    write(tmp_path / "b.yaml", manifest(**{"metadata.id": "Bad_Id", "spec.risk_tier": "hgih"}))
    args = ("check", "--pack", MINI, "--today", "2026-11-25", "--format", "json", ".")
    first, second = run(*args), run(*args)
    assert first.exit_code == 1 and first.stdout == second.stdout
    report = json.loads(first.stdout)
    schema = json.loads((root / "schemas" / "findings.schema.json").read_text())
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(report)
    assert [f["rule"] for f in report["findings"]] == ["OWN-003", "MON-002", "META-001", "GC-SCHEMA"]
    statuses = {o["rule"]: o["status"] for o in report["manifests"][0]["outcomes"]}
    assert (
        statuses["OWN-003"] == "fail"
        and statuses["META-001"] == "pass"
        and statuses["WF-001"] == "not-applicable"
    )


def test_output_file_fail_on_and_quiet(run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "p.yaml", manifest(**{"spec.monitoring.last_review": "2020-01-01"}))  # one warning
    assert run("check", "--pack", MINI, "p.yaml").exit_code == 0
    assert run("check", "--pack", MINI, "--fail-on", "warning", "p.yaml").exit_code == 1
    result = run("check", "--pack", MINI, "--format", "json", "--output", "out.json", "p.yaml")
    assert result.stdout == "" and json.loads((tmp_path / "out.json").read_text())["summary"]["warning"] == 1
    quiet = run("check", "--pack", MINI, "-q", "--today", "2026-11-25", "p.yaml")
    assert quiet.stdout.startswith("p.yaml:") and quiet.stdout.count("\n") == 1


def test_text_output_with_fix_hint_and_colour_rules(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path / "p.yaml",
        "apiVersion: govcheck/v1\nkind: AIPilot\nmetadata: {id: p}\nspec:\n  risk_tier: moderate\n"
        "  stage: expansion\n  ownership: {}\n  data: {quality_checks: [{name: completeness}]}\n"
        "  monitoring: {last_review: 2026-11-01}\n",
    )
    result = run("check", "--pack", MINI, "--today", "2026-11-25", "p.yaml")
    assert result.stdout == (
        "p.yaml:7:3: error OWN-003 A moderate pilot at stage expansion must name who owns it after launch "
        "(spec.ownership.post_launch_owner.name: missing)\n"
        "  fix:\n    spec:\n      ownership:\n        post_launch_owner: {name: <name>, role: <role>}\n"
        "1 manifest(s) checked, 1 with findings: 1 error(s), 0 warning(s), 0 info\n"
    )
    coloured = run("check", "--pack", MINI, "--color", "always", "p.yaml")
    assert "\x1b[31merror\x1b[0m" in coloured.stdout
    assert "\x1b[" not in run("check", "--pack", MINI, "p.yaml").stdout  # not a terminal


def test_version(run: Any) -> None:
    from govcheck import __version__

    result = run("--version")
    assert result.exit_code == 0 and result.stdout == f"govcheck, version {__version__}\n"


def test_real_subprocess_exit_codes_and_no_colour(tmp_path: Path) -> None:
    write(tmp_path / "ok.yaml", manifest())
    write(tmp_path / "bad.yaml", manifest(**{"metadata.id": "Bad Id"}))
    env = {**os.environ, "NO_COLOR": "1"}

    def govcheck(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "govcheck", "check", "--pack", MINI, "--today", "2026-11-25", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )

    ok = govcheck("ok.yaml")
    assert (ok.returncode, ok.stderr) == (0, "")
    bad = govcheck("bad.yaml")
    assert (
        bad.returncode == 1
        and bad.stdout.startswith("bad.yaml:5:3: error META-001")
        and "META-001" in bad.stdout
    )
    broken = govcheck("--pack", str(tmp_path / "nope.yaml"), "ok.yaml")
    assert broken.returncode == 2 and "Traceback" not in broken.stderr and broken.stdout == ""


def test_a_bare_pack_name_is_never_a_file_in_the_repository(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pilot repository cannot swap the gate's pack by shipping a directory of the same name."""
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path / "mini" / "pack.yaml",
        "apiVersion: govcheck/v1\nkind: PolicyPack\nmetadata: {name: mini, version: '0'}\nrules: []\n",
    )
    write(tmp_path / "p.yaml", manifest())
    result = run("check", "--pack", "mini", "p.yaml")
    assert result.exit_code == 2
    assert "no policy pack 'mini': not an installed pack name" in result.stderr
    assert "give a path as ./mini to load a local pack" in result.stderr
    assert run("check", "--pack", "./mini", "p.yaml").exit_code == 0


def test_finding_no_manifest_is_said_on_stderr(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "ci.yaml", "jobs: {}\n")
    result = run("check", "--pack", MINI, ".")
    assert result.exit_code == 1  # a gate that checked nothing has not passed
    assert result.stderr == (
        "govcheck: no pilot manifests (kind: AIPilot) found in .; nothing was checked"
        " (--allow-empty accepts that)\n"
    )
    allowed = run("check", "--pack", MINI, "--allow-empty", ".")
    assert allowed.exit_code == 0
    assert allowed.stderr == "govcheck: warning: no pilot manifests (kind: AIPilot) found in .\n"
