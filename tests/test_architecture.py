"""The wings of docs/architecture.md and the rules that hold everywhere, checked by reading every module.

Every module of ``graph/`` and ``api/`` is parsed with :mod:`ast` (nothing is imported) and every import
is counted: at the top, inside functions and under ``TYPE_CHECKING``.  The checks:

* no import cycle between modules;
* a module imports only its own wing and the wings before it, in the order of the numbered list
  under "What may import what" in docs/architecture.md (read from the page, so the two cannot drift);
* only ``api.web`` imports FastAPI, Starlette or uvicorn (``serve`` runs uvicorn through
  ``api.web.server``), and only ``api.web.paths`` writes a URL path of the service;
* only ``api.cli`` reads ``sys.argv`` or ends the process, but for a process whose parent is gone
  (``ALLOWED`` names each exception and why);
* only ``graph.settings`` reads or writes the environment;
* every exception class of the domain lives in ``graph.errors``;
* no module is over 400 lines (``LINE_LIMIT``): a longer one is split along a natural seam.

Each check is a function over parsed sources, tried on small synthetic sources below as well, so that
a rule that silently stopped seeing anything would fail here.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "architecture.md"
PACKAGES = ("graph", "api")

WEB_STACK = {"fastapi", "starlette", "uvicorn"}
WEB = "api.web"
WEB_PATHS = "api.web.paths"  # within the web skin, the one module that writes a URL path
CLI = "api.cli"
SETTINGS = "graph.settings"
ERRORS = "graph.errors"
LINE_LIMIT = 400  # the project's rule: no module of graph/ or api/ is longer

# The paths the service answers at; a string that starts with one (or holds one after a quote, a space, `=`, `(`
# or `<`, as an HTML attribute or a message would) is a URL path of the service.
SERVICE_PATH = re.compile(
    r"(?:^|[\s\"'=(<>`])(/(?:api|id|\.well-known|problems|docs/assets)/"
    r"|/(?:sparql|viz|docs|redoc|healthz|readyz|metrics|ontology|openapi\.json|favicon\.ico|problems)(?![\w-]))"
)

ENVIRONMENT = {"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"}
ARGV = {"argv", "orig_argv"}
EXITS = {("sys", "exit"), ("os", "_exit"), ("os", "abort")}

# (rule, module) -> why the module may break the rule.  Each entry must still be needed (see the last test).
ALLOWED: dict[tuple[str, str], str] = {
    ("process", "graph.sparql.workers"): "a child of fork leaves with os._exit: it must not run its parent's clean-up "
    "(atexit handlers, buffered output, the event loop)",
    ("process", "graph.sparql.sandbox"): "die_with_parent: a process whose parent ended before PR_SET_PDEATHSIG took "
    "effect leaves with os._exit, as the kernel would have ended it",
}


# -- reading the sources ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Module:
    name: str
    tree: ast.Module
    is_package: bool = False
    lines: int = 0

    @property
    def package(self) -> str:
        return self.name if self.is_package else self.name.rpartition(".")[0]


def parse(name: str, source: str, *, is_package: bool = False) -> Module:
    return Module(name, ast.parse(source), is_package, len(source.splitlines()))


def read_project(root: Path = ROOT, packages: Iterable[str] = PACKAGES) -> dict[str, Module]:
    """Every module of the packages, by dotted name."""
    modules: dict[str, Module] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            is_package = parts[-1] == "__init__"
            name = ".".join(parts[:-1] if is_package else parts)
            modules[name] = parse(name, path.read_text(encoding="utf-8"), is_package=is_package)
    return modules


@dataclass(frozen=True)
class Found:
    module: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line}: {self.what}"


def imports(module: Module, known: Iterable[str]) -> list[tuple[str, int]]:
    """(imported module, line) for every import of ``module``, wherever it stands; ``from a import b`` counts as
    an import of ``a.b`` when that is a module of the project, else of ``a``."""
    known = set(known)
    found: list[tuple[str, int]] = []
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = module.package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                source = f"{base}.{node.module}" if node.module else base
            else:
                source = node.module or ""
            for alias in node.names:
                candidate = f"{source}.{alias.name}"
                found.append((candidate if candidate in known else source, node.lineno))
    return found


def _docstrings(tree: ast.Module) -> set[int]:
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def _aliases(tree: ast.Module) -> dict[str, tuple[str, str]]:
    """Local name -> (module, attribute or "") for every import: ``import os`` gives os -> (os, "")."""
    names: dict[str, tuple[str, str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.partition(".")[0]] = (
                    alias.name if alias.asname else alias.name.partition(".")[0],
                    "",
                )
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                names[alias.asname or alias.name] = (node.module, alias.name)
    return names


def _uses(module: Module, source: str, attributes: set[str]) -> list[tuple[str, int]]:
    """(attribute, line) for each use of ``source.<attribute>`` in ``module``: as ``source.x``, through an alias
    of ``source``, or imported by name (``from os import environ``)."""
    aliases = _aliases(module.tree)
    module_names = {local for local, (mod, attr) in aliases.items() if mod == source and not attr}
    found: list[tuple[str, int]] = []
    for node in ast.walk(module.tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in attributes
            and isinstance(node.value, ast.Name)
            and node.value.id in module_names
        ):
            found.append((node.attr, node.lineno))
        elif isinstance(node, ast.ImportFrom) and node.module == source:
            found += [(alias.name, node.lineno) for alias in node.names if alias.name in attributes]
    return found


# -- the checks -----------------------------------------------------------------------------------------------------
def import_cycles(modules: Mapping[str, Module]) -> list[list[str]]:
    """Each group of modules that import one another, directly or not."""
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for module in modules.values():
        graph.add_edges_from((module.name, target) for target, _ in imports(module, modules) if target in modules)
    return sorted(
        sorted(group)
        for group in nx.strongly_connected_components(graph)
        if len(group) > 1 or any(graph.has_edge(m, m) for m in group)
    )


def read_wings(page: str) -> list[list[str]]:
    """The numbered list under "What may import what": each item's dotted names in backquotes, in order."""
    section = page.split("## What may import what", 1)[1].split("\n## ", 1)[0]
    wings = [re.findall(r"`([\w.]+)`", line) for line in section.splitlines() if re.match(r"\d+\. ", line)]
    return [names for names in wings if names]


def wing_of(name: str, wings: list[list[str]]) -> int | None:
    """The position of the wing holding ``name`` (its longest prefix among the wings' names)."""
    best: tuple[int, int] | None = None
    for position, names in enumerate(wings):
        for prefix in names:
            if (name == prefix or name.startswith(prefix + ".")) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), position)
    return None if best is None else best[1]


def wing_breaches(modules: Mapping[str, Module], wings: list[list[str]]) -> list[Found]:
    found: list[Found] = []
    for module in modules.values():
        own = wing_of(module.name, wings)
        if module.name in PACKAGES:  # the empty top-level packages belong to no wing and import nothing
            found += [
                Found(module.name, line, f"the top-level package imports {target}")
                for target, line in imports(module, modules)
            ]
            continue
        if own is None:
            found.append(Found(module.name, 1, "belongs to no wing of docs/architecture.md"))
            continue
        for target, line in imports(module, modules):
            theirs = wing_of(target, wings) if target.partition(".")[0] in PACKAGES else None
            if theirs is not None and theirs > own:
                later = ", ".join(wings[theirs])
                found.append(Found(module.name, line, f"imports {target}, of a later wing ({later})"))
    return found


def web_stack_breaches(modules: Mapping[str, Module]) -> list[Found]:
    return [
        Found(m.name, line, f"imports {target}")
        for m in modules.values()
        if not _within(m.name, WEB)
        for target, line in imports(m, modules)
        if target.partition(".")[0] in WEB_STACK
    ]


def url_path_breaches(modules: Mapping[str, Module]) -> list[Found]:
    found: list[Found] = []
    for m in modules.values():
        if m.name == WEB_PATHS:
            continue
        skip = _docstrings(m.tree)
        for node in ast.walk(m.tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
                hit = SERVICE_PATH.search(node.value)
                if hit:
                    found.append(Found(m.name, node.lineno, f"writes the service's path {hit.group(1)!r}"))
    return found


def process_breaches(modules: Mapping[str, Module]) -> list[Found]:
    found: list[Found] = []
    for m in modules.values():
        if _within(m.name, CLI):
            continue
        found += [Found(m.name, line, f"reads sys.{attr}") for attr, line in _uses(m, "sys", ARGV)]
        for source, attr in EXITS:
            found += [Found(m.name, line, f"calls {source}.{name}") for name, line in _uses(m, source, {attr})]
        for node in ast.walk(m.tree):
            if isinstance(node, ast.Raise):
                raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
                if isinstance(raised, ast.Name) and raised.id == "SystemExit":
                    found.append(Found(m.name, node.lineno, "raises SystemExit"))
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("exit", "quit"):
                found.append(Found(m.name, node.lineno, f"calls {node.func.id}()"))
    return found


def environment_breaches(modules: Mapping[str, Module]) -> list[Found]:
    return [
        Found(m.name, line, f"uses os.{attr}")
        for m in modules.values()
        if m.name != SETTINGS
        for attr, line in _uses(m, "os", ENVIRONMENT)
    ]


_BUILTIN_EXCEPTIONS = {
    name for name, value in vars(builtins).items() if isinstance(value, type) and issubclass(value, BaseException)
}


def exception_classes(modules: Mapping[str, Module]) -> dict[tuple[str, str], int]:
    """(module, class) -> line of every class of the project that derives from an exception, through any number
    of the project's classes (a fixed point over the imports by name)."""
    found: dict[tuple[str, str], int] = {}
    classes = [
        (m, node, _aliases(m.tree))
        for m in modules.values()
        for node in ast.walk(m.tree)
        if isinstance(node, ast.ClassDef)
    ]

    def is_exception(module: Module, base: ast.expr, aliases: dict[str, tuple[str, str]]) -> bool:
        if isinstance(base, ast.Name):
            imported = aliases.get(base.id)
            return (
                (base.id in _BUILTIN_EXCEPTIONS and imported is None)
                or (module.name, base.id) in found
                or (imported is not None and imported in found)
            )
        if isinstance(base, ast.Attribute) and isinstance(base.value, ast.Name):
            imported = aliases.get(base.value.id)
            if imported is None:
                return False
            owner = f"{imported[0]}.{imported[1]}" if imported[1] else imported[0]
            return (owner, base.attr) in found or (owner == "builtins" and base.attr in _BUILTIN_EXCEPTIONS)
        return False

    changed = True
    while changed:
        changed = False
        for module, node, aliases in classes:
            key = (module.name, node.name)
            if key not in found and any(is_exception(module, base, aliases) for base in node.bases):
                found[key] = node.lineno
                changed = True
    return found


def exception_breaches(modules: Mapping[str, Module]) -> list[Found]:
    return [
        Found(module, line, f"defines the exception {name} outside {ERRORS}")
        for (module, name), line in exception_classes(modules).items()
        if _within(module, "graph") and module != ERRORS
    ]


def long_modules(modules: Mapping[str, Module], limit: int = LINE_LIMIT) -> list[str]:
    """Each module over ``limit`` lines, with its count."""
    return sorted(f"{m.name}: {m.lines} lines" for m in modules.values() if m.lines > limit)


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


RULES = {
    "wings": lambda modules: wing_breaches(modules, read_wings(PAGE.read_text(encoding="utf-8"))),
    "web stack": web_stack_breaches,
    "url paths": url_path_breaches,
    "process": process_breaches,
    "environment": environment_breaches,
    "exceptions": exception_breaches,
}


# -- the project ----------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def project() -> dict[str, Module]:
    return read_project()


def _unexcused(rule: str, found: list[Found]) -> list[str]:
    return [str(f) for f in found if (rule, f.module) not in ALLOWED]


def test_the_page_lists_the_wings_in_order() -> None:
    wings = read_wings(PAGE.read_text(encoding="utf-8"))
    assert wings[0][:4] == ["graph.errors", "graph.settings", "graph.paths", "graph.namespaces"]
    assert [w[0] for w in wings[1:]] == [
        "graph.sources",
        "graph.build",
        "graph.sparql",
        "graph.store",
        "graph.directory",
        "graph.answers",
        "graph.export",
        "graph.kg",
        "api.web",
        "api.cli",
    ]


def test_every_module_is_read(project: dict[str, Module]) -> None:
    assert {"graph.errors", "graph.kg", "api.web.app", "api.cli.main"} <= set(project)
    assert len(project) > 60


def test_no_import_cycle(project: dict[str, Module]) -> None:
    assert import_cycles(project) == []


def test_a_module_imports_only_its_own_wing_and_those_before(project: dict[str, Module]) -> None:
    assert _unexcused("wings", RULES["wings"](project)) == []


def test_only_the_web_skin_imports_the_web_stack(project: dict[str, Module]) -> None:
    assert _unexcused("web stack", web_stack_breaches(project)) == []


def test_only_the_paths_of_the_web_skin_write_a_url_path_of_the_service(project: dict[str, Module]) -> None:
    assert _unexcused("url paths", url_path_breaches(project)) == []


def test_only_the_cli_reads_argv_or_ends_the_process(project: dict[str, Module]) -> None:
    assert _unexcused("process", process_breaches(project)) == []


def test_only_settings_touch_the_environment(project: dict[str, Module]) -> None:
    assert _unexcused("environment", environment_breaches(project)) == []


def test_every_exception_of_the_domain_lives_in_errors(project: dict[str, Module]) -> None:
    assert _unexcused("exceptions", exception_breaches(project)) == []
    assert ("graph.errors", "BaomiError") in exception_classes(project)


def test_no_module_is_over_400_lines(project: dict[str, Module]) -> None:
    assert long_modules(project) == [], f"split each module over {LINE_LIMIT} lines along a natural seam"


def test_every_allowance_is_still_needed(project: dict[str, Module]) -> None:
    used = {(rule, f.module) for rule, check in RULES.items() for f in check(project)}
    assert set(ALLOWED) - used == set(), "remove the allowances that no longer excuse anything"


# -- the checks on synthetic sources --------------------------------------------------------------------------------
def sources(**named: str) -> dict[str, Module]:
    """Modules from sources, by dotted name written with double underscores (``graph__kg``)."""
    return {name.replace("__", "."): parse(name.replace("__", "."), source) for name, source in named.items()}


WINGS = [["graph.errors", "graph.settings"], ["graph.sources"], ["graph.kg"], ["api.web"], ["api.cli"]]


def test_a_cycle_is_found_through_an_import_inside_a_function() -> None:
    modules = sources(
        graph__sources__a="import graph.sources.b\n",
        graph__sources__b="def f():\n    from graph.sources import a\n",
        graph__sources__c="from graph.sources import b\n",
    )
    assert import_cycles(modules) == [["graph.sources.a", "graph.sources.b"]]


def test_a_relative_import_and_a_type_checking_import_count() -> None:
    modules = sources(
        graph__sources__a="from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from graph.kg import KnowledgeGraph\n",
        graph__sources__b="from . import a\nfrom .a import x\n",
        graph__kg="",
    )
    assert [str(f) for f in wing_breaches(modules, WINGS)] == [
        "graph.sources.a:3: imports graph.kg, of a later wing (graph.kg)"
    ]
    assert imports(modules["graph.sources.b"], modules) == [("graph.sources.a", 1), ("graph.sources.a", 2)]


def test_an_import_of_a_later_wing_is_found_and_an_earlier_one_is_not() -> None:
    modules = sources(
        graph__kg="from api.web.app import create_app\nfrom graph.errors import BaomiError\n",
        api__web__app="import graph.kg\n",
        graph__errors="",
        graph__odd="",
    )
    assert sorted(str(f) for f in wing_breaches(modules, WINGS)) == [
        "graph.kg:1: imports api.web.app, of a later wing (api.web)",
        "graph.odd:1: belongs to no wing of docs/architecture.md",
    ]


def test_the_web_stack_outside_the_web_skin_is_found() -> None:
    modules = sources(
        graph__kg="from fastapi import Request\n",
        api__cli__serve="def f():\n    import uvicorn\n",
        api__web__app="import starlette.routing\n",
    )
    assert sorted(str(f) for f in web_stack_breaches(modules)) == [
        "api.cli.serve:2: imports uvicorn",
        "graph.kg:1: imports fastapi",
    ]


def test_a_url_path_outside_the_web_skin_is_found_and_a_docstring_or_an_iri_is_not() -> None:
    modules = sources(
        graph__answers__catalog='"""Links to ``/id/x``."""\nAPI = "/api/v1"\n'
        'FOOT = f\'<a href="/docs">{x}</a>\'\nIRI = "http://x.org/sparql"\n'
        'FILE = "ontology/shapes.ttl"\nMSG = "see /sparql?query=…"\n',
        api__web__paths='API = "/api/v1"\n',
    )
    assert sorted(str(f) for f in url_path_breaches(modules)) == [
        "graph.answers.catalog:2: writes the service's path '/api/'",
        "graph.answers.catalog:3: writes the service's path '/docs'",
        "graph.answers.catalog:6: writes the service's path '/sparql'",
    ]


def test_argv_and_every_way_to_end_the_process_are_found() -> None:
    modules = sources(
        graph__a="import sys\nsys.argv[1]\nsys.exit(2)\n",
        graph__b="import os as o\nfrom sys import orig_argv, exit as leave\no._exit(0)\n",
        graph__c="raise SystemExit(1)\nexit()\ntry:\n    f()\nexcept SystemExit:\n    raise SystemExit\n",
        api__cli__main="import sys\nsys.exit(main(sys.argv))\nraise SystemExit(0)\n",
    )
    assert sorted(str(f) for f in process_breaches(modules)) == [
        "graph.a:2: reads sys.argv",
        "graph.a:3: calls sys.exit",
        "graph.b:2: calls sys.exit",
        "graph.b:2: reads sys.orig_argv",
        "graph.b:3: calls os._exit",
        "graph.c:1: raises SystemExit",
        "graph.c:2: calls exit()",
        "graph.c:6: raises SystemExit",
    ]


def test_every_touch_of_the_environment_outside_settings_is_found() -> None:
    modules = sources(
        graph__paths="import os\nos.environ.get('X')\n",
        api__web__app="from os import getenv\n",
        api__cli__main="import os\nos.environ['X'] = '1'\nos.putenv('Y', '2')\n",
        graph__settings="import os\nos.environ.get('BAOMI_KG_X')\n",
    )
    assert sorted(str(f) for f in environment_breaches(modules)) == [
        "api.cli.main:2: uses os.environ",
        "api.cli.main:3: uses os.putenv",
        "api.web.app:1: uses os.getenv",
        "graph.paths:2: uses os.environ",
    ]


def test_an_exception_class_outside_errors_is_found_through_its_bases() -> None:
    modules = sources(
        graph__errors="class BaomiError(Exception):\n    pass\n",
        graph__export__render="from graph.errors import BaomiError\nclass RenderFailed(BaomiError):\n    pass\n",
        graph__export__scope="from graph.export import render\nclass Worse(render.RenderFailed):\n"
        "    pass\nclass Plain:\n    pass\n",
        graph__sparql__sandbox="class SandboxUnavailable(RuntimeError):\n    pass\n",
        api__web__problems="class ProblemError(Exception):\n    pass\n",
    )
    assert sorted(str(f) for f in exception_breaches(modules)) == [
        "graph.export.render:2: defines the exception RenderFailed outside graph.errors",
        "graph.export.scope:2: defines the exception Worse outside graph.errors",
        "graph.sparql.sandbox:1: defines the exception SandboxUnavailable outside graph.errors",
    ]


def test_a_module_over_the_line_limit_is_found() -> None:
    modules = sources(graph__long="x = 1\n" * (LINE_LIMIT + 1), graph__short="x = 1\n" * LINE_LIMIT, graph__empty="")
    assert long_modules(modules) == [f"graph.long: {LINE_LIMIT + 1} lines"]
