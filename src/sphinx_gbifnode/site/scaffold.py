"""``gbifnode init DIR --country BE --languages nl,fr,de``: a new node site that builds.

The site is written in its default language: a home page with a hero banner, a community
page with a partner grid, a publishers page listing the country's GBIF data publishers,
the ``gbifnode`` theme with a menu, a footer and partner logos, and a README. Each other
language gets its translators' catalogues, already translated when the extension ships
starter texts in that language, so ``gbifnode build DIR OUT`` gives a finished site at
once and ``gbifnode i18n stat DIR`` shows what is left to translate.

The work is :func:`create_site`, which other commands call too.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po, write_po

from ..core.errors import CommandError
from ..core.locale import babel_locale, language_name, parse_locale, split_languages
from ..i18n.project import Project, load_project
from ..i18n.update import LINE_WIDTH, update_language
from .jobs import LanguageJob, run_jobs
from .starter import FALLBACK, texts_language, wording
from .starter.images import placeholder_images
from .starter.pages import site_files

#: Babel "territories" that are not countries.
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"})
#: Codes Sphinx and gettext spell another way (Sphinx ships ``zh_CN`` and ``zh_TW``).
LANGUAGE_ALIASES = {
    "zh": "zh_CN", "zh_Hans": "zh_CN", "zh_Hans_CN": "zh_CN",
    "zh_Hant": "zh_TW", "zh_Hant_TW": "zh_TW",
}
#: language, then optionally a script (Hans) and a region (CN, 419): ``zh-Hans-CN``.
_LANGUAGE_CODE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z]{4})?(?:[-_](?:[A-Za-z]{2}|\d{3}))?$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``gbifnode init``."""
    parser.add_argument("directory", metavar="DIR", help="new (or empty) folder for the site")
    parser.add_argument(
        "--country", required=True, metavar="CC",
        help="the node's country, ISO 3166-1 alpha-2 code (BE, FR, CO ...)",
    )
    parser.add_argument(
        "--languages", default="en", metavar="LANGS",
        help="comma-separated languages, the default first (e.g. fr,en or zh_CN,en)",
    )
    parser.add_argument(
        "--name", help="site name (default: 'GBIF <country name>' in the default language)"
    )


def country_code(value: str) -> str:
    """An ISO 3166-1 alpha-2 country code, upper case; a clear error otherwise."""
    code = value.strip().upper()
    known = code.isascii() and len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    if not known or code not in babel_locale("en").territories:
        raise CommandError(
            f"--country {value!r} is not an ISO 3166-1 alpha-2 country code (e.g. BE, FR, CO)"
        )
    return code


def normalise_language(value: str) -> str:
    """A language code as Sphinx and gettext write it: ``zh-CN``, ``zh_cn`` -> ``zh_CN``,
    ``pt-BR`` -> ``pt_BR``, ``FR`` -> ``fr``; a clear error for one Babel does not know."""
    text = value.strip()
    error = CommandError(
        f"--languages: {value!r} is not a language code (e.g. en, fr, nl, zh_CN, pt_BR)"
    )
    if not _LANGUAGE_CODE.match(text):
        raise error
    first, *rest = re.split(r"[-_]", text)
    parts = [first.lower()]
    for part in rest:
        # A script is Title case (Hans), a region upper case (CN, 419).
        parts.append(part.title() if len(part) == 4 and part.isalpha() else part.upper())
    code = "_".join(parts)
    code = LANGUAGE_ALIASES.get(code, code)
    if parse_locale(code) is None:
        raise error
    return code


def parse_languages(value: str | Sequence[str]) -> list[str]:
    """The site's languages, normalised, each once, the default first."""
    codes = split_languages(value if isinstance(value, str) else list(value))
    if not codes:
        raise CommandError("--languages is empty; give e.g. --languages fr,en")
    return list(dict.fromkeys(normalise_language(code) for code in codes))


def check_target(target: Path) -> None:
    """Refuse a target that is a file or a folder with something in it."""
    if target.exists() and not target.is_dir():
        raise CommandError(f"{target} exists and is not a folder; nothing written")
    if target.is_dir():
        found = sorted(child.name for child in target.iterdir())
        if found:
            shown = ", ".join(found[:3]) + (", ..." if len(found) > 3 else "")
            raise CommandError(
                f"{target} is not empty (it holds {shown}); gbifnode init writes only into "
                "a new or empty folder, so nothing was written"
            )


def create_site(
    target: Path,
    *,
    country: str,
    languages: Sequence[str],
    name: str | None = None,
    theme_options: Mapping[str, Any] | None = None,
    log: Callable[[str], None] | None = None,
) -> Path:
    """Create a new node site in *target* (a new or empty folder) and return its path.

    *country* is an ISO 3166-1 alpha-2 code; *languages* the site's languages, the
    default first (``zh-CN`` and ``zh_cn`` are read as ``zh_CN``); *name* the site's
    name (default "GBIF <country>" in the default language); *theme_options* entries of
    ``html_theme_options`` that replace the starter ones; *log* receives one line per
    step (default: silent).

    Everything is checked before anything is written, and the site is written into a
    temporary folder renamed at the end, so a failure leaves nothing behind. Raises
    :class:`~sphinx_gbifnode.core.errors.CommandError` for bad input.
    """
    say = log or (lambda line: None)
    target = Path(target)
    code = country_code(country)
    codes = parse_languages(languages)
    if name is not None and not name.strip():
        raise CommandError("--name is empty; give the site's name or leave --name out")
    check_target(target)

    source = wording(codes[0], code, name.strip() if name else None)
    targets = [wording(language, code, name.strip() if name else None) for language in codes[1:]]
    files, translations = site_files(source, targets, codes, theme_options)

    created = _missing_parent(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        for relative, text in files.items():
            (staging / relative).write_text(text, encoding="utf-8")
        for relative, data in placeholder_images().items():
            (staging / relative).parent.mkdir(parents=True, exist_ok=True)
            (staging / relative).write_bytes(data)
        if len(codes) > 1:
            make_catalogs(staging, translations, {w.language: w.table for w in targets}, say)
        if target.exists():
            target.rmdir()  # empty (checked above); the rename needs it gone
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if created is not None:
            shutil.rmtree(created, ignore_errors=True)
        raise
    say(f"gbifnode: created {target} ({source.name}; {', '.join(codes)})")
    return target


def _missing_parent(target: Path) -> Path | None:
    """The outermost folder above *target* that does not exist yet (removed on failure)."""
    missing = None
    for parent in Path(target).absolute().parents:
        if parent.exists():
            break
        missing = parent
    return missing


def make_catalogs(
    srcdir: Path,
    translations: Mapping[str, Mapping[str, str]],
    tables: Mapping[str, str],
    say: Callable[[str], None],
) -> None:
    """The translators' ``.po`` files, one per page, for every other language; filled
    from *translations* where the starter texts exist in that language (*tables*: the
    table that wrote each language)."""
    project = load_project(srcdir)
    with tempfile.TemporaryDirectory(prefix="gbifnode-") as folder:
        pot_dir = Path(folder)
        pots = extract_messages(srcdir, pot_dir)
        for language in project.translated_languages:
            counts = update_language(project, language, pots, pot_dir, verbose=False)
            if counts.errors:
                raise CommandError("; ".join(counts.errors))
            if tables.get(language) == texts_language(language):
                done, total = fill_catalogs(
                    project.catalog_files(language), translations.get(language, {})
                )
                say(f"gbifnode: {language}: {counts.created} catalogues, {done} of {total} "
                    f"strings translated, in {folder_name(project, language)}")
            else:
                say(f"gbifnode: {language}: {counts.created} catalogues, {counts.new} "
                    f"strings to translate in {folder_name(project, language)}")


def folder_name(project: Project, language: str) -> str:
    """Where *language*'s catalogues are, from the site's folder (it is not in its final
    place yet)."""
    return project.catalog_dir(language).relative_to(project.srcdir).as_posix()


def extract_messages(srcdir: Path, pot_dir: Path) -> list[Path]:
    """The new site's ``.pot`` files. Offline: the GBIF data are fetched by the first
    build, not by ``init`` (their absence is no news here, so not warned about)."""
    argv = [
        "-b", "gettext", "-q", "-D", "gbifnode_offline=1",
        "-D", "suppress_warnings=gbifnode.gbif",
        "-d", str(pot_dir / ".doctrees"), str(srcdir), str(pot_dir),
    ]
    (result,) = run_jobs([LanguageJob("gettext", argv)], processes=1)
    if result.status or result.errors:
        sys.stderr.write(result.errors)
        raise CommandError("extracting the messages of the new site failed (see above)")
    return sorted(p for p in pot_dir.rglob("*.pot") if ".doctrees" not in p.parts)


def fill_catalogs(paths: list[Path], translations: Mapping[str, str]) -> tuple[int, int]:
    """Write *translations* into the ``msgstr`` of the catalogues at *paths*; return how
    many messages are translated, and how many there are."""
    done = total = 0
    for path in paths:
        with path.open("rb") as handle:
            catalog = read_po(handle, abort_invalid=True)
        for message in catalog:
            if not message.id:
                continue
            total += 1
            text = translations.get(str(message.id))
            if text:
                message.string = text
                done += 1
        with path.open("wb") as handle:
            write_po(handle, catalog, width=LINE_WIDTH, include_previous=True)
    return done, total


def run(args: argparse.Namespace) -> int:
    """``gbifnode init``: write the new site and its catalogues, and say what comes next."""
    codes = parse_languages(args.languages)
    target = create_site(
        Path(args.directory), country=args.country, languages=codes, name=args.name,
        log=print,
    )
    for note in site_notes(codes):
        print(note)
    print(f"next: gbifnode build {target} {target / '_build' / 'html'}")
    print("(the first build fetches the publishers from api.gbif.org and keeps them in "
          f"{target / '_data' / 'gbif'}; commit that folder so later builds work offline)")
    return 0


def site_notes(codes: list[str]) -> list[str]:
    """What the maintainer of a new site in *codes* should know."""
    notes = []
    default = codes[0]
    if texts_language(default) is None:
        notes.append(
            f"gbifnode: no starter texts in {language_name(default)} ({default}) yet: the "
            f"pages are written in {language_name(FALLBACK)}; rewrite them in "
            f"{language_name(default)}, they are the originals the other languages translate"
        )
    untranslated = [code for code in codes[1:] if texts_language(code) is None]
    if untranslated:
        notes.append(
            f"gbifnode: {', '.join(untranslated)}: no starter texts in that language; "
            "its catalogues are left for a translator (gbifnode i18n stat shows what is left)"
        )
    if any(code.split("_")[0] == "zh" for code in codes):
        notes.append(
            'gbifnode: Chinese search needs jieba: pip install "sphinx-gbifnode[zh]" '
            "(without it the search finds no Chinese words)"
        )
    return notes
