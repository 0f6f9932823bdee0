"""bench/_turns.py: cores per run, a round run again when a command is short of cores, figures.

Tiny commands (a sleeping Python) stand in for the tools: a sleep obtains almost no cores, so a
minimum of cores it cannot reach makes every round use all its tries.
"""

from __future__ import annotations

import sys

from bench import _turns

SLEEP = [sys.executable, "-c", "import time; time.sleep(0.02)"]
FIGURES = [
    sys.executable,
    "-c",
    "import json, os; open(os.environ['BENCH_FIGURES'], 'w').write(json.dumps({'parse us': 12.5}))",
]


def test_each_run_reports_its_cores_and_the_tries_of_its_round() -> None:
    out = _turns.in_turns({"commands": {"sleep": SLEEP}, "runs": 2, "warmup": 0})
    assert len(out["sleep"]) == 2
    for result in out["sleep"]:
        assert 0 <= result["cores"] < 1
        assert result["cores"] == result["cpu s"] / result["wall s"]
        assert result["tries"] == 1


def test_a_round_short_of_cores_runs_again_all_of_it_and_no_more_than_the_retries() -> None:
    spec = {
        "commands": {"sleep": SLEEP, "other": SLEEP},
        "runs": 1,
        "warmup": 0,
        "min_cores": {"sleep": 1.6},
        "retries": 2,
    }
    out = _turns.in_turns(spec)
    assert [r["tries"] for r in out["sleep"]] == [3]
    assert [r["tries"] for r in out["other"]] == [3]  # the whole round ran again


def test_a_round_that_gets_its_cores_runs_once() -> None:
    spec = {"commands": {"sleep": SLEEP}, "runs": 1, "warmup": 0, "min_cores": {"sleep": 0.0}, "retries": 3}
    assert [r["tries"] for r in _turns.in_turns(spec)["sleep"]] == [1]


def test_figures_a_command_writes_join_its_result_and_env_overrides_apply() -> None:
    env_probe = [sys.executable, "-c", "import os, sys; sys.exit(0 if os.environ.get('PROBE') == 'x' else 5)"]
    out = _turns.in_turns(
        {
            "commands": {"figures": FIGURES, "sleep": SLEEP, "env": env_probe},
            "runs": 1,
            "warmup": 1,
            "env": {"env": {"PROBE": "x"}},
        }
    )
    assert out["figures"][0]["parse us"] == 12.5
    assert "parse us" not in out["sleep"][0]
    assert out["env"][0]["exit"] == 0
