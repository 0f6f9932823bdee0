"""Evaluate one pilot manifest against a compiled policy: tier, stage, rules, findings."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Iterator
from typing import Any

from govcheck.interfaces import MISSING, CheckContext, Failure
from govcheck.lang.expression import ExpressionError, truthy
from govcheck.lang.fieldpath import dotted
from govcheck.lang.values import one_line
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
        _schema_finding(doc, p.path, p.line, p.column, p.message, pilot, p.fix)
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
    overruns: list[str] = []
    tier, reasons = _effective_tier(data, declared if declared in policy.tiers else "", policy, overruns)
    findings.extend(_tiering_finding(doc, message, pilot) for message in overruns)
    own_stage = spec.get("stage")
    if own_stage is None:  # without a stage, every stage-gated rule would be not-applicable
        findings.append(_stage_finding(doc, policy, pilot))
    stage = stage or (own_stage if isinstance(own_stage, str) else "")
    ctx = CheckContext(data, target.file, target.repo_root, today, tier, stage)
    outcomes = []
    for rule in policy.rules:
        try:
            reason = not_applicable(rule, data, tier, stage)
        except ExpressionError as exc:  # a guard that is neither true nor false: the rule fails
            failure = Failure(("spec",), MISSING, f"applies.when could not be judged: {exc}")
            found = _finding(rule, failure, ctx, doc, pilot, declared, {})
            findings.append(dataclasses.replace(found, severity="error"))
            outcomes.append(_outcome(rule.info.id, "fail"))
            continue
        if reason:
            outcomes.append(_outcome(rule.info.id, "not-applicable", reason))
            continue
        failed = _run(rule, ctx, doc, pilot, declared)
        findings.extend(failed)
        outcomes.append(_outcome(rule.info.id, "fail" if failed else "pass"))
    return ManifestResult(
        doc.file,
        doc.index,
        pilot,
        declared,
        tier,
        tuple(reasons),
        stage,
        tuple(outcomes),
        tuple(findings),
        target.sha256,
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


def _effective_tier(data: Any, declared: str, policy: Policy, overruns: list[str]) -> tuple[str, list[str]]:
    """The tier after the policy's raises; a raise whose guard overran its bounds is applied (the
    stricter tier is the safe guess) and its reason goes to ``overruns``."""
    tier, reasons = declared, []
    for raise_ in policy.tiering:
        if policy.rank(raise_.minimum) <= policy.rank(tier):
            continue
        try:
            raised = truthy(raise_.when.search(data))
        except ExpressionError as exc:
            overruns.append(f"tiering {raise_.id}: when could not be judged, so it is applied: {exc}")
            raised = True
        if raised:
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
    # A message shows values from the manifest, and one large value aliased many times would be
    # copied into every finding: each is shown cut to _MAX_VALUE characters, the message to _MAX_MESSAGE.
    fields = {
        **params,
        "tier": ctx.tier or "(no tier)",
        "declared_tier": declared or "(none)",
        "stage": ctx.stage or "(none)",
        "path": _shown(where),
        "value": _shown(value),
        "id": _shown(pilot),
        "detail": _capped(failure.detail, _MAX_MESSAGE),
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
        message = f"{message} ({fields['path']}: {fields['detail']})"
    message = one_line(_capped(message, _MAX_MESSAGE))  # no manifest text may start a line of a log
    info = rule.info
    return Finding(
        rule=info.id,
        severity=info.severity,
        message=message,
        file=doc.file,
        line=line,
        column=column,
        path=one_line(where),
        pilot=one_line(pilot),
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


_MAX_VALUE = 200
_MAX_MESSAGE = 2_000


def _shown(value: Any) -> Any:
    """The value itself when its text is short, else its text cut to ``_MAX_VALUE`` characters.

    The text is built piece by piece and stops at the cut: a list that shares one value in many
    places can be far larger written out than in memory.
    """
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return value if len(value) <= _MAX_VALUE else _capped(value, _MAX_VALUE)
    text, size = [], 0
    for piece in _pieces(value, top=True):
        text.append(piece)
        size += len(piece)
        if size > _MAX_VALUE:
            kind = (
                f"a list of {len(value):,} items"
                if isinstance(value, list)
                else f"an object of {len(value):,} keys"
                if isinstance(value, dict)
                else type(value).__name__
            )
            return f"{''.join(text)[:_MAX_VALUE]}… ({kind})"
    return value


def _pieces(value: Any, top: bool = False) -> Iterator[str]:
    """``str(value)`` in pieces, in order: lists and dicts as Python prints them."""
    if isinstance(value, list):
        yield "["
        for i, item in enumerate(value):
            yield ", " if i else ""
            yield from _pieces(item)
        yield "]"
    elif isinstance(value, dict):
        yield "{"
        for i, (key, item) in enumerate(value.items()):
            yield ", " if i else ""
            yield from _pieces(key)
            yield ": "
            yield from _pieces(item)
        yield "}"
    elif isinstance(value, str):
        # Only a prefix is ever shown: do not copy a long text to show its start.
        yield value[: _MAX_VALUE + 1] if top else repr(value[: _MAX_VALUE + 1])
    else:
        yield str(value) if top else repr(value)


def _capped(text: str, limit: int) -> str:
    """The text, or its first ``limit`` characters, an ellipsis and how long it was."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"


class _Template(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _schema_finding(
    doc: Document, path: tuple[Any, ...], line: int, column: int, message: str, pilot: str, fix: str = ""
) -> Finding:
    return Finding(
        rule=SCHEMA_RULE,
        severity="error",
        # The validator quotes the offending value in full; an aliased large value repeats per finding.
        message=one_line(_capped(message, _MAX_MESSAGE)),
        file=doc.file,
        line=line,
        column=column,
        path=one_line(dotted(path)),
        pilot=one_line(pilot),
        category="schema",
        title="The manifest follows the pilot manifest schema",
        remediation=fix or "Fix the field as the message says; `govcheck schema manifest` prints the schema.",
        document=doc.index,
    )


def _tiering_finding(doc: Document, message: str, pilot: str) -> Finding:
    path = ("spec", "risk_tier")
    line, column, _ = doc.locate(path)
    return _schema_finding(doc, path, line, column, message, pilot)


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
    fix = f"Write `risk_tier` as one of: {tiers} (the tiers of the loaded packs)."
    return _schema_finding(doc, path, line, column, message, pilot, fix)


def _stage_finding(doc: Document, policy: Policy, pilot: str) -> Finding:
    path = ("spec", "stage")
    line, column, _ = doc.locate(path)
    message = f"spec.stage: missing; declare the pilot's stage, one of {', '.join(policy.stages)}"
    fix = f"Add `stage:` under `spec`, one of: {', '.join(policy.stages)}."
    return _schema_finding(doc, path, line, column, message, pilot, fix)


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data
