"""The ``gbifnode`` command (also ``python -m sphinx_gbifnode``).

This module is only the table of commands. Each command lives in its own module, which
provides ``add_arguments(parser)`` and ``run(args) -> int``; that module is imported only
when its command (or its own ``--help``) runs, so ``gbifnode --help`` starts fast and
loads no command code.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NamedTuple

from . import __version__
from .core.errors import CommandError


class Command(NamedTuple):
    """Where a command lives and its one-line help (shown without importing it)."""

    module: str
    help: str


#: Command words -> the command. Two words make a sub-subcommand (``i18n stat``).
COMMANDS: dict[tuple[str, ...], Command] = {
    ("i18n", "check"): Command(
        "sphinx_gbifnode.i18n.check.command",
        "find translations that break markup (images, links, roles, literals, "
        "invisible characters); exit 1 on errors",
    ),
    ("refresh",): Command(
        "sphinx_gbifnode.gbif.refresh",
        "refresh the GBIF snapshots the pages use and report what changed",
    ),
    ("build",): Command(
        "sphinx_gbifnode.site.command",
        "build every language of a site into OUT/<lang>/, in parallel",
    ),
    ("serve",): Command(
        "sphinx_gbifnode.site.serve.command",
        "preview every language in the browser, updated on save",
    ),
    ("i18n", "update"): Command(
        "sphinx_gbifnode.i18n.update",
        "extract messages and update every language's .po files",
    ),
    ("i18n", "stat"): Command(
        "sphinx_gbifnode.i18n.stat",
        "translated / fuzzy / untranslated, per language and page",
    ),
    ("init",): Command(
        "sphinx_gbifnode.site.scaffold", "create a new node site that builds at once"
    ),
    ("host", "init"): Command(
        "sphinx_gbifnode.host.setup_folder",
        "create a hosting folder: a shared template and the list of hosted sites",
    ),
    ("host", "add"): Command(
        "sphinx_gbifnode.host.add_site",
        "add a country's site to a hosting folder, in its own languages",
    ),
    ("host", "build"): Command(
        "sphinx_gbifnode.host.build_sites",
        "build every hosted site, every language, into OUT/<site>/<lang>/, with a "
        "landing page",
    ),
    ("host", "ci"): Command(
        "sphinx_gbifnode.host.ci",
        "write a CI workflow that builds each hosted site as its own job",
    ),
    ("host", "status"): Command(
        "sphinx_gbifnode.host.status",
        "one line per hosted site: languages, pages, translation, last build, warnings",
    ),
    ("import-jekyll",): Command(
        "sphinx_gbifnode.importer.command",
        "convert a hosted-portal Jekyll site to a Sphinx project",
    ),
}


def chosen_command(argv: Sequence[str]) -> tuple[str, ...] | None:
    """The command words *argv* names (``("i18n", "stat")``), or None for none.

    Options before a command word are the top level's own (``--version``, ``-h``), and
    a group (``i18n``) has no options of its own, so the words are the first bare ones.
    """
    words = [arg for arg in argv if not arg.startswith("-")][:2]
    for length in (2, 1):
        if tuple(words[:length]) in COMMANDS:
            return tuple(words[:length])
    return None


def build_parser(chosen: tuple[str, ...] | None = None) -> argparse.ArgumentParser:
    """The parser of every command; only *chosen* gets its arguments (its module is
    imported for that), the others only their help line."""
    parser = argparse.ArgumentParser(
        prog="gbifnode",
        description="Build and maintain multilingual GBIF node websites with Sphinx.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    top = parser.add_subparsers(dest="command", metavar="COMMAND")
    groups: dict[str, argparse._SubParsersAction[argparse.ArgumentParser]] = {}
    for words, command in COMMANDS.items():
        if len(words) == 1:
            sub = top.add_parser(words[0], help=command.help, description=command.help)
        else:
            if words[0] not in groups:
                group = top.add_parser(words[0], help=f"{words[0]} commands")
                groups[words[0]] = group.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
                group.set_defaults(_group=group)
            sub = groups[words[0]].add_parser(
                words[1], help=command.help, description=command.help
            )
        if words == chosen:
            module = importlib.import_module(command.module)
            module.add_arguments(sub)
            sub.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``gbifnode`` command line; returns the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(chosen_command(arguments))
    args = parser.parse_args(arguments)
    run = getattr(args, "_run", None)
    if run is None:
        group = getattr(args, "_group", parser)
        group.print_help()
        return 2
    try:
        return int(run(args) or 0)
    except CommandError as exc:
        print(f"gbifnode: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("gbifnode: interrupted", file=sys.stderr)
        return 130
