"""Raw HTML and unsafe links out of content that comes from YAML, front matter or a
translator's ``msgstr``.

A node class opts in by deriving from :class:`UntrustedContent`; no list is kept, so
nothing grows from one build to the next in a process that runs several.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx.transforms import SphinxTransform

from .logs import warn
from .urls import safe_url

_LINE_BREAK = re.compile(r"^<br\s*/?>$", re.IGNORECASE)


class UntrustedContent:
    """Marks a node class whose content may come from YAML, front matter or
    translations: it is sanitised after translation (see :class:`SanitizeUntrustedMarkup`)."""


def sanitize_untrusted(container: nodes.Element) -> None:
    """Turn raw HTML into visible text and unwrap links to non-http(s) targets.

    MyST passes inline HTML through as ``raw`` nodes; in a hero description, a partner
    name or a translator's ``msgstr`` that would let ``<script>`` into the page.
    """
    for raw in list(container.findall(nodes.raw)):
        text = raw.astext()
        raw.replace_self(nodes.Text(" " if _LINE_BREAK.match(text.strip()) else text))
    for ref in list(container.findall(nodes.reference)):
        if "refuri" in ref and safe_url(ref["refuri"]) is None:
            warn(
                "link to %r removed: only http(s) and relative links are allowed",
                ref["refuri"], location=ref, subtype="url",
            )
            ref.replace_self(nodes.inline("", "", *ref.children))


def _within_another(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, UntrustedContent):
            return True
        parent = parent.parent
    return False


class SanitizeUntrustedMarkup(SphinxTransform):
    """Runs after Sphinx's i18n transform (priority 20), so translations are covered.
    Each untrusted container is sanitised once, with what it holds."""

    default_priority = 25

    def apply(self, **kwargs: Any) -> None:
        for container in list(self.document.findall(nodes.Element)):
            if isinstance(container, UntrustedContent) and not _within_another(container):
                sanitize_untrusted(container)
