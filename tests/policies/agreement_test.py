"""The two shipped packs never contradict each other: wherever both judge a field, they agree.

healthcare-ai-baseline applies at every stage; scale-readiness at the promotion gates. A pilot
judged at a gate must get one answer whichever pack judges it, so for every pair of rules, one
from each pack as shipped, that read the same manifest field, and at every tier and stage where
both apply, this module sets the field to each boundary value either rule's parameters name at
that tier and requires both rules to fail, or both not to fail:

- the fields a rule reads are its check's target (a field path), the fields its check's other
  parameters name (``date_order``'s ``after``, ``subset``'s ``of``, ``improves``' item fields,
  the properties of a ``schema`` fragment), and an ``expr`` target's field chains
  (``govcheck.lang.expression.field_chains``, and the fields a filter reads of each item);
- the boundary values are: ``max_age`` d: a date exactly d days old and one d+1 days old (and one
  dated tomorrow); ``min_count`` c: c-1 and c distinct entries (by the rule's ``distinct_by``);
  ``one_of``: every value of the union of both allowed sets and one outside it; ``schema``:
  each ``minimum``/``maximum`` and just past it, each ``enum`` value; an ``expr`` comparison
  with a literal: the literal and just past it; ``date_order``: the same day as the date it
  must follow, and the day before; a boolean field: true and false; every field: missing;
- a manifest to start from passes both rules at that tier and stage: the packs' own passing
  fixtures, set to the tier and stage (and, for the lower tiers, with the scope flags that
  raise a tier turned off), the one failing fewest rules of both packs first. Where the two
  rules' ``applies.when`` guards differ, a start where only one of them applies is tried as
  well: the other pack then says nothing about the field, and a failure of the first is a
  contradiction (one pack blocks the pilot, the other lets it through);
- a rule that does not apply counts as not failing; the real evaluator (``govcheck.evaluate``)
  judges every case, with the pack's own tiering;
- where the pair's verdicts differ, the pack whose rule lets the value through may still block
  it by another rule of its own that reads the field (or a field inside it, or around it) and
  passes the start: then the packs agree on the pilot, the requirement is only split
  differently between their rules (baseline GOV-011 asks for the regulatory block that
  scale-readiness's device rule also reads), and the case passes.

Not every pair of rules on one field can contradict. A pair in which one rule only asks that
the field is present (``present``, a ``schema`` fragment that names only the field's type or
that it is required, an ``expr`` that only tests the field for truth) and the other judges its
value is no contradiction: the presence rule says nothing about the value. Nor is a pair
asking different questions of the field (``max_age``: is it recent? ``date_order``: does the
approval follow it? ``min_count``: how many? ``improves``: better than the baseline?): each is
a requirement of its own. Such pairs (and pairs of two presence rules) are tested at the
"missing" boundary only, where both need the field: with it absent both must fail. A check
that passes a missing field by design, leaving presence to another rule (``date_order``,
``improves``, ``subset``, a ``schema`` field not required or read only in an ``if``), has no
such boundary, and a pair of it with a rule asking another question is not compared.

A failure names the pair (``BASELINE/SCALE@field``), the tier, the stage and the value, and its
first line reads ``DISAGREE pair tier stage value baseline=X scale=Y``. The tests at the end
hold the packs to one tiering, the shared healthcare-ai-tiering pack, which both extend.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from govcheck.api import load_policy
from govcheck.evaluate import evaluate
from govcheck.lang.expression import compile_expression, field_chains, truthy
from govcheck.lang.fieldpath import WILD, parse
from govcheck.lang.values import as_date
from govcheck.load.manifest import Target
from govcheck.load.yaml import Document, load_all, read_text
from govcheck.packs.applicability import applies_at
from govcheck.packs.loader import PackLoader
from govcheck.packs.policy import Policy
from govcheck.packs.rules import CompiledRule
from govcheck.plugins import load_registry
from govcheck.schema.fields import schema_at

ROOT = Path(__file__).resolve().parents[2]
BASELINE, SCALE, TIERING = "healthcare-ai-baseline", "scale-readiness", "healthcare-ai-tiering"
PACKS = {BASELINE: ROOT / "policies" / BASELINE, SCALE: ROOT / "policies" / SCALE}
TODAY = dt.date(2026, 11, 25)  # for a fixture that names no day
STEP = 0.01  # "just past" a bound of a number that is not an integer

Star = type(WILD)
Pattern = tuple[Any, ...]  # field names and WILD: spec.success_metrics[*].baseline
Apply = Callable[[dict[str, Any], dt.date], None]


class _Missing:
    def __repr__(self) -> str:
        return "missing"


ABSENT = _Missing()


# ---------------------------------------------------------------------------- the packs


PLANTED: dict[str, Policy] = {}  # a pack replaced by a changed copy, to test the comparison itself


def policy(*names: str) -> Policy:
    """The packs as this checkout ships them (by path: what they extend, by installed name)."""
    if len(names) == 1 and names[0] in PLANTED:
        return PLANTED[names[0]]
    return _shipped(names)


@functools.cache
def _shipped(names: tuple[str, ...]) -> Policy:
    refs = tuple(str(PACKS[n]) if n in PACKS else n for n in names)
    return load_policy(load_registry(()), refs, ROOT)


def text_of(pattern: Pattern) -> str:
    out = ""
    for part in pattern:
        out += "[*]" if part is WILD else f".{part}" if out else str(part)
    return out


def pattern_of(parts: tuple[Any, ...]) -> Pattern:
    return tuple(WILD if not isinstance(part, str) else part for part in parts)


# ---------------------------------------------------------------------------- values


@dataclass(frozen=True)
class Value:
    """One boundary value of a field: its label (in test ids) and how to put it into a manifest."""

    label: str
    apply: Apply


def _walk(node: Any, pattern: Pattern) -> Iterator[tuple[Any, Any]]:
    """Every (container, key) the pattern names in ``node``; lists under [*] item by item."""
    head, rest = pattern[0], pattern[1:]
    if head is WILD:
        if isinstance(node, list):
            for i in range(len(node)):
                yield from ((node, i),) if not rest else _walk(node[i], rest)
        return
    if not isinstance(node, dict):
        return
    if not rest:
        yield node, head
    elif head in node:
        yield from _walk(node[head], rest)


def put(data: dict[str, Any], pattern: Pattern, value: Any) -> None:
    """Set (or, for ABSENT, delete) the field everywhere the pattern names; parents are made."""
    if value is not ABSENT:  # make the parents a missing field needs, up to the first list
        node: Any = data
        for part in pattern[:-1]:
            if part is WILD or not isinstance(node, dict):
                break
            node = node.setdefault(part, {}) if not isinstance(node.get(part), list) else node[part]
    for container, key in list(_walk(data, pattern)):
        if value is ABSENT:
            if isinstance(container, dict):
                container.pop(key, None)
        else:
            container[key] = copy.deepcopy(value)


def get(data: Any, pattern: Pattern) -> list[Any]:
    return [c[k] for c, k in _walk(data, pattern) if isinstance(c, list) or k in c]


def setting(label: str, pattern: Pattern, value: Any) -> Value:
    return Value(label, lambda data, today: put(data, pattern, value))


def days_old(label: str, pattern: Pattern, days: int) -> Value:
    return Value(label, lambda data, today: put(data, pattern, (today - dt.timedelta(days=days)).isoformat()))


def enum_of(pattern: Pattern) -> list[Any]:
    node = schema_at(tuple(0 if p is WILD else p for p in pattern)) or {}
    enum = node.get("enum")
    return list(enum) if isinstance(enum, list) else []


def is_boolean(pattern: Pattern) -> bool:
    node = schema_at(tuple(0 if p is WILD else p for p in pattern)) or {}
    return node.get("type") == "boolean"


def entries(pattern: Pattern, count: int, keys: frozenset[str]) -> Value:
    """``count`` entries, each different from the others in ``keys`` (and ``name``), copied from
    the manifest's own entries so that what else they carry stays as it was."""

    def apply(data: dict[str, Any], today: dt.date) -> None:
        found = get(data, pattern)
        template = found[0] if found and isinstance(found[0], list) and found[0] else [f"{pattern[-1]}-entry"]
        out = []
        for i in range(count):
            item = copy.deepcopy(template[i % len(template)])
            if isinstance(item, dict):
                for key in sorted(keys | {"name"}):
                    if key in item or key in keys:
                        item[key] = _distinct(pattern + (WILD, key), item.get(key), i)
            else:
                item = _distinct(pattern + (WILD,), item, i)
            out.append(item)
        put(data, pattern, out)

    return Value(f"{count}-distinct-entries", apply)


def _distinct(pattern: Pattern, original: Any, i: int) -> Any:
    """The i-th of a run of different values for a field: the schema's words when it has some."""
    words = enum_of(pattern)
    if words:
        run = ([original] if original in words else []) + [w for w in words if w != original]
        return run[i % len(run)]
    return original if i == 0 and isinstance(original, str) else f"{original or pattern[-1]}-{i + 1}"


def outside(pattern: Pattern, allowed: list[Any]) -> Value | None:
    """A value the field may hold that none of ``allowed`` is."""
    if all(isinstance(a, bool) for a in allowed):
        rest = [b for b in (True, False) if b not in allowed]
        return setting(str(rest[0]).lower(), pattern, rest[0]) if rest else None  # as the booleans are named
    words = [w for w in enum_of(pattern) if w not in allowed]
    if words:
        return setting(f"outside:{words[0]}", pattern, words[0])
    return setting("outside:not-a-listed-value", pattern, "not-a-listed-value")


def _bounds(pattern: Pattern, fragment: Any) -> list[Value]:
    """The boundary values a JSON Schema fragment names for the field it describes."""
    if not isinstance(fragment, dict):
        return []
    out: list[Value] = []
    whole = fragment.get("type") == "integer"
    step = 1 if whole else STEP
    for key, past in (
        ("minimum", -step),
        ("maximum", step),
        ("exclusiveMinimum", step),
        ("exclusiveMaximum", -step),
    ):
        bound = fragment.get(key)
        if isinstance(bound, (int, float)) and not isinstance(bound, bool):
            beyond = bound + past
            beyond = round(beyond, 6) if not whole else beyond
            out += [setting(f"{bound}", pattern, bound), setting(f"{beyond}", pattern, beyond)]
    for word in fragment.get("enum", []) if isinstance(fragment.get("enum"), list) else []:
        out.append(setting(f"{json.dumps(word)}", pattern, word))
    if "const" in fragment:
        out.append(setting(json.dumps(fragment["const"]), pattern, fragment["const"]))
    return out


def _fragment_fields(
    pattern: Pattern, fragment: Any, needed: bool, depth: int = 0
) -> dict[Pattern, tuple[Any, bool]]:
    """The field the fragment is about and the properties it names, each with its own fragment
    and whether the fragment fails when it is missing."""
    out: dict[Pattern, tuple[Any, bool]] = {pattern: (fragment, needed)}
    if not isinstance(fragment, dict) or depth > 3:
        return out
    props = fragment.get("properties", {}) if isinstance(fragment.get("properties"), dict) else {}
    required = [r for r in fragment.get("required", []) or [] if isinstance(r, str)]
    for name in dict.fromkeys([*props, *required]):
        if isinstance(name, str):
            sub = props.get(name, {})
            out.update(_fragment_fields(pattern + (name,), sub, needed and name in required, depth + 1))
    if isinstance(fragment.get("items"), dict):
        out.update(_fragment_fields(pattern + (WILD,), fragment["items"], False, depth + 1))
    condition = fragment.get("if")
    if isinstance(condition, dict) and isinstance(condition.get("properties"), dict):
        for name in condition["properties"]:
            out.setdefault(pattern + (name,), ({_CONDITION: True}, False))
    for key in ("then", "else"):  # required only when the condition holds (or fails)
        branch = fragment.get(key)
        if isinstance(branch, dict):
            for sub, (part, _) in _fragment_fields(pattern, branch, False, depth + 1).items():
                if sub != pattern:
                    out.setdefault(sub, (part, False))
    return out


# Keywords by which a schema fragment judges a value rather than only its presence and type.
_JUDGING = (
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "enum", "const",
    "pattern", "format", "minLength", "maxLength", "minItems", "maxItems", "uniqueItems",
    "contains", "not", "oneOf", "anyOf", "allOf", "if",
)  # fmt: skip


def _asks(fragment: Any) -> str:
    """What a schema fragment asks of its field: its value, a condition, or only that it is there."""
    if isinstance(fragment, dict) and fragment.get(_CONDITION):
        return "condition"
    judges = isinstance(fragment, dict) and any(k in fragment for k in _JUDGING)
    return "value" if judges else "presence"


_CONDITION = "x-condition"  # marks a field a fragment reads only in an `if`


def _judged_chains(node: Any) -> Iterator[tuple[str | int, ...]]:
    """The chains an expression compares or passes to a function (not merely tests for truth)."""
    if not isinstance(node, dict):
        return
    children = node.get("children", ())
    if node.get("type") in ("comparator", "function_expression"):
        for child in children:
            yield from field_chains(child)
    for child in children:
        yield from _judged_chains(child)


def _literals(node: Any) -> Iterator[tuple[Pattern, Any]]:
    """(field, literal) for each comparison of a field with a literal in an expression."""
    if not isinstance(node, dict):
        return
    if node.get("type") == "comparator":
        sides = node.get("children", [])
        if len(sides) == 2:
            for field, other in (sides, sides[::-1]):
                if other.get("type") == "literal":
                    for chain in field_chains(field):
                        yield pattern_of(chain), other.get("value")
    for child in node.get("children", ()):
        yield from _literals(child)


def _filtered(node: Any) -> Iterator[Pattern]:
    """The fields a filter reads of each item: ``spec.m[?across_sites]`` reads spec.m[*].across_sites."""
    if not isinstance(node, dict):
        return
    children = node.get("children", ())
    if node.get("type") == "filter_projection" and len(children) == 3:
        for base in field_chains(children[0])[:1]:
            for chain in field_chains(children[2]):
                yield pattern_of(base) + (WILD,) + pattern_of(chain)
    for child in children:
        yield from _filtered(child)


@dataclass(frozen=True)
class Reading:
    """What one rule reads of one field at one tier, and the boundary values it names there.

    ``question`` is what the check asks of the field (``FAMILY``); ``allowed`` the values a
    ``one_of`` accepts; ``absent_ok`` that the check passes a missing field by design, leaving
    presence to another rule (``date_order``, ``improves``, ``subset``, ``schema`` with
    ``required: false``).
    """

    rule: CompiledRule
    pattern: Pattern
    question: str
    values: tuple[Value, ...]
    allowed: tuple[Any, ...] = ()
    absent_ok: bool = False

    @property
    def presence(self) -> bool:
        return self.question == "presence"


# What each built-in check asks of a field. Two rules asking the same question must answer it
# alike; two asking different questions (is it recent? are the dates in order?) complement
# each other, and are compared only where both need the field: with it missing.
FAMILY = {
    "present": "presence",
    "max_age": "recency",
    "min_count": "count",
    "one_of": "value",
    "schema": "value",
    "expr": "value",
    "matches": "value",
    "date_order": "order",
    "improves": "improvement",
    "subset": "inclusion",
    "file_exists": "evidence",
}
ABSENT_OK = ("date_order", "improves", "subset")


_READINGS: dict[tuple[int, str], tuple[CompiledRule, dict[Pattern, Reading]]] = {}


def readings(rule: CompiledRule, tier: str) -> dict[Pattern, Reading]:
    """Every field the rule reads at ``tier``, with the boundary values its parameters name."""
    key = (id(rule), tier)
    if key not in _READINGS:  # the rule is kept with its readings, so its id stays its own
        _READINGS[key] = (rule, _readings(rule, tier))
    return _READINGS[key][1]


def _readings(rule: CompiledRule, tier: str) -> dict[Pattern, Reading]:
    compiled = rule.by_tier.get(tier)
    if compiled is None:  # no threshold at this tier: the rule does not apply there
        return {}
    params: dict[str, Any] = dict(compiled[1])
    name = rule.check_name
    found: dict[Pattern, list[Value]] = {}
    fields: dict[Pattern, tuple[Any, bool]] = {}
    asks: dict[Pattern, str] = {}  # a field's question where it is not the check's own

    def add(pattern: Pattern, *values: Value | None) -> None:
        found.setdefault(pattern, []).extend(v for v in values if v is not None)

    if name == "expr":
        parsed = compile_expression(rule.target).parsed
        judged = {pattern_of(c) for c in _judged_chains(parsed)}
        for chain in field_chains(parsed):
            add(pattern_of(chain))
            if pattern_of(chain) not in judged:  # read for its truth alone: `&& reviewer_role`
                asks[pattern_of(chain)] = "presence"
        for pattern in _filtered(parsed):
            add(pattern)
        for pattern, literal in _literals(parsed):
            if isinstance(literal, bool):
                add(pattern, setting("true", pattern, True), setting("false", pattern, False))
            elif isinstance(literal, (int, float)):
                add(
                    pattern,
                    setting(f"{literal}", pattern, literal),
                    setting(f"{literal}+", pattern, literal + STEP),
                )
                add(pattern, setting(f"{literal}-", pattern, literal - STEP))
            elif isinstance(literal, str):
                add(pattern, setting(literal, pattern, literal), outside(pattern, [literal]))
        return {p: Reading(rule, p, asks.get(p, "value"), tuple(v)) for p, v in found.items()}
    target = pattern_of(parse(rule.target).parts)
    if name == "present":
        return {target: Reading(rule, target, "presence", ())}
    add(target)
    if name == "max_age":
        days = params["days"]
        add(
            target,
            days_old(f"{days}-days-old", target, days),
            days_old(f"{days + 1}-days-old", target, days + 1),
            days_old("dated-tomorrow", target, -1),
        )
    elif name == "min_count":
        keys = frozenset(k for k in (params.get("distinct_by"),) if isinstance(k, str))
        add(
            target,
            *(entries(target, n, keys) for n in sorted({max(params["count"] - 1, 0), params["count"]})),
        )
    elif name == "one_of":
        allowed = tuple(params["values"])
        add(target, *(setting(json.dumps(v), target, v) for v in allowed))
    elif name == "schema":
        fields = _fragment_fields(target, params.get("is"), params.get("required", True) is not False)
        for pattern, (fragment, _) in fields.items():
            add(pattern, *_bounds(pattern, fragment))
            asks[pattern] = _asks(fragment)
    elif name == "date_order":
        after = params["after"]
        for ref in [after] if isinstance(after, str) else after:
            if ref == "today":
                add(target, days_old("today", target, 0), days_old("day-after-today", target, -1))
            else:
                earlier = pattern_of(parse(ref).parts)
                add(target, *_relative(target, earlier, ref))
                add(earlier, *_relative(earlier, target, rule.target, later=True))
    elif name == "subset":
        add(pattern_of(parse(params["of"]).parts))
    elif name == "improves":
        items = target
        value_at = pattern_of(parse(params.get("value", "target")).parts)
        baseline_at = pattern_of(parse(params.get("baseline", "baseline")).parts)
        add(items + value_at, _equal(items, value_at, baseline_at))
        add(items + baseline_at)
        direction = items + pattern_of(parse(params.get("direction", "direction")).parts)
        add(direction, setting("higher", direction, "higher"), setting("lower", direction, "lower"))
    question = FAMILY.get(name, name)
    optional = {p for p, (_, needed) in fields.items() if not needed} if name == "schema" else set()
    absent_ok = name in ABSENT_OK or (name == "schema" and params.get("required", True) is False)
    return {
        p: Reading(
            rule,
            p,
            asks.get(p, question),
            tuple(v),
            allowed if name == "one_of" else (),
            absent_ok or p in optional,
        )
        for p, v in found.items()
    }


def _relative(field: Pattern, other: Pattern, named: str, later: bool = False) -> list[Value]:
    """The same day as ``other`` and the day past it (before it; after it when ``later``)."""
    sign = 1 if later else -1

    def at(shift: int) -> Apply:
        def apply(data: dict[str, Any], today: dt.date) -> None:
            dates = [d for d in (as_date(v) for v in get(data, other)) if d is not None]
            if dates:
                edge = max(dates) if not later else min(dates)
                put(data, field, (edge + dt.timedelta(days=shift)).isoformat())

        return apply

    word = "after" if later else "before"
    return [Value(f"same-day-as:{named}", at(0)), Value(f"day-{word}:{named}", at(sign))]


def _equal(items: Pattern, value_at: Pattern, baseline_at: Pattern) -> Value:
    def apply(data: dict[str, Any], today: dt.date) -> None:
        for item in get(data, items):
            base = get(item, baseline_at)
            if base and isinstance(item, dict):
                put(item, value_at, base[0])

    return Value("equal-to-baseline", apply)


# ---------------------------------------------------------------------------- pairs


@dataclass(frozen=True)
class Pair:
    baseline: CompiledRule
    scale: CompiledRule
    pattern: Pattern

    @property
    def name(self) -> str:
        return f"{self.baseline.info.id}/{self.scale.info.id}@{text_of(self.pattern)}"


def _stages_both(pair: Pair, tier: str) -> list[str]:
    stages = policy(BASELINE).stages
    return [s for s in stages if applies_at(pair.baseline, tier, s) and applies_at(pair.scale, tier, s)]


def _values(pair: Pair, tier: str) -> list[Value]:
    """The boundary values to compare the pair on at ``tier``, one per label.

    Rules asking the same question of the field: the union of both rules' boundary values (and
    one value outside both allowed sets), then "missing". Rules asking different questions, or
    one asking only for presence: "missing", unless a rule passes a missing field by design.
    """
    mine = readings(pair.baseline, tier)[pair.pattern]
    theirs = readings(pair.scale, tier)[pair.pattern]
    chosen: dict[str, Value] = {}
    if mine.question == theirs.question and not mine.presence:
        for value in (*mine.values, *theirs.values):
            chosen.setdefault(value.label, value)
        if is_boolean(pair.pattern):
            chosen.setdefault("true", setting("true", pair.pattern, True))
            chosen.setdefault("false", setting("false", pair.pattern, False))
        union = list(dict.fromkeys((*mine.allowed, *theirs.allowed)))
        beyond = outside(pair.pattern, union) if union else None
        if beyond is not None:
            chosen.setdefault(beyond.label, beyond)
    elif mine.absent_ok or theirs.absent_ok:
        return []  # complementary questions, and one leaves presence to others: nothing to compare
    chosen["missing"] = setting("missing", pair.pattern, ABSENT)
    return list(chosen.values())


def pairs() -> list[Pair]:
    """Every (baseline rule, scale-readiness rule, field) where both rules read the field."""
    tiers = policy(BASELINE).tiers
    out = []
    for mine in policy(BASELINE).rules:
        fields = {p for t in tiers for p in readings(mine, t)}
        for theirs in policy(SCALE).rules:
            shared = fields & {p for t in tiers for p in readings(theirs, t)}
            out += [Pair(mine, theirs, p) for p in sorted(shared, key=text_of)]
    return out


def cases() -> list[Any]:
    out = []
    for pair in pairs():
        for tier in policy(BASELINE).tiers:
            if pair.pattern not in readings(pair.baseline, tier) or pair.pattern not in readings(
                pair.scale, tier
            ):
                continue
            for stage in _stages_both(pair, tier):
                for value in _values(pair, tier):
                    out.append(
                        pytest.param(pair, tier, stage, value, id=f"{pair.name}-{tier}-{stage}-{value.label}")
                    )
    return out


# ---------------------------------------------------------------------------- manifests


@dataclass(frozen=True, eq=False)
class Start:
    """A manifest to start from: a pack's passing fixture, perhaps with its scope flags changed."""

    name: str
    file: Path
    data: dict[str, Any]
    today: dt.date


_FLAGS = {
    "as-is": {},
    "no-raise": {
        "phi": False,
        "clinical_decision_support": False,
        "patient_facing": False,
        "fda_device": False,
    },
    "patient-facing": {
        "phi": False,
        "clinical_decision_support": False,
        "patient_facing": True,
        "fda_device": False,
    },
    "phi": {"phi": True, "clinical_decision_support": False, "patient_facing": False, "fda_device": False},
}


def _flagged(data: dict[str, Any], flags: dict[str, bool]) -> dict[str, Any]:
    out = copy.deepcopy(data)
    spec = out.setdefault("spec", {})
    for key, on in flags.items():
        if key == "fda_device":
            regulatory = spec.get("governance", {}).get("regulatory")
            if isinstance(regulatory, dict):
                regulatory["fda_device"] = on
            continue
        spec.setdefault("scope", {})[key] = on
        if key == "phi":
            for source in spec.get("data", {}).get("sources", []) or []:
                if isinstance(source, dict) and "phi" in source:
                    source["phi"] = on
    return out


@functools.cache
def starts() -> tuple[Start, ...]:
    out, seen = [], set()
    for pack in (BASELINE, SCALE):
        for file in sorted((PACKS[pack] / "tests" / "pass").rglob("*.yaml")):
            docs = load_all(read_text(file.name, file.read_bytes()), file.name)
            for index, doc in enumerate(docs):
                data = doc.data
                if not isinstance(data, dict) or data.get("kind") != "AIPilot":
                    continue
                fixture = data.pop("x-fixture", {}) or {}
                day = as_date(fixture.get("today")) or TODAY
                for variant, flags in _FLAGS.items():
                    name = f"{pack}/{file.stem}{f'#{index}' if index else ''}[{variant}]"
                    flagged = _flagged(data, flags)
                    key = json.dumps([flagged, str(day)], sort_keys=True, default=str)
                    if key not in seen:  # a variant that changes nothing is the same start
                        seen.add(key)
                        out.append(Start(name, file, flagged, day))
    return tuple(out)


def target(start: Start, data: dict[str, Any]) -> Target:
    """The manifest as the evaluator takes it, located in the start's own file (its evidence
    paths resolve there); positions come from the start, as no finding's line is compared."""
    return Target(Document(start.file.name, 0, data, _node(start)), start.file, ROOT)


@functools.cache
def _node(start: Start) -> Any:
    (doc,) = load_all(json.dumps(start.data, default=str), start.file.name)
    return doc.node


def at(data: dict[str, Any], tier: str, stage: str) -> dict[str, Any]:
    out = copy.deepcopy(data)
    out.setdefault("spec", {}).update(risk_tier=tier, stage=stage)
    return out


def raised(pol: Policy, data: dict[str, Any], tier: str) -> str:
    """The tier the policy's tiering raises a declared tier to, as the evaluator computes it (a data
    source with PHI makes the pilot a PHI pilot): a quick look before a whole evaluation."""
    spec = data.get("spec", {})
    sources = spec.get("data", {}).get("sources", []) if isinstance(spec.get("data"), dict) else []
    if isinstance(sources, list) and any(isinstance(x, dict) and x.get("phi") is True for x in sources):
        data = {**data, "spec": {**spec, "scope": {**(spec.get("scope") or {}), "phi": True}}}
    for rule in pol.tiering:
        if pol.rank(rule.minimum) > pol.rank(tier) and truthy(rule.when.search(data)):
            tier = rule.minimum
    return tier


@functools.cache
def verdicts(index: int, tier: str, stage: str) -> tuple[str, str, dict[str, str], int]:
    """A start at a tier and stage under each pack: effective tiers, every rule's status, and how
    many rules of both packs fail."""
    start = starts()[index]
    data = at(start.data, tier, stage)
    quick = raised(policy(BASELINE), data, tier), raised(policy(SCALE), data, tier)
    if quick != (tier, tier):
        return quick[0], quick[1], {}, 0
    # Both packs raise this manifest to no other tier, so one evaluation judges both packs' rules.
    both = policy(BASELINE)._replace(rules=(*policy(BASELINE).rules, *policy(SCALE).rules))
    result = evaluate(target(start, data), both, start.today, stage)
    statuses: dict[str, str] = {o.rule: o.status for o in result.outcomes}
    failing = sum(1 for s in statuses.values() if s == "fail")
    return result.tier, result.tier, statuses, failing


def bases(pair: Pair, tier: str, stage: str) -> tuple[tuple[str, int], ...]:
    return _bases(pair.baseline.info.id, pair.scale.info.id, tier, stage)[0]


def both_apply_somewhere(pair: Pair, tier: str, stage: str) -> bool:
    return _bases(pair.baseline.info.id, pair.scale.info.id, tier, stage)[1]


APPLIES = ("pass", "fail")
GROUPS = (("pass", "pass"), ("pass", "not-applicable"), ("not-applicable", "pass"))


@functools.cache
def _bases(mine: str, theirs: str, tier: str, stage: str) -> tuple[tuple[tuple[str, int], ...], bool]:
    """The starts to compare a pair on, and whether any start at the tier has both rules apply.

    The starts are the best one (fewest failing rules of both packs) where both rules pass,
    and the best one where only one of them applies (their guards differ) and passes.
    """
    found: dict[tuple[str, str], tuple[int, int]] = {}
    both = False
    for index in range(len(starts())):
        tier_mine, tier_theirs, statuses, failing = verdicts(index, tier, stage)
        if tier_mine != tier or tier_theirs != tier:
            continue
        group = (statuses.get(mine, ""), statuses.get(theirs, ""))
        both = both or (group[0] in APPLIES and group[1] in APPLIES)
        if group in GROUPS and (group not in found or failing < found[group][0]):
            found[group] = (failing, index)
    return tuple(("+".join(g), found[g][1]) for g in GROUPS if g in found), both


def judged(rule: CompiledRule, pack: str, start: Start, data: dict[str, Any], stage: str) -> str:
    """The rule's outcome from the real evaluator, with the pack's tiering: pass, fail or not-applicable."""
    alone = policy(pack)._replace(rules=(rule,))
    result = evaluate(target(start, data), alone, start.today, stage)
    return next(o.status for o in result.outcomes if o.rule == rule.info.id)


ALL = cases()


@pytest.mark.parametrize(("pair", "tier", "stage", "value"), ALL)
def test_both_packs_agree_at_the_boundary(pair: Pair, tier: str, stage: str, value: Value) -> None:
    if not bases(pair, tier, stage):
        if both_apply_somewhere(pair, tier, stage):
            pytest.fail(
                f"DISAGREE {pair.name} {tier} {stage} {value.label} baseline=? scale=? (no start passes both)"
            )
        pytest.skip(f"no pilot at {tier} makes both rules apply (the guards that would raise the tier)")
    wrong = disagreements(pair, tier, stage, value)
    assert not wrong, "\n".join(wrong)


def disagreements(pair: Pair, tier: str, stage: str, value: Value) -> list[str]:
    """``DISAGREE`` lines: the starts on which the value gets one verdict from one pack and
    another from the other."""
    wrong = []
    for _, index in bases(pair, tier, stage):
        start = starts()[index]
        data = at(start.data, tier, stage)
        value.apply(data, start.today)
        mine = judged(pair.baseline, BASELINE, start, data, stage)
        theirs = judged(pair.scale, SCALE, start, data, stage)
        if (mine == "fail") == (theirs == "fail"):  # a rule that does not apply lets the pilot through
            continue
        pack, rule = (BASELINE, pair.baseline) if mine != "fail" else (SCALE, pair.scale)
        if also_fails(pack, rule, pair.pattern, tier, start, at(start.data, tier, stage), data, stage):
            continue  # the pack blocks this value through another rule: the packs agree
        wrong.append(
            f"DISAGREE {pair.name} {tier} {stage} {value.label} baseline={mine} scale={theirs}"
            f" (from {start.name})"
        )
    return wrong


def related(mine: Pattern, other: Pattern) -> bool:
    """The same field, or one inside the other (removing ``regulatory`` removes its ``fda_device``)."""
    shorter = min(len(mine), len(other))
    return mine[:shorter] == other[:shorter]


@functools.cache
def _readers(pack: str, rule_id: str, pattern: Pattern, tier: str) -> tuple[CompiledRule, ...]:
    return tuple(
        r
        for r in policy(pack).rules
        if r.info.id != rule_id and any(related(pattern, q) for q in readings(r, tier))
    )


def also_fails(
    pack: str,
    rule: CompiledRule,
    pattern: Pattern,
    tier: str,
    start: Start,
    before: dict[str, Any],
    after: dict[str, Any],
    stage: str,
) -> str:
    """Another rule of ``pack`` reading the field that passes the start and fails the changed
    manifest, if there is one: the pack then blocks the value too, by a rule of its own."""
    readers = _readers(pack, rule.info.id, pattern, tier)
    if not readers:
        return ""
    narrowed = policy(pack)._replace(rules=readers)
    was = {o.rule: o.status for o in evaluate(target(start, before), narrowed, start.today, stage).outcomes}
    now = evaluate(target(start, after), narrowed, start.today, stage).outcomes
    return next((o.rule for o in now if o.status == "fail" and was.get(o.rule) != "fail"), "")


def _pair_cases() -> list[Any]:
    out = []
    for pair in pairs():
        for tier in policy(BASELINE).tiers:
            for stage in _stages_both(pair, tier):
                out.append(pytest.param(pair, tier, stage, id=f"{pair.name}-{tier}-{stage}"))
    return out


@pytest.mark.parametrize(("pair", "tier", "stage"), _pair_cases())
def test_a_manifest_passes_both_rules(pair: Pair, tier: str, stage: str) -> None:
    """Each comparison starts from a manifest both rules pass at that tier and stage, wherever a
    manifest can make both apply (guards such as ``spec.scope.phi`` raise the tier, so a rule
    guarded by them never applies at the lowest tiers)."""
    found = [name for name, _ in bases(pair, tier, stage)]
    if not both_apply_somewhere(pair, tier, stage):
        return  # their guards never hold together at this tier: the starts found, if any, compare them
    assert "pass+pass" in found, (
        f"DISAGREE {pair.name} {tier} {stage} start baseline=? scale=? "
        f"(no passing fixture of either pack passes both rules at {tier}/{stage}; found {found or 'none'})"
    )


def _clear() -> None:
    for cached in (verdicts, _bases, _readers):
        cached.cache_clear()


def test_a_planted_contradiction_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison can fail: give scale-readiness a looser max_age on a field the baseline
    ages too, and the day past the baseline's limit is a disagreement."""
    found = [
        (pair, tier, stage)
        for pair in pairs()
        if pair.baseline.check_name == pair.scale.check_name == "max_age"
        and pattern_of(parse(pair.scale.target).parts) == pair.pattern
        for tier in policy(BASELINE).tiers
        for stage in _stages_both(pair, tier)[:1]
    ]
    assert found, "no two max_age rules on one field to plant a contradiction in"
    pair, tier, stage = found[-1]
    days = pair.baseline.by_tier[tier][1]["days"]  # type: ignore[index]
    (tmp_path / "pack.yaml").write_text(
        json.dumps(
            {
                "apiVersion": "govcheck/v1",
                "kind": "PolicyPack",
                "metadata": {"name": "planted", "version": "0.0.1"},
                "extends": [str(PACKS[SCALE] / "pack.yaml")],
                "overrides": [{"rule": pair.scale.info.id, "params": {"days": {tier: days + 30}}}],
            }
        ),
        encoding="utf-8",
    )
    planted = load_policy(load_registry(()), (str(tmp_path / "pack.yaml"),), ROOT)
    monkeypatch.setitem(PLANTED, SCALE, planted)
    _clear()
    try:
        (loose,) = [p for p in pairs() if p.name == pair.name]
        past = next(v for v in _values(loose, tier) if v.label == f"{days + 1}-days-old")
        assert bases(loose, tier, stage), "no start passes both rules"
        wrong = disagreements(loose, tier, stage, past)
        assert wrong and all(line.endswith(")") and " baseline=fail scale=pass " in line for line in wrong)
        assert (
            disagreements(loose, tier, stage, next(v for v in _values(loose, tier) if v.label == "missing"))
            == []
        )
    finally:
        monkeypatch.delitem(PLANTED, SCALE)
        _clear()


def test_the_packs_share_fields() -> None:
    """The comparison has something to compare: the packs judge many fields in common."""
    assert len(pairs()) >= 20 and len(ALL) >= 200


# ---------------------------------------------------------------------------- one tiering


def _loaded(name: str) -> Any:
    loader = PackLoader(load_registry(()).pack_sources(), ROOT)
    pack = loader.load(str(PACKS[name] / "pack.yaml") if name in PACKS else name)
    assert pack is not None and not loader.problems, loader.problems
    return pack


@pytest.mark.parametrize("name", [BASELINE, SCALE])
def test_each_pack_extends_the_shared_tiering_and_has_none_of_its_own(name: str) -> None:
    pack = _loaded(name)
    assert TIERING in pack.data.get("extends", []), f"{name} must extend {TIERING}"
    assert "tiering" not in pack.data, f"{name} keeps a tiering block of its own"
    assert "waivers" not in pack.data or pack.data["waivers"] == _loaded(TIERING).data.get("waivers")
    assert TIERING in [p.name for p in pack.lineage()]


def _tiering(pol: Policy) -> list[tuple[str, str, str, str]]:
    return [(t.id, t.when.expression, t.minimum, t.reason) for t in pol.tiering]


def test_the_effective_tiering_is_one_and_the_same() -> None:
    mine, theirs, both = policy(BASELINE), policy(SCALE), policy(BASELINE, SCALE)
    assert _tiering(mine) == _tiering(theirs) == _tiering(both) == _tiering(policy(TIERING))
    assert _tiering(mine), "the shared tiering raises tiers"
    assert mine.tiers == theirs.tiers == both.tiers and mine.stages == theirs.stages == both.stages
    assert dict(mine.waiver_max_days) == dict(theirs.waiver_max_days) == dict(both.waiver_max_days)
    assert [p.name for p in both.packs].count(TIERING) == 1  # a parent shared by two packs is read once


DEVICE = {
    "apiVersion": "govcheck/v1",
    "kind": "AIPilot",
    "metadata": {"id": "ich-triage", "name": "Intracranial hemorrhage triage"},
    "spec": {
        "use_case": "imaging-triage",
        "risk_tier": "high",
        "stage": "expansion",
        "scope": {"phi": True, "clinical_decision_support": True, "patient_facing": False},
        "governance": {"regulatory": {"fda_device": True, "onc_dsi": "none"}},
    },
}


@pytest.mark.parametrize("names", [(BASELINE,), (SCALE,), (BASELINE, SCALE)], ids="+".join)
@pytest.mark.parametrize("stage", ["pilot", "expansion", "enterprise"])
def test_an_fda_device_declared_high_is_critical(names: tuple[str, ...], stage: str) -> None:
    (doc,) = load_all(json.dumps(DEVICE), "ich-triage.yaml")
    result = evaluate(Target(doc, ROOT / "ich-triage.yaml", ROOT), policy(*names), TODAY, stage)
    assert (result.declared_tier, result.tier) == ("high", "critical"), result.tier_reasons
