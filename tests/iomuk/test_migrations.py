"""The models and their migrations agree: a change to a model always ships with its migration."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_missing_its_migration():
    # Exits with status 1 (failing the test) if makemigrations would write anything.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


PROJECT = ("iomuk", "training", "returns", "iris")
# A schema migration names custom field classes and the callables fields point at (upload_to,
# default) by their import path: that is how Django records them. Nothing else of the portal's.
SCHEMA_REFERENCES = {"iomuk.fields", "iris.models", "returns.models"}


def _migration_files():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for app in PROJECT:
        yield from sorted((root / app / "migrations").glob("0*.py"))


def _project_imports(path) -> set[str]:
    import ast

    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return {name for name in names if name.split(".")[0] in PROJECT}


def test_each_app_starts_with_one_initial_migration_and_its_data_migration():
    # Later changes add their own migrations after these two.
    by_app = {}
    for path in _migration_files():
        by_app.setdefault(path.parent.parent.name, []).append(path.name)
    assert {app: names[0] for app, names in by_app.items()} == {
        app: "0001_initial.py" for app in PROJECT
    }
    assert all(len(names) >= 2 for names in by_app.values()), by_app


def test_no_migration_imports_the_portals_own_code():
    # A data migration that called live code (roles, services, normalisers) would change
    # meaning as that code changes; each freezes what it needs instead.
    found = {path.name: _project_imports(path) - SCHEMA_REFERENCES for path in _migration_files()}
    assert {name: imports for name, imports in found.items() if imports} == {}
    data = [path for path in _migration_files() if "RunPython" in path.read_text()]
    assert data and all(_project_imports(path) == set() for path in data)
