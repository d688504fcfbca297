"""The import graph keeps the layout's promises: no circle, no arrow back up a stage.

Read from the source with `ast` (imports inside functions count too), so a lazy import
cannot hide a circle. The stages of `transforms/` run in the order of STAGES; a module
may import its own stage and earlier ones only. Across packages, the bottom is the
settings and I/O resources of `newsfacts/`, the top is its command line: the flow is
started by the CLI and never imports it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("transforms", "flows", "warehouse", "expectations", "newsfacts")
STAGES = ("contract", "text", "page", "figures", "mentions", "deals", "money", "rows")
# Packages `transforms` may never import: it is pure Python on plain data.
IMPURE = ("prefect", "duckdb", "great_expectations", "flows", "warehouse", "expectations",
          "newsfacts")
CLI = ("newsfacts.cli",)
ENTRY = "newsfacts.__main__"  # `python -m newsfacts` is the CLI itself


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _graph() -> dict[str, set[str]]:
    """Module -> the project modules (or external top-level packages) it imports."""
    files = [p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")]
    names = {_module_name(p) for p in files}
    graph: dict[str, set[str]] = {}
    for path in files:
        mod = _module_name(path)
        is_pkg = path.name == "__init__.py"
        out: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = mod.split(".")
                    anchor = anchor[: len(anchor) - node.level + (1 if is_pkg else 0)]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [f"{base}.{a.name}" for a in node.names] + [base]
            for t in targets:
                # the longest project module that the target names, else its top package
                while t and t not in names and "." in t:
                    t = t.rsplit(".", 1)[0]
                if t and t != mod:
                    out.add(t)
        graph[mod] = out
    return graph


GRAPH = _graph()


def _stage(mod: str) -> int | None:
    parts = mod.split(".")
    if parts[0] != "transforms" or len(parts) < 2 or parts[1] not in STAGES:
        return None
    return STAGES.index(parts[1])


def test_every_transforms_module_sits_in_a_stage() -> None:
    loose = [m for m in GRAPH if m.startswith("transforms.") and _stage(m) is None
             and not m.startswith("transforms.languages")]
    assert loose == []


@pytest.mark.parametrize("mod", sorted(m for m in GRAPH if _stage(m) is not None))
def test_no_import_of_a_later_stage(mod: str) -> None:
    later = sorted(t for t in GRAPH[mod] if (_stage(t) or -1) > (_stage(mod) or 0))
    assert later == [], f"{mod} imports a later stage"


def test_transforms_stays_pure() -> None:
    bad = sorted((m, t) for m, ts in GRAPH.items() if m.startswith("transforms")
                 for t in ts if t.split(".")[0] in IMPURE)
    assert bad == []


def test_the_flow_never_imports_the_command_line() -> None:
    bad = sorted((m, t) for m, ts in GRAPH.items() if not m.startswith((*CLI, ENTRY))
                 for t in ts if t.startswith(CLI))
    assert bad == []


def test_no_import_circle() -> None:
    """Depth-first search over project modules; a back edge is a circle."""
    state: dict[str, int] = {}
    circles: list[list[str]] = []

    def visit(mod: str, path: list[str]) -> None:
        state[mod] = 1
        for t in sorted(GRAPH.get(mod, ())):
            if t not in GRAPH:
                continue
            # a package's __init__ importing its own submodules is not a circle
            if t.startswith(mod + ".") or mod.startswith(t + "."):
                continue
            if state.get(t) == 1:
                circles.append([*path, mod, t])
            elif t not in state:
                visit(t, [*path, mod])
        state[mod] = 2

    for mod in sorted(GRAPH):
        if mod not in state:
            visit(mod, [])
    assert circles == []
