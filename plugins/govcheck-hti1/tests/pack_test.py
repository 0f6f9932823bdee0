"""The onc-hti1 pack against its fixture manifests, and end to end through installed govcheck.

Fixtures are files: ``fixtures/pass/*.yaml`` must give no finding at all;
``fixtures/fail/<RULE>[-case].yaml`` must fail that rule and no other, at exactly the paths
its ``# expect:`` lines name. Every rule of the pack has at least one of each.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

pytest.importorskip(
    "govcheck_hti1", reason="govcheck-hti1 is not installed (pip install ./plugins/govcheck-hti1)"
)

import govcheck_hti1  # noqa: E402
from govcheck.api import CheckSettings, run_check  # noqa: E402
from govcheck.model import RunResult  # noqa: E402
from govcheck.plugins import load_registry  # noqa: E402

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PASS = sorted((FIXTURES / "pass").glob("*.yaml"))
FAIL = sorted((FIXTURES / "fail").glob("*.yaml"))
TODAY = dt.date(2026, 11, 25)
RULE = re.compile(r"^[A-Z][A-Z0-9]*-[0-9]{3}")
installed = pytest.mark.skipif(
    "govcheck_hti1" not in {ep.name for ep in entry_points(group="govcheck")},
    reason="the govcheck-hti1 distribution is not installed (its 'govcheck' entry point is missing)",
)


def _check(path: Path) -> RunResult:
    settings = CheckSettings(
        paths=(str(path),),
        packs=("onc-hti1",),
        plugins=("govcheck_hti1",),
        today=TODAY,
        cwd=path.parent,
        jobs=1,
    )
    return run_check(settings)


def _rules() -> list[str]:
    policy = run_check(
        CheckSettings(
            paths=(str(PASS[0]),),
            packs=("onc-hti1",),
            plugins=("govcheck_hti1",),
            today=TODAY,
            cwd=FIXTURES,
            jobs=1,
        )
    )
    return sorted(r.id for r in policy.rules)


@pytest.mark.parametrize("path", PASS, ids=[p.stem for p in PASS])
def test_pass_fixture_has_no_finding(path: Path) -> None:
    result = _check(path)
    assert [(f.rule, f.path, f.message) for f in result.findings] == []


@pytest.mark.parametrize("path", FAIL, ids=[p.stem for p in FAIL])
def test_fail_fixture_fails_its_rule_at_the_expected_paths(path: Path) -> None:
    match = RULE.match(path.stem)
    assert match, (
        f"{path.name}: a fail fixture is named after its rule, e.g. HTI-011.yaml or HTI-011-case.yaml"
    )
    expected = sorted(
        line.split(":", 1)[1].strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("# expect:")
    )
    assert expected, f"{path.name}: name the failing paths with '# expect: <path>' lines"
    result = _check(path)
    assert sorted((f.rule, f.path) for f in result.findings) == [(match.group(0), p) for p in expected]


def test_every_rule_has_a_passing_and_a_failing_fixture() -> None:
    rules = _rules()
    passed = {o.rule for p in PASS for m in _check(p).manifests for o in m.outcomes if o.status == "pass"}
    failed = {RULE.match(p.stem).group(0) for p in FAIL}  # type: ignore[union-attr]
    assert [r for r in rules if r not in passed] == []
    assert [r for r in rules if r not in failed] == []


def _govcheck(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    return subprocess.run(
        [sys.executable, "-m", "govcheck", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@installed
def test_installed_plugin_offers_the_pack_through_its_entry_point() -> None:
    registry = load_registry()
    assert registry.pack_sources()["onc-hti1"].path == govcheck_hti1.PACK_PATH
    assert registry.provider("pack", "onc-hti1") == "govcheck-hti1[govcheck_hti1]"
    assert registry.provider("check", "hti1_source_attributes") == "govcheck-hti1[govcheck_hti1]"


@installed
def test_govcheck_check_with_the_installed_pack(tmp_path: Path) -> None:
    (tmp_path / "pass.yaml").write_bytes((FIXTURES / "pass" / "predictive-complete.yaml").read_bytes())
    failing = (FIXTURES / "fail" / "HTI-011.yaml").read_bytes()
    # Another pilot: two manifests with one metadata.id in a run are GC-DUPLICATE-ID errors.
    (tmp_path / "fail.yaml").write_bytes(failing.replace(b"id: sepsis-early-warning", b"id: sepsis-alerts"))
    ok = _govcheck(
        "check", "--pack", "onc-hti1", "--today", TODAY.isoformat(), "--no-config", "pass.yaml", cwd=tmp_path
    )
    assert (ok.returncode, ok.stderr) == (0, "")
    failed = _govcheck(
        "check",
        "--pack",
        "onc-hti1",
        "--today",
        TODAY.isoformat(),
        "--no-config",
        "--format",
        "json",
        "pass.yaml",
        "fail.yaml",
        cwd=tmp_path,
    )
    assert failed.returncode == 1, failed.stderr
    findings = json.loads(failed.stdout)["findings"]
    assert [(f["file"], f["rule"], f["path"]) for f in findings] == [
        ("fail.yaml", "HTI-011", "spec.governance.regulatory.x-hti1.source_attributes.details.output_type")
    ]
    assert findings[0]["references"] == [
        "ONC HTI-1 170.315(b)(11)(iv)(B)(1)(i)",
        "ONC HTI-1 170.315(b)(11)(iv)(B)(1)(ii)",
        "ONC HTI-1 170.315(b)(11)(iv)(B)(1)(iii)",
        "ONC HTI-1 170.315(b)(11)(iv)(B)(1)(iv)",
    ]


@installed
def test_govcheck_packs_lists_the_plugin_pack(tmp_path: Path) -> None:
    listed = _govcheck("packs", cwd=tmp_path)
    if "No such command" in listed.stderr:
        pytest.skip("this govcheck has no 'packs' command; the registry test above covers the listing")
    assert listed.returncode == 0, listed.stderr
    line = next((line for line in listed.stdout.splitlines() if "onc-hti1" in line), "")
    assert "govcheck-hti1" in line, listed.stdout
