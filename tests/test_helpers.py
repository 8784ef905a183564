"""Shared test code lives in ``tests/helpers``: a test module or a conftest imports from there and never from
another test module or a conftest (a conftest holds fixtures and hooks); each helper module says what it is for."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
HELPERS = TESTS / "helpers"


def imported(source: str, package: str) -> list[str]:
    """The modules of the tests package that ``source`` (a module of ``package``) imports, relative imports
    written out in full."""
    out: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out += [alias.name for alias in node.names if alias.name.split(".")[0] == "tests"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0]
                out.append(f"{base}.{node.module}" if node.module else base)
            elif node.module and node.module.split(".")[0] == "tests":
                out.append(node.module)
    return out


def _imports_of(path: Path) -> list[str]:
    package = ".".join(path.relative_to(TESTS.parent).parts[:-1])
    return imported(path.read_text(encoding="utf-8"), package)


def test_tests_import_shared_code_from_helpers_only() -> None:
    wrong = {
        f"{path.relative_to(TESTS)}: {module}"
        for path in TESTS.rglob("*.py")
        if HELPERS not in path.parents
        for module in _imports_of(path)
        if not module.startswith("tests.helpers")
    }
    assert wrong == set()


def test_helpers_import_no_test_module() -> None:
    wrong = {
        f"{path.name}: {module}"
        for path in HELPERS.glob("*.py")
        for module in _imports_of(path)
        if not module.startswith("tests.helpers")
    }
    assert wrong == set()


def test_every_helper_module_says_what_it_is_for() -> None:
    undocumented = [p.name for p in HELPERS.glob("*.py") if not ast.get_docstring(ast.parse(p.read_text("utf-8")))]
    assert undocumented == []


def test_relative_and_absolute_imports_are_seen() -> None:
    """Guards the first test: the imports it must refuse are found, in both spellings."""
    source = (
        "from .conftest import Canary\nfrom ..api import test_x\nimport tests.stores\nfrom tests.helpers import ports\n"
    )
    assert imported(source, "tests.security") == [
        "tests.security.conftest",
        "tests.api",
        "tests.stores",
        "tests.helpers",
    ]
