"""The package's layout holds: imports go one way, from the leaf helpers up to the
command line (read from the source with ``ast``); importing the extension or asking
``gbifnode --help`` loads no command code; the command line imports only the command it
runs."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import PACKAGE, REPO

from sphinx_gbifnode.cli import COMMANDS, main

#: The layers, lowest first: a module may import its own layer and those below it.
#: A name covers the module or package and everything below it; the longest name that
#: covers a module gives its layer.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("leaf helpers", ("sphinx_gbifnode", "sphinx_gbifnode.core")),
    (
        "build-time features",
        (
            "sphinx_gbifnode.hero",
            "sphinx_gbifnode.page_title",
            "sphinx_gbifnode.partners",
            "sphinx_gbifnode.images",
            "sphinx_gbifnode.gbif",
            "sphinx_gbifnode.i18n",
            "sphinx_gbifnode.theme",
            "sphinx_gbifnode.host_template",
        ),
    ),
    ("extension", ("sphinx_gbifnode.extension",)),
    (
        "commands",
        (
            "sphinx_gbifnode.site",
            "sphinx_gbifnode.host",
            "sphinx_gbifnode.importer",
            "sphinx_gbifnode.i18n.check",
            "sphinx_gbifnode.i18n.update",
            "sphinx_gbifnode.i18n.stat",
            "sphinx_gbifnode.gbif.refresh",
        ),
    ),
    ("command line", ("sphinx_gbifnode.cli", "sphinx_gbifnode.__main__")),
)
#: Imports inside a function, each for a reason that is not a cycle.
DEFERRED_IMPORTS = {
    # Sphinx calls setup(); until then the package loads nothing (a fast command line).
    ("sphinx_gbifnode", "sphinx_gbifnode.extension"),
}

#: Modules (and packages, with every module below them) that only commands use.
COMMAND_CODE = (
    "sphinx_gbifnode.cli",
    "sphinx_gbifnode.site",
    "sphinx_gbifnode.host",
    "sphinx_gbifnode.importer",
    "sphinx_gbifnode.i18n.check",
    "sphinx_gbifnode.i18n.update",
    "sphinx_gbifnode.i18n.stat",
    "sphinx_gbifnode.gbif.refresh",
)


def loaded_after(code: str) -> set[str]:
    """The sphinx_gbifnode modules a fresh interpreter has loaded after running *code*."""
    script = (
        f"{code}\nimport sys\n"
        "print('\\n'.join(m for m in sys.modules if m.startswith('sphinx_gbifnode')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def command_code(modules: set[str]) -> set[str]:
    return {m for m in modules if any(m == c or m.startswith(c + ".") for c in COMMAND_CODE)}


def test_every_command_module_is_command_code() -> None:
    assert command_code({command.module for command in COMMANDS.values()}) == {
        command.module for command in COMMANDS.values()
    }


@pytest.mark.parametrize(
    "code",
    [
        "import sphinx_gbifnode",
        "import sphinx_gbifnode.extension",
        "import sphinx_gbifnode.theme",
    ],
)
def test_the_extension_loads_no_command_code(code: str) -> None:
    loaded = loaded_after(code)
    assert loaded and not command_code(loaded)


def test_importing_the_package_loads_only_its_face() -> None:
    # ``setup()`` imports the extension when Sphinx calls it, not before: the command
    # line starts without Sphinx.
    assert loaded_after("import sphinx_gbifnode") == {"sphinx_gbifnode"}


def test_help_loads_no_command_module() -> None:
    loaded = loaded_after(
        "import contextlib, io\n"
        "from sphinx_gbifnode.cli import main\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['--help'])"
    )
    assert command_code(loaded) == {"sphinx_gbifnode.cli"}


@pytest.mark.parametrize("words", sorted(COMMANDS))
def test_a_command_loads_its_own_module_only(words: tuple[str, ...]) -> None:
    module = COMMANDS[words].module
    loaded = loaded_after(
        "import contextlib, io\n"
        "from sphinx_gbifnode.cli import main\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main({[*words, '--help']!r})"
    )
    # What the command's module imports itself (``init`` makes catalogues with
    # ``i18n update``'s code), and nothing more.
    assert command_code(loaded) - {"sphinx_gbifnode.cli"} == command_code(
        loaded_after(f"import {module}")
    )
    assert module in loaded


def run_help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """What ``gbifnode <argv> --help`` prints, with whitespace made single spaces
    (argparse wraps the help lines)."""
    with pytest.raises(SystemExit):
        main([*argv, "--help"])
    return " ".join(capsys.readouterr().out.split())


def test_help_lists_every_command_with_its_help(capsys: pytest.CaptureFixture[str]) -> None:
    top = run_help([], capsys)
    groups = {words[0]: run_help([words[0]], capsys) for words in COMMANDS if len(words) > 1}
    for words, command in COMMANDS.items():
        listing = top if len(words) == 1 else groups[words[0]]
        assert f"{words[-1]} {command.help}" in listing


# --- the import graph, read from the source ----------------------------------------------


@dataclass(frozen=True)
class Arrow:
    """``source`` imports ``target`` at ``line`` (``deferred``: inside a function)."""

    source: str
    target: str
    line: int
    deferred: bool


def module_names() -> dict[str, Path]:
    """Every module of the package by its dotted name."""
    names = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def _imports(tree: ast.Module) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement and whether it runs inside a function."""

    def walk(node: ast.AST, deferred: bool) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                yield child, deferred
            inside = deferred or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            yield from walk(child, inside)

    yield from walk(tree, False)


def arrows() -> list[Arrow]:
    """Every import of one of the package's modules by another."""
    names = module_names()
    found = []
    for source, path in names.items():
        package = source if path.name == "__init__.py" else source.rpartition(".")[0]
        for statement, deferred in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(statement, ast.Import):
                targets = [alias.name for alias in statement.names]
            else:
                base = statement.module or ""
                if statement.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - statement.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                # ``from . import hero`` imports a module; ``from .core.urls import
                # safe_url`` a name of one.
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in names else base
                    for alias in statement.names
                ]
            for target in targets:
                if target in names and target != source:
                    found.append(Arrow(source, target, statement.lineno, deferred))
    return found


def layer_of(module: str) -> int:
    best, layer = "", -1
    for number, (_name, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            covers = module == prefix or module.startswith(prefix + ".")
            if covers and len(prefix) > len(best):
                best, layer = prefix, number
    assert layer >= 0, f"{module} is in no layer: add it to LAYERS"
    return layer


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every group of modules that import each other (Tarjan's strongly connected
    components), as sorted lists; single modules only when they import themselves."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph.get(node, ()):
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_module_has_a_layer() -> None:
    for module in module_names():
        layer_of(module)


def test_imports_go_one_way() -> None:
    against = [
        f"{a.source}:{a.line} imports {a.target} ({LAYERS[layer_of(a.source)][0]} -> "
        f"{LAYERS[layer_of(a.target)][0]})"
        for a in arrows()
        if layer_of(a.target) > layer_of(a.source)
        and (a.source, a.target) not in DEFERRED_IMPORTS
    ]
    assert not against, "imports against the layer order:\n" + "\n".join(against)


def test_no_import_cycle() -> None:
    # What runs when a module is imported; the one deferred import (Sphinx calling the
    # package's setup()) is an entry point, not a dependency of the package's face.
    graph: dict[str, set[str]] = {}
    for arrow in arrows():
        if not arrow.deferred:
            graph.setdefault(arrow.source, set()).add(arrow.target)
    assert cycles(graph) == []


def test_no_project_import_inside_a_function() -> None:
    deferred = [
        f"{a.source}:{a.line} imports {a.target} inside a function"
        for a in arrows()
        if a.deferred and (a.source, a.target) not in DEFERRED_IMPORTS
    ]
    assert not deferred, "\n".join(deferred)


def test_nothing_imports_the_command_line() -> None:
    importers = {
        f"{a.source}:{a.line}"
        for a in arrows()
        if a.target == "sphinx_gbifnode.cli" and a.source != "sphinx_gbifnode.__main__"
    }
    assert not importers


def test_the_import_test_sees_what_it_must_refuse() -> None:
    """The checks above must fail on the faults they are for."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    assert layer_of("sphinx_gbifnode.gbif.refresh") > layer_of("sphinx_gbifnode.gbif.snapshots")
    assert layer_of("sphinx_gbifnode.i18n.check.rules") > layer_of("sphinx_gbifnode.i18n.notice")
    found = {(a.source, a.target, a.deferred) for a in arrows()}
    # The known deferred import is seen as one, and a module-level one as module-level.
    assert ("sphinx_gbifnode", "sphinx_gbifnode.extension", True) in found
    assert ("sphinx_gbifnode.__main__", "sphinx_gbifnode.cli", False) in found
    assert ("sphinx_gbifnode.extension", "sphinx_gbifnode.gbif.config", False) in found


# --- the contributors' map -----------------------------------------------------------------


def contributing_map() -> dict[str, str]:
    """The package tree of ``docs/contributing.md``: each entry (``hero.py``, ``gbif/``)
    and the words that describe it."""
    text = (REPO / "docs" / "contributing.md").read_text(encoding="utf-8")
    block = text.split("```text\nsrc/sphinx_gbifnode/\n", 1)[1].split("```", 1)[0]
    entries: dict[str, str] = {}
    current = ""
    for line in block.splitlines():
        name, _space, words = line.strip().partition(" ")
        if line.startswith("  ") and not line.startswith("   "):
            current = name
            entries[current] = words
        else:
            entries[current] += " " + line.strip()
    return entries


def test_the_contributors_map_matches_the_tree() -> None:
    entries = contributing_map()
    tree = {
        f"{path.name}/" if path.is_dir() else path.name
        for path in PACKAGE.iterdir()
        if path.suffix == ".py" or (path.is_dir() and (path / "__init__.py").is_file())
    }
    assert set(entries) == tree
    for entry, words in entries.items():
        if not entry.endswith("/"):
            continue
        named = set(re.findall(r"[\w.]+/?", words))
        folder = PACKAGE / entry
        parts = {
            f"{path.name}/" if path.is_dir() else path.stem
            for path in folder.iterdir()
            if path.name != "__init__.py" and not path.name.startswith((".", "__"))
        }
        assert parts <= named, f"{entry}: {sorted(parts - named)} not in docs/contributing.md"
