"""The architecture, in code: layers import only downwards, and nothing imports in a circle.

The layers, lowest first (BRIEF and README): ``core < data < train < files < views <
adapters (sklearn, onnx, playground) < cli``; the package face (``glassnet/__init__.py``,
``_moved``) sits above them all. The checker reads every ``import`` with :mod:`ast` (including those
inside functions; those under ``if TYPE_CHECKING:`` count for the layers but not for
cycles, since they never run) and reports:

* a cycle between modules;
* an import that runs up a layer;
* the core importing anything but the core, the standard library, NumPy and
  ``array_api_compat`` (an edge module: files, figures, tables, progress bars);
* scikit-learn imported outside ``glassnet/sklearn/`` and the digits loader;
* matplotlib or scikit-learn loaded by ``import glassnet`` (a subprocess).

Each rule is also shown failing on a deliberately broken, synthetic module graph.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "glassnet"
LAYERS = ["core", "data", "train", "files", "views", "sklearn|onnx|playground", "cli", "face"]
SKLEARN_ALLOWED = ("glassnet.sklearn.", "glassnet.data.datasets")
CORE_MAY_IMPORT = ("glassnet.core", "numpy", "array_api_compat")
Graph = dict[str, set[str]]


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, root: Path, typing: bool = True) -> set[str]:
    """Every module ``path`` imports, absolute, relative imports resolved; ``typing=False``
    leaves out those under ``if TYPE_CHECKING:`` (they never run)."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(), str(path))
    blocks = [] if typing else _typing_blocks(tree)
    skipped = {id(n) for block in blocks for n in ast.walk(block)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = {f"{base}.{alias.name}" for alias in node.names}
            found |= names  # ``from pkg import module`` imports the module ...
            found.add(base)  # ... and ``pkg``, unless every name is a module (see below)
            if all(_is_module(n, root) for n in names):
                found.discard(base)
    return found


def _typing_blocks(tree: ast.AST) -> list[ast.If]:
    def is_flag(test: ast.expr) -> bool:
        return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
            isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
        )

    return [n for n in ast.walk(tree) if isinstance(n, ast.If) and is_flag(n.test)]


def _is_module(name: str, root: Path) -> bool:
    """Whether ``name`` (``glassnet.x.y``) is a module or package inside ``root``."""
    parts = name.split(".")[1:]
    if not parts or name.split(".")[0] != root.name:
        return False
    path = root.joinpath(*parts)
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def package_graph(root: Path = PACKAGE, typing: bool = True) -> Graph:
    """``{module: imported names}`` for every module of the package."""
    files = sorted(root.rglob("*.py"))
    return {module_name(p, root): imports_of(p, root, typing) for p in files}


def layer_of(module: str) -> int:
    parts = module.split(".")
    if parts[1:2] == ["_version"]:  # a constant, below everything
        return 0
    if len(parts) < 2 or parts[1] == "_moved":
        return LAYERS.index("face")
    for i, layer in enumerate(LAYERS):
        if parts[1] in layer.split("|"):
            return i
    return LAYERS.index("face")


def internal_edges(graph: Graph) -> Graph:
    """The graph restricted to the package's own modules."""
    return {m: {i for i in imported if i in graph and i != m} for m, imported in graph.items()}


def find_cycle(edges: Graph) -> list[str] | None:
    """One import cycle as a list of modules (first == last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        path.append(m)
        for n in sorted(edges[m]):
            if state.get(n) == 1:
                return [*path[path.index(n) :], n]
            if n not in state and (cycle := visit(n)):
                return cycle
        path.pop()
        state[m] = 2
        return None

    for m in sorted(edges):
        if m not in state and (cycle := visit(m)):
            return cycle
    return None


def violations(graph: Graph, runtime: Graph | None = None) -> list[str]:
    """Every broken rule of the module docstring (except the subprocess check).

    ``runtime``: the graph without imports for type checking only, for the cycle rule (a
    cycle through ``if TYPE_CHECKING:`` never runs); ``graph`` itself when not given.
    """
    found = []
    edges = internal_edges(graph)
    cycle = find_cycle(internal_edges(runtime if runtime is not None else graph))
    if cycle:
        found.append("import cycle: " + " -> ".join(cycle))
    for m, imported in sorted(edges.items()):
        for i in sorted(imported):
            if layer_of(i) > layer_of(m):
                found.append(f"up a layer: {m} imports {i}")
    for m, imported in sorted(graph.items()):
        if layer_of(m) == 0:
            for i in sorted(imported):
                top = i.split(".")[0]
                allowed = i.startswith(CORE_MAY_IMPORT) or top in sys.stdlib_module_names
                if not allowed and top != "__future__":
                    found.append(f"edge module in the core: {m} imports {i}")
        if not m.startswith(SKLEARN_ALLOWED) and m != "glassnet.sklearn":
            for i in sorted(imported):
                if i.split(".")[0] == "sklearn":
                    found.append(f"scikit-learn outside the adapters: {m} imports {i}")
                    break
    return found


def test_the_package_keeps_its_architecture():
    graph = package_graph()
    assert len(graph) > 40 and "glassnet.core.network" in graph
    assert violations(graph, package_graph(typing=False)) == []


def test_import_glassnet_loads_neither_matplotlib_nor_scikit_learn():
    code = "import sys, glassnet; print(sorted({'matplotlib', 'sklearn'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


GOOD: Graph = {
    "glassnet": {"glassnet.core.network"},
    "glassnet.core.network": {"numpy", "glassnet.core.layers", "typing"},
    "glassnet.core.layers": {"numpy"},
    "glassnet.train.loop": {"glassnet.core.network", "glassnet.data.batching"},
    "glassnet.data.batching": {"glassnet.core.network"},
    "glassnet.views.figures": {"matplotlib.figure", "glassnet.train.loop"},
    "glassnet.sklearn.estimators": {"sklearn.base", "glassnet.train.loop"},
    "glassnet.data.datasets": {"sklearn.datasets"},
}


@pytest.mark.parametrize(
    ("module", "extra_import", "message"),
    [
        ("glassnet.core.layers", "glassnet.core.network", "import cycle: glassnet.core."),
        ("glassnet.data.batching", "glassnet.train.loop", "up a layer: glassnet.data.batching"),
        ("glassnet.core.layers", "glassnet.views.figures", "up a layer: glassnet.core.layers"),
        ("glassnet.core.network", "matplotlib.pyplot", "edge module in the core"),
        ("glassnet.core.layers", "pandas", "edge module in the core"),
        ("glassnet.train.loop", "sklearn.utils", "scikit-learn outside the adapters"),
    ],
)
def test_the_checker_fails_on_a_deliberate_violation(module, extra_import, message):
    assert violations(GOOD) == []
    broken = {m: set(imported) for m, imported in GOOD.items()}
    broken[module].add(extra_import)
    assert any(v.startswith(message) for v in violations(broken)), violations(broken)


def test_imports_are_read_with_relative_ones_resolved(tmp_path):
    root = tmp_path / "glassnet"
    (root / "core").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "core" / "__init__.py").write_text("")
    (root / "core" / "a.py").write_text(
        "from . import b\nfrom ..views import plots\nimport numpy as np\n"
        "def f():\n    from glassnet.cli import main\n"
    )
    found = imports_of(root / "core" / "a.py", root)
    assert {"glassnet.core.b", "glassnet.views.plots", "numpy", "glassnet.cli.main"} <= found
    (root / "core" / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from glassnet.core import a\n"
    )
    assert "glassnet.core.a" in imports_of(root / "core" / "c.py", root)
    assert "glassnet.core.a" not in imports_of(root / "core" / "c.py", root, typing=False)
