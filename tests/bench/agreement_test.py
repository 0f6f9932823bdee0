"""govcheck's benchmark pack agrees with the plain-Python oracle of bench/RULES.md, rule by rule.

The same check as ``bench/agreement.py`` without the peers and without timing: a generated
200-manifest corpus, every (manifest, rule) violation compared.
"""

from __future__ import annotations

import collections
from pathlib import Path

import pytest

from bench import gen_corpus, oracle
from govcheck.api import CheckSettings, run_check

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    assert gen_corpus.main(["200", str(out)]) == 0
    return out


def test_govcheck_agrees_with_the_oracle_rule_by_rule(corpus: Path) -> None:
    files = sorted(corpus.glob("*.yaml"))
    result = run_check(
        CheckSettings(
            paths=(str(corpus),),
            packs=(str(BENCH / "pack"),),
            today=oracle.AS_OF,
            cwd=corpus,
            jobs=1,
            outcomes=False,
        )
    )
    assert [f for f in result.findings if f.rule.startswith("GC-")] == []
    found = {(Path(f.file).name, f.rule) for f in result.findings}
    expected = set(oracle.run(files))
    by_rule = collections.defaultdict(lambda: [0, 0])
    for _, rule in found:
        by_rule[rule][0] += 1
    for _, rule in expected:
        by_rule[rule][1] += 1
    assert set(by_rule) <= set(oracle.RULE_IDS)
    assert {r: tuple(c) for r, c in by_rule.items() if c[0] != c[1]} == {}, (
        "(govcheck, oracle) manifests per rule"
    )
    assert sorted(found ^ expected) == []
    assert len(result.manifests) == 200 and len(expected) > 100  # the corpus exercises the rules


def test_the_pack_has_the_twenty_rules_of_rules_md(corpus: Path) -> None:
    result = run_check(
        CheckSettings(
            paths=(str(corpus / "pilot-00001.yaml"),),
            packs=(str(BENCH / "pack"),),
            today=oracle.AS_OF,
            cwd=corpus,
            jobs=1,
        )
    )
    assert sorted(r.id for r in result.rules) == sorted(oracle.RULE_IDS)
