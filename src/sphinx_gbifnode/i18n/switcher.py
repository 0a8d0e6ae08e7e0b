"""Every page knows its other languages: hreflang links and a language switcher.

The site layout is the one ``gbifnode build`` writes: each language in its own folder,
``OUT/<lang>/``, with the same page names. So the French twin of ``en/guide/intro.html``
is ``../../fr/guide/intro.html`` from that page, and ``<html_baseurl>/fr/guide/intro.html``
as an absolute URL.

Templates get ``gbifnode_language_links`` (a list of dicts) and
``gbifnode_language_switcher()`` (ready-made HTML); without template edits the switcher
is placed at the top of the page body, which every theme renders.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ..core.locale import _, hreflang, language_name
from ..core.logs import warn
from .project import DEFAULT_LANGUAGE, discover_languages

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

#: Themes that place the switcher themselves (from ``gbifnode_language_links``).
THEMES_WITH_SWITCHER = ("gbifnode",)


def site_languages(config: Config) -> list[str]:
    """The site's languages, default first (``gbifnode_languages`` once resolved)."""
    return list(config.gbifnode_languages) or [config.language or "en"]


def _resolve_languages(app: Sphinx, config: Config) -> None:
    if not config.gbifnode_languages:
        # A translated build overrides `language` (-D language=fr); the site's default
        # language is the one conf.py itself sets.
        raw = getattr(config, "_raw_config", {})
        default = raw.get("language") or DEFAULT_LANGUAGE
        locale_dirs = [Path(app.srcdir, d) for d in config.locale_dirs]
        config.gbifnode_languages = discover_languages(default, locale_dirs)
    elif config.language not in config.gbifnode_languages:
        warn(
            "language %r is not one of gbifnode_languages %r; the language switcher "
            "cannot mark the current page",
            config.language, list(config.gbifnode_languages),
            subtype="language",
        )


def language_links(app: Sphinx, pagename: str) -> list[dict[str, Any]]:
    """The same page in each language, as relative URLs in the ``OUT/<lang>/`` layout."""
    target = app.builder.get_target_uri(pagename)
    up = "../" * (target.count("/") + 1)
    current = app.config.language
    return [
        {
            "code": code,
            "hreflang": hreflang(code),
            "name": language_name(code),
            "url": f"{up}{code}/{target}",
            "current": code == current,
        }
        for code in site_languages(app.config)
    ]


def absolute_url(baseurl: str, language: str, target: str) -> str:
    """``<html_baseurl>/<lang>/<page>``: html_baseurl is the root of the whole site."""
    return f"{baseurl.rstrip('/')}/{language}/{target}"


def switcher_html(links: list[dict[str, Any]]) -> Markup:
    """The default switcher: a labelled list of links, the current language not a link."""
    label = html.escape(_("Switch language"))
    items = []
    for link in links:
        name = html.escape(link["name"])
        lang = html.escape(link["hreflang"])
        if link["current"]:
            items.append(f'<li><span lang="{lang}" aria-current="page">{name}</span></li>')
        else:
            items.append(
                f'<li><a href="{html.escape(link["url"])}" hreflang="{lang}" lang="{lang}" '
                f'rel="alternate">{name}</a></li>'
            )
    return Markup(
        f'<nav class="gbif-language-switcher" aria-label="{label}">'
        f'<span class="gbif-language-switcher-label">{label}</span>'
        f'<ul>{"".join(items)}</ul></nav>\n'
    )


def _page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if app.builder.format != "html" or app.builder.name == "singlehtml":
        return
    links = language_links(app, pagename)
    context["gbifnode_language_links"] = links
    context["gbifnode_language_switcher"] = lambda: switcher_html(links)
    if len(links) < 2:
        return

    target = app.builder.get_target_uri(pagename)
    baseurl = app.config.html_baseurl
    if baseurl:
        # Sphinx's canonical URL would omit the language folder.
        context["pageurl"] = absolute_url(baseurl, app.config.language, target)
    tags = []
    for link in links:
        href = absolute_url(baseurl, link["code"], target) if baseurl else link["url"]
        tags.append(
            f'<link rel="alternate" hreflang="{html.escape(link["hreflang"])}" '
            f'href="{html.escape(href)}" />'
        )
    default = links[0]
    href = absolute_url(baseurl, default["code"], target) if baseurl else default["url"]
    tags.append(f'<link rel="alternate" hreflang="x-default" href="{html.escape(href)}" />')
    context["metatags"] = context.get("metatags", "") + "\n".join(tags) + "\n"

    if (
        app.config.gbifnode_add_language_switcher
        and app.config.html_theme not in THEMES_WITH_SWITCHER
        and "body" in context
    ):
        context["body"] = str(switcher_html(links)) + context["body"]


def setup(app: Sphinx) -> None:
    """Declare the site's languages and put the links on every HTML page."""
    app.add_config_value("gbifnode_languages", [], "html", types=[list])
    app.add_config_value("gbifnode_add_language_switcher", True, "html", types=[bool])
    app.connect("config-inited", _resolve_languages)
    app.connect("html-page-context", _page_context)
