"""What most built-in checks share: a field path and a test applied to each value it names."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from govcheck.interfaces import MISSING, CheckContext, Evaluator, Failure
from govcheck.lang.fieldpath import parse

# Returns None when the value passes, else a short reason ("missing", "is 12 days old").
Test = Callable[[Any, CheckContext], "str | None"]


def path_check(target: str, test: Test) -> Evaluator:
    path = parse(target)

    def run(ctx: CheckContext) -> Sequence[Failure]:
        failures = []
        for at, value in path.resolve(ctx.data):
            reason = "missing" if value is MISSING else test(value, ctx)
            if reason is not None:
                failures.append(Failure(at, value, reason))
        return failures

    return run


def require(params: dict[str, Any] | Any, name: str, kind: type | tuple[type, ...]) -> Any:
    value = params.get(name, MISSING)
    if value is MISSING:
        raise ValueError(f"parameter {name!r} is required")
    if not isinstance(value, kind) or isinstance(value, bool) and kind is int:
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ValueError(f"parameter {name!r} must be {names}, not {value!r}")
    return value
