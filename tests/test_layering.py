"""The package's layering, read from its ``import`` statements (ast, nothing is imported).

- No import cycle among ``xxgk_lint`` modules: imports at module level and
  inside functions both count (a lazy import only hides a cycle); imports under
  ``if TYPE_CHECKING:`` do not (they never run).
- The model is the foundation: nothing it imports, directly or through other
  modules, is a reader, the normaliser or classifier, the table reader, the
  parser, the runner or a rule.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "xxgk_lint"

# what the model must never import (a module, or a package and everything in it)
BELOW_THE_MODEL = (
    "xxgk_lint.linter.readers", "xxgk_lint.linter.normalize", "xxgk_lint.linter.classify",
    "xxgk_lint.linter.tables", "xxgk_lint.linter.oldtable", "xxgk_lint.linter.digitruns",
    "xxgk_lint.linter.tabletokens", "xxgk_lint.linter.digitsplit",
    "xxgk_lint.linter.parse", "xxgk_lint.linter.facts", "xxgk_lint.linter.runner", "xxgk_lint.rules",
)

# cycles allowed for now (none: tables.py -> digitruns.py -> digitsplit.py); the test
# fails once one is gone, so that its allowance goes with it
KNOWN_CYCLES: list[set[str]] = []


def _modules(root: Path) -> dict[str, Path]:
    out = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root.parent).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST):
    """Every Import/ImportFrom in ``tree`` except those under ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                yield from _imports(ast.Module(body=[child], type_ignores=[]))
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        yield from _imports(node)


def _graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """module -> the package modules that importing it runs.  Importing ``a.b.c``
    runs ``a`` and ``a.b`` too: a parent package is an edge unless it is the
    importer's own (already running)."""
    modules = _modules(root)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        own = {".".join(name.split(".")[:n]) for n in range(1, name.count(".") + 2)}
        targets: set[str] = set()
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                found = [f"{source}.{a.name}" if f"{source}.{a.name}" in modules else source for a in node.names]
            else:
                found = [a.name for a in node.names]
            for target in found:
                parts = target.split(".")
                for n in range(1, len(parts) + 1):
                    step = ".".join(parts[:n])
                    if step in modules and step not in own:
                        targets.add(step)
        graph[name] = targets
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(component)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _reachable(graph: dict[str, set[str]], start: list[str]) -> dict[str, str]:
    """Every module reachable from ``start``, with the module that imports it."""
    seen: dict[str, str] = {}
    todo = list(start)
    while todo:
        v = todo.pop()
        for w in graph[v]:
            if w not in seen and w not in start:
                seen[w] = v
                todo.append(w)
    return seen


def _below(name: str) -> bool:
    return any(name == m or name.startswith(m + ".") for m in BELOW_THE_MODEL)


def test_no_import_cycle():
    cycles = _cycles(_graph())
    unknown = [sorted(c) for c in cycles if c not in KNOWN_CYCLES]
    assert not unknown, f"import cycles: {unknown}"
    gone = [sorted(c) for c in KNOWN_CYCLES if c not in cycles]
    assert not gone, f"closed, remove from KNOWN_CYCLES: {gone}"


def test_the_model_imports_no_reader_normaliser_table_reader_or_parser():
    graph = _graph()
    model = [m for m in graph if m == "xxgk_lint.linter.model" or m.startswith("xxgk_lint.linter.model.")]
    assert len(model) > 1
    via = _reachable(graph, model)
    bad = []
    for name in sorted(m for m in via if _below(m)):
        chain = [name]
        while chain[-1] in via:
            chain.append(via[chain[-1]])
        bad.append(" <- ".join(chain))
    assert not bad, "the model imports what builds it:\n" + "\n".join(bad)


def test_the_walk_sees_cycles_lazy_imports_and_parent_packages(tmp_path):
    """The checks can fail: a cycle through a function-level import, and one
    through a parent package's __init__, are found; TYPE_CHECKING is not one."""
    pkg = tmp_path / "xxgk_lint"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from . import b\n")
    (pkg / "b.py").write_text("from .a import f\n")
    (pkg / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import d\n")
    (pkg / "d.py").write_text("from . import c\n")
    (pkg / "sub" / "__init__.py").write_text("from ..e import x\n")
    (pkg / "sub" / "leaf.py").write_text("x = 1\n")
    (pkg / "e.py").write_text("from .sub.leaf import x\n")
    cycles = _cycles(_graph(pkg))
    assert {"xxgk_lint.a", "xxgk_lint.b"} in cycles
    assert {"xxgk_lint.sub", "xxgk_lint.e"} in cycles
    assert not any("xxgk_lint.c" in c for c in cycles)
