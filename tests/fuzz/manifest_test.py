"""Random bytes, random YAML and random manifests never make an exception escape."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govcheck.api import load_policy
from govcheck.evaluate import evaluate
from govcheck.load.discover import Source
from govcheck.load.manifest import load
from govcheck.plugins import load_registry
from tests.helpers import BASE, MINI

POLICY = load_policy(load_registry(entry_points=False), (MINI,), Path.cwd())
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.dates().map(dt.date.isoformat),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
yaml_snippets = st.lists(
    st.sampled_from(
        [
            "a:",
            " b",
            "- ",
            "[",
            "]",
            "{",
            "}",
            "&x ",
            "*x",
            "!!str ",
            "!t ",
            "? ",
            "---\n",
            "'",
            '"',
            "\n",
            "  ",
            "kind: AIPilot\n",
            "<<: ",
            "#",
            "|\n",
            "%YAML 1.2\n",
            "\t",
        ]
    ),
    max_size=40,
).map("".join)


def run(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "pilot.yaml"
    path.write_bytes(raw)
    targets, findings = load(Source(path, explicit=True), tmp_path)
    for target in targets:
        result = evaluate(target, POLICY, dt.date(2026, 11, 25), None)
        assert all(f.line >= 1 and f.column >= 1 for f in result.findings)
    assert all(f.rule.startswith("GC-") for f in findings)


@SETTINGS
@given(raw=st.binary(max_size=400))
def test_random_bytes(tmp_path: Path, raw: bytes) -> None:
    run(tmp_path, raw)


@SETTINGS
@given(text=yaml_snippets)
def test_random_yaml(tmp_path: Path, text: str) -> None:
    run(tmp_path, text.encode())


@SETTINGS
@given(
    section=st.sampled_from(sorted(BASE["spec"])),
    value=values,
    top=st.sampled_from(["metadata", "spec", "kind"]),
    top_value=values,
)
def test_random_manifests(tmp_path: Path, section: str, value: Any, top: str, top_value: Any) -> None:
    doc = json.loads(json.dumps(BASE))
    doc["spec"][section] = value
    run(tmp_path, json.dumps(doc).encode())
    doc[top] = top_value
    run(tmp_path, json.dumps(doc).encode())
