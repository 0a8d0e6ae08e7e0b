"""The inline role ``{gbif-count}``: a GBIF count in the text, formatted for the page
language (``{gbif-count}`occurrences?country=BE``` -> ``12,345,678`` / ``12 345 678``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from docutils import nodes
from sphinx.util.docutils import SphinxRole

from ..core.locale import format_number, is_whole_number
from ..core.logs import warn
from .client import Query
from .directives import get_reported

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: ``{gbif-count}`` words -> API search paths.
COUNT_PATHS = {
    "occurrences": "occurrence/search",
    "datasets": "dataset/search",
    "publishers": "organization",
    "literature": "literature/search",
}


def count_query(text: str) -> Query:
    """``occurrences?country=BE`` -> the ``limit=0`` search that answers it."""
    word, _sep, query_string = text.strip().partition("?")
    path = COUNT_PATHS.get(word.strip())
    if path is None:
        raise ValueError(f"{word!r} is not one of {', '.join(COUNT_PATHS)}")
    params = [(k, v) for k, v in parse_qsl(query_string) if k not in ("limit", "offset")]
    return Query(path, (*sorted(params), ("limit", "0")), kind="count")


class GbifCount(SphinxRole):
    """``{gbif-count}`occurrences?country=BE```: a count, formatted for the page language."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        location = self.get_location()
        try:
            query = count_query(self.text)
        except ValueError as exc:
            warn("gbif-count: %s", exc, location=location,
                           subtype="option")
            return [nodes.inline(self.rawtext, "—", classes=["gbif-count"])], []
        outcome = get_reported(self.env, query, "gbif-count", location)
        data = outcome.snapshot.data if outcome.snapshot else None
        count = data.get("count") if isinstance(data, dict) else None
        text = format_number(count, self.config.language) if is_whole_number(count) else "—"
        return [nodes.inline(self.rawtext, text, classes=["gbif-count"])], []


def setup(app: Sphinx) -> None:
    """Register the ``{gbif-count}`` role."""
    app.add_role("gbif-count", GbifCount())
