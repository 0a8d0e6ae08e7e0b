"""A notice on a translated page whose translation is not finished: it says how many
passages are still in the original language."""

from __future__ import annotations

import gettext
import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util.i18n import docname_to_domain
from sphinx.util.nodes import extract_messages

from ..core.locale import _
from ..core.nodes import front_matter_node, skip_node
from .switcher import site_languages

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.writers.html5 import HTML5Translator


class translation_notice(nodes.General, nodes.Element):
    """Shown on a translated page when some passages are still in the original language.
    Attributes: ``translated``, ``total`` (counts of translatable passages)."""


def load_messages(srcdir: str | Path, config: Config, docname: str) -> dict[str, str]:
    """The translations Sphinx will use for *docname*: the compiled ``.mo`` of its
    domain in each locale folder, the first folder's winning.

    Read as Sphinx's ``Locale`` transform reads them (:func:`gettext.translation`, the
    same files for the same languages), so the catalogue is parsed once: gettext keeps
    each ``.mo`` it has read, and the transform, which runs next, finds it there.
    (``gbifnode serve`` clears that memory before each rebuild, as Sphinx needs too.)"""
    domain = docname_to_domain(docname, config.gettext_compact)
    languages = [str(config.language)] if config.language else None
    merged: dict[str, str] = {}
    for locale_dir in reversed([Path(srcdir, d) for d in config.locale_dirs]):
        try:
            translation = gettext.translation(domain, localedir=locale_dir,
                                              languages=languages)
        except Exception:
            # No catalogue there, or one gettext cannot load: Sphinx leaves an empty .mo
            # behind when it cannot compile a catalogue, and then uses none (its own
            # warning, and ours at the .po line, say why): so does the notice.
            continue
        merged |= getattr(translation, "_catalog", {})
    return merged


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
    """Write the notice with the counts of this page."""
    text = _(
        "This page is not fully translated yet; passages still in the original language: "
        "%(missing)d of %(total)d."
    ) % {"missing": node["total"] - node["translated"], "total": node["total"]}
    self.body.append(
        f'<div class="gbif-translation-notice" role="note">{html.escape(text)}</div>\n'
    )
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    """Register the notice and the transform that counts what is translated."""
    app.add_node(
        translation_notice,
        html=(visit_translation_notice, None),
        latex=(skip_node, None),
        text=(skip_node, None),
        man=(skip_node, None),
        texinfo=(skip_node, None),
    )
    app.add_transform(TranslationCoverage)
