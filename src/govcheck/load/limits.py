"""What bounds every YAML read, and how a refusal is said: shared by the native and composed routes."""

from __future__ import annotations

from govcheck.errors import Problem

MAX_BYTES = 1 << 20  # a manifest is a few KiB; 1 MiB leaves room and bounds the work
MAX_NODES = 100_000  # counts nodes reached through aliases and merge keys too: bounds alias bombs
MAX_DEPTH = 64
# Where locate starts to index a container's children instead of walking them: most mappings
# of a manifest are smaller, and for them an index costs a one-locate check more than the walk.
INDEX_FROM = 16

_DECLINE = object()  # a value govcheck refuses: the native reader hands the text back to Python


# A plain class, not a dataclass: it is defined on every start-up. ``contextlib`` assigns
# ``__traceback__`` to an exception leaving a ``@contextmanager``, so it must stay assignable.
class ParseError(Exception):
    """A YAML file that cannot be read safely; located where the problem is."""

    def __init__(self, file: str, line: int, column: int, message: str) -> None:
        super().__init__(file, line, column, message)
        self.file, self.line, self.column, self.message = file, line, column, message

    def __str__(self) -> str:
        return str(self.problem)

    def __repr__(self) -> str:
        return f"ParseError({self.file!r}, {self.line!r}, {self.column!r}, {self.message!r})"

    @property
    def problem(self) -> Problem:
        """Where and what, as every other located message is said."""
        return Problem(self.file, self.line, self.column, self.message)
