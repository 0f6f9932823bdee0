"""The onc-hti1 pack against its fixture manifests, and end to end through installed govcheck.

The fixtures ship with the pack, in ``packs/onc-hti1/tests/``, in the layout ``govcheck pack
test`` reads: each carries an ``x-fixture`` block with every rule's expected outcome, so
``govcheck pack test --strict`` on the pack runs them as it runs the shipped packs'. Here they
are held to more: ``tests/pass/*.yaml`` must give no finding at all;
``tests/fail/<RULE>[-case].yaml`` must fail that rule and no other, at exactly the paths its
``# expect:`` lines name. Every rule of the pack has at least one of each.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import zipfile
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from ruamel.yaml import YAML

pytest.importorskip(
    "govcheck_hti1", reason="govcheck-hti1 is not installed (pip install ./plugins/govcheck-hti1)"
)

import govcheck_hti1  # noqa: E402
from govcheck.api import CheckSettings, run_check  # noqa: E402
from govcheck.authoring import docs as pack_docs  # noqa: E402
from govcheck.authoring import packtest  # noqa: E402
from govcheck.authoring.loading import pack_at  # noqa: E402
from govcheck.model import RunResult  # noqa: E402
from govcheck.plugins import load_registry  # noqa: E402

PACK_DIR = govcheck_hti1.PACK_PATH.parent
FIXTURES = PACK_DIR / "tests"
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


def test_pack_test_strict_runs_every_fixture_and_shows_every_rule_both_ways() -> None:
    """What ``govcheck pack test --strict`` on the pack directory reports, without the entry point."""
    registry = load_registry(("govcheck_hti1",))
    _, policy = pack_at(PACK_DIR, registry, PACK_DIR)
    report = packtest.run_tests(policy, FIXTURES, PACK_DIR, TODAY)
    assert report.errors == () and [r for r in report.results if not r.ok] == []
    assert (report.never_pass, report.never_fail) == ((), ())
    assert report.files == len(PASS) + len(FAIL) and report.exit_code(strict=True) == 0


def test_every_fail_fixture_expects_its_own_rule_to_fail_and_the_others_not() -> None:
    """A fail fixture is a passing manifest with one thing changed: the x-fixture says so."""
    registry = load_registry(("govcheck_hti1",))
    _, policy = pack_at(PACK_DIR, registry, PACK_DIR)
    rules = sorted(r.info.id for r in policy.rules)
    report = packtest.run_tests(policy, FIXTURES / "fail", PACK_DIR, TODAY)
    for path in FAIL:
        mine = [r for r in report.results if Path(r.file).name == path.name]
        own = RULE.match(path.stem).group(0)  # type: ignore[union-attr]
        assert sorted(r.rule for r in mine) == rules, f"{path.name}: expect every rule's outcome"
        assert [r.rule for r in mine if r.expected.startswith("fail")] == [own], path.name


def test_every_rule_says_which_scale_problem_it_addresses() -> None:
    """Documentation duties of a DSI are governance; the pack docs list the rules under each item."""
    registry = load_registry(("govcheck_hti1",))
    _, policy = pack_at(PACK_DIR, registry, PACK_DIR)
    raw = {r["id"]: r for r in YAML(typ="safe").load(govcheck_hti1.PACK_PATH.read_text("utf-8"))["rules"]}
    assert sorted(raw) == sorted(r.info.id for r in policy.rules)
    assert [rule for rule, spec in raw.items() if "reason:governance" not in spec.get("addresses", ())] == []
    docs = pack_docs.render(*pack_at(PACK_DIR, registry, PACK_DIR), registry.checks())
    section = docs[docs.index("`reason:governance`") :]
    section = section[: section.index("`question:governance`")]
    assert [rule for rule in raw if f"[{rule}]" not in section] == []


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
def test_govcheck_pack_test_strict_on_the_installed_pack(tmp_path: Path) -> None:
    done = _govcheck("pack", "test", "--strict", str(PACK_DIR), cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, ""), done.stdout
    assert done.stdout.splitlines()[-1].endswith(f"in {len(PASS) + len(FAIL)} fixture file(s)")
    assert "FAILED" not in done.stdout and "no fixture" not in done.stdout


@pytest.mark.slow
def test_the_wheel_ships_the_pack_with_its_fixtures(tmp_path: Path) -> None:
    """``pack test`` on an installed plugin finds the fixtures beside the pack, as for the baseline."""
    plugin = Path(__file__).resolve().parents[1]
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(plugin)],
        check=True,
        timeout=600,
    )
    (wheel,) = tmp_path.glob("govcheck_hti1-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"govcheck_hti1/packs/onc-hti1/{p.relative_to(PACK_DIR).as_posix()}" for p in PASS + FAIL}
    assert "govcheck_hti1/packs/onc-hti1/pack.yaml" in names and shipped <= names


@installed
def test_govcheck_packs_lists_the_plugin_pack(tmp_path: Path) -> None:
    listed = _govcheck("packs", cwd=tmp_path)
    if "No such command" in listed.stderr:
        pytest.skip("this govcheck has no 'packs' command; the registry test above covers the listing")
    assert listed.returncode == 0, listed.stderr
    line = next((line for line in listed.stdout.splitlines() if "onc-hti1" in line), "")
    assert "govcheck-hti1" in line, listed.stdout
