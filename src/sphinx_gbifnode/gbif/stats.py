"""The ``gbif-stats`` directive: a row of big numbers, where a chart would be too much.

```
:::{gbif-stats}
:country: BE
:::
```

shows how many occurrences GBIF holds in the country and from its publishers, its
datasets, publishers and peer-reviewed articles, each a ``{gbif-count}`` linking to the
search on GBIF.org. A body replaces that row with your own numbers (the labels are
translatable):

```
:::{gbif-stats}
- count: occurrences?country=BE
  label: Occurrences in Belgium
  link: https://www.gbif.org/occurrence/search?country=BE
:::
```

Same data layer and fault rule as every GBIF directive: a number without data is left
out with a warning; a row without any number is a short notice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from babel.dates import format_date
from docutils import nodes
from docutils.parsers.rst import directives

from ..core.converters import country_code
from ..core.locale import _, format_number
from ..core.logs import warn
from ..core.nodes import PlainForOtherFormats, content_first_line, translatable_text
from ..core.sanitize import UntrustedContent
from ..core.urls import safe_url
from ..core.yaml_list import YamlProblem, load_yaml_list
from .client import Query
from .count import count_query
from .directives import GbifDataDirective
from .html import notice_html, notice_paragraph, source_html

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

ITEM_KEYS = ("count", "label", "link")
GBIF_SEARCH = "https://www.gbif.org"


class gbif_stats(UntrustedContent, nodes.General, nodes.Element):
    """A row of numbers: :class:`gbif_stat` children. Attributes: ``country`` (name in
    the page language, or ""), ``fetched`` (formatted date) or ``notice``. Its labels
    come from YAML and translations: sanitised like every such content."""


class gbif_stat(nodes.General, nodes.Element):
    """One number: attributes ``number`` (formatted) and ``refuri`` (checked link);
    child: its :class:`gbif_stat_label`."""


class gbif_stat_label(nodes.General, nodes.TextElement):
    """What the number counts; translatable when it comes from the page."""


def default_items(country: str) -> list[tuple[str, str, str]]:
    """(query, label, link) of the standard row for *country*, labels in the page
    language. GBIF's API gives no count of species for a search, so there is none."""
    return [
        (f"occurrences?country={country}", str(_("occurrences in the country")),
         f"{GBIF_SEARCH}/occurrence/search?country={country}"),
        (f"occurrences?publishingCountry={country}",
         str(_("occurrences shared by the country's publishers")),
         f"{GBIF_SEARCH}/occurrence/search?publishing_country={country}"),
        (f"datasets?publishingCountry={country}", str(_("datasets")),
         f"{GBIF_SEARCH}/dataset/search?publishing_country={country}"),
        (f"publishers?country={country}", str(_("data publishers")),
         f"{GBIF_SEARCH}/publisher/search?country={country}"),
        (f"literature?countriesOfResearcher={country}&peerReview=true",
         str(_("peer-reviewed articles using GBIF data")),
         f"{GBIF_SEARCH}/resource/search?contentType=literature"
         f"&countriesOfResearcher={country}&peerReview=true"),
    ]


class GbifStats(GbifDataDirective):
    """``gbif-stats``: big numbers with labels, for a country or from the body."""

    kind = "stats"
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "country": country_code,
        "class": directives.class_option,
    }

    def warn(self, message: str, *args: Any, location: Any = None, subtype: str = "option") -> None:
        """A warning about this row, at *location* or the directive's line."""
        warn("gbif-stats: " + message, *args,
             location=location or (self.env.docname, self.lineno), subtype=subtype)

    def run(self) -> list[nodes.Node]:
        country = self.options.get("country")
        if not country and not self.content:
            self.warn("give :country: (e.g. :country: BE) or a list of counts in the body")
            return []
        row = gbif_stats("", country=str(self.locale.territories.get(country, country))
                         if country else "",
                         classes=["gbif-stats-block", *self.options.get("class", [])])
        self.set_source_info(row)
        items = self._body_items() if self.content else [
            (query, gbif_stat_label(label, label), link)
            for query, label, link in default_items(country or "")
        ]
        for query_text, label, link in items:
            number = self._count(query_text, label)
            if number is None:
                continue
            stat = gbif_stat("", number=number, classes=["gbif-stat-item"])
            if link:
                stat["refuri"] = link
            stat += label
            row += stat
        if not len(row):
            row["notice"] = True
        elif self._fetched is not None:
            row["fetched"] = format_date(self._fetched, "long", locale=self.locale)
        return [row]

    def _count(self, query_text: str, label: nodes.Node) -> str | None:
        """The formatted count of one item, or None (the warning is given)."""
        try:
            query: Query = count_query(query_text)
        except ValueError as exc:
            self.warn("%s: %s; left out", label.astext(), exc, location=label)
            return None
        data = self.fetch(query)
        count = data.get("count") if isinstance(data, dict) else None
        if data is not None and not (isinstance(count, int) and not isinstance(count, bool)):
            self.warn("the snapshot of %s has no count; left out", query.label, subtype="gbif")
            return None
        return format_number(count, self.config.language) if data is not None else None

    def _body_items(self) -> list[tuple[str, gbif_stat_label, str]]:
        """The body's YAML list of ``count`` / ``label`` / ``link`` mappings."""
        source, _line = self.get_source_info()
        first_line = content_first_line(self)
        try:
            entries = load_yaml_list("\n".join(self.content), "count",
                                     "- count: occurrences?country=BE")
        except YamlProblem as exc:
            self.warn("%s; row skipped", exc, location=f"{source}:{first_line + exc.line}",
                      subtype="yaml")
            return []
        items = []
        for entry, line0 in entries:
            location = f"{source}:{first_line + line0}"
            if not isinstance(entry, dict) or not isinstance(entry.get("count"), str):
                self.warn("each item needs a count such as 'count: occurrences?country=BE'; "
                          "skipped", location=location, subtype="yaml")
                continue
            for key in entry:
                if key not in ITEM_KEYS:
                    self.warn("unknown key %r (allowed: %s); ignored", key,
                              ", ".join(ITEM_KEYS), location=location, subtype="yaml")
            text = str(entry.get("label") or "").strip()
            label = translatable_text(gbif_stat_label, text, [nodes.Text(text)], source,
                                      first_line + line0)
            link = entry.get("link")
            checked = safe_url(str(link)) if link is not None else ""
            if checked is None:
                self.warn("link %r is not allowed (only http(s) and relative links); shown "
                          "without a link", link, location=location, subtype="url")
            items.append((entry["count"], label, checked or ""))
        return items


# --- HTML ---------------------------------------------------------------------------------


def visit_gbif_stats_html(self: HTML5Translator, node: gbif_stats) -> None:
    self.body.append(self.starttag(node, "div", CLASS="gbif-embed"))
    if node.get("notice"):
        self.body.append(notice_html(self))
        return
    label = str(_("GBIF data: %(country)s")) % {"country": node["country"]} \
        if node.get("country") else str(_("GBIF data"))
    self.body.append(f'<ul class="gbif-stats-list" aria-label="{self.attval(label)}">')


def depart_gbif_stats_html(self: HTML5Translator, node: gbif_stats) -> None:
    if not node.get("notice"):
        self.body.append("</ul>")
    if node.get("fetched"):
        self.body.append(source_html(self, node["fetched"]))
    self.body.append("</div>\n")


def visit_gbif_stat_html(self: HTML5Translator, node: gbif_stat) -> None:
    self.body.append('<li class="gbif-stat-item">')
    if node.get("refuri"):
        self.body.append(f'<a class="gbif-stat-link" href="{self.attval(node["refuri"])}">')
    self.body.append(f'<span class="gbif-stat-number">{self.encode(node["number"])}</span> ')


def depart_gbif_stat_html(self: HTML5Translator, node: gbif_stat) -> None:
    self.body.append("</a></li>\n" if node.get("refuri") else "</li>\n")


def visit_gbif_stat_label_html(self: HTML5Translator, node: gbif_stat_label) -> None:
    self.body.append('<span class="gbif-stat-label">')


def depart_gbif_stat_label_html(self: HTML5Translator, node: gbif_stat_label) -> None:
    self.body.append("</span>")


class GbifStatsForOtherFormats(PlainForOtherFormats):
    """LaTeX, text, man and Texinfo get the numbers as a list ("12 data publishers")."""

    node_classes = (gbif_stats,)

    def plain(self, node: nodes.Element) -> nodes.Node:
        if node.get("notice"):
            return notice_paragraph()
        items = []
        for stat in node.findall(gbif_stat):
            para = nodes.paragraph("", "", nodes.strong("", stat["number"]), nodes.Text(" "))
            for label in stat.findall(gbif_stat_label):
                para.extend(child.deepcopy() for child in label.children)
            items.append(nodes.list_item("", para))
        return nodes.bullet_list("", *items)


def setup(app: Sphinx) -> None:
    app.add_node(gbif_stats, html=(visit_gbif_stats_html, depart_gbif_stats_html))
    app.add_node(gbif_stat, html=(visit_gbif_stat_html, depart_gbif_stat_html))
    app.add_node(gbif_stat_label, html=(visit_gbif_stat_label_html, depart_gbif_stat_label_html))
    app.add_directive("gbif-stats", GbifStats)
    app.add_post_transform(GbifStatsForOtherFormats)
