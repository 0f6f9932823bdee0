"""Packs added by a repository's configuration may only tighten the policy of the packs in use.

A pass must mean governed: nothing in the repository being checked may make a manifest pass
that the same command fails without it. So the policy with the configuration's packs is
compared with the policy of the packs named on the command line (or the default), rule by
rule and tier by tier, and every way it is looser is a located problem in the added pack
that causes it. Whether a changed check parameter is stricter is what the check declares in
``CheckSpec.stricter``; a parameter without a declared direction may not change at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from govcheck.errors import ConfigError, Problem
from govcheck.interfaces import CheckSpec, Stricter
from govcheck.model import MISSING, SEVERITY_RANK
from govcheck.packs.applicability import applies_at
from govcheck.packs.loader import LoadedPack
from govcheck.packs.policy import Policy, build_or_raise, lineage
from govcheck.packs.rules import CompiledRule

_DIRECTION = {
    "lower": "a lower {param} is stricter",
    "higher": "a higher {param} is stricter",
    "subset": "only dropping some of the {param} is stricter",
    "superset": "only adding to the {param} is stricter",
    "true": "only {param}: true is stricter",
    "schema": "only a schema that accepts fewer values is stricter",
}


@dataclass(frozen=True)
class _Change:
    """A looser parameter: ``old`` for a ``tier`` pilot before, ``new`` for one at tier ``at`` now.

    ``param`` is "" when the rule no longer applies at ``at`` at all.
    """

    param: str
    tier: str
    at: str
    old: Any
    new: Any


def require(
    in_use: Sequence[LoadedPack],
    added: Sequence[LoadedPack],
    policy: Policy,
    checks: Mapping[str, CheckSpec],
    named_by: str,
) -> None:
    """Raise ``ConfigError`` unless ``policy`` (``in_use`` and ``added`` packs) is at least as strict
    as the packs in use alone; ``named_by`` is the configuration file that added the others."""
    known = {p.source for p in lineage(in_use)}
    only_added = [p for p in lineage([*in_use, *added]) if p.source not in known]
    if not only_added:  # the configuration named packs already in use
        return
    problems = loosenings(build_or_raise(list(in_use), checks), policy, only_added, checks)
    if problems:
        names = ", ".join(dict.fromkeys(p.name for p in in_use))
        raise ConfigError(
            f"{named_by}: {len(problems)} change(s) in the packs it adds would loosen the policy of "
            f"{names}; packs added by configuration can only add rules and tighten them (an exception "
            "takes a waiver):",
            tuple(problems),
        )


def loosenings(
    base: Policy,
    full: Policy,
    added: Sequence[LoadedPack],
    checks: Mapping[str, CheckSpec],
) -> list[Problem]:
    """Every way ``full`` (the packs in use plus the ``added`` ones) is looser than ``base``.

    ``added`` are the packs only the configuration brought in, in merge order; each problem
    points at the line of the one that causes it.
    """
    blame = _Blame(added)
    problems = [
        blame.at(
            (key,),
            f"{key}: {_show(list(getattr(full, key)))} where the packs in use declare "
            f"{_show(list(getattr(base, key)))}; a pack added by configuration cannot redeclare or "
            f"reorder {key}",
        )
        for key in ("tiers", "stages")
        if getattr(full, key) != getattr(base, key)
    ]
    if problems:  # the comparisons below read tiers and stages by name
        return problems
    problems += _waiver_limits(base, full, blame)
    rules = {r.info.id: r for r in full.rules}
    for old in base.rules:
        new = rules.get(old.info.id)
        problems += _rule(old, new, base.tiers, checks, blame)
    problems += _tiering(base, full, rules, checks, blame)
    return sorted(problems, key=lambda p: (p.file, p.line, p.column))


def tighter(kind: Stricter | None, old: Any, new: Any) -> bool:
    """Whether a parameter value ``new`` is at least as strict as ``old`` (MISSING: not given).

    An unchanged value always is; any other change only when the check declared which way is
    stricter and the values show it. A value the old rule left to the check's default is
    stricter only when nothing can be stricter (``true`` for a ``true`` parameter).
    """
    if _canon(old) == _canon(new):
        return True
    if kind == "true":
        return new is True
    if kind == "superset":  # not given is none: any list adds to it
        return _listed(new) >= _listed([] if old is MISSING else old)
    if old is MISSING or new is MISSING:
        return False
    if kind == "lower":
        return _number(old) and _number(new) and new <= old
    if kind == "higher":
        return _number(old) and _number(new) and new >= old
    if kind == "subset":
        return _listed(new) <= _listed(old)
    if kind == "schema":
        return schema_tighter(old, new)
    return False


# JSON Schema keywords govcheck can compare. Others must stay as they are: a keyword such as
# ``properties`` or ``items`` added beside ``additionalProperties`` or ``unevaluatedItems``
# can let through values the old schema refused.
_ANNOTATIONS = frozenset(
    {"title", "description", "default", "examples", "$comment", "deprecated", "readOnly", "writeOnly"}
)
_AT_MOST = frozenset({"maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"})
_AT_LEAST = frozenset({"minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"})
_NARROWING = _AT_MOST | _AT_LEAST | {"enum", "const", "required", "type"}  # safe to add


def schema_tighter(old: Any, new: Any) -> bool:
    """Whether the JSON Schema ``new`` accepts no value that ``old`` refuses, as far as is shown.

    Shown: bounds moved inward or added, ``enum`` and ``type`` narrowed or added, ``required``
    grown or added, ``const`` added, ``properties`` (same names) and ``items`` tightened
    recursively, annotations changed. Anything else must be unchanged.
    """
    if _canon(old) == _canon(new) or new is False:  # false accepts nothing
        return True
    if not isinstance(old, dict) or not isinstance(new, dict):
        return False
    for key in (old.keys() | new.keys()) - _ANNOTATIONS:
        was, now = old.get(key, MISSING), new.get(key, MISSING)
        if _canon(was) == _canon(now):
            continue
        if now is MISSING or (was is MISSING and key not in _NARROWING):
            return False
        if was is MISSING:
            continue
        if key in _AT_MOST or key in _AT_LEAST:
            ok = tighter("lower" if key in _AT_MOST else "higher", was, now)
        elif key == "enum":
            ok = tighter("subset", was, now)
        elif key == "required":
            ok = tighter("subset", now, was)  # more names required
        elif key == "type":
            widest = _types(was) | ({"integer"} if "number" in _types(was) else set())
            ok = bool(_types(now)) and _types(now) <= widest
        elif key == "properties":
            ok = (
                isinstance(was, dict)
                and isinstance(now, dict)
                and was.keys() == now.keys()
                and all(schema_tighter(was[k], now[k]) for k in was)
            )
        elif key == "items":
            ok = schema_tighter(was, now)
        else:
            ok = False
        if not ok:
            return False
    return True


class _Blame:
    """Finds the added pack, and the line in it, that a loosening comes from."""

    def __init__(self, added: Sequence[LoadedPack]) -> None:
        self.added = list(added)
        self.last_first = self.added[::-1]  # of several packs setting a value, the last one's is in force

    def at(self, path: tuple[str | int, ...], message: str) -> Problem:
        """A problem at ``path`` in the last added pack that has it."""
        pack = next((p for p in self.last_first if _has(p.data, path)), self.last_first[0])
        return pack.where(path if _has(pack.data, path) else (), f"pack {pack.name} → {message}")

    def override(self, rule: str, key: str, param: str = "", message: str = "") -> Problem:
        """A problem at the last added override of ``rule`` that sets ``key`` (``params`` → ``param``)."""
        for pack in self.last_first:
            for i, over in reversed(list(enumerate(pack.data.get("overrides", [])))):
                path: tuple[str | int, ...] = ("overrides", i, key, *([param] if param else []))
                if over.get("rule") == rule and _has(over, path[2:]):
                    return pack.where(path, f"pack {pack.name} → override {rule} → {message}")
        pack = self.last_first[0]
        return pack.where((), f"pack {pack.name} → rule {rule}: {message}")


def _rule(
    old: CompiledRule,
    new: CompiledRule | None,
    tiers: tuple[str, ...],
    checks: Mapping[str, CheckSpec],
    blame: _Blame,
) -> list[Problem]:
    rid = old.info.id
    if new is None:
        return [blame.override(rid, "disabled", message=f"disabled: turns off rule {rid}")]
    problems = []
    if SEVERITY_RANK[new.info.severity] < SEVERITY_RANK[old.info.severity]:
        problems.append(
            blame.override(
                rid,
                "severity",
                message=f"severity: {new.info.severity} where the packs in use say {old.info.severity}",
            )
        )
    narrower = _narrower(old, new)
    if narrower:  # the parameters of another check, or of fewer tiers, do not compare
        return [*problems, blame.override(rid, "params", message=narrower)]
    spec = checks.get(old.check_name)
    for param, changes in _group(_changes(old, new, [(t, t) for t in tiers], spec)).items():
        problems.append(
            blame.override(
                rid,
                "params",
                param,
                f"params → {_describe(param, changes, old, spec)}"
                if param
                else f"params: rule {rid} {_describe(param, changes, old, spec)}",
            )
        )
    return problems


def _narrower(old: CompiledRule, new: CompiledRule) -> str:
    """How the new rule applies to fewer pilots or checks something else, or ""."""
    if (new.check_name, new.target) != (old.check_name, old.target):
        return f"checks {new.check_name} {new.target} instead of {old.check_name} {old.target}"
    if new.tiers is not None and (old.tiers is None or not old.tiers <= new.tiers):
        return f"applies to the tiers {new.tier_text} instead of {old.tier_text or 'every tier'}"
    if new.stages and (not old.stages or not set(old.stages) <= set(new.stages)):
        was = ", ".join(old.stages) or "every stage"
        return f"applies at the stages {', '.join(new.stages)} instead of {was}"
    if new.when_text and new.when_text != old.when_text:
        return f"applies only when {new.when_text} instead of {old.when_text or 'always'}"
    return ""


def _changes(
    old: CompiledRule,
    new: CompiledRule,
    pairs: Iterable[tuple[str, str]],
    spec: CheckSpec | None,
) -> list[_Change]:
    """Looser parameters of ``new`` at tier ``b`` than ``old`` at tier ``a``, for each pair."""
    stricter = spec.stricter if spec is not None else {}
    out = []
    for a, b in pairs:
        if not applies_at(old, a):
            continue
        before = old.by_tier[a]
        after = new.by_tier.get(b) if applies_at(new, b) else None
        assert before is not None  # applies_at says a threshold is set
        if after is None:
            out.append(_Change("", a, b, before[1], MISSING))
            continue
        for param in sorted(before[1].keys() | after[1].keys()):
            was, now = before[1].get(param, MISSING), after[1].get(param, MISSING)
            if not tighter(stricter.get(param), was, now):
                out.append(_Change(param, a, b, was, now))
    return out


def _group(changes: list[_Change]) -> dict[str, list[_Change]]:
    out: dict[str, list[_Change]] = {}
    for change in changes:
        out.setdefault(change.param, []).append(change)
    return out


def _describe(param: str, changes: list[_Change], old: CompiledRule, spec: CheckSpec | None) -> str:
    """``days: 100000 instead of 180 for a moderate pilot, ... (max_age: a lower days is stricter)``."""
    if not param:
        return f"would no longer apply to a {_either(list(dict.fromkeys(c.at for c in changes)))} pilot"
    by_values: dict[tuple[str, str, str], list[str]] = {}
    for c in changes:  # "at" is "" where the tier did not change, so tiers with equal values join
        by_values.setdefault((_show(c.new), _show(c.old), "" if c.at == c.tier else c.at), []).append(c.tier)
    shown = ", ".join(
        f"{new} for a {at} pilot where a {_either(tiers)} pilot gets {was}"
        if at
        else f"{new} instead of {was} for a {_either(tiers)} pilot"
        for (new, was, at), tiers in by_values.items()
    )
    kind = spec.stricter.get(param) if spec is not None else None
    why = (
        _DIRECTION[kind].format(param=param)
        if kind is not None
        else f"no stricter direction is declared for {param}, so it cannot change"
    )
    return f"{param}: {shown} ({old.check_name}: {why})"


def _waiver_limits(base: Policy, full: Policy, blame: _Blame) -> list[Problem]:
    problems = []
    for tier in base.tiers:
        was, now = base.waiver_max_days.get(tier), full.waiver_max_days.get(tier)
        if was is not None and (now is None or now > was):
            problems.append(
                blame.at(
                    ("waivers", "max_days", tier),
                    f"waivers → max_days → {tier}: {now} where the packs in use allow at most {was} days",
                )
            )
    return problems


def _tiering(
    base: Policy,
    full: Policy,
    rules: Mapping[str, CompiledRule],
    checks: Mapping[str, CheckSpec],
    blame: _Blame,
) -> list[Problem]:
    """A tier only ever goes up, but a higher tier is not stricter when a rule asks less of it.

    So an added tiering rule is accepted only when, for each tier below its minimum, every rule
    of the packs in use asks at least as much at the minimum, and a waiver may run no longer.
    """
    problems = []
    for pack in blame.added:
        for i, item in enumerate(pack.data.get("tiering", [])):
            top = item["minimum"]
            below = base.tiers[: base.tiers.index(top)]
            what = []
            for old in base.rules:
                new, spec = rules.get(old.info.id), checks.get(old.check_name)
                if new is None:
                    continue  # reported as turned off
                for param, changes in _group(_changes(old, new, [(t, top) for t in below], spec)).items():
                    what.append(f"rule {old.info.id} {_describe(param, changes, old, spec)}")
            now = full.waiver_max_days.get(top)
            for t in below:
                was = base.waiver_max_days.get(t)
                if was is not None and (now is None or now > was):
                    what.append(
                        f"a waiver may run {now or 'any number of'} days, where for a {t} pilot {was}"
                    )
            if what:
                problems.append(
                    pack.where(
                        ("tiering", i, "minimum"),
                        f"pack {pack.name} → tiering {item['id']}: raising a pilot to {top} would ask less "
                        f"of it ({'; '.join(what)}); a pack added by configuration may raise a tier "
                        "only where every rule asks at least as much of the higher tier",
                    )
                )
    return problems


def _has(data: Any, path: tuple[str | int, ...]) -> bool:
    for part in path:
        if not isinstance(data, (dict, list)):
            return False
        try:
            data = data[part]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return False
    return True


def _either(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _types(value: Any) -> set[str]:
    return (
        {value} if isinstance(value, str) else {str(v) for v in value} if isinstance(value, list) else set()
    )


def _canon(value: Any) -> str:
    """Equal only for equal values of equal types: ``1``, ``1.0``, ``true`` and ``"1"`` all differ."""
    if value is MISSING:
        return "\0missing"
    return json.dumps(value, sort_keys=True, default=lambda o: f"{type(o).__name__}:{o}")


def _show(value: Any) -> str:
    if value is MISSING:
        return "(not set)"
    return json.dumps(value, default=str)


def _listed(value: Any) -> set[str]:
    """A list parameter's values, comparable; one text is a list of one; anything else is none
    (so no comparison can call it stricter)."""
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else None
    return {_canon(v) for v in items} if items is not None else {"\0not a list"}
