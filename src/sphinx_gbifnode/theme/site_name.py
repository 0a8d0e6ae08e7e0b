"""The site's name (``project``) in the reader's language, in any theme: the navbar
brand, the ``<title>`` of every page and the footer.

The name is a label like the theme's menu entries: ``sphinx-build -b gettext`` puts it
into ``sphinx.pot`` (with ``html_title`` and ``html_short_title`` when ``conf.py`` sets
them to something else), and the translated build takes it from the language's
``sphinx.po``. "GBIF 中国" is then "GBIF China" on the English pages.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .options import conf_line

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: The template variables that hold the site's name (Sphinx's, used by every theme).
TITLE_VARIABLES = ("project", "docstitle", "shorttitle")


def site_titles(app: Sphinx) -> dict[str, str]:
    """The strings that name the site, each with the setting that first gives it:
    ``project``, then ``html_title`` and ``html_short_title`` where ``conf.py`` sets them
    apart from it."""
    raw = getattr(app.config, "_raw_config", {"project": app.config.project})
    titles: dict[str, str] = {}
    for name in ("project", "html_title", "html_short_title"):
        # Only what conf.py sets: not Sphinx's "Project name not set" placeholder.
        value = raw.get(name)
        if isinstance(value, str) and value.strip():
            titles.setdefault(value.strip(), name)
    return titles


def _add_messages(app: Sphinx) -> None:
    """Put the site's name into ``sphinx.pot``, beside the theme's labels."""
    from sphinx.builders.gettext import MessageCatalogBuilder, MsgOrigin

    builder = app.builder
    if not isinstance(builder, MessageCatalogBuilder):
        return
    conf_path = Path(app.confdir, "conf.py")
    for title, name in site_titles(app).items():
        line = conf_line(conf_path, f"{name} = {title!r}", f'{name} = "{title}"', name)
        builder.catalogs["sphinx"].add(title, MsgOrigin(str(conf_path), line))


def translated_title(app: Sphinx, value: str) -> str:
    """*value* (a title naming the site) in the build's language: its own translation,
    else the same text with the translated ``project`` in it ("GBIF 中国 文档").

    A translation comes from a ``.po`` file: it is returned escaped, as
    :class:`~markupsafe.Markup`, so that templates printing it raw (Alabaster's sidebar
    prints ``{{ project }}``) show it as text and those that escape it (``|e``) do not
    escape it twice."""
    translated = app.translator.gettext(value)
    if translated != value:
        return Markup(html.escape(translated, quote=True))
    project = str(app.config.project or "")
    name = app.translator.gettext(project) if project else project
    if name != project and project in value:
        return Markup(html.escape(value).replace(html.escape(project), html.escape(name)))
    return value


def _page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    for variable in TITLE_VARIABLES:
        value = context.get(variable)
        if isinstance(value, str) and value:
            context[variable] = translated_title(app, value)


def _builder_inited(app: Sphinx) -> None:
    if app.builder.name == "gettext":
        _add_messages(app)


def setup(app: Sphinx) -> None:
    """Extract the site's name for translators and show it translated."""
    app.connect("builder-inited", _builder_inited)
    # Early, so the handlers that build navbars and switchers see the translated name.
    app.connect("html-page-context", _page_context, priority=400)
