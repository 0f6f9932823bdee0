"""A repository's configuration cannot make a manifest pass that the same command fails without it.

Each hole: the manifest fails without the configuration (exit 1); a configuration-added pack
that would have let it pass is refused (exit 2), naming the configuration file, the pack, the
rule and the parameter.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import MINI, TODAY, manifest, write

ROOT = Path(__file__).resolve().parents[2]
GATE = ("check", "--pack", MINI, "--fail-on", "warning", "--today", TODAY.isoformat(), "pilot.yaml")
LAX = "apiVersion: govcheck/v1\nkind: PolicyPack\nmetadata: {name: lax, version: '1'}\n"
HEADER = f"{LAX}extends: [{MINI}]\n"

# A pack with a rule for moderate pilots only, for the holes the mini pack cannot show.
MODERATE_ONLY = """\
apiVersion: govcheck/v1
kind: PolicyPack
metadata: {name: gov, version: '1'}
rules:
  - {id: OPS-001, title: t, category: operating-model, severity: error, message: Name the runbook,
     applies: {tiers: [moderate]}, check: {present: spec.operating_model.support.runbook}}
"""

WORDS_PLUGIN = """\
import govcheck
from govcheck.interfaces import CheckSpec, Failure, path_check


def compile_check(target, params):
    words = params["words"]
    return path_check(target, lambda v, ctx: None if len(str(v).split()) >= words else "too short")


@govcheck.hookimpl
def govcheck_checks():
    return [CheckSpec("min_words", compile_check, {"words": True})]
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def configure(repo: Path, pack: str, name: str = ".govcheck.yaml") -> None:
    write(repo / "lax" / "pack.yaml", pack)
    if name == "pyproject.toml":
        write(repo / name, '[project]\nname = "pilot"\n\n[tool.govcheck]\npacks = ["./lax"]\n')
    else:
        write(repo / name, "packs: [./lax]\n")


HOLES: dict[str, tuple[dict[str, Any], str, str]] = {
    "a relaxed parameter": (
        {"spec.monitoring.last_review": "2020-01-01"},
        HEADER + "overrides:\n  - {rule: MON-002, params: {days: 100000}}\n",
        "lax/pack.yaml:6:30: pack lax → override MON-002 → params → days: 100000 instead of 180 for a "
        "moderate pilot, 100000 instead of 90 for a high pilot, 100000 instead of 30 for a critical pilot "
        "(max_age: a lower days is stricter)",
    ),
    "a disabled rule": (
        {"spec.monitoring.last_review": "2020-01-01"},
        HEADER + "overrides:\n  - {rule: MON-002, disabled: true}\n",
        "lax/pack.yaml:6:21: pack lax → override MON-002 → disabled: turns off rule MON-002",
    ),
    "a lowered severity": (
        {"spec.monitoring.last_review": "2020-01-01"},
        HEADER + "overrides:\n  - {rule: MON-002, severity: info}\n",
        "pack lax → override MON-002 → severity: info where the packs in use say warning",
    ),
    "reordered tiers": (  # critical became the lowest tier: MON-002 (min moderate) no longer applied
        {"spec.risk_tier": "critical"},
        HEADER + "tiers: [critical, low, moderate, high]\n",
        'lax/pack.yaml:5:1: pack lax → tiers: ["critical", "low", "moderate", "high"] where the packs in '
        'use declare ["low", "moderate", "high", "critical"]; a pack added by configuration cannot '
        "redeclare or reorder tiers",
    ),
    "a per-tier value that leaves out lower tiers": (  # GOV-004 would stop applying below high
        {"spec.scope.phi": True, "spec.governance.privacy_review.status": "pending"},
        HEADER + "overrides:\n  - {rule: GOV-004, params: {values: {high: [approved]}}}\n",
        "lax/pack.yaml:6:21: pack lax → override GOV-004 → params: rule GOV-004 would no longer apply to a "
        "low or moderate pilot",
    ),
    "a changed pattern": (
        {"metadata.id": "Denials Triage"},
        HEADER + "overrides:\n  - {rule: META-001, params: {pattern: '.'}}\n",
        'pack lax → override META-001 → params → pattern: "." instead of',
    ),
}


@pytest.mark.parametrize("hole", list(HOLES))
def test_a_configuration_pack_that_loosens_is_refused(run: Any, repo: Path, hole: str) -> None:
    changes, pack, expected = HOLES[hole]
    write(repo / "pilot.yaml", manifest(**changes))
    assert run(*GATE).exit_code == 1  # the gate fails this manifest without the configuration
    configure(repo, pack)
    result = run(*GATE)
    assert result.exit_code == 2, result.stdout  # before: exit 0, the manifest passed
    assert result.stderr.startswith(
        "govcheck: .govcheck.yaml: 1 change(s) in the packs it adds would loosen the policy of mini; packs "
        "added by configuration can only add rules and tighten them (an exception takes a waiver):\n"
    )
    assert expected in result.stderr


def test_the_shipped_baseline_review_interval_cannot_be_stretched(run: Any, repo: Path) -> None:
    shutil.copytree(ROOT / "examples" / "ready", repo, dirs_exist_ok=True)
    pilot = repo / "pilot.yaml"
    pilot.write_text(
        pilot.read_text(encoding="utf-8").replace("last_review: 2026-11-03", "last_review: 2026-01-03")
    )
    gate = ("check", "--today", TODAY.isoformat(), "pilot.yaml")
    assert run(*gate).exit_code == 1  # MON-002: a high pilot's review is 326 days old
    configure(
        repo,
        LAX + "extends: [healthcare-ai-baseline]\noverrides:\n  - {rule: MON-002, params: {days: 100000}}\n",
        "pyproject.toml",
    )
    result = run(*gate)
    assert result.exit_code == 2
    assert result.stderr.startswith("govcheck: pyproject.toml: 1 change(s)")
    assert "would loosen the policy of healthcare-ai-baseline" in result.stderr
    assert (
        "pack lax → override MON-002 → params → days: 100000 instead of 180 for a low pilot" in result.stderr
    )
    assert "100000 instead of 60 for a high pilot" in result.stderr


def test_a_longer_waiver_limit_is_refused(run: Any, repo: Path) -> None:
    write(repo / "pilot.yaml", manifest(**{"spec.monitoring.last_review": "2020-01-01"}))
    write(
        repo / "waivers.yaml",
        "apiVersion: govcheck/v1\nkind: WaiverSet\nwaivers:\n  - {rule: MON-002, pilot: denials-triage,"
        " reason: r, status: approved, approved_by: the board, approved_on: 2026-01-01,"
        " expires: 2026-12-31}\n",
    )
    gate = (*GATE[:-1], "--waivers", "waivers.yaml", "pilot.yaml")
    without = run(*gate)
    assert without.exit_code == 1 and "runs 364 days; the pack allows at most 180" in without.stdout
    configure(repo, HEADER + "waivers:\n  max_days: {moderate: 1000}\n")
    result = run(*gate)
    assert result.exit_code == 2  # before: the waiver was valid and the run passed
    assert (
        "lax/pack.yaml:6:14: pack lax → waivers → max_days → moderate: 1000 where the packs in use allow at "
        "most 180 days"
    ) in result.stderr


def test_reordered_stages_are_refused(run: Any, repo: Path) -> None:
    write(repo / "pilot.yaml", manifest(**{"spec.monitoring.last_review": "2020-01-01"}))
    configure(repo, HEADER + "stages: [enterprise, expansion, pilot]\n")
    result = run(*GATE)
    assert result.exit_code == 2  # before: 1, with the promotion order turned round
    assert "pack lax → stages: " in result.stderr and "cannot redeclare or reorder stages" in result.stderr


def test_a_tiering_rule_that_raises_a_pilot_past_a_rule_is_refused(run: Any, repo: Path) -> None:
    write(repo / "gov.yaml", MODERATE_ONLY)
    write(repo / "pilot.yaml", manifest(**{"spec.operating_model": None, "spec.scope.phi": True}))
    gate = ("check", "--pack", "./gov.yaml", "--today", TODAY.isoformat(), "pilot.yaml")
    assert run(*gate).exit_code == 1  # OPS-001 for a moderate pilot
    configure(
        repo,
        f"{LAX}extends: [../gov.yaml]\n"
        "tiering:\n  - {id: TIER-009, when: spec.scope.phi, minimum: high, reason: PHI is high risk}\n",
    )
    result = run(*gate)
    assert result.exit_code == 2  # before: 0, the raised pilot was past OPS-001
    assert (
        "lax/pack.yaml:6:42: pack lax → tiering TIER-009: raising a pilot to high would ask less of it (rule "
        "OPS-001 would no longer apply to a high pilot)"
    ) in result.stderr


def test_a_plugin_check_that_declares_no_direction_cannot_be_changed(
    run: Any, repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    plugin_dir = tmp_path_factory.mktemp("plugin")
    write(plugin_dir / "gc_words_plugin.py", WORDS_PLUGIN)
    monkeypatch.syspath_prepend(str(plugin_dir))
    write(
        repo / "gov.yaml",
        "apiVersion: govcheck/v1\nkind: PolicyPack\nmetadata: {name: gov, version: '1'}\nrules:\n"
        "  - {id: USE-001, title: t, category: governance, severity: error, message: Describe the use case,"
        " check: {min_words: spec.use_case, words: 5}}\n",
    )
    write(repo / "pilot.yaml", manifest())
    gate = ("check", "--plugin", "gc_words_plugin", "--pack", "./gov.yaml", "pilot.yaml")
    assert run(*gate).exit_code == 1  # "denials" is one word
    configure(
        repo,
        f"{LAX}extends: [../gov.yaml]\noverrides:\n  - {{rule: USE-001, params: {{words: 1}}}}\n",
    )
    result = run(*gate)
    assert result.exit_code == 2
    assert (
        "pack lax → override USE-001 → params → words: 1 instead of 5 for a low, moderate, high or critical "
        "pilot (min_words: no stricter direction is declared for words, so it cannot change)"
    ) in result.stderr


@pytest.mark.parametrize(
    "override",
    ["{rule: MON-002, applies: {tiers: [critical]}}", "{rule: MON-002, applies: {when: 'spec.never'}}"],
)
def test_an_override_cannot_narrow_where_a_rule_applies(run: Any, repo: Path, override: str) -> None:
    # Already refused by the pack schema before this change (overrides take severity, params
    # and disabled only); kept as a test so that it stays so.
    write(repo / "pilot.yaml", manifest(**{"spec.monitoring.last_review": "2020-01-01"}))
    configure(repo, HEADER + f"overrides:\n  - {override}\n")
    result = run(*GATE)
    assert result.exit_code == 2
    assert "lax/pack.yaml:6:" in result.stderr and "applies" in result.stderr


def test_a_configuration_pack_may_add_rules_and_tighten(run: Any, repo: Path) -> None:
    write(repo / "pilot.yaml", manifest())
    configure(
        repo,
        HEADER
        + textwrap.dedent(
            """\
            tiers: [low, moderate, high, critical]
            waivers:
              max_days: {moderate: 90}
            tiering:
              - {id: TIER-009, when: "spec.use_case == 'denials'", minimum: high, reason: Denials}
            overrides:
              - {rule: MON-002, severity: error, params: {days: {high: 30}}}
              - {rule: DATA-001, params: {count: {low: 1, high: 3}}}
            rules:
              - {id: EXT-001, title: t, category: data, severity: error, message: Set a retention period,
                 check: {present: spec.data.retention_days}}
            """
        ),
    )
    result = run(*(*GATE[:-1], "--format", "json", "pilot.yaml"))
    assert result.exit_code == 1, result.stderr
    assert '"rule": "EXT-001"' in result.stdout
    assert "at most 30 days old for a high pilot" in result.stdout  # raised by TIER-009, then tightened


def test_configuration_packs_are_in_addition_even_through_other_lineages(run: Any, repo: Path) -> None:
    # The configuration's pack extends a shipped pack the command line did not load; both run,
    # and the command line's pack still does.
    write(repo / "pilot.yaml", manifest(**{"spec.monitoring.last_review": "2020-01-01"}))
    configure(
        repo,
        f"{LAX}extends: [scale-readiness]\nrules: []\n",
    )
    result = run(*(*GATE[:-1], "--format", "json", "pilot.yaml"))
    assert result.exit_code == 1, result.stderr
    assert '"name": "mini"' in result.stdout and '"name": "scale-readiness"' in result.stdout
    assert '"rule": "MON-002"' in result.stdout


def test_the_documented_refusal_is_what_govcheck_prints(run: Any, repo: Path) -> None:
    docs = (ROOT / "docs" / "policy-packs.md").read_text(encoding="utf-8")
    section = docs.split("## Packs added by configuration can only tighten")[1]
    example = re.search(r"```text\n(.*?)```", section, re.S)
    assert example
    shutil.copytree(ROOT / "examples" / "ready", repo, dirs_exist_ok=True)
    write(
        repo / "packs" / "local" / "pack.yaml",
        "apiVersion: govcheck/v1\nkind: PolicyPack\nmetadata: {name: local, version: '1'}\n"
        "extends: [healthcare-ai-baseline]\noverrides:\n  - {rule: MON-002, params: {days: 100000}}\n",
    )
    write(repo / ".govcheck.yaml", "packs: [./packs/local]\n")
    result = run("check", "--today", TODAY.isoformat(), "pilot.yaml")
    assert result.exit_code == 2 and result.stderr == example.group(1)
