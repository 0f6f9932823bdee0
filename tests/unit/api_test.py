from __future__ import annotations

import pytest

from govcheck.api import exit_code
from govcheck.model import Finding, RunResult, Suppression


def result(*severities: str, waived: str = "") -> RunResult:
    findings = [Finding("R-001", s, "m", "f.yaml") for s in severities]  # type: ignore[arg-type]
    if waived:
        findings.append(
            Finding("R-002", waived, "m", "f.yaml", suppression=Suppression("ok", "board", "2027-01-01"))
        )  # type: ignore[arg-type]
    return RunResult((), tuple(findings), ())


@pytest.mark.parametrize(
    ("severities", "waived", "fail_on", "code"),
    [
        ((), "", "error", 0),
        (("error",), "", "error", 1),
        (("warning",), "", "error", 0),
        (("warning",), "", "warning", 1),
        (("info",), "", "warning", 0),
        (("info",), "", "info", 1),
        (("error",), "", "never", 0),
        ((), "error", "error", 0),
        (("info",), "error", "warning", 0),
        (("warning",), "error", "info", 1),
    ],
)
def test_exit_code(severities: tuple[str, ...], waived: str, fail_on: str, code: int) -> None:
    assert exit_code(result(*severities, waived=waived), fail_on) == code
