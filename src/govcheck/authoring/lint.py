"""``govcheck pack lint``: every problem of a pack in one run, each at its file and line.

Loading (``PackLoader``) and compiling (``policy.build``) already collect their problems
rather than stopping at the first; lint reuses both, keeps going past schema errors
(``salvage``), and adds the author-only checks of ``lint_checks``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from govcheck.authoring import lint_checks
from govcheck.authoring.salvage import salvage
from govcheck.errors import Problem
from govcheck.load.discover import display
from govcheck.packs import policy
from govcheck.packs.loader import LoadedPack, PackLoader
from govcheck.plugins import Registry

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class LintReport:
    """Every problem of a pack and what it extends, each once, sorted by file, line and column.

    The order depends only on the problems, so two runs over the same pack print the same list.
    """

    pack: str
    problems: tuple[Problem, ...]

    def count(self, severity: Level) -> int:
        return sum(1 for p in self.problems if p.severity == severity)

    @property
    def exit_code(self) -> int:
        """1 when there is an error; warnings alone do not fail."""
        return int(self.count("error") > 0)


def lint(path: Path, registry: Registry, cwd: Path) -> LintReport:
    """Lint the pack at ``path`` (a pack file or its directory) and everything it extends."""
    file = path / "pack.yaml" if path.is_dir() else path
    loader = PackLoader(registry.pack_sources(), cwd)
    root = loader.load(file.resolve().as_posix()) or salvage(file, loader)
    found: list[Problem] = []
    if root is not None:
        _, problems = policy.build([root], registry.checks())
        found += [_error(p) for p in problems]

        def emit(pack: LoadedPack, at: tuple[Any, ...], severity: str, message: str) -> None:
            where = pack.where(at, message)
            found.append(Problem(where.file, where.line, where.column, message, severity))

        lint_checks.check(root.lineage(), registry.checks(), emit)
    found = [_error(p) for p in loader.problems] + found
    unique = sorted(set(found), key=lambda p: (p.file, p.line, p.column, p.severity, p.message))
    return LintReport(display(file, cwd), tuple(unique))


def _error(problem: Problem) -> Problem:
    return Problem(problem.file, problem.line, problem.column, problem.message, "error")


def render_text(report: LintReport) -> str:
    """One ``file:line:col: severity message`` line per problem (the form editors jump to), then counts."""
    lines = [str(p) for p in report.problems]
    errors, warnings = report.count("error"), report.count("warning")
    summary = (
        f"{report.pack}: {errors} error(s), {warnings} warning(s)"
        if report.problems
        else f"{report.pack}: no problems"
    )
    return "\n".join([*lines, summary]) + "\n"


def render_json(report: LintReport) -> str:
    """The report as JSON: the pack, the error and warning counts, and each problem with its position."""
    body = {
        "pack": report.pack,
        "errors": report.count("error"),
        "warnings": report.count("warning"),
        "problems": [
            {"file": p.file, "line": p.line, "column": p.column, "message": p.message, "severity": p.severity}
            for p in report.problems
        ],
    }
    return json.dumps(body, indent=2) + "\n"
