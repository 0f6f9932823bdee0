"""Repository configuration: ``.govcheck.yaml`` or ``[tool.govcheck]`` in ``pyproject.toml``.

A local configuration may add packs and tighten the gate (a stricter ``fail_on``, a higher
severity); it can never drop the default pack, soften a rule or switch the gate off. That
takes a waiver approved by the governance body. The packs it adds may only tighten
(``packs/tighten.py``); the plugins it names must be installed ones (``plugins.py``).
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple
from urllib.parse import quote, unquote

from govcheck.errors import ConfigError, Problem
from govcheck.load.discover import work_tree
from govcheck.load.yaml import Document, read_settings
from govcheck.packs.loader import looks_like_path
from govcheck.schema import validate
from govcheck.waivers import DEFAULT_FILE as DEFAULT_WAIVERS

NAMES = (".govcheck.yaml", ".govcheck.yml")
_FAIL_ON_RANK = {"never": 0, "info": 3, "warning": 2, "error": 1}  # higher is stricter


class Named(str):
    """A pack or plugin as a configuration file names it; ``file`` is that file, for messages."""

    file: str

    def __new__(cls, name: str, file: str = "") -> Named:
        named = super().__new__(cls, name)
        named.file = file
        return named


class Config(NamedTuple):
    """The configuration in force; every field defaults to "not configured"."""

    file: str = ""
    packs: tuple[str, ...] = ()
    plugins: tuple[str, ...] = ()
    fail_on: str | None = None
    waivers: str | None = None
    formats: tuple[str, ...] = ()
    severity: Mapping[str, str] = MappingProxyType({})
    jobs: int | None = None
    # False under --no-config or --central: nothing the repository keeps applies, its own
    # waiver file included; only what the command line names does.
    repository: bool = True
    sha256: str = ""  # of the file as read, for the run's provenance
    record: str | None = None  # a history database: sqlite:/// and an absolute file in the repository
    baseline: str | None = None  # a baseline file inside the repository, as an absolute path


RECORD_PREFIX = "sqlite:///"


def find(start: Path) -> Path | None:
    """The nearest configuration file from ``start`` upward, stopping at the repository root."""
    for directory in (start, *start.parents):
        for name in NAMES:
            if (directory / name).is_file():
                return directory / name
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and "[tool.govcheck]" in pyproject.read_text(
            encoding="utf-8", errors="replace"
        ):
            return pyproject
        if (directory / ".git").exists():
            return None
    return None


def load(path: Path) -> Config:
    shown = path.as_posix()
    data, doc, sha256 = _read_toml(path, shown) if path.name == "pyproject.toml" else _read_yaml(path, shown)
    _refuse_exclude(data, doc, shown)
    problems = validate.problems(doc, "config", data) if doc is not None else _toml_problems(data, shown)
    if problems:
        raise ConfigError(
            f"{len(problems)} problem(s) in the configuration:",
            tuple(problems),
        )
    base = path.parent
    return Config(
        file=shown,
        packs=tuple(Named(_relative(base, p), shown) for p in data.get("packs", [])),
        plugins=tuple(Named(p, shown) for p in data.get("plugins", [])),
        fail_on=data.get("fail_on"),
        waivers=str(base / data["waivers"]) if "waivers" in data else None,
        formats=_report_files(tuple(data.get("formats", [])), shown),
        severity=dict(data.get("severity", {})),
        jobs=_jobs(data, doc, shown),
        sha256=sha256,
        record=_record(data["record"], path, shown) if "record" in data else None,
        baseline=_inside(data["baseline"], path, shown, "baseline") if "baseline" in data else None,
    )


def _refuse_exclude(data: dict[str, Any], doc: Document | None, shown: str) -> None:
    """A repository that could exclude its own files could leave a failing manifest unjudged and
    pass the gate; which files are left out is the pipeline owner's choice, made on the command line."""
    if "exclude" not in data:
        return
    line, column = _where(doc, "exclude")
    raise ConfigError(
        "the configuration cannot exclude files:",
        (
            Problem(
                shown,
                line,
                column,
                "exclude: is not read from a configuration; exclusions belong on the command line"
                " with --exclude, where the pipeline owner sets them",
            ),
        ),
    )


def _jobs(data: dict[str, Any], doc: Document | None, shown: str) -> int | None:
    """``jobs`` as a count. JSON Schema's integer admits 2.0 (and TOML or YAML give a float for
    it), which the process pool cannot take; refuse it here rather than fail inside the run."""
    jobs = data.get("jobs")
    if jobs is None or type(jobs) is int:
        return jobs
    line, column = _where(doc, "jobs")
    raise ConfigError(
        "1 problem(s) in the configuration:",
        (Problem(shown, line, column, f"jobs: {jobs!r} is not a whole number of processes (0 or more)"),),
    )


def _where(doc: Document | None, key: str) -> tuple[int, int]:
    """Where a top-level key is written; 0, 0 in a TOML table, which keeps no positions."""
    if doc is None:
        return 0, 0
    line, column, _ = doc.locate((key,))
    return line, column


def _report_files(formats: tuple[str, ...], shown: str) -> tuple[str, ...]:
    """``formats`` with a report file each may name, when every such file stays below the
    working directory: a repository must not have the gate write where the CI job keeps anything
    else (an absolute path, or one whose ``..`` leaves the working directory)."""
    for item in formats:
        _, _, file = item.partition("=")
        if file and (os.path.isabs(file) or os.path.normpath(file).split(os.sep)[0] == os.pardir):
            raise ConfigError(
                f"{shown}: formats: {item!r} writes outside the working directory;"
                " a configuration may only name report files below it"
            )
    return formats


def _record(url: str, path: Path, shown: str) -> str:
    """The history database a configuration names, as an absolute ``sqlite:///`` URL: a SQLite
    file inside the configuration's repository (relative to the file, as its other paths are).

    A repository must not make the gate write where the CI job keeps anything else, nor send
    its records to a server it chooses: those are named with ``--record`` or ``GOVCHECK_RECORD``
    by whoever runs the gate. Links are followed before the file is judged, and so are percent
    escapes: the store's URL parser decodes ``%2e%2e`` to ``..``, so the file judged is the
    decoded one, and the URL returned escapes its name again, to be decoded exactly once.
    """
    if not url.startswith(RECORD_PREFIX) or url == RECORD_PREFIX or "?" in url:
        raise ConfigError(
            f"{shown}: record: {url!r} is not a SQLite file; a configuration may record only to"
            f" {RECORD_PREFIX}FILE inside its repository (a database server is named with --record"
            " or GOVCHECK_RECORD)"
        )
    name = unquote(url[len(RECORD_PREFIX) :])
    if "\0" in name:
        raise ConfigError(f"{shown}: record: {url!r} names a file with a NUL character, which no file has")
    return RECORD_PREFIX + quote(_inside(name, path, shown, "record", url), safe="/")


def _inside(name: str, path: Path, shown: str, key: str, written: str = "") -> str:
    """``name``, relative to the configuration file, as an absolute path when it is inside the
    configuration's repository (links followed first), else a configuration error: a repository
    names only its own files, never ones where the CI job keeps anything else."""
    base = Path(os.path.realpath(path.parent))
    root = work_tree(base) or base
    file = Path(os.path.realpath(base / name))
    if not file.is_relative_to(root):
        raise ConfigError(
            f"{shown}: {key}: {written or name!r} is outside the repository ({root.as_posix()});"
            " a configuration may only name a file inside it"
        )
    return file.as_posix()


def _relative(base: Path, ref: str) -> str:
    """Paths in a config file are relative to it; pack names stay names."""
    return str(base / ref) if looks_like_path(ref) else ref


def _read_yaml(path: Path, shown: str) -> tuple[dict[str, Any], Document | None, str]:
    doc, sha256 = read_settings(
        path,
        shown,
        "configuration",
        "a configuration file is one YAML mapping (packs, plugins, fail_on, waivers, formats)",
    )
    return doc.data, doc, sha256


def _read_toml(path: Path, shown: str) -> tuple[dict[str, Any], None, str]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    raw = path.read_bytes()
    try:
        table = tomllib.loads(raw.decode("utf-8")).get("tool", {}).get("govcheck", {})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{shown}: invalid TOML: {exc}") from None
    return table, None, hashlib.sha256(raw).hexdigest()


def _toml_problems(data: dict[str, Any], shown: str) -> list[Problem]:
    if validate.surely_valid("config")(data):  # jsonschema only for a table that is not valid
        return []
    errors = validate.validator("config").iter_errors(data)
    return [Problem(shown, 0, 0, f"[tool.govcheck] {e.message}", path=tuple(e.absolute_path)) for e in errors]


def discover(cwd: Path, explicit: str | None, disabled: bool) -> Config:
    """The configuration in force: ``--config``, else the nearest file, unless ``--no-config``."""
    if disabled:
        return Config(repository=False)
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"--config {explicit}: no such file")
        return load(path)
    found = find(cwd.resolve())
    return load(found) if found is not None else Config()


def tighter_fail_on(cli: str | None, config: Config) -> str:
    """The command line wins when given; a configuration may only make the default stricter."""
    if cli is not None:
        return cli
    if config.fail_on is None:
        return "error"
    if _FAIL_ON_RANK[config.fail_on] < _FAIL_ON_RANK["error"]:
        raise ConfigError(
            f"{config.file}: fail_on: {config.fail_on} would switch the gate off;"
            " a configuration can only tighten it"
        )
    return config.fail_on


def waiver_file(cli: str | None, config: Config, cwd: Path) -> str | None:
    """The waiver file in force: ``--waivers``, else the configuration's, else the repository's
    own ``.govcheck-waivers.yaml``; with the repository left out, only ``--waivers``."""
    if cli is not None or not config.repository:
        return cli
    if config.waivers is not None:
        return config.waivers
    return DEFAULT_WAIVERS if (cwd / DEFAULT_WAIVERS).is_file() else None


def baseline_file(cli: str | None, config: Config) -> str | None:
    """The baseline in force: ``--baseline``, else the configuration's; with the repository left
    out (``--central``, ``--no-config``), only ``--baseline``: a gate applies the baseline it names."""
    if cli is not None or not config.repository:
        return cli
    return config.baseline
