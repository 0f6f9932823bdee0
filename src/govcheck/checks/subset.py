"""``subset``: every item of the list at the field is among the values the ``of`` paths name.

Every planned site must be fed by some data source: ``subset: spec.data.coverage.planned_sites``
with ``of: "spec.data.sources[*].sites"``. Lists found at ``of`` are taken item by item, and
items compare as ``min_count``'s ``distinct`` does (``North-Campus`` is ``north-campus``). Each
item that is not covered is one failure at its own place; an empty or placeholder item is one
too, since it covers nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from govcheck.checks._common import placeholders
from govcheck.interfaces import MISSING, CheckContext, CheckSpec, Evaluator, Failure
from govcheck.lang.fieldpath import parse
from govcheck.lang.values import nothing_problem, same_key


def compile_check(target: str, params: Mapping[str, Any]) -> Evaluator:
    of = params.get("of")
    names = [of] if isinstance(of, str) else of
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise ValueError(f"parameter 'of' must be a field path or a list of them, not {of!r}")
    pools = [parse(name) for name in names]
    shown = " or ".join(names)
    path = parse(target)
    extra = placeholders(params)

    def pool(data: Any) -> set[Any]:
        keys: set[Any] = set()
        for source in pools:
            for _, value in source.resolve(data):
                for item in value if isinstance(value, list) else [value]:
                    if item is not MISSING:
                        keys.add(same_key(item))
        return keys

    def run(ctx: CheckContext) -> Sequence[Failure]:
        failures: list[Failure] = []
        covered: set[Any] | None = None
        for at, value in path.resolve(ctx.data):
            if value is MISSING or not isinstance(value, list):
                failures.append(
                    Failure(at, value, "missing" if value is MISSING else f"{value!r} is not a list")
                )
                continue
            for n, item in enumerate(value):
                hollow = nothing_problem(item, extra)
                if hollow is not None:
                    failures.append(Failure(at + (n,), item, hollow))
                    continue
                covered = pool(ctx.data) if covered is None else covered
                if same_key(item) not in covered:
                    failures.append(Failure(at + (n,), item, f"{item!r} is not among {shown}"))
        return failures

    return run


SPEC = CheckSpec(
    "subset",
    compile_check,
    {"of": True, "placeholders": False},
    "every item of the list is among the values at `of`",
    stricter={"of": "subset", "placeholders": "superset"},
)
