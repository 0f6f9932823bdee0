"""The built-in check functions, registered through the same hook a plugin uses."""

from __future__ import annotations

from govcheck import hookimpl
from govcheck.checks import (
    date_order,
    expr,
    file_exists,
    improves,
    matches,
    max_age,
    min_count,
    one_of,
    present,
    schema,
    subset,
)
from govcheck.interfaces import CheckSpec

BUILTIN: tuple[CheckSpec, ...] = (
    present.SPEC,
    expr.SPEC,
    schema.SPEC,
    max_age.SPEC,
    min_count.SPEC,
    matches.SPEC,
    one_of.SPEC,
    file_exists.SPEC,
    date_order.SPEC,
    subset.SPEC,
    improves.SPEC,
)


@hookimpl
def govcheck_checks() -> list[CheckSpec]:
    return list(BUILTIN)
