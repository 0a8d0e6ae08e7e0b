"""The host's landing page (``OUT/index.html``) and its sitemap index.

The page lists every hosted site with its flag, its name, its country named in the
page's language and its languages named as their speakers write them. There is one page
per language of the host (``index.html`` for the first, ``index.<lang>.html`` for the
others); a small script sends a visitor whose browser prefers another of them there,
and the links work without it. HTML from ``templates/landing.html`` (Jinja2, escaped).
"""

from __future__ import annotations

import gettext
import html
import json
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from ..core.locale import LOCALE_DIR, MESSAGE_CATALOG, hreflang, language_name, parse_locale
from ..i18n.project import load_project
from .hosting_file import HostedSite, Hosting

_ENVIRONMENT = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    keep_trailing_newline=True,
)


def page_name(hosting: Hosting, language: str) -> str:
    """``index.html`` for the host's first language, ``index.<lang>.html`` for others."""
    return "index.html" if language == hosting.languages[0] else f"index.{language}.html"


def flag(country: str) -> str:
    """The flag emoji of a two-letter country code (regional indicator symbols)."""
    if len(country) != 2 or not country.isalpha():
        return ""
    return "".join(chr(0x1F1E6 + ord(letter) - ord("A")) for letter in country.upper())


def country_in(language: str, country: str) -> str:
    locale = parse_locale(language)
    name = locale.territories.get(country.upper()) if locale is not None else None
    return str(name) if name else country


def _site_entry(hosting: Hosting, site: HostedSite, language: str) -> dict[str, object]:
    try:
        project = load_project(site.folder(hosting.hostdir))
        title, languages = project.name or site.name, project.languages
    except Exception:  # the site was built but its conf.py changed since: list it plainly
        title, languages = site.name, site.languages
    return {
        "flag": flag(site.country),
        "href": f"{site.name}/index.html",
        "title": title,
        "lang": hreflang(languages[0]) if languages else "",
        "country": country_in(language, site.country),
        "languages": [{"lang": hreflang(code), "name": language_name(code)}
                      for code in languages],
    }


def landing_pages(hosting: Hosting, sites: list[HostedSite]) -> dict[str, str]:
    """File name -> HTML of the landing page in each of the host's languages."""
    versions = [{"lang": hreflang(code), "file": page_name(hosting, code),
                 "name": language_name(code)} for code in hosting.languages]
    targets = {hreflang(code).lower(): ("" if index == 0 else page_name(hosting, code))
               for index, code in enumerate(hosting.languages)}
    pages = {}
    for index, code in enumerate(hosting.languages):
        labels = gettext.translation(MESSAGE_CATALOG, str(LOCALE_DIR), languages=[code],
                                     fallback=True)
        entries = sorted((_site_entry(hosting, site, code) for site in sites),
                         key=lambda entry: str(entry["country"]))
        pages[page_name(hosting, code)] = _ENVIRONMENT.get_template("landing.html").render(
            lang=hreflang(code),
            host_name=hosting.name,
            credit=hosting.credit,
            heading=labels.gettext("Hosted sites"),
            languages_label=labels.gettext("Languages:"),
            switch_label=labels.gettext("Switch language"),
            versions=versions,
            sites=entries,
            redirect=index == 0 and len(versions) > 1,
            # JSON inside <script>: nothing in it may close the element.
            targets_json=Markup(json.dumps(targets).replace("</", "<\\/")),
        )
    return pages


def sitemap_index(baseurl: str, site_names: list[str]) -> str:
    """``sitemap.xml`` at the root: an index of each site's own sitemap."""
    root = baseurl.rstrip("/")
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for name in site_names:
        lines.append(f"  <sitemap><loc>{html.escape(f'{root}/{name}/sitemap.xml')}</loc>"
                     "</sitemap>")
    lines.append("</sitemapindex>")
    return "\n".join(lines) + "\n"
