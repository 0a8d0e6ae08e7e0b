"""Sphinx's own labels that its catalogues leave untranslated in a language the extension
ships ("Link to this heading" in Dutch, German and Spanish; "Please activate
JavaScript..." in most), so that a node's pages have no English left in them.

The translations are in the package's catalogue, which becomes a fallback of Sphinx's:
it is asked only for what Sphinx's catalogue (and the project's own ``sphinx.po``, which
comes first) does not translate, so it never replaces a translation.
"""

from __future__ import annotations

import gettext
from typing import TYPE_CHECKING

from ..core.locale import LOCALE_DIR, MESSAGE_CATALOG

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Sphinx's labels on a node site's pages that some of its catalogues leave empty; the
#: package's catalogue translates each into every language it ships (a test checks).
SPHINX_LABELS = (
    "Link to this heading",
    "Link to this image",
    "Link to this table",
    "Link to this code",
    "Link to this definition",
    "Link to this equation",
    'Created using <a href="https://www.sphinx-doc.org/">Sphinx</a> %(sphinx_version)s.',
    # As the search page's template writes it (line break and indent included).
    "Searching for multiple words only shows matches that contain\n    all words.",
)


def _fill_gaps(app: Sphinx) -> None:
    if not app.config.language:
        return
    ours = gettext.translation(
        MESSAGE_CATALOG, str(LOCALE_DIR), languages=[app.config.language], fallback=True
    )
    if not isinstance(ours, gettext.GNUTranslations):
        return
    # Sphinx keeps its translator for the whole process: add ours once.
    translator: gettext.NullTranslations | None = app.translator
    while translator is not None:
        if getattr(translator, "gbifnode_labels", False):
            return
        translator = translator._fallback  # type: ignore[attr-defined]
    ours.gbifnode_labels = True  # type: ignore[attr-defined]
    app.translator.add_fallback(ours)


def setup(app: Sphinx) -> None:
    """Fill the gaps of Sphinx's catalogue for the build's language."""
    app.connect("builder-inited", _fill_gaps)
