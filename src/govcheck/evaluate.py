"""Evaluate one pilot manifest against a compiled policy: tier, stage, rules, findings."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from govcheck.interfaces import MISSING, CheckContext, Failure
from govcheck.lang.expression import truthy
from govcheck.lang.fieldpath import dotted
from govcheck.load.manifest import Target
from govcheck.load.yaml import Document
from govcheck.model import SCHEMA_RULE, Finding, ManifestResult, Outcome, Status
from govcheck.packs.applicability import not_applicable
from govcheck.packs.policy import Policy
from govcheck.packs.rules import CompiledRule
from govcheck.schema import validate


def evaluate(target: Target, policy: Policy, today: dt.date, stage: str | None) -> ManifestResult:
    doc, data = target.doc, target.doc.data
    spec = data.get("spec") if isinstance(data.get("spec"), dict) else {}
    pilot = str(_get(data, "metadata", "id") or "")
    findings = [
        _schema_finding(doc, p.path, p.line, p.column, p.message, pilot)
        for p in validate.problems(doc, "pilot-manifest")
    ]
    data, phi = _with_phi(data, spec)
    if phi is not None:
        findings.append(_phi_finding(doc, spec, phi, pilot))
    raw_tier = spec.get("risk_tier")
    declared = raw_tier if isinstance(raw_tier, str) else ""
    # A blank tier is no tier: every tier-gated rule would be not-applicable. Other types: the schema said it.
    if (raw_tier is None or isinstance(raw_tier, str)) and declared not in policy.tiers:
        findings.append(_tier_finding(doc, raw_tier, policy, pilot))
    tier, reasons = _effective_tier(data, declared if declared in policy.tiers else "", policy)
    own_stage = spec.get("stage")
    if own_stage is None:  # without a stage, every stage-gated rule would be not-applicable
        findings.append(_stage_finding(doc, policy, pilot))
    stage = stage or (own_stage if isinstance(own_stage, str) else "")
    ctx = CheckContext(data, target.file, target.repo_root, today, tier, stage)
    outcomes = []
    for rule in policy.rules:
        reason = not_applicable(rule, data, tier, stage)
        if reason:
            outcomes.append(_outcome(rule.info.id, "not-applicable", reason))
            continue
        failed = _run(rule, ctx, doc, pilot, declared)
        findings.extend(failed)
        outcomes.append(_outcome(rule.info.id, "fail" if failed else "pass"))
    return ManifestResult(
        doc.file, doc.index, pilot, declared, tier, tuple(reasons), stage, tuple(outcomes), tuple(findings)
    )


@functools.lru_cache(maxsize=8192)
def _outcome(rule: str, status: Status, reason: str = "") -> Outcome:
    """Outcomes are immutable and repeat across manifests: share them, 10,000 manifests hold 200,000."""
    return Outcome(rule, status, reason)


def _with_phi(data: Any, spec: dict[str, Any]) -> tuple[Any, int | None]:
    """The data the rules judge, and the index of a data source whose PHI ``spec.scope.phi`` denies.

    Tiering and PHI rules read ``spec.scope.phi``; a feed marked ``phi: true`` is the fact, so a
    scope that says false, or nothing, is judged as PHI (and reported, ``_phi_finding``).
    """
    scope = spec.get("scope")
    sources = _get(spec, "data", "sources")
    if (isinstance(scope, dict) and scope.get("phi") is True) or not isinstance(sources, list):
        return data, None
    index = next((i for i, s in enumerate(sources) if isinstance(s, dict) and s.get("phi") is True), None)
    if index is None:
        return data, None
    scope = {**scope, "phi": True} if isinstance(scope, dict) else {"phi": True}
    return {**data, "spec": {**spec, "scope": scope}}, index


def _phi_finding(doc: Document, spec: dict[str, Any], index: int, pilot: str) -> Finding:
    path = ("spec", "scope", "phi")
    line, column, _ = doc.locate(path)
    stated = _get(spec, "scope", "phi")
    said = "missing" if stated is None else "false" if stated is False else repr(stated)
    name = _get(spec, "data", "sources")[index].get("name")
    feed = (
        f"{name!r} (spec.data.sources[{index}])" if isinstance(name, str) else f"spec.data.sources[{index}]"
    )
    message = (
        f"spec.scope.phi is {said}, but data source {feed} has phi: true; "
        "the pilot is judged as using PHI: set spec.scope.phi: true"
    )
    return _schema_finding(doc, path, line, column, message, pilot)


def _effective_tier(data: Any, declared: str, policy: Policy) -> tuple[str, list[str]]:
    tier, reasons = declared, []
    for raise_ in policy.tiering:
        if policy.rank(raise_.minimum) > policy.rank(tier) and truthy(raise_.when.search(data)):
            reasons.append(
                f"{raise_.id}: {raise_.reason} (raised from {tier or 'no tier'} to {raise_.minimum})"
            )
            tier = raise_.minimum
    return tier, reasons


def _run(rule: CompiledRule, ctx: CheckContext, doc: Document, pilot: str, declared: str) -> list[Finding]:
    compiled = rule.by_tier.get(ctx.tier or next(iter(rule.by_tier), ""))
    assert compiled is not None
    evaluator, params = compiled
    try:
        failures = list(evaluator(ctx))
    except Exception as exc:  # a plugin's check must not stop the other rules
        failures = [
            Failure(("spec",), MISSING, f"the {rule.check_name} check raised {type(exc).__name__}: {exc}")
        ]
    return [_finding(rule, f, ctx, doc, pilot, declared, params) for f in failures]


def _finding(
    rule: CompiledRule,
    failure: Failure,
    ctx: CheckContext,
    doc: Document,
    pilot: str,
    declared: str,
    params: Any,
) -> Finding:
    line, column, _ = doc.locate(failure.path)
    where = dotted(failure.path)
    value = "missing" if failure.value is MISSING else failure.value
    fields = {
        **params,
        "tier": ctx.tier or "(no tier)",
        "declared_tier": declared or "(none)",
        "stage": ctx.stage or "(none)",
        "path": where,
        "value": value,
        "id": pilot,
        "detail": failure.detail,
    }
    try:
        message = rule.message.format_map(_Template(fields))
    except (
        ValueError,
        IndexError,
        AttributeError,
        KeyError,
    ):  # compile checks templates; a plugin's rule may not
        message = rule.message
    if failure.detail and "{detail}" not in rule.message:
        message = f"{message} ({where}: {failure.detail})"
    info = rule.info
    return Finding(
        rule=info.id,
        severity=info.severity,
        message=message,
        file=doc.file,
        line=line,
        column=column,
        path=where,
        pilot=pilot,
        category=info.category,
        title=info.title,
        remediation=info.remediation,
        references=info.references,
        pack=info.pack,
        pack_version=rule.pack_version,
        tier=ctx.tier,
        stage=ctx.stage,
        document=doc.index,
    )


class _Template(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _schema_finding(
    doc: Document, path: tuple[Any, ...], line: int, column: int, message: str, pilot: str
) -> Finding:
    return Finding(
        rule=SCHEMA_RULE,
        severity="error",
        message=message,
        file=doc.file,
        line=line,
        column=column,
        path=dotted(path),
        pilot=pilot,
        category="schema",
        title="The manifest follows the pilot manifest schema",
        remediation="Fix the field as the message says; `govcheck schema manifest` prints the schema.",
        document=doc.index,
    )


def _tier_finding(doc: Document, declared: str | None, policy: Policy, pilot: str) -> Finding:
    path = ("spec", "risk_tier")
    line, column, _ = doc.locate(path)
    tiers = ", ".join(policy.tiers)
    if declared is None:
        message = f"spec.risk_tier: missing; declare one of {tiers}"
    elif not declared.strip():
        message = f"spec.risk_tier: {declared!r} is blank; declare one of {tiers}"
    else:
        message = f"spec.risk_tier: {declared!r} is not one of {tiers}"
    return _schema_finding(doc, path, line, column, message, pilot)


def _stage_finding(doc: Document, policy: Policy, pilot: str) -> Finding:
    path = ("spec", "stage")
    line, column, _ = doc.locate(path)
    message = f"spec.stage: missing; declare the pilot's stage, one of {', '.join(policy.stages)}"
    return _schema_finding(doc, path, line, column, message, pilot)


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data
