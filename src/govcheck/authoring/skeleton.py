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

from govcheck.errors import UsageError
from govcheck.lang.expression import compile_expression, field_chains
from govcheck.lang.fieldpath import parse
from govcheck.packs.applicability import applies_at
from govcheck.packs.policy import Policy
from govcheck.packs.rules import CompiledRule
from govcheck.schema.fields import schema_at

STAGE = "pilot"
EMPTY_LIST = object()  # placeholder marker: an empty list


@dataclass
class Leaf:
    """A field to fill in; its placeholder is chosen so that something reports it."""

    schema: dict[str, Any]  # the manifest schema of the field
    as_list: bool = False  # a min_count target: an empty list fails it
    rules: dict[str, str] = field(default_factory=dict)  # id -> title of the rules that need it
    decides: list[str] = field(default_factory=list)  # tiering and rule guards that read it
    guards: list[str] = field(default_factory=list)  # needed only when these hold
    required: bool = False  # some rule needs it whatever its guard
    reported: bool = False  # and reports this very field when it is empty
    hint: str = ""

    @property
    def placeholder(self) -> Any:
        """What the rules or, failing that, the manifest schema reject.

        An empty string fails the rules that read text (present, matches, one_of, file_exists)
        and the schema where the field is a date or an enumeration; no value at all fails the
        schema for booleans, numbers and, where no rule is sure to read it, anything else.
        """
        kinds = self.schema.get("type", [])
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if self.as_list and self.reported:
            return EMPTY_LIST
        if "null" in kinds:
            return ""
        if "string" in kinds and (self.reported or "enum" in self.schema or "format" in self.schema):
            return ""
        if "object" in kinds and self.reported:
            return {}
        return None

    def todo(self) -> str:
        parts = [self.hint] if self.hint and not self.rules else []
        if self.rules:
            parts.append(f"{', '.join(self.rules)}: {next(iter(self.rules.values()))}")
        if self.guards and not self.required:
            parts.append(f"only when {' or '.join(self.guards)}; delete it otherwise")
        decides = [d for d in self.decides if d not in self.rules]
        if decides:
            boolean = self.schema.get("type") == "boolean"
            parts.append(f"{'true or false; ' if boolean else ''}decides {', '.join(decides)}")
        return "; ".join(parts)


def skeleton(policy: Policy, tier: str, use_case: str) -> dict[str, Any]:
    """The skeleton as nested dicts; leaves are ``Leaf`` objects (rendered by ``render``)."""
    use_cases = (schema_at(("spec", "use_case")) or {}).get("enum", [])
    if tier not in policy.tiers:
        raise UsageError(f"--tier {tier!r} is not one of {', '.join(policy.tiers)}")
    if use_case not in use_cases:
        raise UsageError(f"--use-case {use_case!r} is not one of {', '.join(use_cases)}")
    tree: dict[str, Any] = {
        "apiVersion": "govcheck/v1",
        "kind": "AIPilot",
        "metadata": {"id": Leaf(schema_at(("metadata", "id")) or {}, hint="a stable id")},
        "spec": {"use_case": use_case, "risk_tier": tier, "stage": STAGE},
    }
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
        chains = (
            [params["at"].split(".")]
            if params.get("at")
            else field_chains(compile_expression(rule.target).parsed)[:1]
        )
        for chain in chains:
            _add(tree, tuple(chain), need, guard)
        return
    try:
        path = tuple(p if isinstance(p, str) else 0 for p in parse(rule.target).parts)
    except ValueError:
        return  # a plugin check whose target is not a field path
    fragment = params.get("is") if rule.check_name == "schema" else None
    if isinstance(fragment, dict) and fragment.get("type") == "object" and fragment.get("required"):
        for name in fragment["required"]:  # the check reports one field of the object at a time
            _add(tree, path + (name,), need, guard, each=False)
    else:
        _add(tree, path, need, guard, as_list=rule.check_name == "min_count")


def _add(
    tree: dict[str, Any],
    path: tuple[str | int, ...],
    rule: tuple[str, str] | None = None,
    guard: str = "",
    decides: str = "",
    as_list: bool = False,
    each: bool = True,
) -> None:
    while path and isinstance(path[-1], int):
        path, as_list = path[:-1], True
    node: Any = tree
    for i, part in enumerate(path[:-1]):
        if isinstance(part, int):
            continue
        nxt = path[i + 1]
        default: Any = [{}] if isinstance(nxt, int) else {}
        if isinstance(node.get(part), Leaf):
            if node[part].as_list and isinstance(nxt, int):
                return  # a required list left empty also covers the checks of its items
            node[part] = default
        node = node.setdefault(part, default)
        if isinstance(node, list):
            node = node[0]
    last = path[-1]
    if last in node and not isinstance(node[last], Leaf):
        return  # a container that nested fields already fill in
    if last not in node:
        node[last] = Leaf(schema_at(path) or {})
    leaf: Leaf = node[last]
    leaf.as_list = leaf.as_list or as_list
    if rule is not None:
        leaf.rules.setdefault(*rule)
        leaf.required = leaf.required or not guard
        leaf.reported = leaf.reported or (not guard and each)
        if guard and guard not in leaf.guards:
            leaf.guards.append(guard)
    if decides and decides not in leaf.decides:
        leaf.decides.append(decides)


def order(tree: dict[str, Any], path: tuple[str, ...] = ()) -> list[str]:
    """Keys in the order the manifest schema documents them; others after, as added."""
    known = list((schema_at(path) or {}).get("properties", {}))
    return sorted(tree, key=lambda k: (known.index(k) if k in known else len(known), list(tree).index(k)))
