"""The typed shapes plugins provide and receive: checks, reporters, pack sources."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, NamedTuple, Protocol

from govcheck.lang.fieldpath import FieldPath as FieldPath  # re-exported: the plugin API
from govcheck.lang.fieldpath import parse as _parse
from govcheck.model import MISSING as MISSING
from govcheck.model import DocPath as DocPath
from govcheck.model import RunResult

parse_field_path = _parse
"""Parse a field path such as ``spec.metrics[*].name``; ``ValueError`` with a reason if malformed."""


class CheckContext(NamedTuple):
    """What a compiled check sees of one manifest."""

    data: Any
    file: Path
    repo_root: Path
    today: dt.date
    tier: str
    stage: str


class Failure(NamedTuple):
    """One place where a check failed: the path it is about and the value found there."""

    path: DocPath
    value: Any = MISSING
    detail: str = ""


Evaluator = Callable[[CheckContext], Sequence[Failure]]


class CheckCompiler(Protocol):
    def __call__(self, target: str, params: Mapping[str, Any]) -> Evaluator: ...


Stricter = Literal["lower", "higher", "subset", "superset", "true", "schema"]
"""Which change of a check parameter makes the check stricter: a ``lower`` or ``higher`` number,
a ``subset`` or ``superset`` of a list (one text counts as a list of one), ``true`` rather than
false, or a ``schema`` that accepts fewer values."""


class CheckSpec(NamedTuple):
    """A check function a pack can name in ``check:``.

    ``compile`` runs once per rule (and per tier, for per-tier parameters) when packs are
    compiled; the evaluator it returns runs once per manifest. It may raise ``ValueError``
    with a message for a bad target or parameter, which becomes a pack error.

    ``stricter`` says, per parameter, which change makes the check stricter. A pack added by a
    repository's configuration may change a parameter only that way; one without an entry
    (a pattern, an expression) it may not change at all.
    """

    name: str
    compile: CheckCompiler
    params: Mapping[str, bool] = MappingProxyType({})  # name -> required
    description: str = ""
    stricter: Mapping[str, Stricter] = MappingProxyType({})


class ReportOptions(NamedTuple):
    color: bool = False
    verbose: bool = False
    quiet: bool = False
    base_uri: str = ""


class Renderer(Protocol):
    def __call__(self, result: RunResult, options: ReportOptions) -> str: ...


class Streamer(Protocol):
    def __call__(self, result: RunResult, options: ReportOptions) -> Iterable[str]: ...


class ReporterSpec(NamedTuple):
    """An output format for ``--format NAME``; ``render`` returns the whole report.

    ``needs_outcomes``: the report shows per-rule outcomes (``ManifestResult.outcomes``). When
    no chosen format needs them, ``govcheck check`` does not keep them, so its memory stays flat
    however many manifests it reads.

    ``stream``, when given, yields the same report in pieces that concatenate to ``render``'s
    text; ``govcheck check`` writes them as they come instead of holding the whole report.

    ``needs_provenance``: the report shows ``RunResult.provenance`` (versions, commit, settings
    files' digests). Collecting it runs git, so ``govcheck check`` does so only when a chosen
    format asks for it or the run is recorded; otherwise ``provenance`` is None.
    """

    name: str
    render: Renderer
    description: str = ""
    extension: str = ".txt"
    needs_outcomes: bool = False
    stream: Streamer | None = None
    needs_provenance: bool = False


class PackSource(NamedTuple):
    """A policy pack installed by name, so ``--pack NAME`` and ``extends: [NAME]`` find it."""

    name: str
    path: Path
    description: str = ""


Test = Callable[[Any, CheckContext], "str | None"]
"""A test of one value: None when it passes, else a short reason ("is 12 days old")."""


def path_check(target: str, test: Test) -> Evaluator:
    """The evaluator most checks are: ``test`` applied to every value a field path names.

    A missing value fails with "missing"; a ``[*]`` over a missing or empty list names nothing.
    Raises ``ValueError`` (a pack error at compile time) for a malformed path.
    """
    path = _parse(target)

    def run(ctx: CheckContext) -> Sequence[Failure]:
        failures = []
        for at, value in path.resolve(ctx.data):
            reason = "missing" if value is MISSING else test(value, ctx)
            if reason is not None:
                failures.append(Failure(at, value, reason))
        return failures

    return run


def require(params: Mapping[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    """A check parameter that must be given, of ``kind``; ``ValueError`` naming it otherwise."""
    value = params.get(name, MISSING)
    if value is MISSING:
        raise ValueError(f"parameter {name!r} is required")
    if not isinstance(value, kind) or isinstance(value, bool) and kind is int:
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ValueError(f"parameter {name!r} must be {names}, not {value!r}")
    return value
