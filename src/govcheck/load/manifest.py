"""Load one file's pilot manifests; a file that cannot be read is a finding, not a crash."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from govcheck.load.discover import Source, display
from govcheck.load.yaml import Document, ParseError, load_all, read_text
from govcheck.model import KIND_RULE, PARSE_RULE, Finding

KIND = "AIPilot"


@dataclass(frozen=True)
class Target:
    """A manifest document to evaluate, and where it lives."""

    doc: Document
    file: Path
    repo_root: Path


def load(source: Source, cwd: Path) -> tuple[list[Target], list[Finding]]:
    """The AIPilot documents of one file, or the findings that say why it cannot be read."""
    shown = source.shown or display(source.path, cwd)
    try:
        raw = source.path.read_bytes()
    except OSError as exc:
        return [], [_problem(PARSE_RULE, shown, 1, 1, f"cannot read the file: {exc.strerror or exc}")]
    if not source.explicit and KIND.encode() not in raw:
        return [], []  # other YAML in a scanned directory is not ours to judge
    try:
        docs = [d for d in load_all(read_text(shown, raw), shown) if d.data is not None]
    except ParseError as exc:
        return [], [_problem(PARSE_RULE, shown, exc.line, exc.column, exc.message)]
    pilots = [d for d in docs if isinstance(d.data, dict) and d.data.get("kind") == KIND]
    if not pilots:
        if not source.explicit:
            return [], []
        return [], [_not_a_manifest(shown, docs)]
    root = repo_root(source.path.resolve().parent)
    return [Target(d, source.path, root) for d in pilots], []


def _not_a_manifest(shown: str, docs: list) -> Finding:  # type: ignore[type-arg]
    if not docs:
        return _problem(
            PARSE_RULE,
            shown,
            1,
            1,
            "the file is empty; a pilot manifest starts with apiVersion: govcheck/v1 and kind: AIPilot",
        )
    doc = docs[0]
    kind = doc.data.get("kind") if isinstance(doc.data, dict) else None
    line, column, _ = doc.locate(("kind",))
    what = f"kind is {kind!r}" if kind is not None else "it has no kind"
    return _problem(KIND_RULE, shown, line, column, f"not a pilot manifest: {what}; expected kind: {KIND}")


def _problem(rule: str, file: str, line: int, column: int, message: str) -> Finding:
    return Finding(
        rule=rule,
        severity="error",
        message=message,
        file=file,
        line=line,
        column=column,
        category="schema",
        title="The file is a readable pilot manifest",
        remediation="Fix the YAML at the line shown; a manifest is one mapping with apiVersion: govcheck/v1 and kind: AIPilot.",
    )


@lru_cache(maxsize=256)
def repo_root(directory: Path) -> Path:
    """The enclosing git work tree, else the directory itself: evidence may not leave it."""
    for candidate in (directory, *directory.parents):
        if (candidate / ".git").exists():
            return candidate
    return directory
