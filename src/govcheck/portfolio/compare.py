"""What a policy change would do: the same pilots judged under the current packs and a changed set.

A governance team previews a new version of a pack before rolling it out, so a compared pack
*replaces* the current pack of the same name (``metadata.name``); a pack no current pack is
named like is *added* to them. Both sides are judged exactly as ``govcheck portfolio`` judges
(each pilot at its next gate); for every pilot the comparison gives the verdict and blocking
findings before and after, and for the portfolio the pilots changing verdict and the blocking
findings added and removed per rule. A finding is the same finding on both sides when its
fingerprint is (rule, file, document, pilot and manifest path), so a reworded message is not a
change. The rules are in ``docs/portfolio.md``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from govcheck.errors import PackError
from govcheck.model import Finding, ManifestResult, PackInfo
from govcheck.packs.loader import PackLoader
from govcheck.packs.policy import Policy
from govcheck.plugins import Registry, load_registry
from govcheck.portfolio.model import (
    BLOCKING,
    RETIRED,
    VERDICTS,
    FindingRow,
    Portfolio,
    build,
    finding_row,
    label,
)
from govcheck.portfolio.run import (
    PortfolioSettings,
    Progress,
    evaluate_portfolio,
    portfolio_policy,
    root_packs,
)


@dataclass(frozen=True)
class PilotChange:
    """One pilot under both policies: verdicts, blocking findings, and what changed between them."""

    pilot: str
    file: str
    document: int
    verdict_before: str
    verdict_after: str
    blocking_before: tuple[FindingRow, ...]
    blocking_after: tuple[FindingRow, ...]
    added: tuple[FindingRow, ...]  # blocking after, not before
    removed: tuple[FindingRow, ...]  # blocking before, not after

    @property
    def changed(self) -> bool:
        return self.verdict_before != self.verdict_after


@dataclass(frozen=True)
class RuleChange:
    """Blocking findings of one rule that the change adds and removes, over all pilots."""

    rule: str
    added: int
    removed: int


@dataclass(frozen=True)
class Comparison:
    """The current packs against the changed ones, for the same pilots in portfolio order."""

    packs_before: tuple[PackInfo, ...]
    packs_after: tuple[PackInfo, ...]
    replaced: tuple[str, ...]  # pack names a compared pack replaced
    added_packs: tuple[str, ...]  # pack names a compared pack added
    pilots: tuple[PilotChange, ...]
    by_rule: tuple[RuleChange, ...]  # by rule id; only rules with something added or removed
    before: Portfolio  # the portfolio under the current packs
    after: Portfolio  # the portfolio under the changed packs

    @property
    def changed(self) -> int:
        """Pilots whose verdict changes."""
        return sum(1 for p in self.pilots if p.changed)

    @property
    def transitions(self) -> tuple[tuple[str, str, int], ...]:
        """(verdict before, verdict after, pilots) for every verdict that changes, most first."""
        moves = Counter((p.verdict_before, p.verdict_after) for p in self.pilots if p.changed)
        return tuple((a, b, n) for (a, b), n in sorted(moves.items(), key=lambda kv: (-kv[1], kv[0])))


def _blocking(m: ManifestResult) -> dict[str, Finding]:
    return {f.fingerprint: f for f in m.findings if f.severity == BLOCKING and not f.suppressed}


def _change(name: str, m0: ManifestResult, m1: ManifestResult, v0: str, v1: str) -> PilotChange:
    # A retired pilot is listed, not judged, on either side: it has no blocking findings.
    b0 = {} if v0 == RETIRED else _blocking(m0)
    b1 = {} if v1 == RETIRED else _blocking(m1)
    return PilotChange(
        name,
        m0.file,
        m0.document,
        v0,
        v1,
        tuple(map(finding_row, b0.values())),
        tuple(map(finding_row, b1.values())),
        tuple(finding_row(f) for k, f in b1.items() if k not in b0),
        tuple(finding_row(f) for k, f in b0.items() if k not in b1),
    )


def _by_rule(pilots: Iterable[PilotChange]) -> tuple[RuleChange, ...]:
    added: Counter[str] = Counter()
    removed: Counter[str] = Counter()
    for p in pilots:
        added.update(f.rule for f in p.added)
        removed.update(f.rule for f in p.removed)
    return tuple(RuleChange(r, added[r], removed[r]) for r in sorted(added.keys() | removed.keys()))


def changed_refs(
    current: Sequence[str], compared: Sequence[str], names: Mapping[str, str]
) -> tuple[tuple[str, ...], list[str], list[str]]:
    """The root packs after the change, and the names replaced and added, in order.

    ``names`` maps each ref to its pack's ``metadata.name``: a compared pack replaces the
    current pack of its name, or is added when there is none.
    """
    roots, replaced, added = list(dict.fromkeys(current)), [], []
    for new in compared:
        same = [i for i, ref in enumerate(roots) if names[ref] == names[new]]
        if same:
            roots[same[0]] = new
            roots = [ref for i, ref in enumerate(roots) if i not in same[1:]]
            replaced.append(names[new])
        else:
            roots.append(new)
            added.append(names[new])
    return tuple(roots), replaced, added


def policies(
    registry: Registry, compared: Sequence[str], settings: PortfolioSettings
) -> tuple[Policy, Policy, list[str], list[str]]:
    """The current policy and the changed one, each loaded as ``check`` loads packs (the
    configuration's added, tightening only); a pack that cannot be loaded is a ``PackError``."""
    current = root_packs(settings)
    loader = PackLoader(registry.pack_sources(), settings.cwd)
    names = {ref: pack.name for ref in (*current, *compared) if (pack := loader.load(ref)) is not None}
    if loader.problems:
        raise PackError(f"{len(loader.problems)} problem(s) loading policy packs:", tuple(loader.problems))
    after, replaced, added = changed_refs(current, compared, names)
    return (
        portfolio_policy(settings, registry),
        portfolio_policy(settings, registry, after),
        replaced,
        added,
    )


def _half(progress: Progress | None, which: int) -> Progress | None:
    """One pass's progress as half of the whole: the files are evaluated twice, once a side."""
    if progress is None:
        return None
    report = progress
    return lambda done, total: report(which * total + done, 2 * total)


def compare_portfolio(
    settings: PortfolioSettings,
    compared: Sequence[str],
    registry: Registry | None = None,
    progress: Progress | None = None,
) -> Comparison:
    """The same pilots judged under the current packs and under them changed by ``compared``.

    The library call behind ``govcheck portfolio --compare-pack``. Both sides keep every
    finding in memory; ``progress`` counts the files of both passes as one run.
    """
    registry = registry or load_registry(settings.plugins)
    before, after, replaced, added = policies(registry, compared, settings)
    e0 = evaluate_portfolio(settings, registry, _half(progress, 0), before)
    e1 = evaluate_portfolio(settings, registry, _half(progress, 1), after)
    p0, p1 = build(e0), build(e1)
    verdicts1 = {(p.file, p.document): p.verdict for p in p1.pilots}
    results1 = {(m.file, m.document): m for m in e1.result.manifests}
    changes = tuple(
        _change(label(p), m, results1[(m.file, m.document)], p.verdict, verdicts1[(m.file, m.document)])
        for p, m in zip(p0.pilots, e0.result.manifests, strict=True)
    )
    return Comparison(
        before.packs, after.packs, tuple(replaced), tuple(added), changes, _by_rule(changes), p0, p1
    )


def verdict_counts(pilots: Iterable[PilotChange], after: bool) -> dict[str, int]:
    """Pilots per verdict on one side of the comparison, every verdict listed."""
    counts = Counter(p.verdict_after if after else p.verdict_before for p in pilots)
    return {v: counts.get(v, 0) for v in VERDICTS}
