"""``gbifnode i18n stat``: translated / fuzzy / untranslated messages, per language and
per page."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po

from .po_files import broken_catalogs
from .project import Project, load_project, translated_languages


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``gbifnode i18n stat``."""
    parser.add_argument("srcdir", metavar="SRC", help="source folder (with conf.py)")
    parser.add_argument(
        "--min", type=float, default=None, metavar="N",
        help="exit with status 1 when a language is less than N %% translated",
    )
    parser.add_argument("--languages", metavar="LANGS", help="comma-separated languages")


@dataclass
class StatCounts:
    """Translated, fuzzy and untranslated messages of a catalogue or a language."""

    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 0.0

    def add(self, other: StatCounts) -> None:
        self.translated += other.translated
        self.fuzzy += other.fuzzy
        self.untranslated += other.untranslated


def catalog_counts(po_path: Path) -> StatCounts:
    """Translated / fuzzy / untranslated messages of one ``.po`` (header and obsolete
    entries not counted; a plural counts as translated when every form is)."""
    counts = StatCounts()
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            counts.fuzzy += 1
        elif all(strings):
            counts.translated += 1
        else:
            counts.untranslated += 1
    return counts


def _stat_row(name: str, counts: StatCounts) -> str:
    return (f"  {name:<32} {counts.translated:>10} {counts.fuzzy:>6} "
            f"{counts.untranslated:>12} {counts.percent:>6.1f}")


def run(args: argparse.Namespace) -> int:
    """``gbifnode i18n stat``: a table per language; 1 under ``--min`` or for a broken file."""
    project = load_project(args.srcdir)
    languages = translated_languages(project, args.languages)
    below: list[str] = []
    broken = False
    for language in languages:
        total = StatCounts()
        folder = project.catalog_dir(language)
        print(f"{language} ({folder})")
        print(f"  {'page':<32} {'translated':>10} {'fuzzy':>6} {'untranslated':>12} {'%':>6}")
        for po_path in project.catalog_files(language):
            problems = broken_catalogs([po_path])
            if problems:
                for problem in problems:
                    print(problem, file=sys.stderr)
                broken = True
                continue
            counts = catalog_counts(po_path)
            total.add(counts)
            print(_stat_row(_domain_name(project, language, po_path) or po_path.stem, counts))
        print(_stat_row("total", total))
        print()
        if args.min is not None and total.percent < args.min:
            below.append(f"{language} ({total.percent:.1f} %)")
    if below:
        print(f"under {args.min:g} % translated: {', '.join(below)}", file=sys.stderr)
    return 1 if below or broken else 0


def _domain_name(project: Project, language: str, po_path: Path) -> str | None:
    """``guide/intro`` for ``locales/fr/LC_MESSAGES/guide/intro.po``."""
    for locale_dir in project.locale_dirs:
        folder = locale_dir / language / "LC_MESSAGES"
        if po_path.is_relative_to(folder):
            return po_path.relative_to(folder).with_suffix("").as_posix()
    return None
