"""The ``gbifnode`` HTML theme: a node website rather than a manual.

A navbar from ``html_theme_options`` (logo, menu with one level of dropdowns, language
switcher, search box), a full-width hero under it, footer columns with partner logos.

Navigation is rendered from the theme options, never from a global table of contents,
so the work per page does not grow with the number of pages. Labels from the options
are extracted into the project's ``sphinx.pot`` by ``sphinx-build -b gettext`` and
translated from ``locales/<lang>/LC_MESSAGES/sphinx.po``, like Sphinx's own labels.

Registered through the ``sphinx.html_themes`` entry point and by the extension's
``setup()`` (so a source checkout works too).
"""

from __future__ import annotations

import re
import shutil
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util.images import get_image_size

from .. import __version__
from ..core.locale import LOCALE_DIR, MESSAGE_CATALOG, _
from ..core.logs import warn
from ..core.urls import is_remote, link_target
from ..host_template import TEMPLATE_CONF, options_source, shared_file, template_dir
from . import labels, page_toc, site_name
from .options import (
    Link,
    Partner,
    ThemeOptions,
    check_options_type,
    conf_location,
    read_options,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx

THEME_NAME = "gbifnode"
THEME_DIR = Path(__file__).parent / THEME_NAME
#: Local logos are copied here, below the output's ``_static``.
ASSET_DIR = "_static/gbifnode-theme"

#: A hero written first in the page body sits right under the navbar.
_HERO_FIRST = re.compile(r'^\s*(?:<span id="[^"]*"></span>\s*)*<section class="gbif-hero[ "]')
#: A hero right after the page's title (``# Title`` then ``:::{hero}``, the usual way to
#: write it, since a page needs a title) is moved above the title. A hero holds no
#: sections, so its HTML ends at the first ``</section>``.
_HERO_AFTER_TITLE = re.compile(
    r'^(\s*(?:<span id="[^"]*"></span>\s*)*<section id="[^"]*">\s*<h1>(?:(?!</h1>).)*</h1>\s*'
    # (the multilingual module's notice on a partly translated page may come first)
    r'(?:<div class="gbif-translation-notice"[^>]*>[^<]*</div>\s*)?)'
    r'(<section class="gbif-hero[ "].*?</section>\n?)',
    re.DOTALL,
)


#: Small fixes to Sphinx's own HTML so that pages pass axe-core's serious checks:
#: toctree captions have ``role="heading"`` without the ``aria-level`` that role requires
#: (aria-required-attr); code blocks scroll sideways, so keyboard users must be able to
#: focus them (scrollable-region-focusable).
_ACCESSIBILITY_FIXES = (
    ('<p class="caption" role="heading">', '<p class="caption" role="heading" aria-level="2">'),
    ('<div class="highlight"><pre>', '<div class="highlight"><pre tabindex="0">'),
    ('<pre class="literal-block">', '<pre class="literal-block" tabindex="0">'),
)


#: The page's title, when the body (or what follows its opening hero) starts with it.
_TITLE_FIRST = re.compile(
    r'^\s*(?:<span id="[^"]*"></span>\s*)*<section id="[^"]*">\s*<h1>(?:(?!</h1>).)*</h1>\n?',
    re.DOTALL,
)


def after_title(body: str, html: str) -> str:
    """*body* with *html* after its opening hero and its title, either of which it may
    lack (a hero that shows the page's title is both)."""
    end = 0
    hero = _HERO_FIRST.match(body)
    if hero is not None:
        end = body.index("</section>", hero.end()) + len("</section>")
        end += body.startswith("\n", end)
    title = _TITLE_FIRST.match(body[end:])
    if title is not None:
        end += title.end()
    return body[:end] + html + body[end:]


def hero_to_top(body: str) -> tuple[str, bool]:
    """The page body with its opening hero first, and whether the page opens with one."""
    match = _HERO_AFTER_TITLE.match(body)
    if match:
        body = match[2] + match[1] + body[match.end():]
    return body, bool(match or _HERO_FIRST.match(body))


@dataclass
class _BuildState:
    options: ThemeOptions
    #: label -> translated label, filled once per build (the language is fixed).
    translate: Callable[[str], str]
    #: local image path -> (URL below the output root, width/height or None)
    assets: dict[str, tuple[str, tuple[int, int] | None]]


_STATES: weakref.WeakKeyDictionary[Sphinx, _BuildState] = weakref.WeakKeyDictionary()


def uses_theme(app: Sphinx) -> bool:
    """True when the HTML output of this project uses the ``gbifnode`` theme."""
    return bool(app.config.html_theme == THEME_NAME)


def _conf_path(app: Sphinx) -> Path | None:
    # A hosted site's options may all come from its host's template (host_template.py).
    return options_source(app)


def _naming_conf(app: Sphinx, path: str) -> Path | None:
    """The ``conf.py`` that names *path*: the site's own, or its host's template's (a
    hosted site keeps its menu and takes the logos from the template)."""
    candidates = [Path(app.confdir, "conf.py")] if app.confdir else []
    folder = template_dir(app.config)
    if folder is not None:
        candidates.append(folder / TEMPLATE_CONF)
    for candidate in candidates:
        try:
            if path in candidate.read_text(encoding="utf-8"):
                return candidate
        except OSError:
            continue
    return _conf_path(app)


def _config_inited(app: Sphinx, config: Any) -> None:
    if config.html_theme == THEME_NAME:
        check_options_type(config, _conf_path(app))


def _builder_inited(app: Sphinx) -> None:
    if not uses_theme(app):
        return
    builder = app.builder
    options = read_options(app.config.html_theme_options, _conf_path(app))
    if builder.name == "gettext":
        _add_messages(app, options)
        return
    if builder.format != "html":
        return
    translator = app.translator
    assets = {}
    for path in _local_images(options):
        asset = _copy_asset(app, path)
        if asset is not None:
            assets[path] = asset
    _STATES[app] = _BuildState(options, translator.gettext, assets)


def _add_messages(app: Sphinx, options: ThemeOptions) -> None:
    """Put the option labels into ``sphinx.pot``, where Sphinx's template labels go:
    ``sphinx-intl update`` then makes a ``sphinx.po`` per language, and Sphinx loads its
    ``.mo`` into the translator templates use."""
    from sphinx.builders.gettext import MessageCatalogBuilder, MsgOrigin

    builder = app.builder
    if not isinstance(builder, MessageCatalogBuilder):
        return
    source = str(_conf_path(app) or Path(app.srcdir, "conf.py"))
    for text, line in options.messages:
        builder.catalogs["sphinx"].add(text, MsgOrigin(source, line))


def _local_images(options: ThemeOptions) -> list[str]:
    paths = [options.logo] if options.logo else []
    paths += [p.logo for column in options.footer for p in column.partners if p.logo]
    return [path for path in paths if path and not is_remote(path)]


def _copy_asset(app: Sphinx, path: str) -> tuple[str, tuple[int, int] | None] | None:
    """Copy a local logo (path relative to the source directory) into the output and
    return its URL from the output root and its size (so the page does not jump)."""
    relative = Path(path.lstrip("/").split("?", 1)[0].split("#", 1)[0])
    source = Path(app.srcdir, relative).resolve()
    location = conf_location(_naming_conf(app, path), path)
    if not source.is_file():
        # A hosted site finds its host's shared logos in the template folder.
        source = shared_file(app.config, relative.as_posix()) or source
    inside = Path(app.srcdir).resolve() in source.parents or (
        shared_file(app.config, relative.as_posix()) == source
    )
    if not inside:
        warn("html_theme_options: image %r is outside the source directory",
             path, location=location, subtype="theme")
        return None
    if not source.is_file():
        warn("html_theme_options: image file not found: %s", path,
                       location=location, subtype="image")
        return None
    target = Path(app.outdir, ASSET_DIR, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
        shutil.copyfile(source, target)
    try:
        size = get_image_size(source)
    except Exception:  # a broken header only costs the width/height attributes
        size = None
    if size is None and source.suffix.lower() != ".svg":
        warn("html_theme_options: %s is not an image Sphinx can read; it is left out",
             path, location=location, subtype="image")
        return None
    dims = (int(size[0]), int(size[1])) if size else None
    return f"{ASSET_DIR}/{relative.as_posix()}", dims


def _option_urls(options: ThemeOptions) -> list[str]:
    urls = [entry.url for entry in options.navbar if entry.url]
    urls += [child.url for entry in options.navbar for child in entry.children]
    for column in options.footer:
        urls += [link.url for link in column.links]
        urls += [partner.url for partner in column.partners if partner.url]
    return urls + [link.url for link in options.social]


def _check_page(app: Sphinx, doctree: Any) -> None:
    if uses_theme(app):
        page_toc.check_page(app, doctree)


def _check_links(app: Sphinx, env: Any) -> None:
    """Warn once per build about a relative link that names no page and no file."""
    state = _STATES.get(app)
    if state is None:
        return
    builder: Any = app.builder
    special = {"genindex", "search"}

    def is_doc(name: str) -> bool:
        return name in env.found_docs or name in special

    roots = [Path(app.srcdir)] + [
        Path(app.confdir, path) for path in (*app.config.html_static_path,
                                             *app.config.html_extra_path)
    ]
    for url in _option_urls(state.options):
        kind, target, _anchor = link_target(url, app.config.root_doc, is_doc)
        if kind != "file":
            continue
        # ``_static/x.pdf`` is copied from a static folder; other files from the root.
        candidates = [root / target for root in roots]
        candidates += [Path(app.confdir, path, target.removeprefix("_static/"))
                       for path in app.config.html_static_path]
        if not any(path.exists() for path in candidates) and not (
            Path(builder.outdir, target).exists()
        ):
            warn(
                "html_theme_options: link %r names no page of the site and no file", url,
                location=conf_location(_conf_path(app), url), subtype="theme",
            )


def _page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    state = _STATES.get(app)
    if state is None:
        return
    pathto: Callable[..., str] = context["pathto"]
    hasdoc: Callable[[str], bool] = context["hasdoc"]
    translate = state.translate

    def href(url: str) -> tuple[str, bool]:
        """The URL from this page, and whether it is this page."""
        kind, target, suffix = link_target(url, app.config.root_doc, hasdoc)
        if kind == "doc":
            # Sphinx links a page to itself as "#"; a query or an anchor replaces that.
            base = pathto(target).removesuffix("#") if suffix else pathto(target)
            return base + suffix, target == pagename and not suffix
        if kind == "file":
            return pathto(target, 1) + suffix, False
        return url, False

    def link(item: Link) -> dict[str, Any]:
        url, current = href(item.url)
        return {"title": translate(item.title), "url": url, "current": current}

    def image(path: str | None) -> dict[str, Any] | None:
        if not path:
            return None
        if is_remote(path):
            return {"src": path, "width": None, "height": None}
        asset = state.assets.get(path)
        if asset is None:
            return None
        size = asset[1] or (None, None)
        return {"src": pathto(asset[0], 1), "width": size[0], "height": size[1]}

    def partner(item: Partner) -> dict[str, Any]:
        url = href(item.url)[0] if item.url else None
        return {"name": translate(item.name), "url": url, "logo": image(item.logo)}

    navbar: list[dict[str, Any]] = []
    for entry in state.options.navbar:
        made: dict[str, Any] = (
            link(Link(entry.title, entry.url)) if entry.url
            else {"title": translate(entry.title), "url": None, "current": False}
        )
        children = [link(child) for child in entry.children]
        made["children"] = children
        made["active"] = made["current"] or any(child["current"] for child in children)
        navbar.append(made)

    context["gbifnode_navbar"] = navbar
    context["gbifnode_logo"] = image(state.options.logo)
    context["gbifnode_footer"] = [
        {
            "title": translate(column.title) if column.title else "",
            "text": translate(column.text) if column.text else "",
            "links": [link(item) for item in column.links],
            "partners": [partner(item) for item in column.partners],
        }
        for column in state.options.footer
    ]
    context["gbifnode_social"] = [link(item) for item in state.options.social]
    context["gbifnode_colours"] = {
        "primary": state.options.primary_color,
        "on_primary": state.options.on_primary,
        "link": state.options.link_color,
    }
    context["gbifnode_labels"] = {
        "skip": str(_("Skip to main content")),
        "menu": str(_("Menu")),
        "language": str(_("Language")),
        "social": str(_("Follow us")),
        "breadcrumb": str(_("Breadcrumb")),
        "pager": str(_("Previous and next page")),
        # The search button: Sphinx's French "Go" is English.
        "go": str(_("Go")),
    }
    body, context["gbifnode_hero_first"] = hero_to_top(context.get("body") or "")
    if doctree is not None and page_toc.wanted(app.env, pagename, state.options.page_toc):
        entries = page_toc.sections(app.env, pagename)
        if entries:
            body = after_title(body, page_toc.render(entries, str(_("On this page"))))
    for sphinx_html, accessible_html in _ACCESSIBILITY_FIXES:
        body = body.replace(sphinx_html, accessible_html)
    context["body"] = body
    context["gbifnode_theme_version"] = __version__
    for link_item in context.get("gbifnode_language_links") or ():
        # HTML wants BCP 47 (``zh-CN``); gettext folders use ``zh_CN``.
        link_item.setdefault("hreflang", str(link_item.get("code", "")).replace("_", "-"))


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the theme and the handlers that feed its templates."""
    app.add_html_theme(THEME_NAME, str(THEME_DIR))
    if "sphinx_gbifnode" not in app.extensions:
        # Loaded from the entry point alone: the labels still need their catalogue.
        app.add_message_catalog(MESSAGE_CATALOG, str(LOCALE_DIR))
    app.connect("config-inited", _config_inited)
    app.connect("builder-inited", _builder_inited)
    app.connect("env-check-consistency", _check_links)
    # After Sphinx's collectors have noted the page's metadata and sections.
    app.connect("doctree-read", _check_page, priority=800)
    # In every theme: the site's name in the reader's language, no English label left.
    site_name.setup(app)
    labels.setup(app)
    # After other handlers (the language switcher's links are made at priority 500).
    app.connect("html-page-context", _page_context, priority=600)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
