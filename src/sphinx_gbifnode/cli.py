"""The ``gbifnode`` command (also ``python -m sphinx_gbifnode``).

Each subcommand lives in its own module, which provides ``add_arguments(parser)`` and
``run(args) -> int``; this file only lists them, so ``gbifnode --help`` starts fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from . import __version__

#: (command words, module, one-line help). Two words make a sub-subcommand (``i18n stat``).
COMMANDS: list[tuple[tuple[str, ...], str, str]] = [
    (
        ("i18n", "check"),
        "i18n_check",
        "find translations that break markup (images, links, roles, literals, "
        "invisible characters); exit 1 on errors",
    ),
    (("refresh",), "refresh", "refresh the GBIF snapshots the pages use and report what changed"),
    (("build",), "build", "build every language of a site into OUT/<lang>/, in parallel"),
    (("serve",), "serve.command", "preview every language in the browser, updated on save"),
    (("i18n", "update"), "i18n", "extract messages and update every language's .po files"),
    (("i18n", "stat"), "i18n", "translated / fuzzy / untranslated, per language and page"),
    (("init",), "scaffold", "create a new node site that builds at once"),
    (("import-jekyll",), "importer.command",
     "convert a hosted-portal Jekyll site to a Sphinx project"),
]


class CommandError(Exception):
    """A clear, user-facing error: printed as ``gbifnode: error: ...``, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gbifnode",
        description="Build and maintain multilingual GBIF node websites with Sphinx.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    top = parser.add_subparsers(dest="command", metavar="COMMAND")
    groups: dict[str, argparse._SubParsersAction] = {}
    for words, module_name, help_text in COMMANDS:
        if len(words) == 1:
            sub = top.add_parser(words[0], help=help_text, description=help_text)
        else:
            if words[0] not in groups:
                group = top.add_parser(words[0], help=f"{words[0]} commands")
                groups[words[0]] = group.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
                group.set_defaults(_group=group)
            sub = groups[words[0]].add_parser(words[1], help=help_text, description=help_text)
        module = importlib.import_module(f"sphinx_gbifnode.{module_name}")
        # A module serving several subcommands names its functions after each
        # (``add_stat_arguments``, ``run_stat``); others have ``add_arguments``/``run``.
        (getattr(module, f"add_{words[-1]}_arguments", None) or module.add_arguments)(sub)
        sub.set_defaults(_run=getattr(module, f"run_{words[-1]}", None) or module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
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
