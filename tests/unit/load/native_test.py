"""The native YAML reader gives the same data and the same positions as the pure-Python route.

``load_all`` hands a text to ``_yaml.c`` first and composes it in Python only when the native
reader declines. Every document the native reader takes is compared here with the composed
reading of the same text: the same values of the same types in the same order, and the same
line and column from ``locate`` for every path into the document (keys, items, and paths that
stop short). The texts: the bench corpus, every YAML file shipped or used by the tests, the
hostile inputs, and hypothesis-generated YAML, both dumped from random data in every style and
stitched from fragments. Where the native reader declines, ``load_all`` is the composed reading
itself, so there is nothing to compare, but the shipped and generated manifests must be taken
natively: that is the path the speed comes from.
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from bench import gen_corpus
from govcheck.load import composed
from govcheck.load import yaml as yamlio
from govcheck.load.yaml import ParseError
from tests.unit.load.composer_test import SNIPPETS
from tests.unit.load.yaml_hostile_test import merge_bomb

ROOT = Path(__file__).resolve().parents[3]
native = yamlio._native

if native is None:
    if os.environ.get("GOVCHECK_REQUIRE_NATIVE") == "1":
        pytest.fail("GOVCHECK_REQUIRE_NATIVE=1 but govcheck.load._yaml is not built", pytrace=False)
    pytest.skip("the native YAML reader is not built here (no compiler or libyaml)", allow_module_level=True)


def natively(text: str, reader: Any = None) -> list[tuple[Any, bytes]] | None:
    """The native reader's answer for ``text`` (``reader``: another build of it)."""
    return (reader or native).load(text, yamlio._number, yamlio._DECLINE, yamlio.MAX_NODES, yamlio.MAX_DEPTH)


def same(a: Any, b: Any) -> bool:
    """Equal values of the same types, dict keys in the same order, NaN equal to NaN, -0.0 not 0.0."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float):
        if math.isnan(a):
            return math.isnan(b)
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    return bool(a == b)


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path into ``data``, and for each container a path one step past its end."""
    yield prefix
    if isinstance(data, dict):
        yield (*prefix, "\x00absent")
        yield (*prefix, 0)
        for key, value in data.items():
            yield from paths(value, (*prefix, key))
    elif isinstance(data, list):
        yield (*prefix, len(data))
        yield (*prefix, -1)
        yield (*prefix, "0")
        for i, value in enumerate(data):
            yield from paths(value, (*prefix, i))
    else:
        yield (*prefix, "below-a-scalar")


def compare(text: str) -> bool:
    """Assert the native reading equals the composed one; True when the native reader took it."""
    read = natively(text)
    if read is None:
        return False
    fast = yamlio.load_all(text, "f.yaml")
    slow = yamlio._load_composed(text, "f.yaml")  # must not raise: the native reader took it
    assert len(fast) == len(slow) == len(read)
    for mine, theirs in zip(fast, slow, strict=True):
        assert same(mine.data, theirs.data), (mine.data, theirs.data)
        for path in paths(mine.data):
            walked = composed.locate(theirs.node, path)  # no index: every container walked
            assert mine.locate(path) == theirs.locate(path) == walked, (text, path)
    return True


def test_the_bench_corpus_is_read_natively_and_alike(tmp_path: Path) -> None:
    gen_corpus.main(["400", str(tmp_path)])
    files = sorted(tmp_path.rglob("*.yaml"))
    assert len(files) == 400
    assert all(compare(f.read_text(encoding="utf-8")) for f in files)


def shipped_yaml() -> list[Path]:
    found = []
    for top in ("examples", "policies", "tests", "plugins", "bench", "docs"):
        for path in sorted((ROOT / top).rglob("*.y*ml")):
            if path.suffix in (".yaml", ".yml") and ".peers" not in path.parts and path.is_file():
                found.append(path)
    return found


def test_every_shipped_yaml_file_reads_alike() -> None:
    files = shipped_yaml()
    assert len(files) > 50
    taken = 0
    for path in files:
        raw = path.read_bytes()
        try:
            text = yamlio.read_text(str(path), raw)
        except ParseError:
            continue
        taken += compare(text)
    assert taken > len(files) * 0.8  # the fixtures include deliberately broken or hostile files


def test_the_example_manifests_are_all_read_natively() -> None:
    manifests = sorted((ROOT / "examples").rglob("*.yaml"))
    assert manifests
    for path in manifests:
        assert compare(path.read_text(encoding="utf-8")), path


HOSTILE = [
    merge_bomb(),
    "a: &a [x]\nb: *a\n",
    "a: 1\na: 2\n",
    "{[a]: 1}\n",
    "? [a]\n: 1\n",
    "a: !!str 1\n",
    "a: !custom x\n",
    "%YAML 1.2\n---\na: 1\n",
    "%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n",
    "<<: {a: 1}\n",
    "a: <<\n",
    "a: =\n",
    "[" * 66 + "]" * 66,
    "[" * 65 + "]" * 65,
    "[" * 64 + "]" * 64,
    "- " * 70 + "x\n",
    "a: [b:c]\n",
    "a: [b?c]\n",
    "a: {b: c:d}\n",
    "a: 'unterminated\n",
    "a:\tb\n",
    "a: b\n\t- c\n",
    'a: "\\ud800"\n',
    'a: "\\x00\\u2028\\x85"\n',
    "a: b\u2028c: d\n",
    "a: b\x85c: d\n",
    "a: b\rc: d\r\n",
    "\ufeffa: b\n",
    "a: b\n\ufeffc: d\n",
    "--- a\n--- b\n...\n--- [c]\n",
    "",
    "---\n",
    "# only a comment\n",
    "? a\n? b\n: c\n",
    "a:\n  - b\n  -\n  - {}\n  - []\n  - ''\n",
    "a: 0x1F\nb: 0o17\nc: 1_000\nd: +.inf\ne: -.NaN\nf: 1e3\ng: .5\nh: 1.\ni: 007\nj: 08\nk: -0\n",
    "a: 99999999999999999999999999999\nb: 1.7976931348623157e309\nc: 0.1e-400\n",
    "a: 1.2.3\nb: 2026-1-1\nc: 2026-01-01T10:00:00Z\nd: 2026-13-45\ne: -1.5\nf: +2\n",
    "a: TRUE\nb: tRue\nc: Null\nd: nULL\ne: ~\nf: yes\ng: No\nh: on\n",
    'é: ü\n\U0001f600: "\U0001f600"\nкл: зн\n',
    "a: |\n  line\n   more\n\nb: >-\n  folded\n  text\n\n  para\n",
    "'quoted key': 1\n\"dq\\tkey\": 2\n? |\n  block key\n: 3\n",
    "a: " + "x" * 100_000 + "\n",
    "- a\n" * 20_000,
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_and_edge_inputs_read_alike_or_are_declined(text: str) -> None:
    compare(text)


@pytest.mark.parametrize(
    "text",
    [
        merge_bomb(),
        "a: &a [x]\nb: *a\n",
        "a: 1\na: 2\n",
        "a: !!str 1\n",
        "%YAML 1.2\n---\na: 1\n",
        "<<: {a: 1}\n",
        "[" * 66 + "]" * 66,
        "a: [b:c]\n",
        "a: 'unterminated\n",
        "\ufeffa: b\n",
        "- x\n" * (yamlio.MAX_NODES + 1),
    ],
)
def test_what_the_python_rules_decide_is_declined(text: str) -> None:
    assert natively(text) is None


def test_errors_are_the_composed_errors_with_their_positions() -> None:
    for text in ("a: 1\na: 2\n", "a: 'unterminated\n", "[" * 66 + "]" * 66, "a: !!bool yes\n", "a: <<\n"):
        with pytest.raises(ParseError) as native_error:
            yamlio.load_all(text, "f.yaml")
        with pytest.raises(ParseError) as composed_error:
            yamlio._load_composed(text, "f.yaml")
        assert repr(native_error.value) == repr(composed_error.value)


def test_a_natively_read_document_composes_its_nodes_on_demand() -> None:
    text = "a: 1\n---\nb: [x, y]\n"
    docs = yamlio.load_all(text, "f.yaml")
    assert docs[1]._node is None
    node = docs[1].node
    assert node.value[0][0].value == "b" and node.start_mark.line == 2
    assert docs[1].locate(("b", 1)) == (3, 8, ("b", 1))


def test_the_switch_selects_the_pure_python_route() -> None:
    import subprocess
    import sys

    code = "from govcheck.load import yaml; print(yaml._native is None)"
    env = {**os.environ, "GOVCHECK_NATIVE_YAML": "0"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


# Hypothesis: random data dumped in every style, and text stitched from YAML's awkward pieces.

_scalar_text = st.text(
    alphabet=st.sampled_from(list("ab:#-?[]{},&*!|>'\"%@` \t\n\\.0123456789eE+_xo~é\u2028\x85\U0001f600")),
    max_size=12,
)
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    _scalar_text,
    st.sampled_from(["true", "Null", "~", "2026-01-31", "0x1F", "1_000", ".inf", "1.2.3", "007", "<<", "="]),
)
_data = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(_scalar_text, inner, max_size=5)),
    max_leaves=30,
)


def _dump(data: Any, flow: bool | None, width: int) -> str:
    yml = YAML(typ="safe", pure=True)
    yml.default_flow_style = flow
    yml.width = width
    buf = io.StringIO()
    yml.dump(data, buf)
    return buf.getvalue()


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_data, st.sampled_from([False, True, None]), st.sampled_from([20, 80, 4096]))
def test_generated_documents_read_alike(data: Any, flow: bool | None, width: int) -> None:
    compare(_dump({"root": data}, flow, width))


_soup = st.lists(
    st.sampled_from([*SNIPPETS, "a", "b", "é", "\t", "- a\n", "  - b\n", "x: |\n  y\n"]), max_size=40
)


@settings(max_examples=1500, deadline=None)
@given(_soup.map("".join))
def test_stitched_text_reads_alike_or_is_declined(text: str) -> None:
    compare(text)


def test_a_check_read_natively_never_imports_ruamel() -> None:
    import subprocess
    import sys

    code = (
        "import sys\nfrom govcheck.cli import main\n"
        "try:\n    main(['check', '--today', '2026-11-25', 'examples/ready', 'examples/failing'])\n"
        "except SystemExit:\n    pass\n"
        "slow = ('ruamel', '_ruamel', 'govcheck.load.composed')\n"
        "print(sorted(m for m in sys.modules if m.startswith(slow)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stderr
