"""``gbifnode i18n update``: extract the site's messages and merge them into every
non-default language's ``.po`` files.

Extraction is ``sphinx-build -b gettext``; merging works as ``sphinx-intl update`` does,
with Babel: translations are kept, a changed source string keeps its old translation
marked *fuzzy* for review, removed strings stay as obsolete (``#~``) entries. A file is
only rewritten when its content changes, and never when it cannot be read cleanly.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import denormalize, read_po, write_po

from ..core.errors import CommandError
from ..core.files import write_atomic
from ..site.jobs import LanguageJob, run_jobs
from .po_files import broken_catalogs
from .project import Project, load_project, translated_languages

#: Line width of written .po files (sphinx-intl's default, so diffs stay small).
LINE_WIDTH = 76


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``gbifnode i18n update``."""
    parser.add_argument("srcdir", metavar="SRC", help="source folder (with conf.py)")
    parser.add_argument(
        "--languages", metavar="LANGS",
        help="comma-separated languages to update (default: every non-default language)",
    )
    parser.add_argument(
        "--pot-dir", metavar="DIR",
        help="keep the extracted .pot templates in DIR (default: a temporary folder)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="list every file")


@dataclass
class UpdateCounts:
    """What an update did to one language's catalogues."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    new: int = 0
    changed: int = 0
    obsolete: int = 0
    errors: list[str] = field(default_factory=list)


def extract_messages(project: Project, pot_dir: Path) -> list[Path]:
    """Run Sphinx's gettext builder into *pot_dir*; return the ``.pot`` files."""
    argv = ["-b", "gettext", "-q", "-d", str(pot_dir / ".doctrees")]
    if project.confdir != project.srcdir:
        argv += ["-c", str(project.confdir)]
    job = LanguageJob(project.default_language, [*argv, str(project.srcdir), str(pot_dir)])
    (result,) = run_jobs([job], processes=1)
    sys.stderr.write(result.errors)
    if result.status:
        raise CommandError(f"extracting messages from {project.srcdir} failed (see above)")
    return sorted(p for p in pot_dir.rglob("*.pot") if ".doctrees" not in p.parts)


def read_template(pot: Path, pot_dir: Path, srcdir: Path) -> Catalog:
    """Read a ``.pot``, with source locations made relative to the source folder, so
    ``.po`` files do not change when the templates are extracted elsewhere."""
    with pot.open("rb") as handle:
        template = read_po(handle)
    for message in template:
        message.locations = [
            # Sphinx writes locations relative to the gettext output folder.
            (Path(os.path.relpath(pot_dir / path, srcdir)).as_posix(), line)
            for path, line in message.locations
        ]
    return template


def restore_previous_ids(catalog: Catalog) -> None:
    """Babel reads ``#| msgid "..."`` (the old source of a fuzzy entry) as a translator
    comment and would write it back as ``# | msgid``; put it back where it belongs so
    repeated updates leave the file as it is."""
    for message in catalog:
        previous = [c for c in message.user_comments if c.startswith("| ")]
        if not previous or not previous[0].startswith("| msgid "):
            continue
        lines = [previous[0][len("| msgid "):], *(c[2:] for c in previous[1:])]
        with contextlib.suppress(ValueError, IndexError):
            message.previous_id = [denormalize("\n".join(lines))]
            message.user_comments = [c for c in message.user_comments if c not in previous]


def meaning(catalog: Catalog) -> list[tuple[object, ...]]:
    """What a catalogue says, without its layout (line wrapping, header comment): two
    catalogues with the same meaning need no rewrite, so a file saved by Poedit or
    Weblate, which wrap lines their own way, is not reformatted for nothing."""
    entries = list(catalog) + list(catalog.obsolete.values())
    return sorted(
        (
            str(m.id), str(m.string), str(m.context), sorted(m.flags), list(m.locations),
            [str(p) for p in m.previous_id], list(m.auto_comments), list(m.user_comments),
            m.id in catalog.obsolete,
        )
        for m in entries
        if m.id
    )


def merge_catalog(
    template: Catalog, po_path: Path, language: str
) -> tuple[bytes | None, dict[str, int]]:
    """The updated content of *po_path* (``None`` when its meaning is unchanged) and its
    counts (``new``, ``changed``, ``obsolete``); a missing file starts from the template."""
    counts = {"new": 0, "changed": 0, "obsolete": 0}
    old_meaning = None
    if po_path.exists():
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=language, abort_invalid=True)
        restore_previous_ids(catalog)
        old_meaning = meaning(catalog)
        before = {message.id for message in catalog if message.id}
        obsolete_before = set(catalog.obsolete)
        previous = {m.id: m.previous_id for m in catalog if m.id and m.previous_id}
        catalog.update(template, update_creation_date=False)
        for message in catalog:
            if not message.id or message.id in before:
                # Babel's update forgets the old source of an entry still fuzzy.
                if message.fuzzy and not message.previous_id and message.id in previous:
                    message.previous_id = previous[message.id]
                continue
            # Babel copies the translation of a similar old string and marks it fuzzy.
            if message.fuzzy and message.previous_id:
                counts["changed"] += 1
            else:
                counts["new"] += 1
        counts["obsolete"] = len(set(catalog.obsolete) - obsolete_before)
        if any(counts.values()):
            catalog.creation_date = template.creation_date
    else:
        catalog = Catalog(locale=language, project=template.project, fuzzy=False)
        catalog.update(template)
        counts["new"] = sum(1 for message in catalog if message.id)
    if old_meaning is not None and meaning(catalog) == old_meaning:
        return None, counts
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=LINE_WIDTH, include_previous=True)
    return buffer.getvalue(), counts


def update_language(
    project: Project, language: str, pots: list[Path], pot_dir: Path, verbose: bool
) -> UpdateCounts:
    """Merge every template into *language*'s catalogues."""
    result = UpdateCounts()
    target_dir = project.catalog_dir(language)
    for pot in pots:
        domain = pot.relative_to(pot_dir).with_suffix("")
        po_path = target_dir / f"{domain.as_posix()}.po"
        existed = po_path.exists()
        if existed:
            problems = broken_catalogs([po_path])
            if problems:
                # Never overwrite a translator's file that cannot be read faithfully.
                result.errors.extend(problems)
                continue
        template = read_template(pot, pot_dir, project.srcdir)
        content, counts = merge_catalog(template, po_path, language)
        result.new += counts["new"]
        result.changed += counts["changed"]
        result.obsolete += counts["obsolete"]
        if content is None or (existed and po_path.read_bytes() == content):
            result.unchanged += 1
            continue
        write_atomic(po_path, content.decode("utf-8"))
        if existed:
            result.updated += 1
        else:
            result.created += 1
        if verbose:
            what = "updated" if existed else "created"
            print(
                f"  {what} {po_path}: {counts['new']} new, {counts['changed']} changed, "
                f"{counts['obsolete']} obsolete"
            )
    return result


def run(args: argparse.Namespace) -> int:
    """``gbifnode i18n update``: extract, then merge into each language's catalogues."""
    project = load_project(args.srcdir)
    languages = translated_languages(project, args.languages)
    if not languages:
        raise CommandError(
            f"{project.srcdir} has only one language ({project.default_language}); "
            "list the others in gbifnode_languages in conf.py (e.g. "
            f'gbifnode_languages = ["{project.default_language}", "fr"])'
        )
    with contextlib.ExitStack() as stack:
        if args.pot_dir:
            pot_dir = Path(args.pot_dir).resolve()
            pot_dir.mkdir(parents=True, exist_ok=True)
        else:
            pot_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="gbifnode-")))
        pots = extract_messages(project, pot_dir)
        failed = False
        print(f"{'language':<10} {'created':>8} {'updated':>8} {'unchanged':>9} "
              f"{'new':>6} {'changed':>8} {'obsolete':>9}")
        for language in languages:
            counts = update_language(project, language, pots, pot_dir, args.verbose)
            print(
                f"{language:<10} {counts.created:>8} {counts.updated:>8} {counts.unchanged:>9} "
                f"{counts.new:>6} {counts.changed:>8} {counts.obsolete:>9}"
            )
            for problem in counts.errors:
                print(f"{problem} (file left unchanged)", file=sys.stderr)
                failed = True
    print("new: strings to translate; changed: fuzzy, the old translation kept for review; "
          "obsolete: kept as #~ entries")
    return 1 if failed else 0
