"""The values every stage hands on: document paths, findings, outcomes, run results.

A ``Finding`` is the single currency between evaluation and reporting; reporters never see
YAML nodes, JMESPath results or jsonschema errors. This module imports nothing of govcheck, so
every stage may use it.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal, NamedTuple

PathPart = str | int
DocPath = tuple[PathPart, ...]
"""Where a value sits in a document: ``("spec", "owners", 0, "name")``."""


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
"""The value a path resolves to when the manifest does not have it."""

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}
Status = Literal["pass", "fail", "not-applicable"]

# Reserved rule ids for problems with the manifest file itself rather than its content.
PARSE_RULE = "GC-PARSE"
SCHEMA_RULE = "GC-SCHEMA"
KIND_RULE = "GC-KIND"
WAIVER_RULE = "GC-WAIVER"
DUPLICATE_ID_RULE = "GC-DUPLICATE-ID"  # two manifests of a run claim one metadata.id


def _reduce(self: Any) -> tuple[type, tuple[Any, ...]]:
    """Pickle by constructor arguments: about twice as fast, both ways, as the state functions
    dataclasses gives frozen slotted classes, and a large run packs every finding."""
    return type(self), tuple(getattr(self, name) for name in self.__slots__)


@dataclass(frozen=True, slots=True)
class Suppression:
    """Why a finding does not count: an approved, unexpired waiver, or (``kind`` "baseline") an
    entry of the baseline named in ``reference``, recorded by ``approved_by``."""

    __reduce__ = _reduce

    justification: str
    approved_by: str
    expires: str
    reference: str = ""
    kind: Literal["waiver", "baseline"] = "waiver"

    @property
    def baseline(self) -> bool:
        return self.kind == "baseline"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one manifest document, with all a reporter prints, so no reporter needs the policy.

    ``line`` and ``column`` are 1-based; ``document`` is the document's 0-based index in its file,
    ``path`` the dotted manifest path and ``pilot`` its ``metadata.id``. A waived finding keeps its
    ``suppression`` rather than being dropped: each reporter decides whether to show it.
    """

    __reduce__ = _reduce

    rule: str
    severity: Severity
    message: str
    file: str
    line: int = 1
    column: int = 1
    path: str = ""
    pilot: str = ""
    category: str = ""
    title: str = ""
    remediation: str = ""
    references: tuple[str, ...] = ()
    pack: str = ""
    pack_version: str = ""
    tier: str = ""
    stage: str = ""
    suppression: Suppression | None = None
    document: int = 0

    @property
    def suppressed(self) -> bool:
        return self.suppression is not None

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        return (self.file, self.line, self.column, self.rule, self.path, self.message)

    @property
    def fingerprint(self) -> str:
        """Stable across runs and machines and when unrelated lines move.

        Built from what the finding is about (file, document, pilot, rule, manifest path; the
        message when there is no path), never from the line number or an absolute path.
        """
        return fingerprint(self.file, self.document, self.pilot, self.rule, self.path, self.message)


def fingerprint(file: str, document: int, pilot: str, rule: str, path: str, message: str) -> str:
    """``Finding.fingerprint`` of a finding with these fields: for values that keep a finding's
    fields but are no ``Finding`` (a portfolio's rows), so both give the same identity."""
    key = "\x1f".join((file, str(document), pilot, rule, path or message))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one rule for one manifest: evidence of what was checked."""

    __reduce__ = _reduce

    rule: str
    status: Status
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ManifestResult:
    """One manifest document evaluated: its effective tier, the stage it was judged at, its findings.

    ``tier_reasons`` say why ``tier`` is above ``declared_tier``; ``outcomes`` holds one per rule,
    in policy order, or none when the run did not keep them.
    """

    __reduce__ = _reduce

    file: str
    document: int
    pilot: str
    declared_tier: str
    tier: str
    tier_reasons: tuple[str, ...]
    stage: str
    outcomes: tuple[Outcome, ...]
    findings: tuple[Finding, ...]
    sha256: str = ""  # of the file's bytes as they were read and judged; "" when not read from a file


@dataclass(frozen=True)
class PackInfo:
    """One pack in use, as reports and the lock file record it.

    ``source`` is ``installed:NAME`` or the path it was loaded from; ``digest`` is the sha256 of
    the pack file, which ``check --locked`` compares with the lock file.
    """

    name: str
    version: str
    source: str
    digest: str


class Digest(NamedTuple):
    """A settings file a run read (configuration, waivers), as reports show it, and its sha256."""

    file: str
    sha256: str


@dataclass(frozen=True)
class Recorded:
    """A run kept in a history database: its id and UTC times (ISO 8601 with ``Z``).

    Only a recorded run's reports carry these, so a report of an unrecorded run stays the same
    bytes for the same input, and a recorded one can be matched to its record.
    """

    run_id: str
    started: str
    finished: str


@dataclass(frozen=True)
class Provenance:
    """Who judged and from what: versions, the commit and state of the work tree, settings files.

    ``commit`` is "" outside a git work tree (or when git could not tell), ``dirty`` None when
    it could not be told; ``repository`` the remote's URL without credentials, "" when there is
    none that can be shown. ``plugins`` are (distribution, version), sorted; a ``--plugin``
    module that no distribution installed is listed by its module name, with version "".
    """

    govcheck_version: str
    plugins: tuple[tuple[str, str], ...] = ()
    commit: str = ""
    dirty: bool | None = None
    repository: str = ""
    config: Digest | None = None
    waivers: Digest | None = None
    fail_on: str = "error"
    exit_code: int = 0
    recorded: Recorded | None = None


@dataclass(frozen=True)
class BaselineEntry:
    """One finding a baseline records: its fingerprint, what it was about, who recorded it and when."""

    fingerprint: str
    rule: str
    pilot: str
    file: str
    path: str
    message: str
    created: str
    created_by: str
    line: int = 0  # where the entry is in the baseline file, 0 for one not read from a file


@dataclass(frozen=True)
class BaselineUse:
    """The baseline a run applied: its file and sha256, and the entries that no longer occur in
    the files the run judged (the ones to remove)."""

    file: str
    sha256: str
    entries: int
    gone: tuple[BaselineEntry, ...] = ()


@dataclass(frozen=True)
class RunResult:
    """One run. ``manifests`` and ``findings`` may be lazy (``packed.Lazy``): iterate them, each pass costs.

    Both are in reported order: manifests by (file, document), findings by ``Finding.sort_key``.
    ``waivers`` is the waiver file the run applied, ``baseline`` the baseline; ``provenance`` is
    set by the command only when a report or the history needs it (collecting it runs git).
    """

    manifests: Sequence[ManifestResult]
    findings: Sequence[Finding]
    packs: tuple[PackInfo, ...]
    rules: tuple[RuleInfo, ...] = ()
    today: str = ""
    stage: str = ""
    waivers: Digest | None = None
    provenance: Provenance | None = None
    baseline: BaselineUse | None = None

    def counts(self) -> dict[str, int]:
        return dict(self._counts)

    def with_provenance(self, provenance: Provenance) -> RunResult:
        """The same result with ``provenance``; counts already made are kept (a pass over the
        findings of a large run costs)."""
        out = dataclasses.replace(self, provenance=provenance)
        if "_counts" in self.__dict__:
            out.__dict__["_counts"] = self._counts
        return out

    @cached_property
    def _counts(self) -> dict[str, int]:
        out: dict[str, int] = {s: 0 for s in SEVERITIES}
        out["suppressed"] = 0
        baselined = 0
        for f in self.findings:
            out["suppressed" if f.suppressed else f.severity] += 1
            baselined += f.suppression is not None and f.suppression.baseline
        if self.baseline is not None:  # only then: a report of a run without one keeps its bytes
            out["baselined"] = baselined
        return out


@dataclass(frozen=True)
class RuleInfo:
    """What a reporter may say about a rule (SARIF and docs list every rule that ran)."""

    id: str
    title: str
    category: str
    severity: Severity
    rationale: str
    remediation: str
    references: tuple[str, ...]
    pack: str
    docs_url: str = ""
    # The scale problems the rule addresses (the pack's ``addresses``), for docs; findings and
    # the JSON and SARIF outputs do not carry them, so those stay as they were.
    addresses: tuple[str, ...] = ()
    # The enterprise capability a failure points at (the pack's ``capability``), "" for none: the
    # portfolio tells platform gaps from redesign by it. Findings, JSON and SARIF do not carry it.
    capability: str = ""


def sort_findings(findings: list[Finding]) -> tuple[Finding, ...]:
    """Findings in reported order (``Finding.sort_key``), the order ``RunResult.findings`` promises."""
    return tuple(sorted(findings, key=Finding.sort_key))
