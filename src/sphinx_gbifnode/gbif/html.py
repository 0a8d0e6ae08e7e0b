"""How GBIF data embeds are written: the :class:`gbif_embed` node, its HTML visitors,
and a plain list for the other output formats.

The directives (:mod:`.directives`) store rows of plain, already formatted strings;
everything here escapes them with the translator's ``encode``/``attval``, and the only
URLs are those the directives made from checked keys and ``safe_url``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from ..core.locale import _
from ..core.nodes import PlainForOtherFormats
from .snapshots import data_layer

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

class gbif_embed(nodes.General, nodes.Element):
    """Data from GBIF, ready to write. Attributes: ``kind`` (publishers, datasets,
    literature), ``layout``, ``items`` (list of dicts of plain strings), ``columns``
    (optional columns shown), ``rows`` (digest of the items), ``logos``, ``fetched``
    (formatted snapshot date) or ``notice`` (no data at all)."""


def _open(self: HTML5Translator, tag: str, **attributes: str) -> str:
    """An opening tag; values escaped with the translator's ``attval``. Faster than
    ``starttag`` (no ids or classes to merge), which counts at 3,000 rows per page."""
    pairs = "".join(f' {name}="{self.attval(value)}"' for name, value in attributes.items())
    return f"<{tag}{pairs}>"


def _link(self: HTML5Translator, url: str, text: str, css: str) -> str:
    """A link when *url* is set. Item URLs were made by :func:`gbif_link`,
    :func:`doi_url` or :func:`image_url` from checked keys and ``safe_url``."""
    if url:
        return f"{_open(self, 'a', href=url, **{'class': css})}{self.encode(text)}</a>"
    return f'<span class="{css}">{self.encode(text)}</span>'


def _column_label(column: str) -> str:
    return {"datasets": _("Datasets"), "occurrences": _("Occurrences"),
            "records": _("Records")}[column]


def _stat(column: str, value: str) -> str:
    """``Datasets: 12`` / ``Jeux de données : 12``: one msgid each, so translators can
    follow their own typography (French puts a space before the colon)."""
    template = {"datasets": _("Datasets: %(count)s"), "occurrences": _("Occurrences: %(count)s"),
                "records": _("Records: %(count)s")}[column]
    return str(template) % {"count": value}


def notice_html(self: HTML5Translator) -> str:
    """What every GBIF directive shows instead of data it could not get."""
    notice = _("No data available from GBIF at the time of this build.")
    return f'<p class="gbif-notice">{self.encode(notice)}</p>'


def empty_html(self: HTML5Translator) -> str:
    """What a GBIF directive shows when GBIF answered with nothing to show."""
    return f'<p class="gbif-empty">{self.encode(_("GBIF lists nothing for this selection."))}</p>'


def source_html(self: HTML5Translator, fetched: str) -> str:
    """``Data: GBIF.org, 29 November 2026``: where the data shown comes from, and when."""
    source = str(_("Data: GBIF.org, %(date)s")) % {"date": fetched}
    return f'<p class="gbif-source">{self.encode(source)}</p>'


def visit_gbif_embed_html(self: HTML5Translator, node: gbif_embed) -> None:
    """Write the whole embed: its rows, or the notice, and the data's source line."""
    self.body.append(self.starttag(node, "div", CLASS="gbif-embed"))
    if node.get("notice"):
        self.body.append(notice_html(self))
    elif not node["items"]:
        self.body.append(empty_html(self))
    else:
        _write_items(self, node)
    if node.get("fetched") and not node.get("notice"):
        self.body.append(source_html(self, node["fetched"]))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def _write_items(self: HTML5Translator, node: gbif_embed) -> None:
    """Pages embedding the same rows get the same HTML: written once per build."""
    made_before = data_layer(self.builder.config).made
    key = ("html", node.get("rows"), node["kind"], node["layout"], node.get("logos"),
           self.builder.config.language)
    if node.get("rows") and key in made_before:
        self.body.append(made_before[key])
        return
    start = len(self.body)
    writer = {"publishers": _write_publishers, "datasets": _write_datasets,
              "literature": _write_literature}[node["kind"]]
    writer(self, node)
    if node.get("rows"):
        made_before[key] = "".join(self.body[start:])


def _write_table(
    self: HTML5Translator, node: gbif_embed, first: str, rows: list[list[str]]
) -> None:
    """A table whose first column is already HTML (a link) and the rest plain numbers."""
    columns: list[str] = node.get("columns", [])
    self.body.append('<table class="gbif-table docutils align-default"><thead><tr>')
    self.body.append(f"<th>{self.encode(first)}</th>")
    for column in columns:
        self.body.append(f'<th class="gbif-number">{self.encode(_column_label(column))}</th>')
    self.body.append("</tr></thead><tbody>\n")
    for row in rows:
        cells = "".join(f'<td class="gbif-number">{self.encode(v)}</td>' for v in row[1:])
        self.body.append(f"<tr><td>{row[0]}</td>{cells}</tr>\n")
    self.body.append("</tbody></table>\n")


def _write_publishers(self: HTML5Translator, node: gbif_embed) -> None:
    layout: str = node["layout"]
    columns: list[str] = node.get("columns", [])
    items = node["items"]
    if layout == "table":
        rows = []
        for item in items:
            first = _link(self, item["url"], item["title"], "gbif-publisher-name")
            if item["city"]:
                first += f' <span class="gbif-publisher-city">{self.encode(item["city"])}</span>'
            rows.append([first, *(item.get(c, "") for c in columns)])
        _write_table(self, node, _("Publisher"), rows)
        return
    self.body.append(_open(self, "ul", **{"class": f"gbif-publisher-{layout}",
                                          "aria-label": str(_("Data publishers"))}))
    for item in items:
        self.body.append('<li class="gbif-publisher">')
        # In a grid the logo (or its initials) and the name make one link, one card.
        link_open = _open(self, "a", href=item["url"], **{"class": "gbif-publisher-link"}) \
            if item["url"] else '<span class="gbif-publisher-link">'
        self.body.append(link_open)
        if node.get("logos") and layout == "grid":
            if item.get("logo"):
                self.body.append(_open(self, "img", src=item["logo"], alt="", loading="lazy",
                                       **{"class": "gbif-publisher-logo"}))
            else:
                self.body.append(f'<span class="gbif-publisher-initials" aria-hidden="true">'
                                 f'{self.encode(item["initials"])}</span>')
        name = self.encode(item["title"])
        self.body.append(f'<span class="gbif-publisher-name">{name}</span>')
        self.body.append("</a>" if link_open.startswith("<a") else "</span>")
        if item["city"]:
            city = self.encode(item["city"])
            self.body.append(f' <span class="gbif-publisher-city">{city}</span>')
        for column in columns:
            text = _stat(column, item.get(column, ""))
            self.body.append(f' <span class="gbif-stat gbif-stat--{column}">'
                             f"{self.encode(text)}</span>")
        self.body.append("</li>\n")
    self.body.append("</ul>\n")


def _write_datasets(self: HTML5Translator, node: gbif_embed) -> None:
    if node["layout"] == "table":
        rows = [[_link(self, i["url"], i["title"], "gbif-dataset-title"), i["records"]]
                for i in node["items"]]
        _write_table(self, node, _("Dataset"), rows)
        return
    self.body.append('<ul class="gbif-dataset-list">\n')
    for item in node["items"]:
        self.body.append("<li>" + _link(self, item["url"], item["title"], "gbif-dataset-title"))
        if item["publisher"]:
            self.body.append(" " + _link(self, item["publisher_url"], item["publisher"],
                                         "gbif-dataset-publisher"))
        if item["records"]:
            text = _stat("records", item["records"])
            self.body.append(f' <span class="gbif-stat">{self.encode(text)}</span>')
        self.body.append("</li>\n")
    self.body.append("</ul>\n")


def _write_literature(self: HTML5Translator, node: gbif_embed) -> None:
    self.body.append('<ol class="gbif-literature-list">\n')
    for item in node["items"]:
        parts = []
        if item["authors"]:
            parts.append(f'<span class="gbif-authors">{self.encode(item["authors"])}</span>')
        if item["year"]:
            parts.append(f'<span class="gbif-year">({self.encode(item["year"])})</span>')
        parts.append(f'<cite class="gbif-title">{self.encode(item["title"])}</cite>')
        if item["source"]:
            parts.append(f'<span class="gbif-source-title">{self.encode(item["source"])}</span>')
        if item["url"]:
            parts.append(_link(self, item["url"], "DOI", "gbif-doi"))
        self.body.append("<li>" + " ".join(parts) + "</li>\n")
    self.body.append("</ol>\n")


def notice_paragraph() -> nodes.paragraph:
    """:func:`notice_html` for the other output formats."""
    return nodes.paragraph("", str(_("No data available from GBIF at the time of this build.")))


def empty_paragraph() -> nodes.paragraph:
    """:func:`empty_html` for the other output formats."""
    return nodes.paragraph("", str(_("GBIF lists nothing for this selection.")))


class GbifEmbedForOtherFormats(PlainForOtherFormats):
    """LaTeX, text, man and Texinfo get the items as a plain list (titles and links)."""

    node_classes = (gbif_embed,)

    def plain(self, node: nodes.Element) -> nodes.Node:
        if node.get("notice"):
            return notice_paragraph()
        if not node["items"]:
            return empty_paragraph()
        entries = []
        for item in node["items"]:
            para = nodes.paragraph()
            if item.get("url"):
                para += nodes.reference("", item["title"], refuri=item["url"])
            else:
                para += nodes.Text(item["title"])
            entries.append(nodes.list_item("", para))
        return nodes.bullet_list("", *entries)


def setup(app: Sphinx) -> None:
    """Register the node and what it becomes in other output formats."""
    app.add_node(gbif_embed, html=(visit_gbif_embed_html, None))
    app.add_post_transform(GbifEmbedForOtherFormats)
