"""``govcheck init``: a manifest skeleton with every field the tier's rules require.

The fields come from the loaded rules, not from a list kept here: every rule that applies at
the tier at stage ``pilot`` contributes the field its check reads (and the fields its guard
and the pack's tiering guards read). Each field gets a placeholder that the rules or the
manifest schema reject (``""``, an empty list, or no value at all), with a ``# TODO`` naming
the rules, so ``govcheck check`` on a fresh skeleton reports every field still to fill in.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from govcheck.authoring.expressions import field_chains
from govcheck.authoring.fields import schema_at
from govcheck.authoring.ruledoc import applies_at
from govcheck.checks.expr import compile_expression
from govcheck.errors import UsageError
from govcheck.paths import parse
from govcheck.policy import CompiledRule, Policy

STAGE = "pilot"
EMPTY_LIST = object()  # placeholder marker: an empty list


@dataclass
class Leaf:
    placeholder: Any
    rules: dict[str, str] = field(default_factory=dict)  # id -> title of the rules that need it
    decides: list[str] = field(default_factory=list)  # tiering and rule guards that read it
    guards: list[str] = field(default_factory=list)  # needed only when these hold
    hint: str = ""
    kind: str = ""  # the manifest schema's type for the field
    required: bool = False  # some rule needs it whatever its guard

    def todo(self) -> str:
        parts = [self.hint] if self.hint else []
        if self.rules:
            parts.append(f"{', '.join(self.rules)}: {next(iter(self.rules.values()))}")
        if self.guards and not self.required:
            parts.append(f"only when {' or '.join(self.guards)}")
        decides = [d for d in self.decides if d not in self.rules]
        if decides:
            parts.append(f"{'true or false; ' if self.kind == 'boolean' else ''}decides {', '.join(decides)}")
        return "; ".join(parts)


def skeleton(policy: Policy, tier: str, use_case: str) -> dict[str, Any]:
    """The skeleton as nested dicts; leaves are ``Leaf`` objects (rendered by ``render``)."""
    use_cases = (schema_at(("spec", "use_case")) or {}).get("enum", [])
    if tier not in policy.tiers:
        raise UsageError(f"--tier {tier!r} is not one of {', '.join(policy.tiers)}")
    if use_case not in use_cases:
        raise UsageError(f"--use-case {use_case!r} is not one of {', '.join(use_cases)}")
    tree: dict[str, Any] = {"apiVersion": "govcheck/v1", "kind": "AIPilot",
                            "metadata": {"id": Leaf(""), "name": Leaf("", hint="the pilot's name")},
                            "spec": {"use_case": use_case, "summary": Leaf("", hint="what the AI does and who reviews it"),
                                     "risk_tier": tier, "stage": STAGE}}
    for raise_ in policy.tiering:
        for chain in field_chains(raise_.when.parsed):
            _add(tree, tuple(chain), decides=raise_.id)
    for rule in policy.rules:
        if applies_at(rule, tier) and (not rule.stages or STAGE in rule.stages):
            _add_rule(tree, rule, tier)
    return tree


def _add_rule(tree: dict[str, Any], rule: CompiledRule, tier: str) -> None:
    need, guard = (rule.info.id, rule.info.title), rule.when_text
    if rule.when_text:
        for chain in field_chains(compile_expression(rule.when_text).parsed):
            _add(tree, tuple(chain), decides=rule.info.id)
    compiled = rule.by_tier.get(tier)
    params = dict(compiled[1]) if compiled else {}
    if rule.check_name == "expr":
        chains = [params["at"].split(".")] if params.get("at") else field_chains(compile_expression(rule.target).parsed)[:1]
        for chain in chains:
            _add(tree, tuple(chain), need, guard)
        return
    try:
        path = tuple(p if isinstance(p, str) else 0 for p in parse(rule.target).parts)
    except ValueError:
        return  # a plugin check whose target is not a field path
    fragment = params.get("is") if rule.check_name == "schema" else None
    if isinstance(fragment, dict) and fragment.get("type") == "object" and fragment.get("required"):
        for name in fragment["required"]:
            _add(tree, path + (name,), need, guard)
    else:
        _add(tree, path, need, guard, as_list=rule.check_name == "min_count")


def _add(tree: dict[str, Any], path: tuple[str | int, ...], rule: tuple[str, str] | None = None, guard: str = "",
         decides: str = "", as_list: bool = False) -> None:
    while path and isinstance(path[-1], int):
        path, as_list = path[:-1], True
    node: Any = tree
    for i, part in enumerate(path[:-1]):
        if isinstance(part, int):
            continue
        nxt = path[i + 1]
        default: Any = [{}] if isinstance(nxt, int) else {}
        if isinstance(node.get(part), Leaf):
            if node[part].placeholder is EMPTY_LIST and isinstance(nxt, int):
                return  # a required list left empty also covers the checks of its items
            node[part] = default
        node = node.setdefault(part, default)
        if isinstance(node, list):
            node = node[0]
    last = path[-1]
    if last in node and not isinstance(node[last], Leaf):
        return  # a container that nested fields already fill in
    if last not in node:
        kind = (schema_at(path) or {}).get("type")
        placeholder = EMPTY_LIST if as_list or kind == "array" else "" if kind == "string" else {} if kind == "object" else None
        node[last] = Leaf(placeholder, kind=str(kind or ""))
    leaf: Leaf = node[last]
    if rule is not None:
        leaf.rules.setdefault(*rule)
        leaf.required = leaf.required or not guard
        if guard and guard not in leaf.guards:
            leaf.guards.append(guard)
    if decides and decides not in leaf.decides:
        leaf.decides.append(decides)


def order(tree: dict[str, Any], path: tuple[str, ...] = ()) -> list[str]:
    """Keys in the order the manifest schema documents them; others after, as added."""
    known = list((schema_at(path) or {}).get("properties", {}))
    return sorted(tree, key=lambda k: (known.index(k) if k in known else len(known), list(tree).index(k)))
