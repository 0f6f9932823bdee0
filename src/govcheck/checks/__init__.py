"""The built-in check functions, registered through the same hook a plugin uses."""

from __future__ import annotations

from govcheck import hookimpl
from govcheck.checks import expr, file_exists, matches, max_age, min_count, one_of, present, schema
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
)


@hookimpl
def govcheck_checks() -> list[CheckSpec]:
    return list(BUILTIN)
