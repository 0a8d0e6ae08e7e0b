"""``gbifnode import-jekyll SITE OUT``: a hosted-portal Jekyll site -> a Sphinx project.

OUT receives ``conf.py``, one MyST page per page of the root language, the site's
``assets/``, ``locales/<lang>/LC_MESSAGES/*.po`` filled from the translated pages,
``_jekyll/`` (pages that could not be converted, as they were) and ``IMPORT-REPORT.md``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po

from ..core.errors import CommandError
from . import align, kramdown, ledger
from .jekyll_site import PageGroup, Site, read_site, redirects
from .navigation import Navigation
from .report import Report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``gbifnode import-jekyll``."""
    parser.add_argument("site", type=Path, help="the Jekyll site (folder with _config.yml)")
    parser.add_argument("out", type=Path, help="where to write the Sphinx project (new or "
                        "empty folder)")
    parser.add_argument("--force", action="store_true",
                        help="write into OUT even if it is not empty (files are replaced)")
    parser.add_argument("--check", action="store_true",
                        help="then build the project (offline) and check that every sentence "
                        "of every language is in the HTML or named in the report; exit 1 "
                        "when one is lost")
    parser.add_argument("--include-unpublished", action="store_true",
                        help="also import what Jekyll does not publish (exclude: in "
                        "_config.yml, _drafts/, published: false)")


def run(args: argparse.Namespace) -> int:
    """Import, print the summary; exit status 0 (problems are in the report). With
    ``--check``, also the sentence ledger: exit status 1 when a sentence is lost."""
    try:
        include_unpublished = getattr(args, "include_unpublished", False)
        report = import_site(args.site, args.out, force=args.force,
                             include_unpublished=include_unpublished)
        outcome = None
        if getattr(args, "check", False):
            outcome = ledger.check(args.site, args.out, report,
                                   include_unpublished=include_unpublished)
            (args.out / "IMPORT-REPORT.md").write_text(report.markdown(), encoding="utf-8")
    except OSError as exc:  # a folder that cannot be written, a disk that is full
        raise CommandError(f"cannot write the project: {exc}") from exc
    print(report.summary())
    if outcome is not None:
        print("Sentence ledger:")
        print(report.ledger_summary())
        if outcome.build_problem:
            print(f"The imported project did not build: {outcome.build_problem}")
    print(f"Full report: {args.out / 'IMPORT-REPORT.md'}")
    if outcome is not None and (outcome.lost or outcome.build_problem):
        return 1
    return 0


def import_site(site_root: Path, out: Path, force: bool = False,
                include_unpublished: bool = False) -> Report:
    """Convert the site at *site_root* into a Sphinx project in *out*; return the report.
    With *include_unpublished*, pages Jekyll does not publish are imported too."""
    site_root = site_root.resolve()
    if not site_root.is_dir():
        raise CommandError(f"{site_root} is not a folder")
    if out.exists() and not out.is_dir():
        raise CommandError(f"{out} is a file: name a folder for the Sphinx project")
    if out.exists() and any(out.iterdir()) and not force:
        raise CommandError(f"{out} is not empty: choose a new folder or add --force")
    out.mkdir(parents=True, exist_ok=True)
    report = Report(site_root)
    site = read_site(site_root, report, skip=out, include_unpublished=include_unpublished)
    if not site.groups:
        report.add("error", site_root, None, "no page in the root language "
                   f"({site.root_language}) was found")
    docnames = [group.docname for group in site.groups]
    if "index" not in docnames:
        docnames.insert(0, "index")
        (out / "index.md").write_text(kramdown.index_page(site, docnames), encoding="utf-8")
    links = kramdown.LinkMap(site, site.groups)
    country = kramdown.guess_country(site)
    origins: dict[str, list[int]] = {}
    for group in site.groups:
        converted = kramdown.convert_page(site, links, report, group, group.root, docnames,
                                          country)
        kramdown.write_page(out / f"{group.docname}.md", converted)
        origins[group.docname] = converted.origins
        report.pages.append((group.root.rel, f"{group.docname}.md",
                             [page.rel for page in group.twins.values()]))
    if (site_root / "assets").is_dir():
        shutil.copytree(site_root / "assets", out / "assets", dirs_exist_ok=True)
    for path in site.leftovers:
        target = out / "_jekyll" / path.relative_to(site_root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    navigation = Navigation(site, links, report)
    write_conf(out, site, navigation, redirects(site, report))
    # Built sites and compiled catalogues are outputs, not sources to commit.
    (out / ".gitignore").write_text("_build/\nlocales/**/*.mo\n", encoding="utf-8")
    if len(site.languages) > 1:
        themed = translate(site, out, links, report, docnames, country, origins, navigation)
        if not themed:
            for language in site.languages[1:]:
                navigation.write_catalog(out, language)
    (out / "IMPORT-REPORT.md").write_text(report.markdown(), encoding="utf-8")
    return report


def translate(site: Site, out: Path, links: kramdown.LinkMap, report: Report,
              docnames: list[str], country: str | None, origins: dict[str, list[int]],
              navigation: Navigation) -> bool:
    """Write ``locales/<lang>/LC_MESSAGES/<page>.po`` for every other language.

    Returns True when the gettext build also extracted the theme's words (``sphinx.pot``,
    the menu and footer), whose catalogue is then written here too."""
    languages = set(site.languages)
    slugs = twin_slugs(site)
    by_docname: dict[str, PageGroup] = {group.docname: group for group in site.groups}
    with tempfile.TemporaryDirectory(prefix="gbifnode-import-") as temporary:
        work = Path(temporary)
        root_messages, pot_dir, warnings = align.extract(out, work / "root")
        _report_warnings(warnings, out, report)
        for language in site.languages[1:]:
            twin_src = work / f"src-{language}"
            shutil.copytree(out, twin_src, ignore=shutil.ignore_patterns(
                "assets", "_jekyll", "locales", "IMPORT-REPORT.md"))
            twin_origins: dict[str, list[int]] = {}
            for group in site.groups:
                twin = group.twins.get(language)
                if twin is not None:
                    converted = kramdown.convert_page(site, links, report, group, twin,
                                                      docnames, country)
                    kramdown.write_page(twin_src / f"{group.docname}.md", converted)
                    twin_origins[group.docname] = converted.origins
            twin_messages, _pots, _w = align.extract(twin_src, work / f"twin-{language}")
            translations: dict[str, dict[str, str]] = {"sphinx": navigation.translations(
                language)}
            for docname, group in by_docname.items():
                twin = group.twins.get(language)
                if twin is None:
                    continue
                outcome = align.page_alignment(root_messages.get(docname, []),
                                               twin_messages.get(docname, []), languages,
                                               slugs)
                translations[docname] = outcome.translations
                _report_alignment(report, language, group, outcome, origins, twin_origins)
            report.aligned[language] = _write_catalogs(out, pot_dir, language, translations,
                                                        by_docname, report)
        return (pot_dir / "sphinx.pot").is_file()


def _write_catalogs(out: Path, pot_dir: Path, language: str,
                    translations: dict[str, dict[str, str]],
                    by_docname: dict[str, PageGroup], report: Report) -> tuple[int, int]:
    """Every ``.po`` of *language* from the gettext templates; returns (messages
    translated, messages)."""
    done = total = 0
    for pot in sorted(pot_dir.rglob("*.pot")):
        domain = pot.relative_to(pot_dir).with_suffix("").as_posix()
        target = out / "locales" / language / "LC_MESSAGES" / f"{domain}.po"
        where = f"OUT/{target.relative_to(out).as_posix()}"
        try:
            page_done, page_total, kept = align.write_catalog(
                pot, target, language, translations.get(domain, {}).get, out, pot_dir)
        except align.ExistingCatalogError as exc:
            what = ("is read-only" if exc.problem == "read-only"
                    else f"unreadable ({exc.problem})")
            report.add("error", where, exc.line or None, f"existing catalogue {what}, left "
                       "as it is: the translations imported for it are not written")
            continue
        owner = by_docname.get(domain)
        twin = owner.twins.get(language) if owner is not None else None
        if kept:
            report.add("converted", where, None, f"{len(kept)} translations already in this "
                       "file were kept instead of the imported ones")
            for text in kept:
                report.add("converted", twin.path if twin else where, None,
                           f"{language}: the translation already in {where} is kept instead "
                           f"of this text: {text}")
        if owner is None and page_done < page_total:
            # Not a page (the theme's words: menu, footer, site name): no twin page to
            # name, so the messages themselves are listed.
            with target.open("rb") as handle:
                missing = [str(m.id) for m in read_po(handle) if m.id and not m.string]
            report.add("unaligned", where, None, f"{language}: {len(missing)} of {page_total} "
                       "messages have no translation in the site's data, translate them "
                       f"here: {' · '.join(missing)}")
        done, total = done + page_done, total + page_total
    return done, total


def twin_slugs(site: Site) -> dict[str, str]:
    """Every address of a page, in any language (``/fr/communaute``, the site's own
    ``https://.../fr/communaute``) -> its Sphinx document: links to either count as the
    same link when translations are aligned."""
    languages = set(site.languages)
    slugs: dict[str, str] = {}
    for group in site.groups:
        for page in [group.root, *group.twins.values()]:
            if not page.permalink:
                continue
            for address in (page.permalink, f"{site.url}/{page.permalink.lstrip('/')}"):
                key = align.link_key(address, languages)
                if key and key != group.docname:
                    slugs.setdefault(key, group.docname)
    return slugs


def _site_line(origins: dict[str, list[int]], docname: str, line: int) -> int | None:
    lines = origins.get(docname) or []
    return lines[line - 1] if 0 < line <= len(lines) else None


def _report_alignment(report: Report, language: str, group: PageGroup,
                      outcome: align.PageAlignment, origins: dict[str, list[int]],
                      twin_origins: dict[str, list[int]]) -> None:
    twin = group.twins[language]
    for message, closest in zip(outcome.unaligned_root, outcome.closest, strict=False):
        nearest = "the page has no text" if closest is None else (
            f"{twin.rel}:{_site_line(twin_origins, group.docname, closest.line) or '?'} "
            f"{closest.text}")
        report.add("unaligned", group.root.path, _site_line(origins, group.docname,
                   message.line), f"{language}: no matching text in {twin.rel}, left "
                   f"untranslated (no msgstr): {message.text} | closest {language} text: "
                   f"{nearest}")
    for message in outcome.split:
        report.add("converted", twin.path, _site_line(twin_origins, group.docname,
                   message.line), f"{language}: one paragraph translates two; split at a "
                   f"sentence end to translate both: {message.text}")
    for message in outcome.unaligned_twin:
        report.add("unaligned", twin.path, _site_line(twin_origins, group.docname,
                   message.line), f"{language} text with no counterpart in "
                   f"{group.root.rel}, not used: {message.text}")
    for message in outcome.joined:
        report.add("unaligned", twin.path, _site_line(twin_origins, group.docname,
                   message.line), f"{language}: a paragraph split in two; joined with the "
                   f"paragraph before it to translate one paragraph: {message.text}")
    for msgid, first, other in outcome.conflicts:
        report.add("unaligned", twin.path, None, f"{msgid!r} is translated twice "
                   f"({first!r} and {other!r}): the first is used")


_WARNING = re.compile(r"^(?P<path>/[^:]+):(?P<line>\d+)?:? ?(?:WARNING|ERROR): (?P<msg>.*)$")
_COLOUR = re.compile(r"\x1b\[[0-9;]*m")
#: Warnings already in the report (its list of images the site does not contain), and
#: the GBIF data the offline extraction did not fetch (the real build does).
_KNOWN = ("[image.not_readable]", "[gbifnode.image]", "[gbifnode.gbif]")


def _report_warnings(warnings: str, out: Path, report: Report) -> None:
    # What Sphinx says about the converted pages belongs in the report too.
    out = out.resolve()
    for line in _COLOUR.sub("", warnings).splitlines():
        match = _WARNING.match(line.strip())
        if match and not line.rstrip().endswith(_KNOWN):
            path = Path(match["path"])
            where = path.relative_to(out).as_posix() if path.is_relative_to(out) else path
            report.add("error", f"OUT/{where}", int(match["line"] or 0) or None,
                       f"Sphinx: {match['msg']}")


def write_conf(out: Path, site: Site, navigation: Navigation,
               old_addresses: dict[str, str] | None = None) -> None:
    """``conf.py`` for the imported project; *old_addresses* (the old site's permalinks
    and their documents) become redirect pages."""
    title = str(site.config.get("title") or site.root.name)
    lines = [
        f'"""Sphinx configuration of {title}, imported from a hosted-portal Jekyll site by',
        '``gbifnode import-jekyll`` (see IMPORT-REPORT.md)."""',
        "",
        f"project = {title!r}",
        'extensions = ["myst_parser", "sphinx_gbifnode"]',
        "# attrs_inline / attrs_block carry kramdown attribute lists ({:height=...}).",
        'myst_enable_extensions = ["colon_fence", "attrs_inline", "attrs_block"]',
        "myst_heading_anchors = 3",
        "",
        f"language = {site.root_language!r}",
        f"gbifnode_languages = {site.languages!r}",
        'locale_dirs = ["locales"]',
        "gettext_compact = False",
        'exclude_patterns = ["_build", "_jekyll", "locales", "IMPORT-REPORT.md", "README.md"]',
    ]
    if site.url:
        lines.append(f"html_baseurl = {site.url + '/'!r}")
    if old_addresses:
        lines += ["# The old site's addresses: a page there sends readers to the page now.",
                  f"gbifnode_redirects = {old_addresses!r}"]
    lines += ["", "# From _data/navigation.yml and _data/footer.yml (translations in",
              "# locales/<lang>/LC_MESSAGES/sphinx.po).",
              f"navbar_links = {navigation.navbar!r}",
              f"footer_columns = {navigation.footer!r}"]
    colours = navigation.colours()
    logo = site.config.get("algae", {}).get("logo") if isinstance(
        site.config.get("algae"), dict) else None
    lines += ['html_theme = "gbifnode"',
              "html_theme_options = {",
              '    "navbar_links": navbar_links,',
              '    "footer_columns": footer_columns,']
    if logo:
        lines.append(f'    "logo": {str(logo).lstrip("/")!r},')
    lines += [f"    {option!r}: {value!r}," for option, value in colours.items()]
    lines.append("}")
    (out / "conf.py").write_text("\n".join(lines) + "\n", encoding="utf-8")
