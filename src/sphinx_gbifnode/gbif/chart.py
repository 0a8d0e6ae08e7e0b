"""The ``gbif-chart`` directive: a country's data as a picture drawn at build time.

```
:::{gbif-chart} Occurrences in Belgium by year
:query: occurrences?country=BE
:facet: year
:kind: line
:from: 1990

Optional caption.
:::
```

The directive reads one faceted search through the data layer (a snapshot, the fault
rule, a warning at its line), names the values in the page language (:mod:`.facets`) and
keeps plain numbers and labels in a :class:`gbif_chart` node. The HTML writer draws the
SVG (:mod:`.svg`) once the title is translated, and adds the same numbers as a
table in a ``<details>``. Other formats get the title and a list of values.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_compact_decimal
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.nodes import make_id

from ..core.locale import _, babel_locale, format_number
from ..core.logs import warn
from ..core.nodes import PlainForOtherFormats, translatable_text
from . import svg as chart_svg
from .directives import GbifDataDirective, gbif_link, text_of
from .facets import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    Facet,
    FacetCounts,
    chart_query,
    facet_heading,
    facet_phrase,
    measure_heading,
    measure_noun,
    month_label,
    month_series,
    read_counts,
    registry_query,
    top_values,
    value_namer,
    year_label,
    year_series,
)
from .html import empty_html, empty_paragraph, notice_html, notice_paragraph, source_html

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

#: A line chart draws a dot (with its tooltip) per value up to this many values; a longer
#: series is the line alone, which keeps a century of years small.
MAX_DOTS = 60
#: How many of the largest values ``<desc>`` names.
DESC_VALUES = 3
#: Characters that may start inline markup in MyST or reStructuredText.
_MARKUP = re.compile(r"[*_`\[\]<>{}\\|:$&~^=#]")


class gbif_chart(nodes.General, nodes.Element):
    """A chart ready to draw. Attributes: ``kind``, ``word`` (occurrences, datasets),
    ``facet``, ``points`` (dicts: ``label``, ``value``, ``text``, ``other``, ``year``,
    ``url``), ``desc``, ``heading`` and ``measure`` (table headings), ``fetched``
    (formatted snapshot date), ``notice`` (no data at all) or ``empty`` (nothing to
    draw). Children: a :class:`gbif_chart_title` and the caption's paragraphs."""


class gbif_chart_title(nodes.General, nodes.TextElement):
    """The chart's title (translatable): the figure caption and the SVG ``<title>``."""


@lru_cache(maxsize=4096)
def compact_number(value: int, language: str | None) -> str:
    """Axis and direct labels: ``6.1M`` / ``6,1 M`` / ``612.3万``; below ten thousand, or
    where the language has no short form (German thousands), the whole number."""
    if value < 10_000:
        return format_number(value, language)
    text = format_compact_decimal(value, format_type="short", locale=babel_locale(language),
                                  fraction_digits=1)
    return format_number(value, language) if text.isdigit() else text


class GbifChart(GbifDataDirective):
    """``gbif-chart``: bars, columns or a line from one faceted GBIF search."""

    kind = "chart"
    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    # Values are checked in run(): a wrong one is a warning at this line and the chart is
    # still drawn with the default, rather than a docutils error that drops it.
    option_spec: ClassVar[dict[str, Any]] = {
        "query": directives.unchanged_required,
        "facet": directives.unchanged_required,
        "kind": directives.unchanged_required,
        "limit": directives.unchanged_required,
        "from": directives.unchanged_required,
        "class": directives.class_option,
    }

    def warn(self, message: str, *args: Any, subtype: str = "option") -> None:
        """A warning about this chart, at its line."""
        warn("gbif-chart: " + message, *args, location=(self.env.docname, self.lineno),
             subtype=subtype)

    def run(self) -> list[nodes.Node]:
        query_text, facet_name = self.options.get("query"), self.options.get("facet")
        if not query_text or not facet_name:
            self.warn(":query: and :facet: are required (e.g. :query: occurrences?country=BE "
                      "and :facet: year); chart skipped")
            return []
        limit = self._limit()
        try:
            query, facet = chart_query(query_text, facet_name, limit)
        except ValueError as exc:
            self.warn("%s; chart skipped", exc)
            return []
        word = query_text.strip().partition("?")[0].strip()
        kind = self._kind(facet)
        start = self._start(facet)
        if facet.time and "limit" in self.options:
            self.warn(":limit: does not apply to a %s chart (every value is shown); ignored",
                      facet.name)

        node = gbif_chart("", kind=kind, word=word, facet=facet.name,
                          classes=["gbif-chart", f"gbif-chart--{kind}",
                                   *self.options.get("class", [])])
        node["ids"].append(make_id(self.env, self.state.document, "gbif-chart"))
        self.set_source_info(node)
        node += self._title(word, facet)
        if self.content:
            node += self.parse_content_to_nodes()

        data = self.fetch(query)
        counts = read_counts(data, facet) if data is not None else None
        if data is not None and counts is None:
            self.warn("the snapshot of %s has no facet counts; no chart drawn", query.label,
                      subtype="gbif")
        if counts is None:
            node["notice"] = True
            return [node]
        if counts.skipped:
            self.warn("%d %s value(s) of %s left out: not a name with a whole, non-negative "
                      "count", counts.skipped, facet.name, query.label, subtype="gbif")
        points = self._points(facet, counts, limit, start)
        if not points:
            node["empty"] = True
            if start is not None and counts.counts:
                self.warn("no %s from %d on in %s; nothing to draw", word, start, query.label,
                          subtype="gbif")
            return [node]
        if self._fetched is not None:
            node["fetched"] = format_date(self._fetched, "long", locale=self.locale)
        node["points"] = points
        node["heading"] = facet_heading(facet)
        node["measure"] = measure_heading(word)
        node["desc"] = describe(kind, word, facet, points, self.locale)
        return [node]

    # --- options ------------------------------------------------------------------------

    def _limit(self) -> int:
        text = self.options.get("limit")
        if text is None:
            return DEFAULT_LIMIT
        if not text.strip().isdigit() or int(text) < 1:
            self.warn(":limit: %r is not a whole number from 1 to %d; using %d",
                      text, MAX_LIMIT, DEFAULT_LIMIT)
            return DEFAULT_LIMIT
        if int(text) > MAX_LIMIT:
            self.warn(":limit: %s is more bars than anyone can read; using %d", text, MAX_LIMIT)
            return MAX_LIMIT
        return int(text)

    def _kind(self, facet: Facet) -> str:
        text = (self.options.get("kind") or "").strip().lower()
        if not text:
            return facet.default_kind
        if text not in chart_svg.KINDS:
            self.warn(":kind: %r is not one of %s; drawn as %s", text,
                      ", ".join(chart_svg.KINDS), facet.default_kind)
            return facet.default_kind
        if text == "line" and not facet.time:
            self.warn("a line joins years or months, not %s values; drawn as bars", facet.name)
            return "bar"
        return text

    def _start(self, facet: Facet) -> int | None:
        text = self.options.get("from")
        if text is None:
            return None
        if facet.values != "year":
            self.warn(":from: applies to year charts only; ignored")
            return None
        if not text.strip().isdigit() or not 1000 <= int(text) <= 9999:
            self.warn(":from: %r is not a year such as 1990; ignored", text)
            return None
        return int(text)

    # --- content --------------------------------------------------------------------------

    def _title(self, word: str, facet: Facet) -> gbif_chart_title:
        """The argument, parsed as inline markup; without one, "Occurrences by year"."""
        source, line = self.get_source_info()
        if self.arguments:
            text = self.arguments[0]
            if _MARKUP.search(text):
                children, messages = self.parse_inline(text, lineno=self.lineno)
            else:  # plain words, the usual title: no parser needed
                children, messages = [nodes.Text(text)], []
            return translatable_text(gbif_chart_title, text, [*children, *messages], source, line)
        text = str(_("%(measure)s %(by)s")) % {"measure": measure_heading(word),
                                              "by": facet_phrase(facet)}
        # Made from the catalogue's labels, so already in the page language: no source
        # line, so gettext does not extract it as a msgid of the page.
        return gbif_chart_title(text, text)

    def _points(
        self, facet: Facet, counts: FacetCounts, limit: int, start: int | None
    ) -> list[dict[str, Any]]:
        if facet.values == "year":
            return [self._point(year_label(y, self.locale), v, year=y)
                    for y, v in year_series(counts.counts, start)]
        if facet.values == "month":
            return [self._point(month_label(m, self.locale), v)
                    for m, v in month_series(counts.counts)]
        top, rest, other = top_values(counts.counts, limit, counts.total)
        namer = value_namer(facet, self.locale)
        points = []
        for name, count in top:
            label, url = self._name(facet, name, namer)
            points.append(self._point(label, count, url))
        if rest:
            label = _("Other") if other else _("Not given")
            points.append(self._point(str(label), rest, other=True))
        return points

    def _point(self, label: str, value: int, url: str = "", *, other: bool = False,
               year: int | None = None) -> dict[str, Any]:
        return {"label": label, "value": value, "text": self.number(value), "other": other,
                "year": year, "url": url}

    def _name(self, facet: Facet, name: str, namer: Callable[[str], str]) -> tuple[str, str]:
        """(label, link) of one facet value; publishers and datasets from the registry."""
        query = registry_query(facet, name)
        if query is None:
            return namer(name), ""
        record = self.fetch(query)
        title = text_of(record.get("title")) if isinstance(record, dict) else ""
        kind = "publisher" if facet.values == "publisher" else "dataset"
        return title or name, gbif_link(kind, name) or ""


def describe(
    kind: str, word: str, facet: Facet, points: list[dict[str, Any]], locale: Locale
) -> str:
    """The SVG's ``<desc>``: what the chart shows, and its largest values, listed as the
    page language lists things ("A, B, and C", "A, B et C", "A、B和C")."""
    kind_name = {"line": _("Line chart"), "column": _("Column chart"),
                 "bar": _("Bar chart")}[kind]
    names = {"kind": kind_name, "measure": measure_noun(word), "by": facet_phrase(facet)}
    if facet.values == "year":
        scope = str(_("%(kind)s: %(measure)s %(by)s, from %(first)s to %(last)s.")) % {
            **names, "first": points[0]["label"], "last": points[-1]["label"]}
    else:
        scope = str(_("%(kind)s: %(measure)s %(by)s.")) % names
    largest = sorted((p for p in points if not p["other"]), key=lambda p: p["value"],
                     reverse=True)[:DESC_VALUES]
    template = str(_("%(label)s (%(value)s)"))
    values = format_list([template % {"label": p["label"], "value": p["text"]} for p in largest],
                         locale=locale)
    largest_text = str(_("Largest values: %(values)s.")) % {"values": values}
    # Chinese and Japanese sentences follow one another without a space.
    return scope + ("" if scope.endswith("。") else " ") + largest_text


# --- HTML ---------------------------------------------------------------------------------


def visit_gbif_chart_html(self: HTML5Translator, node: gbif_chart) -> None:
    self.body.append(self.starttag(node, "figure"))
    self.body.append('<figcaption class="gbif-chart-caption">')


def depart_gbif_chart_html(self: HTML5Translator, node: gbif_chart) -> None:
    self.body.append("</figcaption>")
    if node.get("notice"):
        self.body.append(notice_html(self))
    elif node.get("empty"):
        self.body.append(empty_html(self))
    else:
        _write_chart(self, node)
    if node.get("fetched") and node.get("points"):
        self.body.append(source_html(self, node["fetched"]))
    self.body.append("</figure>\n")


def _write_chart(self: HTML5Translator, node: gbif_chart) -> None:
    language = self.builder.config.language
    points = node["points"]
    title = next(iter(node.findall(gbif_chart_title)), None)
    kind = node["kind"]
    drawn = [
        chart_svg.Point(p["label"], p["value"], p["text"], other=p["other"], year=p["year"])
        for p in points
    ]
    chart = chart_svg.Chart(
        kind=kind, points=drawn, title=title.astext() if title is not None else "",
        desc=node["desc"], ident=node["ids"][0] if node["ids"] else "gbif-chart",
        tick_text=lambda value: compact_number(value, language),
        dots=kind != "line" or len(points) <= MAX_DOTS,
    )
    # The SVG escapes every text itself (chart_svg.escape): written as it is.
    self.body.append(chart_svg.draw(chart))
    summary = self.encode(_("Show the numbers"))
    self.body.append(f'<details class="gbif-chart-numbers"><summary>{summary}</summary>')
    self.body.append('<table class="gbif-table docutils align-default"><thead><tr>')
    self.body.append(f'<th scope="col">{self.encode(node["heading"])}</th>'
                     f'<th scope="col" class="gbif-number">{self.encode(node["measure"])}</th>')
    self.body.append("</tr></thead><tbody>\n")
    for point in points:
        label = self.encode(point["label"])
        if point["url"]:  # made by gbif_link from a checked key
            label = f'<a href="{self.attval(point["url"])}">{label}</a>'
        self.body.append(f'<tr><th scope="row">{label}</th>'
                         f'<td class="gbif-number">{self.encode(point["text"])}</td></tr>\n')
    self.body.append("</tbody></table></details>")


def visit_gbif_chart_title_html(self: HTML5Translator, node: gbif_chart_title) -> None:
    self.body.append('<p class="gbif-chart-title">')


def depart_gbif_chart_title_html(self: HTML5Translator, node: gbif_chart_title) -> None:
    self.body.append("</p>")


class GbifChartForOtherFormats(PlainForOtherFormats):
    """LaTeX, text, man and Texinfo get the title, the caption and the values as a list."""

    node_classes = (gbif_chart,)

    def plain(self, node: nodes.Element) -> nodes.Node:
        replacement: list[nodes.Node] = []
        for child in node.children:
            if isinstance(child, gbif_chart_title):
                title = nodes.strong("", "", *child.children)
                replacement.append(nodes.paragraph("", "", title))
            else:
                replacement.append(child)
        if node.get("notice"):
            replacement.append(notice_paragraph())
        elif node.get("empty"):
            replacement.append(empty_paragraph())
        else:
            template = str(_("%(label)s: %(value)s"))
            points: list[dict[str, Any]] = node.get("points", [])
            items = [
                nodes.list_item("", nodes.paragraph(
                    "", template % {"label": p["label"], "value": p["text"]}))
                for p in points
            ]
            replacement.append(nodes.bullet_list("", *items))
        return nodes.container("", *replacement, classes=["gbif-chart"])


def setup(app: Sphinx) -> None:
    app.add_node(gbif_chart, html=(visit_gbif_chart_html, depart_gbif_chart_html))
    app.add_node(gbif_chart_title,
                 html=(visit_gbif_chart_title_html, depart_gbif_chart_title_html))
    app.add_directive("gbif-chart", GbifChart)
    app.add_post_transform(GbifChartForOtherFormats)
