"""Imports go one way: the folders, read in order, are the pipeline, and no stage reaches back.

The graph is read from the source (every import, lazy ones included; imports for type
checkers only are left out), so a new module cannot slip a cycle or a back-reach past it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SRC / "govcheck"


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node but those under ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for child in node.orelse for n in [child, *_runtime_nodes(child)])
            continue
        yield node
        yield from _runtime_nodes(node)


def _resolve(name: str) -> str | None:
    """The govcheck module an import names (a name imported from a package may be a module)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module: str) -> set[str]:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in _runtime_nodes(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    [*package.split(".")[: len(package.split(".")) - node.level + 1], base]
                ).strip(".")
            names = [f"{base}.{a.name}" for a in node.names] + [base]
        for name in names:
            target = _resolve(name) if name.startswith("govcheck") else None
            if target is not None and target != module:
                found.add(target)
    return found


GRAPH = {m: imports_of(m) for m in MODULES}


def reach(module: str) -> set[str]:
    seen: set[str] = set()
    todo = [module]
    while todo:
        for nxt in GRAPH[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    return seen


def _in(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_there_is_no_import_cycle() -> None:
    cycles = sorted(m for m in GRAPH if m in reach(m) and m != "govcheck")
    assert cycles == [], f"modules that import themselves through others: {cycles}"


def test_the_model_imports_nothing_of_govcheck() -> None:
    assert GRAPH["govcheck.model"] == set()
    assert reach("govcheck.errors") <= {"govcheck.model"}


@pytest.mark.parametrize(
    ("stage", "forbidden"),
    [
        ("govcheck.report", ("govcheck.load", "govcheck.packs", "govcheck.checks", "govcheck.evaluate")),
        ("govcheck.load", ("govcheck.schema", "govcheck.packs", "govcheck.checks", "govcheck.evaluate")),
        ("govcheck.lang", ("govcheck.load", "govcheck.packs", "govcheck.checks", "govcheck.evaluate")),
        ("govcheck.schema", ("govcheck.packs", "govcheck.checks", "govcheck.evaluate")),
        ("govcheck.checks", ("govcheck.packs", "govcheck.evaluate", "govcheck.report", "govcheck.authoring")),
        ("govcheck.packs", ("govcheck.evaluate", "govcheck.run", "govcheck.report", "govcheck.cli")),
        ("govcheck.evaluate", ("govcheck.run", "govcheck.report", "govcheck.cli", "govcheck.portfolio")),
        ("govcheck.portfolio", ("govcheck.cli",)),
    ],
)
def test_no_stage_reaches_back(stage: str, forbidden: tuple[str, ...]) -> None:
    for module in (m for m in GRAPH if _in(m, stage)):
        bad = sorted(r for r in reach(module) if any(_in(r, f) for f in forbidden))
        assert bad == [], f"{module} reaches {bad}"


def test_the_graph_is_read() -> None:  # a broken reader would pass every test above
    assert "govcheck.model" in GRAPH["govcheck.evaluate"]
    assert "govcheck.load.yaml" in reach("govcheck.schema.validate")
    assert len(MODULES) > 60
