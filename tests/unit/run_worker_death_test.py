"""A worker that dies ends a --jobs run with a message, never a run that waits forever."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

READY = Path(__file__).resolve().parents[2] / "examples" / "ready"

KILLER = """
    import os
    import signal

    import govcheck
    from govcheck.interfaces import CheckSpec


    def _compile(target, params):
        def run(ctx):
            if ctx.data.get("metadata", {}).get("id") == "pilot-3":
                os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer would
            return ()

        return run


    @govcheck.hookimpl
    def govcheck_checks():
        return [CheckSpec("dies", _compile)]
"""

PACK = """\
apiVersion: govcheck/v1
kind: PolicyPack
metadata: {name: dies, version: '1'}
rules:
  - {id: DIE-001, title: t, category: governance, severity: error, message: m, check: {dies: spec}}
"""


def test_a_killed_worker_is_an_error_with_a_message(tmp_path: Path) -> None:
    (tmp_path / "gc_killer.py").write_text(textwrap.dedent(KILLER), encoding="utf-8")
    (tmp_path / "pack.yaml").write_text(PACK, encoding="utf-8")
    text = (READY / "pilot.yaml").read_text(encoding="utf-8")
    shutil.copytree(READY / "docs", tmp_path / "pilots" / "docs")
    for i in range(8):
        (tmp_path / "pilots" / f"p{i}.yaml").write_text(
            re.sub(r"(?m)^(\s*id:) \S+", rf"\1 pilot-{i}", text, count=1), encoding="utf-8"
        )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "govcheck",
            "check",
            "--plugin",
            "gc_killer",
            "--pack",
            "./pack.yaml",
            "--jobs",
            "2",
            "--today",
            "2026-11-25",
            "pilots",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "a worker process died" in result.stderr
    assert "Traceback" not in result.stderr
