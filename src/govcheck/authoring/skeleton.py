"""``govcheck init``: a manifest skeleton with every field the tier's rules require.

The fields come from the loaded rules, not from a list kept here: every rule that applies at
the tier at stage ``pilot`` contributes the field its check reads (and the fields its guard
and the pack's tiering guards read). Each field gets a placeholder that the rules or the
manifest schema reject (``""``, an empty list, or no value at all), with a ``# TODO`` naming
the rules, so ``govcheck check`` on a fresh skeleton reports every field still to fill in.

A rule contributes every field it reads: an expression's fields, the fields of list entries it
filters (``metrics[?kind == 'fairness']`` reads each metric's ``kind``), the fields a schema
fragment requires (down into list entries), the item fields ``improves`` compares (value,
baseline and direction) and the fields a check compares its target with (``of``, ``after``).
A list whose entries have fields to fill in is written with one entry showing them. A rule whose
guard reads only the use case, tier or stage and is false there adds nothing.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from govcheck.errors import UsageError
from govcheck.lang.expression import ExpressionError, compile_expression, field_chains, truthy
from govcheck.lang.fieldpath import parse
from govcheck.packs.applicability import applies_at
from govcheck.packs.policy import Policy
from govcheck.packs.rules import CompiledRule
from govcheck.schema.fields import schema_at

STAGE = "pilot"
EMPTY_LIST = object()  # placeholder marker: an empty list
Path = tuple[str | int, ...]  # field names, and 0 for "an entry of this list"


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
    known = {"spec": dict(tree["spec"])}
    for rule in policy.rules:
        if applies_at(rule, tier) and (not rule.stages or STAGE in rule.stages) and _may_apply(rule, known):
            _add_rule(tree, rule, tier)
    return tree


def _may_apply(rule: CompiledRule, known: dict[str, Any]) -> bool:
    """False for a rule whose guard reads only what the skeleton already says (the use case,
    tier and stage) and is false there: a documentation rule has no field in an imaging pilot."""
    if rule.when is None:
        return True
    chains = field_chains(rule.when.parsed)
    if not chains or any(len(c) != 2 or c[0] != "spec" or c[1] not in known["spec"] for c in chains):
        return True
    try:
        return truthy(rule.when.search(known))
    except ExpressionError:  # unknown here: the rule is kept
        return True


def _add_rule(tree: dict[str, Any], rule: CompiledRule, tier: str) -> None:
    need, guard = (rule.info.id, rule.info.title), rule.when_text
    if rule.when_text:
        for chain in field_chains(compile_expression(rule.when_text).parsed):
            _add(tree, tuple(chain), decides=rule.info.id)
    compiled = rule.by_tier.get(tier)
    params = dict(compiled[1]) if compiled else {}
    if rule.check_name == "expr":
        reported = params["at"].split(".") if params.get("at") else None
        for path in _leaves(_expression_reads(rule.target)):
            # the field the finding points at is the one the rule reports; the others it reads
            _add(tree, path, need, guard, each=reported is None or list(path) == reported)
        return
    try:
        path = _path(rule.target)
    except ValueError:
        return  # a plugin check whose target is not a field path
    fragment = params.get("is") if rule.check_name == "schema" else None
    if isinstance(fragment, dict):
        for field_path, as_list in _leaves_of_fragment(fragment, path):
            _add(tree, field_path, need, guard, as_list=as_list, each=field_path == path)
    elif rule.check_name == "improves":
        # improves reads fields of each item: the value (target unless said), baseline, direction
        for name, default in (("value", "target"), ("baseline", "baseline"), ("direction", "direction")):
            try:
                _add(tree, path + _path(str(params.get(name, default))), need, guard)
            except ValueError:
                continue  # the pack compiler reports a malformed parameter
    else:
        _add(tree, path, need, guard, as_list=rule.check_name == "min_count")
        if isinstance(params.get("distinct_by"), str):
            with suppress(ValueError):  # the pack compiler reports a malformed parameter
                _add(tree, path + (0, *_path(params["distinct_by"])), need, guard, each=False)
    for name in ("of", "after"):  # other fields the check compares the target with
        given = params.get(name)
        for other in given if isinstance(given, list) else [given]:
            if isinstance(other, str) and other.startswith(("spec.", "metadata.")):
                try:
                    _add(tree, _path(other), need, guard, each=False)
                except ValueError:
                    continue  # not a field path after all; the check says so when it runs


def _path(text: str) -> Path:
    return tuple(p if isinstance(p, str) else 0 for p in parse(text).parts)


def _leaves(paths: list[Path]) -> list[Path]:
    """The paths that are not a prefix of another, in order, each once: the fields themselves."""
    unique = list(dict.fromkeys(paths))
    return [p for p in unique if not any(len(q) > len(p) and q[: len(p)] == p for q in unique)]


def _leaves_of_fragment(fragment: Any, at: Path) -> list[tuple[Path, bool]]:
    """The fields a schema fragment asks for below ``at``: required properties, as deep as the
    fragment says, and the fields of list entries it describes; True where the field is a list."""
    if not isinstance(fragment, dict):
        return [(at, False)]
    found: list[tuple[Path, bool]] = []
    names = list(fragment.get("required", ()))
    for branch in ("then", "else"):  # the fields a condition asks for are fields to fill in too
        sub = fragment.get(branch)
        names += [n for n in (sub.get("required", ()) if isinstance(sub, dict) else ()) if n not in names]
    props = fragment.get("properties", {})
    for name in names:
        if isinstance(name, str):
            found += _leaves_of_fragment(props.get(name, {}), at + (name,))
    for key in ("items", "contains"):
        sub = fragment.get(key)
        if isinstance(sub, dict) and sub.get("required"):
            found += [f for f in _leaves_of_fragment(sub, at + (0,)) if f not in found]
    if not found:
        kinds = fragment.get("type")
        return [(at, kinds == "array" or "minItems" in fragment)]
    return found


def _expression_reads(text: str) -> list[Path]:
    """Every field an expression reads, the fields of list entries it filters or projects included
    (``metrics[?kind == 'fairness']`` reads ``metrics[0].kind``)."""
    reads: list[Path] = []
    _reads(compile_expression(text).parsed, (), reads)
    return reads


def _reads(node: Any, base: Path | None, out: list[Path]) -> Path | None:
    """Walk ``node`` evaluated at ``base``; add what it reads to ``out``; return where its value
    is (a list's own path for a list of entries), or None where that is not a field."""
    if not isinstance(node, dict):
        return None
    kind, children = node.get("type"), node.get("children", [])
    if kind == "field":
        if base is None:
            return None
        out.append(base + (node["value"],))
        return out[-1]
    if kind in ("identity", "current"):
        return base
    if kind == "subexpression":
        at: Path | None = base
        for child in children:
            at = _reads(child, at, out)
        return at
    if kind == "index_expression":
        left = _reads(children[0], base, out)
        return None if left is None else left + (0,)
    if kind == "flatten":
        return _reads(children[0], base, out)
    if kind in ("projection", "filter_projection"):
        items = _reads(children[0], base, out)
        entry = None if items is None else items + (0,)
        if kind == "filter_projection":
            _reads(children[2], entry, out)
        right = _reads(children[1], entry, out)
        return items if right == entry else right
    if kind == "pipe":
        return _reads(children[1], _reads(children[0], base, out), out)
    if kind == "or_expression":
        first = _reads(children[0], base, out)
        for child in children[1:]:
            _reads(child, base, out)
        return first
    for child in children:  # comparisons, and/not, functions, multi-selects: read, no field value
        _reads(child, base, out)
    return None


class Entries(list[Any]):
    """A list written with one entry showing its fields; ``leaf`` holds what the list itself
    needs (a rule counting its entries), shown beside the list's key."""

    def __init__(self, leaf: Leaf) -> None:
        super().__init__([{}])
        self.leaf = leaf


def _add(
    tree: dict[str, Any],
    path: Path,
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
        if isinstance(nxt, int):
            # a list whose entries have fields to fill in: one entry shows them, and what the
            # list itself needs (how many entries) stays beside its key
            held = node.get(part)
            if not isinstance(held, Entries):
                node[part] = Entries(held if isinstance(held, Leaf) else Leaf(schema_at(path[: i + 1]) or {}))
        elif isinstance(node.get(part), Leaf):
            node[part] = {}
        node = node.setdefault(part, {})
        if isinstance(node, list):
            node = node[0]
    last = path[-1]
    held = node.get(last)
    if isinstance(held, Entries):
        _note(held.leaf, rule, guard, decides, as_list, each)
        return
    if held is not None and not isinstance(held, Leaf):
        return  # a container that nested fields already fill in
    if held is None:
        node[last] = Leaf(schema_at(path) or {})
    _note(node[last], rule, guard, decides, as_list, each)


def _note(
    leaf: Leaf, rule: tuple[str, str] | None, guard: str, decides: str, as_list: bool, each: bool
) -> None:
    """Record on ``leaf`` that ``rule`` needs it (or that ``decides`` reads it)."""
    leaf.as_list = leaf.as_list or as_list
    if rule is not None:
        leaf.rules.setdefault(*rule)
        leaf.required = leaf.required or not guard
        leaf.reported = leaf.reported or (not guard and each)
        if guard and guard not in leaf.guards:
            leaf.guards.append(guard)
    if decides and decides not in leaf.decides:
        leaf.decides.append(decides)


def order(tree: dict[str, Any], path: Path = ()) -> list[str]:
    """Keys in the order the manifest schema documents them; others after, as added."""
    known = list((schema_at(path) or {}).get("properties", {}))
    return sorted(tree, key=lambda k: (known.index(k) if k in known else len(known), list(tree).index(k)))
