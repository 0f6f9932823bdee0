"""bench/parse_floor.py: govcheck's loaders parse every file and time the parse in process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench import gen_corpus

FLOOR = Path(__file__).resolve().parents[2] / "bench" / "parse_floor.py"


@pytest.mark.parametrize("loader", ["govcheck", "govcheck-python", "ruamel-c-nodes"])
def test_the_floor_reports_the_parse_time_per_file(loader: str, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    assert gen_corpus.main(["5", str(corpus)]) == 0
    figures = tmp_path / "figures.json"
    env = {**os.environ, "BENCH_FIGURES": str(figures)}
    env.pop("GOVCHECK_NATIVE_YAML", None)
    proc = subprocess.run(
        [sys.executable, str(FLOOR), "--loader", loader, str(corpus)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    assert proc.stdout.startswith(f"5 files parsed with {loader}")
    got = json.loads(figures.read_text(encoding="utf-8"))
    assert got["files"] == 5
    assert got["parse s"] > 0
    assert got["parse us"] == pytest.approx(got["parse s"] / 5 * 1e6)
    if loader == "govcheck-python":
        assert got["compiled"] == ""  # GOVCHECK_NATIVE_YAML=0: no compiled govcheck module loaded
