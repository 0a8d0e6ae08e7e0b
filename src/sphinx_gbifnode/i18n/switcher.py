"""Every page knows its other languages: hreflang links, a language switcher, and a
notice on pages whose translation is not finished.

The site layout is the one ``gbifnode build`` writes: each language in its own folder,
``OUT/<lang>/``, with the same page names. So the French twin of ``en/guide/intro.html``
is ``../../fr/guide/intro.html`` from that page, and ``<html_baseurl>/fr/guide/intro.html``
as an absolute URL.

Templates get ``gbifnode_language_links`` (a list of dicts) and
``gbifnode_language_switcher()`` (ready-made HTML); without template edits the switcher
is placed at the top of the page body, which every theme renders.
"""

from __future__ import annotations

import functools
import gettext
import html
import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from markupsafe import Markup
from sphinx.transforms import SphinxTransform
from sphinx.util.i18n import docname_to_domain
from sphinx.util.nodes import extract_messages

from ..core.nodes import _, front_matter_node, logger
from .project import DEFAULT_LANGUAGE, discover_languages

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.writers.html5 import HTML5Translator

#: Where each build lists its pages (in its doctree folder), for ``gbifnode build``.
PAGES_FILE = "gbifnode-pages.json"
#: Themes that place the switcher themselves (from ``gbifnode_language_links``).
THEMES_WITH_SWITCHER = ("gbifnode",)


class translation_notice(nodes.General, nodes.Element):
    """Shown on a translated page when some passages are still in the original language.
    Attributes: ``translated``, ``total`` (counts of translatable passages)."""


@cache
def language_name(code: str) -> str:
    """The language's own name ("Français", "Nederlands", "中文 (中国)"), or the code."""
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return code
    name = locale.get_display_name(locale) or code
    return name[:1].upper() + name[1:]


def hreflang(code: str) -> str:
    """Sphinx/gettext codes (``zh_CN``) as HTML wants them (``zh-CN``)."""
    return code.replace("_", "-")


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
        logger.warning(
            "language %r is not one of gbifnode_languages %r; the language switcher "
            "cannot mark the current page",
            config.language, list(config.gbifnode_languages),
            type="gbifnode", subtype="language",
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


def load_messages(srcdir: str | Path, config: Config, docname: str) -> dict[str, str]:
    """The translations Sphinx will use for *docname* (its compiled ``.mo`` files)."""
    domain = docname_to_domain(docname, config.gettext_compact)
    merged: dict[str, str] = {}
    for locale_dir in reversed([Path(srcdir, d) for d in config.locale_dirs]):
        mo_path = locale_dir / str(config.language) / "LC_MESSAGES" / f"{domain}.mo"
        try:
            stat = mo_path.stat()
        except OSError:
            continue
        merged |= _read_mo(str(mo_path), stat.st_mtime_ns, stat.st_size)
    return merged


@functools.lru_cache(maxsize=256)
def _read_mo(path: str, mtime_ns: int, size: int) -> dict[str, str]:
    """One ``.mo`` file's messages, read once per process and version of the file.

    With ``gettext_compact`` every page shares one catalogue: it is read once, not once
    per page. Keyed on mtime and size (not :mod:`gettext`'s cache, which would keep an
    old catalogue in a long-lived process)."""
    try:
        with open(path, "rb") as handle:
            return dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]
    except (OSError, ValueError):
        return {}


def _inside(node: nodes.Node, container: nodes.Element | None) -> bool:
    parent: nodes.Node | None = node
    while container is not None and parent is not None:
        if parent is container:
            return True
        parent = parent.parent
    return False


class TranslationCoverage(SphinxTransform):
    """Puts a notice on a translated page whose catalogue leaves passages untranslated.

    Runs just before Sphinx's ``Locale`` transform (priority 20) and asks the same
    question it will: is there a non-empty ``msgstr`` for each message of the page?
    (Sphinx's own ``translated`` markers miss messages such as image alt texts that
    directives translate themselves.)
    """

    default_priority = 19

    def apply(self, **kwargs: Any) -> None:
        if self.config.language == site_languages(self.config)[0]:
            return
        docname = self.env.docname
        catalog = load_messages(self.env.srcdir, self.config, docname)
        total = translated = 0
        metadata = front_matter_node(self.document)
        for node, message in extract_messages(self.document):
            if _inside(node, metadata):
                continue
            total += 1
            if catalog.get(message, "").strip():
                translated += 1
        if translated >= total:
            return
        notice = translation_notice("", translated=translated, total=total)
        sections = list(self.document.findall(nodes.section))
        if sections and len(sections[0]) and isinstance(sections[0][0], nodes.title):
            sections[0].insert(1, notice)
        else:
            self.document.insert(0, notice)


def visit_translation_notice(self: HTML5Translator, node: translation_notice) -> None:
    text = _(
        "This page is not fully translated yet; passages still in the original language: "
        "%(missing)d of %(total)d."
    ) % {"missing": node["total"] - node["translated"], "total": node["total"]}
    self.body.append(
        f'<div class="gbif-translation-notice" role="note">{html.escape(text)}</div>\n'
    )
    raise nodes.SkipNode


def skip_node(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


def _record_pages(app: Sphinx, exception: Exception | None) -> None:
    """Leave the list of pages in the doctree folder, for ``gbifnode build``'s sitemap:
    every page of the site, also those an incremental build did not rewrite."""
    if exception is not None or app.builder.format != "html":
        return
    data = {
        "language": app.config.language,
        "root": app.builder.get_target_uri(app.config.root_doc),
        "pages": [app.builder.get_target_uri(doc) for doc in sorted(app.env.found_docs)],
    }
    Path(app.doctreedir, PAGES_FILE).write_text(json.dumps(data, indent=1), encoding="utf-8")


def setup(app: Sphinx) -> None:
    app.add_config_value("gbifnode_languages", [], "html", types=[list])
    app.add_config_value("gbifnode_add_language_switcher", True, "html", types=[bool])
    app.add_node(
        translation_notice,
        html=(visit_translation_notice, None),
        latex=(skip_node, None),
        text=(skip_node, None),
        man=(skip_node, None),
        texinfo=(skip_node, None),
    )
    app.connect("config-inited", _resolve_languages)
    app.add_transform(TranslationCoverage)
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _record_pages)
