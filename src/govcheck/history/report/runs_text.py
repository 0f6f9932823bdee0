"""Two runs compared, and the chain verified, as text for the terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from govcheck.history.changes import Change
from govcheck.history.diff import Diff
from govcheck.history.query import RunInfo
from govcheck.history.record import FindingEntry
from govcheck.history.report._common import clean

if TYPE_CHECKING:
    from govcheck.history.store import Verification


def _run(r: RunInfo) -> str:
    commit = f", commit {r.commit[:12]}" if r.commit else ""
    return clean(f"#{r.position} {r.run_id} ({r.kind} as of {r.today}{commit}, exit {r.exit_code})")


def _finding(f: FindingEntry, waiver: bool = False) -> str:
    approved = f" (waived: {f.waiver})" if waiver and f.waiver else ""
    return clean(f"  {f.file}:{f.line}: {f.severity} {f.rule} {f.pilot}: {f.message}{approved}")


def _section(title: str, findings: tuple[FindingEntry, ...], waiver: bool = False) -> list[str]:
    return [f"{title}: {len(findings)}", *(_finding(f, waiver) for f in findings)]


def _changes(title: str, changes: tuple[Change, ...], worse: bool) -> list[str]:
    lines = [f"{title}: {len(changes)} pilot(s)"]
    return lines + [clean(f"  {c.pilot}: {'; '.join(c.worse if worse else c.better)}") for c in changes]


def render_diff(d: Diff) -> str:
    lines = [f"from {_run(d.before)}", f"  to {_run(d.after)}"]
    lines += _section("opened", d.opened)
    lines += _section("closed", d.closed)
    lines += _section("waived", d.waived, waiver=True)
    lines.append(f"still open: {len(d.still_open)}")
    lines += _changes("regressed", d.regressed, True) + _changes("improved", d.improved, False)
    return "\n".join(lines) + "\n"


def render_verify(v: Verification) -> str:
    head = clean(v.head)  # the last run's hash column: a database edited by hand can hold anything
    if not v.problems:
        return f"intact: {v.runs} run(s); head {head}\n"
    lines = [f"NOT intact: {len(v.problems)} problem(s) in {v.runs} run(s); head {head}"]
    return "\n".join(lines + [clean(f"  {p}") for p in v.problems]) + "\n"
