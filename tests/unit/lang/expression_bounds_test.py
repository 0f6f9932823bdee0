"""Pack expressions are untrusted input: bounded when a pack is loaded, and again while they run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import jmespath
import pytest

from govcheck import evaluate
from govcheck.lang import expression
from govcheck.lang.expression import ExpressionLimitError, compile_expression, growth
from govcheck.load.yaml import load_all
from tests.helpers import MINI, check, manifest

ROOT = Path(__file__).resolve().parents[3]


def pack_expressions() -> list[str]:
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("when", "expr") and isinstance(value, str):
                    found.append(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    packs = [*ROOT.glob("policies/*/pack.yaml"), *ROOT.glob("plugins/*/src/**/pack.yaml")]
    for pack in packs:
        walk(load_all(pack.read_text(encoding="utf-8"), str(pack))[0].data)
    return found


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("length([@,@][]" + ".[@,@][]" * 28 + ") > `0`", "536,870,912 times"),
        ("to_string(" + " | ".join(["{a: @, b: @}"] * 9) + ")", "3,072 times"),
        (" | ".join(["[@, @]"] * 12) + " == " + " | ".join(["[@, @]"] * 12), "times the size"),
        ("map(&[@, @, @, @, @, @, @, @], [@, @, @, @, @, @, @, @][].[@, @, @, @, @][])", "320 times"),
        ("to_string([to_string([to_string([to_string(@)])])])", "1,296 times"),
        ("||".join(["a"] * 300), "599 syntax nodes"),
        ("a" * 1_001, "1,001 characters long"),
    ],
)
def test_costly_expressions_are_refused_when_compiled(source: str, reason: str) -> None:
    with pytest.raises(ValueError, match="JMESPath") as caught:
        compile_expression(source)
    assert reason in str(caught.value)
    assert len(str(caught.value)) < 400  # names the expression without quoting all of it


# A rule that compares many named fields with the pilot's id and name (SRGOV-033) lists them side
# by side, so its bound is the number of fields it names, not 2; still far below MAX_GROWTH.
SIDE_BY_SIDE = 32


def test_every_shipped_expression_is_admitted() -> None:
    sources = pack_expressions()
    assert len(sources) > 10
    for source in sources:
        bound = SIDE_BY_SIDE if source.startswith("{t: [") else 2
        assert growth(compile_expression(source).parsed) <= bound, source


@pytest.mark.parametrize(
    ("source", "size"),
    [
        ("a.b", 1),
        ("[a, b]", 2),
        ("[a, b][].[c, d]", 4),
        ("x[?[a, b] == [a, b]].c", 2),
        ("{a: @} | [@, @]", 2),
    ],
)
def test_growth_adds_side_by_side_and_multiplies_in_sequence(source: str, size: int) -> None:
    assert growth(compile_expression(source).parsed) == size


def test_results_are_jmespaths() -> None:
    data = {"a": [{"b": 2}, {"b": 1}], "s": "x", "t": "y"}
    for source in (
        "sort_by(a, &b)[0].b",
        "to_string(a)",
        "join('-', [s, t])",
        "s < t",
        "a[0] == a[0]",
        "a[0] < s",
    ):
        assert compile_expression(source).search(data) == jmespath.search(source, data), source


def test_a_search_stops_past_its_visit_budget() -> None:
    items = [{"a": 1}] * (expression.MAX_VISITS + 1)
    with pytest.raises(ExpressionLimitError, match="steps"):
        compile_expression("[*].a").search(items)


def test_text_functions_stop_past_their_size_bound() -> None:
    with pytest.raises(ExpressionLimitError, match="to_string"):
        compile_expression("to_string(@)").search(["x" * expression.MAX_TEXT])
    with pytest.raises(ExpressionLimitError, match="join"):
        compile_expression("join('', @)").search(["x" * (expression.MAX_TEXT // 2 + 1)] * 2)


def test_comparing_shared_values_is_charged_to_the_budget() -> None:
    # Two lists that share their halves are 2^40 items written out; == would walk them all in C.
    code = (
        "from govcheck.lang.expression import compile_expression, ExpressionLimitError\n"
        "def dag():\n    d = [0]\n    for _ in range(40):\n        d = [d, d]\n    return d\n"
        "try:\n    compile_expression('a == b').search({'a': dag(), 'b': dag()})\n"
        "except ExpressionLimitError as exc:\n    print(exc)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "compared values larger than" in result.stdout, result.stderr


def test_an_overrun_guard_or_tiering_rule_is_an_error_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(expression, "MAX_VISITS", 0)
    result = check(tmp_path, manifest(), MINI, jobs=1)
    messages = [f.message for f in result.findings]
    assert any("tiering TIER-001: when could not be judged" in m for m in messages), messages
    assert result.manifests[0].tier == "high"  # the stricter tier, not a silent "false"
    guarded = [f for f in result.findings if "applies.when could not be judged" in f.message]
    assert guarded and all(f.severity == "error" for f in guarded)


def test_a_large_value_is_shown_cut_and_deterministic() -> None:
    shown = evaluate._shown("x" * 50_000)
    assert shown == "x" * 200 + "… (50,000 characters)"
    dag: list[object] = [0]
    for _ in range(60):
        dag = [dag, dag]
    assert evaluate._shown(dag) == evaluate._shown(dag)
    assert str(evaluate._shown(dag)).endswith("… (a list of 2 items)")
    assert evaluate._shown(["a", 1]) == ["a", 1]  # short values are untouched
    assert len(evaluate._capped("y" * 10_000, 2_000)) < 2_030
