"""The project's own Python source, read by the tests that check it (tests/test_layers.py)
and by the test database's fingerprint (tests/database.py)."""

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ocop_site", "catalogue", "orders", "connectors", "background")


def absolute_imports(tree: ast.AST) -> Iterator[tuple[str, list[str], int]]:
    """(module, names imported from it, line) for each absolute import anywhere in the
    tree: `import a.b` gives ("a.b", [], line), `from a import b, c` ("a", ["b", "c"], line)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, [], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module, [alias.name for alias in node.names], node.lineno
