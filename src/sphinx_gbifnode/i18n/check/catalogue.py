"""Checking whole catalogues: every translated, non-fuzzy entry of each ``.po`` file,
and what was found, per file."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..po_files import CatalogueError, Entry, read_catalogue
from .markup import TEXT, syntax_of
from .rules import check_message

#: Every kind of problem, in the order the summary lists them.
KINDS = (
    "catalogue",  # the .po file itself cannot be read
    "image",
    "link",
    "role",
    "literal",
    "substitution",
    "placeholder",
    "footnote",
    "emphasis",
    "split",
    "invisible",
    "whitespace",
    "block",
    "stray-markup",
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one entry (or one catalogue)."""

    path: Path
    line: int
    kind: str
    msgid: str
    detail: str
    #: Suspicious but not broken (the markup is intact): reported, not failing.
    warning: bool = False


@dataclass
class CatalogueReport:
    """The outcome of checking one ``.po`` file."""

    path: Path
    language: str
    checked: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    problems: list[Problem] = field(default_factory=list)


def language_of(path: Path) -> str:
    """The language of a catalogue from its ``<lang>/LC_MESSAGES/`` folder."""
    parts = path.parts
    if "LC_MESSAGES" in parts:
        index = len(parts) - 1 - parts[::-1].index("LC_MESSAGES")
        if index >= 1:
            return parts[index - 1]
    return "?"


def check_entries(path: Path, entries: Iterable[Entry], report: CatalogueReport) -> None:
    """Check *entries* of the catalogue at *path*, adding to *report*."""
    for entry in entries:
        if not entry.msgid:
            continue  # the header
        if not entry.translated:
            report.untranslated += 1
            continue
        if entry.fuzzy:
            report.fuzzy += 1
            continue
        report.checked += 1
        syntax = syntax_of(entry)
        for index, msgstr in enumerate(entry.msgstr):
            if not msgstr:
                continue
            plural = entry.msgid_plural is not None
            source = entry.msgid_plural if plural and index > 0 else entry.msgid
            found = check_message(
                source or entry.msgid,
                msgstr,
                syntax,
                plural,
                report.language,
                # Without a source location it may well be a program string.
                placeholders=syntax == TEXT or not entry.locations,
            )
            for kind, detail, warning in found:
                if plural:
                    detail = f"msgstr[{index}]: {detail}"
                report.problems.append(
                    Problem(path, entry.line, kind, entry.msgid, detail, warning)
                )


def check_catalogue(path: Path, language: str | None = None) -> CatalogueReport:
    """Check every translated, non-fuzzy entry of the ``.po`` file at *path*."""
    report = CatalogueReport(path, language or language_of(path))
    try:
        entries = read_catalogue(path)
    except CatalogueError as exc:
        report.problems.append(Problem(path, exc.line, "catalogue", "", exc.message))
        return report
    check_entries(path, entries, report)
    return report


def check_languages(
    catalogues: dict[str, list[Path]],
) -> Iterator[tuple[str, list[CatalogueReport]]]:
    """Check each language's catalogues, in language order."""
    for language in sorted(catalogues):
        yield language, [check_catalogue(path, language) for path in catalogues[language]]
