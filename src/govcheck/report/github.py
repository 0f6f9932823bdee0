"""GitHub Actions workflow commands: one annotation per unwaived finding.

``::error file=F,line=L,col=C,title=RULE title::message`` (warnings as ``::warning``, info as
``::notice``), escaped as the runner unescapes them. Waived findings print nothing, and there
is no summary line: the checks page counts annotations itself, and a summary would be one
more annotation on every run. Pair with ``--format text`` for a log summary.
"""

from __future__ import annotations

from govcheck.interfaces import ReportOptions
from govcheck.model import Finding, RunResult

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """The message after ``::``: %, CR and LF are the characters the runner decodes."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A ``key=value`` property: also ``:`` and ``,``, which end a value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(f: Finding, options: ReportOptions) -> str:
    """One finding as a workflow command, its fix appended unless quiet, escaped so no text ends it early."""
    title = f"{f.rule} {f.title}".strip()
    props = {"file": f.file, "line": str(f.line), "col": str(f.column), "title": title}
    message = f.message
    if f.remediation and not options.quiet:
        message += "\n\nfix:\n" + f.remediation.rstrip()
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in props.items())
    return f"::{COMMAND[f.severity]} {joined}::{escape_data(message)}"


def render(result: RunResult, options: ReportOptions) -> str:
    """One command per unwaived finding, in reported order, and nothing else."""
    return "".join(command(f, options) + "\n" for f in result.findings if not f.suppressed)
