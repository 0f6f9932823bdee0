"""``pack lint``: every problem of a pack in one run, each at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from govcheck.authoring.lint import LintReport, lint
from govcheck.plugins import load_registry

ROOT = Path(__file__).resolve().parents[3]
BROKEN = ROOT / "tests" / "data" / "broken-pack"
SHIPPED = sorted(ROOT.glob("policies/*/pack.yaml"))

# Every problem planted in tests/data/broken-pack/pack.yaml: line, severity, what the message says.
BROKEN_PROBLEMS = [
    (10, "error", "tiering TIER-001: '`false`' is always false and reads no field; never raises a tier"),
    (12, "error", "override GOV-999: overrides a rule that no extended pack defines"),
    (13, "error", "override MON-002 → params: 'dayz' is not a parameter of the max_age check"),
    (15, "error", "rule OWN-001: already defined in pack broken-base (base.yaml)"),
    (28, "error", "rules[1].severity: 'fatal' is not one of error, warning, info"),
    (36, "error", "rule GOV-002 → applies → when: invalid JMESPath 'spec.scope.phi =='"),
    (46, "error", "rule GOV-003 → check → expr: invalid JMESPath 'spec.governance.[audit_logging'"),
    (55, "error", "rule GOV-004 → check names no known check (keys: is_approved)"),
    (64, "error", "rule GOV-005 → check → max_age: unknown parameter(s) weeks (parameters: days)"),
    (73, "error", "rule WF-001 → applies → tiers: 'urgent' is not one of the tiers"),
    (83, "error", "rule WF-002 → applies → stages: none of production is a stage of this pack"),
    (83, "error", "rule WF-002 → applies → stages: 'production' is not one of the stages"),
    (93, "error", "rule WF-003 → applies → tiers: min 'high' is above max 'low'; the rule can never apply"),
    (
        103,
        "error",
        "rule WF-004 → applies → when: '`false`' is always false and reads no field;"
        " the rule can never apply",
    ),
    (114, "error", "rule DATA-001 → check: no threshold is set for any tier it applies to (low)"),
    (124, "error", "rule DATA-002 → message: not a valid template"),
    (
        126,
        "warning",
        "rule DATA-002 → references: 'NIST AI RMF MAP 9.9' is not an item of a known framework; did you mean",
    ),
    (
        132,
        "warning",
        "rule DATA-003 → applies → when: the pilot manifest schema has no field 'phl' in spec.scope",
    ),
    (
        133,
        "warning",
        "rule DATA-003 → check → min_count: the pilot manifest schema has no field 'sourcez' in spec.data",
    ),
]


def run_lint(path: Path, cwd: Path) -> LintReport:
    return lint(path, load_registry(), cwd)


def test_a_broken_pack_gives_every_problem_with_its_line_in_one_run() -> None:
    report = run_lint(BROKEN / "pack.yaml", BROKEN)
    assert [(p.file, p.line, p.severity) for p in report.problems] == [
        ("pack.yaml", line, sev) for line, sev, _ in BROKEN_PROBLEMS
    ]
    for problem, (_, _, fragment) in zip(report.problems, BROKEN_PROBLEMS, strict=True):
        assert fragment in problem.message
    assert report.exit_code == 1


@pytest.mark.parametrize("pack", SHIPPED, ids=lambda p: p.parent.name)
def test_shipped_packs_lint_clean(pack: Path) -> None:
    assert run_lint(pack.parent, ROOT).problems == ()


def write_pack(tmp_path: Path, rules: str, head: str = "") -> Path:
    path = tmp_path / "pack.yaml"
    path.write_text(
        "apiVersion: govcheck/v1\nkind: PolicyPack\nmetadata: {name: t, version: 1.0.0}\n"
        + head
        + "rules:\n"
        + rules,
        encoding="utf-8",
    )
    return path


RULE = """  - id: OWN-001
    title: An owner is named
    rationale: Someone answers for it.
    category: ownership
    severity: error
    check: {present: spec.ownership.business_owner.name}
    message: "Name the owner"
    remediation: "spec: {}"
    references: ["NIST AI RMF GOVERN 2.1"]
"""


@pytest.mark.parametrize(
    ("change", "line", "severity", "fragment"),
    [
        (
            ("    check: {present", '    applies: {when: "`true`"}\n    check: {present'),
            10,
            "warning",
            "'`true`' is always true and reads no field; remove it",
        ),
        (("business_owner.name}", "business_owner.name, x: 1}"), 10, "error", "unknown parameter(s) x"),
        (
            ('"Name the owner"', '"Name the {owner} at {tier}"'),
            11,
            "warning",
            "unknown placeholder(s) {owner} stay as written",
        ),
        (("    rationale: Someone answers for it.\n", ""), 5, "warning", "rule OWN-001: no rationale;"),
        (
            ('["NIST AI RMF GOVERN 2.1"]', '["NIST GOVERN 2.1"]'),
            13,
            "warning",
            "'NIST GOVERN 2.1' is not an item of a known framework",
        ),
    ],
)
def test_single_problems(
    tmp_path: Path, change: tuple[str, str], line: int, severity: str, fragment: str
) -> None:
    report = run_lint(write_pack(tmp_path, RULE.replace(*change)), tmp_path)
    assert [(p.line, p.severity) for p in report.problems] == [(line, severity)]
    assert fragment in report.problems[0].message
    assert report.exit_code == (severity == "error")


def test_per_tier_values_with_a_misspelt_tier(tmp_path: Path) -> None:
    rule = RULE.replace(
        "check: {present: spec.ownership.business_owner.name}",
        "check: {max_age: spec.monitoring.last_review, days: {moderat: 180, high: 90}}",
    )
    messages = [(p.severity, p.message) for p in run_lint(write_pack(tmp_path, rule), tmp_path).problems]
    assert (
        "warning",
        "pack t → rule OWN-001 → check → days: mixes tier names with moderat, which is not a tier; "
        "it is used as one value for every tier",
    ) in messages
    assert any(sev == "error" and "parameter 'days' must be int" in m for sev, m in messages)


def test_tiering_that_raises_to_the_lowest_tier(tmp_path: Path) -> None:
    head = "tiering:\n  - {id: TIER-001, when: spec.scope.phi, minimum: low, reason: r}\n"
    report = run_lint(write_pack(tmp_path, RULE, head), tmp_path)
    assert [(p.line, p.severity, p.message) for p in report.problems] == [
        (5, "warning", "pack t → tiering TIER-001 → minimum: 'low' is the lowest tier; this raises nothing")
    ]


def test_an_installed_parent_is_its_publishers_to_lint(tmp_path: Path) -> None:
    rule = RULE.replace("OWN-001", "EXH-001").replace("    rationale: Someone answers for it.\n", "")
    report = run_lint(write_pack(tmp_path, rule, "extends: [healthcare-ai-baseline]\n"), tmp_path)
    assert [p.message for p in report.problems] == [
        "pack t → rule EXH-001: no rationale; `govcheck explain` and the rule docs show these sections"
    ]


def test_schema_errors_do_not_hide_the_rest(tmp_path: Path) -> None:
    rules = RULE.replace("severity: error", "severity: high") + RULE.replace("OWN-001", "OWN-002").replace(
        "present: spec", "presnt: spec"
    )
    report = run_lint(write_pack(tmp_path, rules, "colour: blue\n"), tmp_path)
    assert [(p.line, p.message.split(":")[0]) for p in report.problems] == [
        (4, "colour"),
        (10, "rules[0].severity"),
        (20, "pack t → rule OWN-002 → check names no known check (keys"),
    ]


def test_an_override_that_drops_tiers_from_a_per_tier_mapping(tmp_path: Path) -> None:
    child = ROOT / "tests" / "data" / "packs" / "child"
    warnings = [(p.line, p.message) for p in run_lint(child, ROOT).problems if "override" in p.message]
    assert warnings == [
        (
            6,
            "pack child → override MON-002 → params → days: replaces the whole per-tier mapping, so "
            "high (90), critical (30) now take the value of the nearest tier listed below; list every "
            "tier to keep its value",
        )
    ]
