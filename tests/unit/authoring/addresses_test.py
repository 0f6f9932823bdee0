"""A rule's ``addresses``: the scale problems it addresses, a closed vocabulary that ``pack lint``
checks at its line, carried into the rule's info for docs and leaving the reports unchanged."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from govcheck.authoring.lint import lint
from govcheck.interfaces import ReportOptions
from govcheck.plugins import load_registry
from govcheck.report import json as json_report
from govcheck.report import sarif
from tests.helpers import MINI, check, manifest

ROOT = Path(__file__).resolve().parents[3]
VOCABULARY = json.loads((ROOT / "schemas" / "policy-pack.schema.json").read_text(encoding="utf-8"))["$defs"][
    "rule"
]["properties"]["addresses"]["items"]["enum"]
OWN_003 = '    references: ["NIST AI RMF GOVERN 2.1"]\n  - id: MON-002\n'


def _mini(tmp_path: Path, addresses: str) -> Path:
    """The mini test pack with ``addresses`` on OWN-003.

    ``addresses`` is YAML. In a flow list ``[reason:data]`` is a YAML error (a colon followed by a
    letter), so the words are quoted there or written as a block list.
    """
    pack = tmp_path / "mini"
    shutil.copytree(MINI, pack)
    file = pack / "pack.yaml"
    text = file.read_text(encoding="utf-8")
    assert text.count(OWN_003) == 1
    file.write_text(
        text.replace(OWN_003, OWN_003.replace("\n  - id", f"\n    addresses: {addresses}\n  - id", 1)),
        encoding="utf-8",
    )
    return pack


def _line_of(pack: Path, needle: str) -> int:
    lines = (pack / "pack.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_the_vocabulary_is_the_five_reasons_four_questions_and_six_harder_questions() -> None:
    assert [v.split(":")[0] for v in VOCABULARY] == ["reason"] * 5 + ["question"] * 4 + ["harder"] * 6
    assert len(set(VOCABULARY)) == 15


def test_known_words_lint_clean(tmp_path: Path) -> None:
    pack = _mini(
        tmp_path, "\n      - reason:ownership\n      - question:ownership\n      - harder:owner-after-launch"
    )
    report = lint(pack, load_registry(), tmp_path)
    assert [p.message for p in report.problems if p.severity == "error"] == []


def test_an_unknown_word_is_an_error_at_its_line_naming_the_word_meant(tmp_path: Path) -> None:
    pack = _mini(tmp_path, '["reason:ownership", "reason:ownrship"]')
    report = lint(pack, load_registry(), tmp_path)
    (problem,) = [p for p in report.problems if p.severity == "error"]
    assert problem.line == _line_of(pack, "addresses:")
    assert "'reason:ownrship' is not one of" in problem.message
    assert "did you mean 'reason:ownership'?" in problem.message
    assert report.exit_code == 1


def test_a_word_listed_twice_is_an_error(tmp_path: Path) -> None:
    pack = _mini(tmp_path, "\n      - reason:data\n      - reason:data")
    report = lint(pack, load_registry(), tmp_path)
    (problem,) = [p for p in report.problems if p.severity == "error"]
    assert problem.line == _line_of(pack, "addresses:")
    assert "non-unique" in problem.message or "more than once" in problem.message, problem.message


def test_the_rule_info_carries_the_addresses_and_the_reports_do_not(tmp_path: Path) -> None:
    doc = manifest(**{"spec.ownership": {}})
    plain = check(tmp_path / "plain", doc, pack=MINI)
    pack = _mini(tmp_path, "['reason:ownership', 'harder:owner-after-launch']")
    marked = check(tmp_path / "plain", doc, pack=str(pack))
    (info,) = [r for r in marked.rules if r.id == "OWN-003"]
    assert info.addresses == ("reason:ownership", "harder:owner-after-launch")
    assert all(r.addresses == () for r in plain.rules)
    options = ReportOptions()
    # The pack's path and digest are the differences between the two runs; the rest is byte for byte.
    for render in (json_report.render, sarif.render):
        assert _same_pack(render(marked, options).replace(str(pack), MINI)) == _same_pack(
            render(plain, options)
        )


def _same_pack(text: str) -> str:
    return re.sub(r'"digest": "[0-9a-f]{64}"', '"digest": ""', text)
