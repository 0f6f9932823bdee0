"""SARIF rule descriptors (``tool.driver.rules``): what code scanning shows beside a result.

GitHub code scanning ignores ``helpUri``, so the link to the rule's documentation is also
written into ``help``; it shows at most 20 tags per rule. A rule links only to the page its pack
names (``metadata.docs_url``): a guessed address would be a dead link in every consumer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from govcheck.model import Finding, RuleInfo

LEVEL = {"error": "error", "warning": "warning", "info": "note"}
MAX_TAGS = 20


def rule_infos(result_rules: Iterable[RuleInfo], findings: Iterable[Finding]) -> list[RuleInfo]:
    """Every rule that ran, then any other rule id a finding names (GC-PARSE...), each once."""
    out: dict[str, RuleInfo] = {}
    for info in result_rules:
        out.setdefault(info.id, info)
    extra: dict[str, RuleInfo] = {}
    for f in findings:
        if f.rule not in out and f.rule not in extra:
            extra[f.rule] = RuleInfo(
                f.rule, f.title, f.category, f.severity, "", f.remediation, f.references, f.pack
            )
    return [*out.values(), *(extra[rule] for rule in sorted(extra))]


def camel_case(text: str, fallback: str) -> str:
    """``An owner after launch is named`` -> ``AnOwnerAfterLaunchIsNamed``."""
    words = re.findall(r"[^\W_]+", text)
    return "".join(w[:1].upper() + w[1:] for w in words) or re.sub(r"\W|_", "", fallback)


def descriptor(info: RuleInfo) -> dict[str, Any]:
    """One rule's ``reportingDescriptor``: title, rationale, and the fix and any docs link in ``help``.

    Tags are the category and references, at most ``MAX_TAGS`` since code scanning shows no more.
    """
    tags = list(dict.fromkeys(t for t in (info.category, *info.references) if t))[:MAX_TAGS]
    url = info.docs_url
    out: dict[str, Any] = {
        "id": info.id,
        "name": camel_case(info.title, info.id),
        "shortDescription": {"text": info.title or info.id},
        "fullDescription": {"text": info.rationale or info.title or info.id},
    }
    if url:
        out["helpUri"] = url
    out["help"] = {"text": _help_text(info, url), "markdown": _help_markdown(info, url)}
    out["defaultConfiguration"] = {"level": LEVEL[info.severity]}
    out["properties"] = {"tags": tags, "precision": "very-high"}
    return out


def _help_text(info: RuleInfo, url: str) -> str:
    parts = [info.title or info.id]
    if info.rationale:
        parts.append(info.rationale.strip())
    if info.remediation:
        parts.append("Fix:\n" + info.remediation.rstrip())
    if info.references:
        parts.append("References: " + "; ".join(info.references))
    if url:
        parts.append(f"Documentation: {url}")
    return "\n\n".join(parts)


def _help_markdown(info: RuleInfo, url: str) -> str:
    parts = [f"**{info.title or info.id}**"]
    if info.rationale:
        parts.append(info.rationale.strip())
    if info.remediation:
        parts.append("**Fix**\n\n" + _fix_markdown(info))
    if info.references:
        parts.append("**References**\n\n" + "\n".join(f"- {ref}" for ref in info.references))
    if url:
        parts.append(f"[Documentation of {info.id}]({url})")
    return "\n\n".join(parts)


def _fix_markdown(info: RuleInfo) -> str:
    snippet = info.remediation.rstrip()
    # Pack remediations are YAML snippets; the reserved ids' one-line hints are prose.
    if info.id.startswith("GC-") and "\n" not in snippet:
        return snippet
    longest = max((len(run) for run in re.findall(r"`+", snippet)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}yaml\n{snippet}\n{fence}"
