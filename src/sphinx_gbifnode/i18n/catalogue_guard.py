"""Catalogues Sphinx would silently drop, named at their line before it compiles them.

Sphinx reads each ``.po`` in its ``source_encoding`` and loads the compiled ``.mo`` with
:mod:`gettext`; a catalogue in another charset, or with a ``Plural-Forms`` header gettext
cannot read, costs the page all its translations while the build goes on. ``gbifnode
build`` refuses such a language before building it (:mod:`..site.jobs`); a plain
``sphinx-build`` with the extension gets a located warning here. Catalogues found
usable by an earlier build of the same doctree folder, unchanged since, are not
checked again.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..core.logs import warn
from .po_files import CATALOGUE_RECORD, checked_catalogues

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def warn_unusable_catalogues(app: Sphinx) -> None:
    """``builder-inited``: a ``gbifnode.catalogue`` warning at ``file.po:line`` for each
    catalogue of the build's language that cannot be used."""
    language = app.config.language
    if not language or app.builder.name == "gettext":
        return
    encoding = app.config.source_encoding or "utf-8-sig"
    po_paths: list[Path] = []
    for locale_dir in app.config.locale_dirs:
        folder = Path(app.srcdir, locale_dir, language, "LC_MESSAGES")
        if folder.is_dir():
            po_paths += sorted(folder.rglob("*.po"))
    if not po_paths:
        return
    record = Path(app.doctreedir) / CATALOGUE_RECORD
    for fault in checked_catalogues(po_paths, encoding, record):
        location = f"{fault.path}:{fault.line}" if fault.line else str(fault.path)
        warn("%s", fault.message, subtype="catalogue", location=location)


def setup(app: Sphinx) -> None:
    """Check the build language's catalogues before Sphinx compiles them."""
    app.connect("builder-inited", warn_unusable_catalogues)
