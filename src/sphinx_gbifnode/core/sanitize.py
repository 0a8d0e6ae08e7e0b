"""Raw HTML and unsafe links out of content that comes from YAML, front matter or a
translator's ``msgstr``."""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx.transforms import SphinxTransform

from .logs import logger
from .urls import safe_url

#: Node classes whose content may come from YAML, front matter or translations, and is
#: therefore sanitised after translation (see :class:`SanitizeUntrustedMarkup`).
UNTRUSTED_CONTAINERS: list[type[nodes.Element]] = []

_LINE_BREAK = re.compile(r"^<br\s*/?>$", re.IGNORECASE)


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
            logger.warning(
                "link to %r removed: only http(s) and relative links are allowed",
                ref["refuri"], location=ref, type="gbifnode", subtype="url",
            )
            ref.replace_self(nodes.inline("", "", *ref.children))


class SanitizeUntrustedMarkup(SphinxTransform):
    """Runs after Sphinx's i18n transform (priority 20), so translations are covered."""

    default_priority = 25

    def apply(self, **kwargs: Any) -> None:
        for node_class in UNTRUSTED_CONTAINERS:
            for container in list(self.document.findall(node_class)):
                sanitize_untrusted(container)
