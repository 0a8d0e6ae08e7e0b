"""The package's layout holds: importing the extension or asking ``gbifnode --help``
loads no command code, and the command line imports only the command it runs."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sphinx_gbifnode.cli import COMMANDS, main

#: Modules (and packages, with every module below them) that only commands use.
COMMAND_CODE = (
    "sphinx_gbifnode.cli",
    "sphinx_gbifnode.site",
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
    group = run_help(["i18n"], capsys)
    for words, command in COMMANDS.items():
        listing = top if len(words) == 1 else group
        assert f"{words[-1]} {command.help}" in listing
