"""The package's layout is the pipeline: imports only go down the stages (see
ARCHITECTURE.md), no module imports itself in a circle, and only the engine adapters know
a site engine exists. Read from the source, so a function-level import counts too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "builder"
# Lowest first. A stage may import its own modules and any stage of a lower rank; stages
# of the same rank (the outputs; the guard and the reports) never import each other.
RANKS = {"core": 0, "content": 1, "catalog": 2, "channels": 3, "site": 4, "collateral": 4, "editor": 4,
         "guard": 5, "reports": 5, "pipeline": 6, "engines": 7, "cli": 8}
ENGINE_PACKAGES = ("mkdocs", "material", "properdocs", "zensical")


def modules(root: Path) -> dict[str, Path]:
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> list[tuple[str, int]]:
    """(module, line) of every import of the package's own modules, and (package, line) of
    every other top-level package imported."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            submodules = [f"{module}.{alias.name}" for alias in node.names if f"{module}.{alias.name}" in known]
            found += [(sub, node.lineno) for sub in submodules] or [(module, node.lineno)]
    return found


def own_graph(root: Path) -> dict[str, set[str]]:
    known = modules(root)
    top = root.name
    return {name: {module for module, _ in imports(name, path, known)
                   if module in known and module != name and not name.startswith(module + ".")}
            for name, path in known.items() if name != top}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def stage(module: str) -> str:
    return module.split(".")[1]


def test_every_stage_is_a_documented_subpackage() -> None:
    names = {path.parent.name for path in PACKAGE.glob("*/__init__.py")}
    names |= {path.stem for path in PACKAGE.glob("*.py") if path.stem != "__init__"}
    assert names == set(RANKS)
    architecture = (REPO / "ARCHITECTURE.md").read_text("utf-8")
    for name in RANKS:
        if (PACKAGE / name).is_dir():
            docstring = ast.get_docstring(ast.parse((PACKAGE / name / "__init__.py").read_text("utf-8")))
            assert docstring, f"builder/{name}/__init__.py says what the stage owns"
            assert f"`{name}/`" in architecture


def test_no_import_cycle() -> None:
    assert cycles(own_graph(PACKAGE)) == []


def test_imports_only_go_down_the_pipeline() -> None:
    wrong = []
    for source, targets in own_graph(PACKAGE).items():
        for target in targets:
            a, b = stage(source), stage(target)
            if a != b and (RANKS[b] > RANKS[a] or RANKS[b] == RANKS[a]):
                wrong.append(f"{source} imports {target}")
    assert wrong == []


def test_only_the_engine_adapters_import_a_site_engine() -> None:
    known = modules(PACKAGE)
    wrong = [f"{name}:{line} imports {module}" for name, path in known.items() if not name.startswith("builder.engines")
             for module, line in imports(name, path, known) if module.split(".")[0] in ENGINE_PACKAGES]
    assert wrong == []


def test_no_module_is_a_grab_bag() -> None:
    long = {path.relative_to(REPO).as_posix(): n for path in PACKAGE.rglob("*.py")
            if (n := len(path.read_text("utf-8").splitlines())) > 420}
    assert long == {}


@pytest.mark.parametrize("files, expected", [
    ({"a.py": "from . import b\n", "b.py": "from .c import x\n", "c.py": "def f():\n    from .a import y\n"},
     [["pkg.a", "pkg.b", "pkg.c"]]),
    ({"a.py": "from .b import x\n", "b.py": "x = 1\n"}, []),
])
def test_the_cycle_check_sees_function_level_imports(tmp_path: Path, files: dict[str, str], expected) -> None:
    root = tmp_path / "pkg"
    root.mkdir()
    (root / "__init__.py").write_text("")
    for name, text in files.items():
        (root / name).write_text(text)
    assert cycles(own_graph(root)) == expected
