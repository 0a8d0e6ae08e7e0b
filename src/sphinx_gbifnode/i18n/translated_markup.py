"""A translation is text, unless its source had markup: what a ``msgstr`` adds is shown
as text, with a warning at its ``.po`` line.

Sphinx parses each ``msgstr`` as the page's own markup. In MyST, inline HTML passes
through as ``raw`` nodes, so a translator could put ``<script>`` or
``<img src=x onerror=...>`` into any paragraph, title, list item, table cell or
admonition, and into every page that shows a title (menus, previous/next links). In
reStructuredText a link may point anywhere (``javascript:``). Here, after Sphinx's
``Locale`` transform, every translated node is compared with its msgid:

* raw HTML the msgid does not hold, character for character, becomes text;
* a link or image to a URL :func:`~..core.urls.safe_url` refuses (another scheme,
  another host through ``//`` or ``/\\``) that the msgid does not hold becomes its text.

Markup the msgid had (the author's ``<br>``, a ``mailto:`` link) stays as it is.
"""

from __future__ import annotations

import functools
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util.i18n import docname_to_domain
from sphinx.util.nodes import extract_messages

from ..core.logs import warn
from ..core.urls import safe_url
from .po_files import CatalogueError, read_catalogue

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


@functools.lru_cache(maxsize=256)
def _msgstr_lines(path: str, _mtime_ns: int, _size: int) -> dict[str, int]:
    """msgid -> line of its msgstr in one ``.po`` (the first entry wins, as in Sphinx)."""
    try:
        entries = read_catalogue(Path(path))
    except (OSError, CatalogueError):
        return {}
    lines: dict[str, int] = {}
    for entry in entries:
        if entry.msgid and entry.translated:
            lines.setdefault(entry.msgid, entry.line)
    return lines


def po_location(env: BuildEnvironment, docname: str, msgid: str) -> str | None:
    """``locales/fr/LC_MESSAGES/page.po:LINE``: where the translation of *msgid* used
    for *docname* is written (the first locale folder that has it, as Sphinx reads
    them), or ``None`` when no ``.po`` holds it (only a ``.mo`` was shipped)."""
    config = env.config
    domain = docname_to_domain(docname, config.gettext_compact)
    for locale_dir in config.locale_dirs:
        path = Path(env.srcdir, locale_dir, str(config.language), "LC_MESSAGES", f"{domain}.po")
        try:
            stat = path.stat()
        except OSError:
            continue
        line = _msgstr_lines(str(path), stat.st_mtime_ns, stat.st_size).get(msgid)
        if line:
            return f"{path}:{line}"
    return None


def _is_suspect(node: nodes.Node) -> bool:
    """Raw markup, or a link or image to a URL that may not become one."""
    if isinstance(node, nodes.raw):
        return True
    if isinstance(node, nodes.reference):
        return "refuri" in node and safe_url(node["refuri"]) is None
    if isinstance(node, nodes.image):
        return safe_url(node.get("uri", "")) is None
    return False


def keep_as_text(node: nodes.Element, msgid: str, trusted: tuple[str, ...] = ()) -> list[str]:
    """Turn what the translated *node* has and *msgid* has not into text; return a
    description of each piece. *trusted*: HTML the author wrote elsewhere that a
    message may bring in (the values of ``myst_substitutions``, ``{{ name }}``)."""
    found: list[str] = []
    used: Counter[str] = Counter()
    for suspect in list(node.findall(_is_suspect)):
        if isinstance(suspect, nodes.raw):
            text = suspect.astext()
            used[text] += 1
            if used[text] <= msgid.count(text) or any(text in value for value in trusted):
                continue  # the author's own markup, translated with the rest
            found.append(f"raw HTML {_short(text)}")
            suspect.replace_self(nodes.Text(text))
        elif isinstance(suspect, nodes.reference):
            if _written_in(suspect["refuri"], msgid):
                continue
            found.append(f"a link to {_short(suspect['refuri'])}")
            suspect.replace_self(nodes.inline("", "", *suspect.children))
        elif isinstance(suspect, nodes.image):
            if suspect["uri"] in msgid:
                continue
            found.append(f"an image from {_short(suspect['uri'])}")
            suspect.replace_self(nodes.Text(suspect.get("alt", "")))
    return found


def _written_in(refuri: str, msgid: str) -> bool:
    """Whether the msgid holds the link: its address, or the e-mail address that an
    autolink (``<name@example.org>``) or a bare address in reStructuredText became."""
    return refuri in msgid or (refuri.startswith("mailto:") and refuri[7:] in msgid)


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= width else text[: width - 1] + "…")


class KeepTranslatedMarkupAsText(SphinxTransform):
    """Runs right after Sphinx's ``Locale`` transform (priority 20), before the titles
    are collected for menus and before hero and partner strings are sanitised (25)."""

    default_priority = 21

    def apply(self, **kwargs: Any) -> None:
        if not self.config.language or not any(self.document.findall(_is_suspect)):
            return  # the usual case: nothing that could have come from a msgstr
        docname = self.env.docname
        substitutions = getattr(self.config, "myst_substitutions", None) or {}
        trusted = tuple(value for value in substitutions.values() if isinstance(value, str))
        for node, msgid in list(extract_messages(self.document)):
            if not node.get("translated") or not isinstance(node, nodes.TextElement):
                continue
            if isinstance(node, nodes.raw | nodes.literal_block | nodes.image):
                continue  # their translation is text already
            found = keep_as_text(node, msgid, trusted)
            if not found:
                continue
            source = f"{Path(node.source or docname).name}:{node.line}" if node.line else docname
            warn(
                "the translation of %s adds %s: shown as text (a translation keeps only the "
                "markup and links its original has)", source, ", ".join(dict.fromkeys(found)),
                subtype="translation",
                location=po_location(self.env, docname, msgid) or node,
            )


def setup(app: Sphinx) -> None:
    """Register the transform."""
    app.add_transform(KeepTranslatedMarkupAsText)
