"""The exceptions govcheck raises on purpose; the CLI maps each to exit code 2."""

from __future__ import annotations

from dataclasses import dataclass

from govcheck.model import DocPath


@dataclass(frozen=True)
class Problem:
    """One located problem in a file govcheck was given (a pack, a config, a waiver set).

    The one located-message type: pack loading, configuration, waivers and ``pack lint``
    (which sets ``severity``) all say where a problem is with it. Line 0 means "the file".
    """

    file: str
    line: int
    column: int
    message: str
    severity: str = ""  # "error" or "warning" where a report lists problems of both kinds
    path: DocPath = ()  # where in the document, when a schema says it
    fix: str = ""  # what to write instead, when a schema says it

    def __str__(self) -> str:
        if self.severity:  # a report line: always file:line:column, as editors expect
            return f"{self.file}:{max(self.line, 1)}:{max(self.column, 1)}: {self.severity} {self.message}"
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return f"{where}: {self.message}"


class GovcheckError(Exception):
    """Base class: a problem the user can fix, reported without a traceback."""

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        return "\n".join([self.message, *(f"  {p}" for p in self.problems)])


class UsageError(GovcheckError):
    """Wrong command-line usage (unknown format, missing path, ...)."""


class ConfigError(GovcheckError):
    """A broken configuration file or waiver set."""


class PackError(GovcheckError):
    """A policy pack that cannot be loaded, validated or compiled."""


class PluginError(GovcheckError):
    """A plugin that cannot be imported or that clashes with another one."""


class HistoryError(GovcheckError):
    """The history database cannot be opened, read or written."""
