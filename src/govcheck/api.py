"""The library behind the CLI: what tests and other tools import.

``run_check(settings)`` does one pass of the data flow (packs, manifests, evaluation) and
returns a ``RunResult``; ``exit_code`` turns a result into 0 or 1; ``unchecked_paths`` names
the directories that gave it nothing to check.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from govcheck import config, waivers
from govcheck import run as runner
from govcheck.errors import PackError, UsageError
from govcheck.load import discover
from govcheck.model import SEVERITIES, SEVERITY_RANK, WAIVER_RULE, BaselineUse, Digest, Finding, RunResult
from govcheck.packs.loader import DEFAULT_PACK, PackLoader
from govcheck.packs.policy import Policy, build_or_raise, raise_severities
from govcheck.plugins import Registry, load_registry
from govcheck.schema.suggest import did_you_mean

FAIL_ON = ("error", "warning", "info", "never")


@dataclass(frozen=True)
class CheckSettings:
    paths: tuple[str, ...] = (".",)
    exclude: tuple[str, ...] = ()  # gitignore-style patterns for files below the named directories
    packs: tuple[str, ...] = ()
    extra_packs: tuple[str, ...] = ()  # from configuration: always in addition, never instead
    plugins: tuple[str, ...] = ()
    stage: str | None = None
    today: dt.date | None = None
    fail_on: str = "error"
    cwd: Path = field(default_factory=Path.cwd)
    jobs: int = 0  # 0: one per core when there are many manifests, else 1
    waivers: str | None = None
    baseline: str | None = None  # a baseline file: only findings it does not list count
    severity: Mapping[str, str] = field(default_factory=dict)  # raises only, from configuration
    outcomes: bool = True  # per-rule evidence; reporters that never show it can skip the memory


def load_policy(registry: Registry, packs: Iterable[str], cwd: Path, extra: Iterable[str] = ()) -> Policy:
    """The policy of ``packs`` (default: the baseline) and, in addition, of ``extra``: the packs a
    repository's configuration names, which may add rules and tighten, never loosen."""
    loader = PackLoader(registry.pack_sources(), cwd)
    named, extra = tuple(dict.fromkeys(tuple(packs) or (DEFAULT_PACK,))), tuple(dict.fromkeys(extra))
    roots = [loader.load(ref) for ref in named]
    added = [loader.load(ref) for ref in extra if ref not in named]
    if loader.problems:
        raise PackError(f"{len(loader.problems)} problem(s) loading policy packs:", tuple(loader.problems))
    in_use = [p for p in roots if p is not None]
    more = [p for p in added if p is not None]
    policy = build_or_raise([*in_use, *more], registry.checks())
    if more:
        from govcheck.packs import tighten  # only a configuration that adds packs needs it

        files = sorted(
            {discover.display(Path(r.file), cwd) for r in extra if isinstance(r, config.Named) and r.file}
        )
        tighten.require(in_use, more, policy, registry.checks(), ", ".join(files) or "the configuration")
    return policy


def run_check(settings: CheckSettings, registry: Registry | None = None) -> RunResult:
    registry = registry or load_registry(settings.plugins)
    policy = load_policy(registry, settings.packs, settings.cwd, settings.extra_packs)
    if settings.severity:
        policy = raise_severities(policy, settings.severity)
    if settings.stage is not None and settings.stage not in policy.stages:
        raise UsageError(
            f"--stage {settings.stage!r} is not a stage of the loaded packs ({', '.join(policy.stages)})"
            f"{did_you_mean(settings.stage, policy.stages)}"
        )
    today = settings.today or dt.date.today()
    sources = discover.listing(settings.paths, settings.cwd, settings.exclude)
    job = runner.Job(policy, today, settings.stage, settings.cwd, settings.outcomes)
    packed = runner.evaluate_all(job, sources, settings.jobs)
    results = packed.manifest_results()
    findings: Sequence[Finding] = packed.all_findings()  # sorted: sources are in reported order
    waiver_set = (
        waivers.load(Path(settings.waivers), discover.display(Path(settings.waivers), settings.cwd))
        if settings.waivers is not None
        else None
    )
    rules = tuple(r.info for r in policy.rules)
    findings = waivers.apply(
        findings,
        waivers.claims(results),  # every run: a pilot id two manifests claim is an error, waivers or not
        waiver_set,
        today,
        policy.waiver_max_days,
        {r.id for r in rules},
        settings.cwd,
    )
    baselined: BaselineUse | None = None
    if settings.baseline is not None:  # only then: most runs never load the baseline module
        from govcheck import baseline

        shown = discover.display(Path(settings.baseline), settings.cwd)
        findings, baselined = baseline.apply(
            findings, baseline.load(settings.baseline, shown, today), results
        )
    applied = Digest(waiver_set.file, waiver_set.sha256) if waiver_set is not None else None
    return RunResult(
        results,
        findings,
        policy.packs,
        rules,
        today.isoformat(),
        settings.stage or "",
        applied,
        None,
        baselined,
    )


def unchecked_paths(settings: CheckSettings, result: RunResult) -> list[str]:
    """The named directories in which the run found nothing to judge: no manifest, no file problem.

    A gate that checked nothing has not passed (``check`` exits 1 for these unless
    ``--allow-empty``). A named file always gives a manifest or a finding, so only directories
    can come up empty.
    """
    left = {p: discover.display(Path(p), settings.cwd) for p in settings.paths if Path(p).is_dir()}
    if len(left) == len(settings.paths) == 1 and len(result.manifests):
        return []  # the usual run, one directory with manifests in it: no pass over the results
    about_files = (f.file for f in result.findings if f.rule != WAIVER_RULE)  # waivers are no manifest
    for file in itertools.chain((m.file for m in result.manifests), about_files):
        if not left:
            break
        for path, shown in list(left.items()):
            if (not os.path.isabs(file)) if shown == "." else file.startswith(shown + "/"):
                del left[path]
    return list(left)


def exit_code(result: RunResult, fail_on: str) -> int:
    """1 when an unsuppressed finding is at or above ``fail_on``, else 0."""
    if fail_on == "never":
        return 0
    counts = result.counts()
    return int(any(counts[s] for s in SEVERITIES if SEVERITY_RANK[s] >= SEVERITY_RANK[fail_on]))
