"""``hti1_source_attributes``: every source attribute a DSI type requires is recorded.

The target is the mapping that holds the attributes (normally
``spec.governance.regulatory.x-hti1.source_attributes``); ``dsi`` says which list applies
(``evidence-based`` or ``predictive``) and ``groups`` optionally narrows a predictive check to
some of the nine attribute groups, so one rule can cite one group. Each missing or empty
attribute is its own failure, at the attribute's own path.

A predictive attribute that 170.315(b)(11)(v)(A)(2) allows to be "not available for
review" may be recorded as ``{not_available: <why>}``, and so may a whole group whose
attributes all allow it (external validation, update schedule).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from govcheck.interfaces import MISSING, CheckContext, CheckSpec, Evaluator, Failure
from govcheck_hti1.attributes import PREDICTIVE, PREDICTIVE_GROUPS, TABLES, UNAVAILABLE_CITE, Attribute

NAME = "hti1_source_attributes"
_FIELD = r"[A-Za-z_][A-Za-z0-9_-]*"  # compiled by re when a rule uses the check, not at every start
_MARK = "not_available"


def parse_target(target: str) -> tuple[str, ...]:
    """A dotted path of field names, such as ``spec.governance.regulatory.x-hti1.source_attributes``."""
    parts = tuple(target.split(".")) if isinstance(target, str) else ()
    if not parts or not all(re.fullmatch(_FIELD, p) for p in parts):
        raise ValueError(f"the target must be a dotted path of field names, not {target!r}")
    return parts


def select(params: Mapping[str, Any]) -> tuple[Attribute, ...]:
    """The attributes a rule's parameters ask for; ``ValueError`` for bad parameters."""
    dsi = params.get("dsi")
    if dsi not in TABLES:
        raise ValueError(f"parameter 'dsi' must be one of {', '.join(TABLES)}, not {dsi!r}")
    groups = params.get("groups")
    if groups is None:
        return TABLES[dsi]
    if dsi != PREDICTIVE:
        raise ValueError(
            "parameter 'groups' applies to predictive DSIs only; evidence-based attributes have no groups"
        )
    if not isinstance(groups, list) or not groups or not all(g in PREDICTIVE_GROUPS for g in groups):
        raise ValueError(
            f"parameter 'groups' must be a non-empty list of {', '.join(PREDICTIVE_GROUPS)}, not {groups!r}"
        )
    return tuple(a for a in TABLES[dsi] if a.key[0] in groups)


def _is_mark(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {_MARK}


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _get(data: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return MISSING
        data = data[part]
    return data


def _lookup(root: Any, key: tuple[str, ...]) -> tuple[Any, tuple[str, ...]]:
    """The attribute's value, or the ``{not_available: ...}`` mark that covers it, or MISSING;
    with the path (below the root) where that was found."""
    node: Any = root
    at: tuple[str, ...] = ()
    for part in key:
        if _is_mark(node):
            return node, at
        if not isinstance(node, dict) or part not in node:
            return MISSING, key
        node, at = node[part], at + (part,)
    return node, at


def problem(attribute: Attribute, value: Any) -> str | None:
    """Why the recorded value does not satisfy the attribute, or None."""
    what = f"{attribute.title} ({attribute.cite})"
    if _is_mark(value):
        if not attribute.may_be_unavailable:
            return (
                f"{what} cannot be marked not available; {UNAVAILABLE_CITE} allows that only for"
                " (B)(6), (B)(7)(iii)-(v), (B)(8)(ii) and (iv), and (B)(9)"
            )
        reason = value[_MARK]
        return (
            None
            if isinstance(reason, str) and reason.strip()
            else "marked not available without saying why (not_available: <why>)"
        )
    if value is MISSING:
        return f"missing: {what}"
    if _empty(value):
        return f"empty: {what}"
    if attribute.flag and not isinstance(value, bool):
        return f"{what} must be true or false, not {value!r}"
    return None


def compile_check(target: str, params: Mapping[str, Any]) -> Evaluator:
    base = parse_target(target)
    attributes = select(params)

    def run(ctx: CheckContext) -> Sequence[Failure]:
        root = _get(ctx.data, base)
        if root is not MISSING and root is not None and not isinstance(root, dict):
            return (Failure(base, root, "must be a mapping of source attributes"),)
        failures, marks = [], set()
        for attribute in attributes:
            value, at = _lookup(root, attribute.key)
            reason = problem(attribute, value)
            if reason is None:
                continue
            if _is_mark(value) and attribute.may_be_unavailable:  # one finding per mark without a reason
                if at in marks:
                    continue
                marks.add(at)
            else:
                at = attribute.key
            failures.append(Failure(base + at, value, reason))
        return failures

    return run


SPEC = CheckSpec(
    NAME,
    compile_check,
    {"dsi": True, "groups": False},
    "every ONC HTI-1 source attribute of the DSI type `dsi` (optionally only `groups`) is recorded",
)
