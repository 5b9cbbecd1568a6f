"""Dependencies flow one way: catalogue ← orders, catalogue ← connectors, and background
on top of all three; and no import hides inside a function (the only ones allowed are in
`AppConfig.ready()`, where Django wants them, and under `if TYPE_CHECKING:`)."""

import ast
from pathlib import Path

import pytest

from tests.source import PACKAGES, ROOT, absolute_imports

MAY_IMPORT = {
    "catalogue": {"catalogue"},
    "orders": {"catalogue", "orders"},
    "connectors": {"catalogue", "connectors"},
    "background": {"catalogue", "orders", "connectors", "background"},
}


def modules(app: str) -> list[Path]:
    return sorted(p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts)


@pytest.mark.parametrize("app", sorted(MAY_IMPORT))
def test_each_app_imports_only_the_layers_below_it(app):
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in modules(app)
        for name, _, line in absolute_imports(ast.parse(path.read_text()))
        if name.split(".")[0] in MAY_IMPORT and name.split(".")[0] not in MAY_IMPORT[app]
    ]
    assert wrong == []


def _allowed_nested(path: Path, function: ast.AST, stack: list[ast.AST]) -> bool:
    """`ready()` of an AppConfig."""
    return (
        path.name == "apps.py"
        and isinstance(function, ast.FunctionDef)
        and function.name == "ready"
        and any(isinstance(node, ast.ClassDef) for node in stack)
    )


def nested_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    problems: list[str] = []

    def visit(node: ast.AST, stack: list[ast.AST]) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                functions = [n for n in stack if isinstance(n, ast.FunctionDef)]
                if functions and not _allowed_nested(path, functions[-1], stack):
                    problems.append(f"{path.relative_to(ROOT)}:{child.lineno}")
            visit(child, [*stack, child])

    visit(tree, [])
    return problems


def test_no_import_inside_a_function():
    assert [
        problem for app in PACKAGES for path in modules(app) for problem in nested_imports(path)
    ] == []


def test_every_test_module_is_in_an_area_of_the_quick_loop():
    script = (ROOT / "scripts" / "quick").read_text()
    listed = {
        name
        for line in script.splitlines()
        if line.strip().startswith("[") and "]=" in line
        for name in line.split("=", 1)[1].strip('"').split()
    }
    modules = {path.stem.removeprefix("test_") for path in (ROOT / "tests").glob("test_*.py")}
    assert modules - listed == set() and listed - modules == set()
