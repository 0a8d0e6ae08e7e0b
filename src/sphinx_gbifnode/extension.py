"""Wires every capability of the extension into Sphinx (one module per capability)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from . import (
    gbif_api,
    hero,
    i18n_fast,
    multilang,
    myst_speed,
    partners,
    publishers,
    sphinx_speed,
)
from .shared import MESSAGE_CATALOG, UNTRUSTED_CONTAINERS, SanitizeUntrustedMarkup

if TYPE_CHECKING:
    from sphinx.application import Sphinx

PACKAGE_DIR = Path(__file__).parent


def setup_extension(app: Sphinx) -> None:
    app.add_message_catalog(MESSAGE_CATALOG, str(PACKAGE_DIR / "locale"))
    app.add_css_file("gbifnode.css")
    app.connect("builder-inited", _add_static_path)
    hero.setup(app)
    partners.setup(app)
    gbif_api.setup(app)
    publishers.setup(app)
    app.setup_extension("sphinx_gbifnode.theme")
    multilang.setup(app)
    myst_speed.setup(app)
    i18n_fast.setup(app)
    sphinx_speed.setup(app)
    UNTRUSTED_CONTAINERS.extend([hero.hero, partners.partner_grid])
    app.add_transform(SanitizeUntrustedMarkup)


def _add_static_path(app: Sphinx) -> None:
    static = str(PACKAGE_DIR / "static")
    if static not in app.config.html_static_path:
        app.config.html_static_path.append(static)
