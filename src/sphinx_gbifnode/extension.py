"""Wires every feature of the extension into Sphinx: the one place a feature is
registered. Each module registers its own nodes, directives, transforms and settings in
its ``setup(app)``; this list says which run in a build, and in what order."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from . import hero, host_template, page_title, partners, sphinx_speed
from .core.locale import LOCALE_DIR, MESSAGE_CATALOG
from .core.sanitize import SanitizeUntrustedMarkup
from .gbif import chart as gbif_chart
from .gbif import config as gbif_config
from .gbif import count as gbif_count
from .gbif import directives as gbif_directives
from .gbif import html as gbif_html
from .gbif import snapshots as gbif_snapshots
from .gbif import stats as gbif_stats
from .i18n import (
    catalogue_guard,
    chinese_search,
    cjk,
    locale_speed,
    myst_speed,
    notice,
    pages,
    redirects,
    switcher,
    translated_markup,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx

PACKAGE_DIR = Path(__file__).parent


def setup_extension(app: Sphinx) -> None:
    """Register every feature of sphinx-gbifnode with *app*."""
    app.add_message_catalog(MESSAGE_CATALOG, str(LOCALE_DIR))
    app.add_css_file("gbifnode.css")
    app.connect("builder-inited", _add_static_path)
    # A hosted site's shared settings, before anything reads the configuration.
    host_template.setup(app)
    # Page components.
    page_title.setup(app)
    hero.setup(app)
    partners.setup(app)
    # GBIF data.
    gbif_config.setup(app)
    gbif_snapshots.setup(app)
    gbif_html.setup(app)
    gbif_directives.setup(app)
    gbif_count.setup(app)
    gbif_chart.setup(app)
    gbif_stats.setup(app)
    # The theme, also usable alone through its entry point.
    app.setup_extension("sphinx_gbifnode.theme")
    # Languages.
    switcher.setup(app)
    notice.setup(app)
    pages.setup(app)
    cjk.setup(app)
    chinese_search.setup(app)
    catalogue_guard.setup(app)
    redirects.setup(app)
    # Speed: the same pages, built with less work (tests/test_same_pages.py).
    myst_speed.setup(app)
    locale_speed.setup(app)
    sphinx_speed.setup(app)
    # A translation is text unless its original had markup.
    translated_markup.setup(app)
    # Last: what comes from YAML, front matter or a translation is sanitised.
    app.add_transform(SanitizeUntrustedMarkup)


def _add_static_path(app: Sphinx) -> None:
    static = str(PACKAGE_DIR / "static")
    if static not in app.config.html_static_path:
        app.config.html_static_path.append(static)
