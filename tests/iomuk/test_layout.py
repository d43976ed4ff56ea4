"""The core stands under the apps: nothing in iomuk/ imports an app, and its modules import one
another in one direction only, at the top of each file where a reader sees them."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CORE = ROOT / "iomuk"
APPS = {path.parent.name for path in ROOT.glob("*/apps.py")} - {"iomuk"}
PROJECT = APPS | {"iomuk"}


def core_modules() -> dict[str, Path]:
    """Every module of the core by dotted name, migrations left out."""
    found = {}
    for path in sorted(CORE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if "migrations" in parts:
            continue
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imported(name: str, path: Path, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The dotted names an import statement in module `name` brings in."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        base = ".".join(package[: len(package) - node.level + 1])
        module = f"{base}.{node.module}" if node.module else base
    else:
        module = node.module
    # `from . import dashboard` brings in a module; `from .models import X` a name.
    return [module, *(f"{module}.{alias.name}" for alias in node.names)]


def imports(name: str, path: Path, *, top_level_only: bool = False) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    nodes = tree.body if top_level_only else ast.walk(tree)
    return [
        (node.lineno, module)
        for node in nodes
        if isinstance(node, ast.Import | ast.ImportFrom)
        for module in imported(name, path, node)
    ]


def test_the_apps_are_found():
    assert {"training", "returns", "iris"} <= APPS


def test_no_module_of_the_core_imports_an_app():
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for name, path in core_modules().items()
        for line, module in imports(name, path)
        if module.split(".")[0] in APPS
    ]
    assert found == []


def test_no_module_of_the_core_hides_an_import_inside_a_function():
    found = []
    for path in sorted(CORE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom) and (
                    node.level or (node.module or "").split(".")[0] in PROJECT
                ):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
                if isinstance(node, ast.Import) and any(
                    alias.name.split(".")[0] in PROJECT for alias in node.names
                ):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


def test_the_modules_of_the_core_import_one_another_without_a_cycle():
    modules = core_modules()
    graph = {
        name: {module for _line, module in imports(name, path) if module in modules} - {name}
        for name, path in modules.items()
    }
    # A package's __init__ is imported with each of its modules; it is no edge of its own.
    packages = {name for name, path in modules.items() if path.name == "__init__.py"}
    graph = {name: targets - packages for name, targets in graph.items()}

    cycles, done = [], set()

    def visit(name: str, trail: list[str]) -> None:
        if name in trail:
            cycles.append(" -> ".join([*trail[trail.index(name) :], name]))
            return
        if name in done:
            return
        for target in sorted(graph[name]):
            visit(target, [*trail, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])
    assert cycles == []
