"""``gbifnode init DIR --country BE --languages en,fr,nl``: a new node site that builds.

The site has a home page with a hero banner, a community page with a partner grid, a
publishers page listing the country's GBIF data publishers, and the translators'
catalogues for every other language, so ``gbifnode build DIR OUT`` works at once and
``gbifnode i18n stat DIR`` shows what is left to translate.
"""

from __future__ import annotations

import argparse
import pprint
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..core.errors import CommandError
from ..core.locale import babel_locale, parse_locale, split_languages
from ..core.png import encode_png
from ..i18n.project import load_project
from ..i18n.update import extract_messages, update_language

#: Size of the placeholder hero photo (a wide banner).
HERO_SIZE = (1200, 400)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``gbifnode init``."""
    parser.add_argument("directory", metavar="DIR", help="new folder for the site")
    parser.add_argument(
        "--country", required=True, metavar="CC",
        help="the node's country, ISO 3166-1 alpha-2 code (BE, FR, CO ...)",
    )
    parser.add_argument(
        "--languages", default="en", metavar="LANGS",
        help="comma-separated languages, the default first (e.g. en,fr,nl)",
    )
    parser.add_argument("--name", help="site name (default: 'GBIF <country name>')")


def country_name(code: str) -> str:
    """English name of an ISO 3166-1 alpha-2 country code; a clear error otherwise."""
    territories = babel_locale("en").territories
    name = territories.get(code) if len(code) == 2 and code.isalpha() else None
    if not name:
        raise CommandError(
            f"--country {code!r} is not an ISO 3166-1 alpha-2 country code (e.g. BE, FR, CO)"
        )
    return str(name)


def parse_languages(value: str) -> list[str]:
    """Language codes Babel knows (``en``, ``fr``, ``zh_CN``), without duplicates."""
    languages = split_languages(value)
    if not languages:
        raise CommandError("--languages is empty; give e.g. --languages en,fr")
    for code in languages:
        if parse_locale(code) is None:
            raise CommandError(
                f"--languages: {code!r} is not a language code (e.g. en, fr, nl, pt_BR)"
            )
    return languages


def placeholder_photo(width: int, height: int) -> bytes:
    """A PNG banner shading from dark to light green, to stand in for the hero photo."""
    rows = []
    for y in range(height):
        shade = y * 90 // max(1, height - 1)
        rows.append(bytes((20 + shade // 3, 70 + shade, 45 + shade // 2)) * width)
    return encode_png(width, height, rows)


def site_files(
    name: str, country: str, languages: list[str],
    theme_options: Mapping[str, Any] | None = None,
) -> dict[str, str]:
    """The text files of a new site, by relative path."""
    place = country_name(country)
    code = country.upper()
    conf = f'''"""Sphinx configuration of {name} (made by `gbifnode init`)."""

project = {name!r}
extensions = ["myst_parser", "sphinx_gbifnode"]
myst_enable_extensions = ["colon_fence"]

# The first language is the default one; each language is built into OUT/<lang>/
# by `gbifnode build . _build/html`.
language = {languages[0]!r}
gbifnode_languages = {languages!r}
locale_dirs = ["locales"]
gettext_compact = False  # one .po file per page, easier for translators

# The address where the site is published (the folder holding en/, fr/ ...): needed
# for absolute hreflang links and sitemap.xml. Set it before publishing, e.g.
# html_baseurl = "https://www.example.org/"

exclude_patterns = ["_build", "locales", "README.md"]
html_static_path = ["_static"]
html_title = project
'''
    if theme_options:
        conf += f"html_theme_options = {pprint.pformat(dict(theme_options), sort_dicts=False)}\n"
    index = f"""# {name}

:::{{hero}} Biodiversity data from {place}
:image: _static/hero.png
:alt: A green banner standing in for a photo
:licence: Placeholder image: replace it with a photo you may use, and its licence
:height: 50vh
:overlay: "#00000033"
:cta-primary: Explore the data <https://www.gbif.org/country/{code}/summary>
:cta: Our community <community>

{name} shares data about the species of {place} through GBIF, the Global
Biodiversity Information Facility.
:::

```{{toctree}}
:maxdepth: 1

community
publishers
```
"""
    community = f"""# Community

The institutions that share biodiversity data from {place}.

:::{{partner-grid}}
:captions:

- name: GBIF, the Global Biodiversity Information Facility
  url: https://www.gbif.org/
- name: {name}
  url: https://www.gbif.org/country/{code}/participation
:::
"""
    publishers = f"""# Data publishers

The organisations of {place} that publish datasets through GBIF.

:::{{gbif-publishers}}
:country: {code}
:::
"""
    readme = f"""# {name}

A GBIF node website made with sphinx-gbifnode.

    gbifnode build . _build/html      # every language into _build/html/<lang>/
    gbifnode i18n update .            # after editing pages: update the .po files
    gbifnode i18n stat .              # what is left to translate

Translations: `locales/<language>/LC_MESSAGES/*.po` (Poedit, Weblate or a text editor).
"""
    return {
        "conf.py": conf,
        "index.md": index,
        "community.md": community,
        "publishers.md": publishers,
        "README.md": readme,
        ".gitignore": "_build/\nlocales/**/*.mo\n",
    }


def run(args: argparse.Namespace) -> int:
    """``gbifnode init``: write the new site and its catalogues."""
    target = create_site(
        Path(args.directory),
        country=args.country,
        languages=parse_languages(args.languages),
        name=args.name,
    )
    print(f"next: gbifnode build {target} {target / '_build' / 'html'}")
    print("(the first build fetches the publishers from api.gbif.org and keeps them in "
          f"{target / '_data' / 'gbif'}; commit that folder so later builds work offline)")
    return 0


def create_site(
    target: Path,
    *,
    country: str,
    languages: Sequence[str],
    name: str | None = None,
    theme_options: Mapping[str, Any] | None = None,
) -> Path:
    """Create a new node site in *target* (a new or empty folder) and return its path.

    *country* is an ISO 3166-1 alpha-2 code; *languages* the site's languages, the
    default first; *name* the site name (default "GBIF <country>"); *theme_options*
    entries of ``html_theme_options`` that replace the starter ones. Everything is checked
    before anything is written, and the site is written into a temporary folder renamed
    at the end, so a failure leaves nothing behind. Raises
    :class:`~sphinx_gbifnode.core.errors.CommandError` for bad input.
    """
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise CommandError(f"{target} already exists and is not empty; nothing written")
    code = country.strip().upper()
    place = country_name(code)
    codes = list(languages)
    site_name = name or f"GBIF {place}"
    files = site_files(site_name, code, codes, theme_options)

    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        for relative, text in files.items():
            (staging / relative).write_text(text, encoding="utf-8")
        (staging / "_static").mkdir()
        (staging / "_static" / "hero.png").write_bytes(placeholder_photo(*HERO_SIZE))
        for language in codes[1:]:
            (staging / "locales" / language / "LC_MESSAGES").mkdir(parents=True)
        if len(codes) > 1:
            make_catalogs(staging)
        if target.exists():
            target.rmdir()  # empty (checked above); rename needs it gone
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    print(f"gbifnode: created {target} ({site_name}; {', '.join(codes)})")
    return target


def make_catalogs(srcdir: Path) -> None:
    """The translators' ``.po`` files, one per page, for every other language."""
    project = load_project(srcdir)
    with tempfile.TemporaryDirectory(prefix="gbifnode-") as folder:
        pot_dir = Path(folder)
        pots = extract_messages(project, pot_dir)
        for language in project.translated_languages:
            counts = update_language(project, language, pots, pot_dir, verbose=False)
            print(f"gbifnode: {language}: {counts.created} catalogues, {counts.new} strings "
                  f"to translate in {project.catalog_dir(language)}")
