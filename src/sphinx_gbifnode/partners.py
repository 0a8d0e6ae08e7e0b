"""The ``partner-grid`` directive: a responsive grid of linked partner logos.

The list comes from YAML in the directive body or from a ``:data:`` file. Each partner's
name and alt text are translatable; local logos are copied like any Sphinx image and
written with their intrinsic ``width``/``height`` so the page does not jump while
loading.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from .core.converters import css_length, positive_int
from .core.locale import _
from .core.logs import warn
from .core.nodes import (
    PlainForOtherFormats,
    content_first_line,
    skip_node,
    translatable_text,
)
from .core.sanitize import UntrustedContent
from .core.urls import safe_url
from .core.yaml_list import YamlProblem, load_yaml_list
from .host_template import shared_file
from .images import img_tag, make_image

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

PARTNER_KEYS = ("name", "logo", "url", "alt")


class partner_grid(UntrustedContent, nodes.General, nodes.Element):
    """Attributes: ``columns`` (0 = as many as fit), ``logo_height``, ``captions``."""


class partner(nodes.General, nodes.Element):
    """One partner: an optional ``image`` child and a ``partner_name``; ``refuri``."""


class partner_name(nodes.General, nodes.TextElement):
    """The partner's name (translatable), shown when there is no logo or with captions."""


def load_partner_yaml(text: str) -> list[tuple[dict[str, Any], int]]:
    """Parse a YAML list of partners; return (mapping, 0-based line) pairs.

    Raises :class:`YamlProblem` with the 0-based line of the fault.
    """
    return load_yaml_list(text, "partner", "- name: ...", key="partners")


class PartnerGrid(SphinxDirective):
    """``partner-grid``: a grid of linked partner logos."""

    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "columns": positive_int,
        "logo-height": css_length,
        "captions": directives.flag,
        "data": directives.path,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        if "data" in self.options:
            rel, absolute = self.env.relfn2path(self.options["data"], self.env.docname)
            data_path = Path(absolute)
            if not data_path.is_file():
                # A hosted site shares its host's partner lists (host_template.py).
                data_path = shared_file(self.env.config, rel) or data_path
            try:
                text = data_path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                warn(
                    "partner-grid: cannot read :data: file %s (%s); grid skipped",
                    self.options["data"], exc.__class__.__name__,
                    location=(self.env.docname, self.lineno), subtype="data",
                )
                return []
            self.env.note_dependency(str(data_path))
            source, first_line = str(data_path), 1
            if self.content:
                warn(
                    "partner-grid: both :data: and a body given; the body is ignored",
                    location=(self.env.docname, self.lineno), subtype="data",
                )
        else:
            text = "\n".join(self.content)
            source, _line = self.get_source_info()
            first_line = content_first_line(self)
        try:
            items = load_partner_yaml(text)
        except YamlProblem as exc:
            warn(
                "partner-grid: %s; grid skipped", exc,
                location=f"{source}:{first_line + exc.line}", subtype="yaml",
            )
            return []

        grid = partner_grid(
            "",
            columns=self.options.get("columns", 0),
            logo_height=self.options.get("logo-height", "60px"),
            captions="captions" in self.options,
            classes=["gbif-partner-grid", *self.options.get("class", [])],
        )
        self.set_source_info(grid)
        for item, line0 in items:
            made = self._partner(item, source, first_line + line0)
            if made is not None:
                grid += made
        return [grid]

    def _partner(self, item: Any, source: str, line: int) -> partner | None:
        location = f"{source}:{line}"
        if not isinstance(item, dict):
            warn(
                "partner-grid: each partner must be a mapping ('- name: ...'), got %r; skipped",
                item, location=location, subtype="yaml",
            )
            return None
        for key in item:
            if key not in PARTNER_KEYS:
                warn(
                    "partner-grid: unknown key %r (allowed: %s); ignored",
                    key, ", ".join(PARTNER_KEYS),
                    location=location, subtype="yaml",
                )
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            warn(
                "partner-grid: a partner has no name; skipped",
                location=location, subtype="yaml",
            )
            return None
        name = name.strip()
        entry = partner("", classes=["gbif-partner"])
        entry.source, entry.line = source, line
        url = item.get("url")
        if url is not None:
            checked = safe_url(str(url))
            if checked is None:
                warn(
                    "partner-grid: %s: url %r is not allowed (only http(s) and relative links); "
                    "shown without a link",
                    name, url, location=location, subtype="url",
                )
            else:
                entry["refuri"] = checked
        has_logo = False
        logo = item.get("logo")
        if logo is not None:
            alt = item.get("alt")
            alt_text = str(alt).strip() if alt is not None else ""
            captions = "captions" in self.options
            if not alt_text and not captions:
                alt_text = name  # the logo is the only thing naming the partner
            image = make_image(
                self.env, str(logo), alt_text, option=f"partner-grid: {name}: logo",
                location=location, classes=["gbif-partner-logo"],
            )
            if image is not None:
                image.source, image.line = source, line
                entry += image
                has_logo = True
        if not has_logo or "captions" in self.options:
            entry += translatable_text(partner_name, name, [nodes.Text(name)], source, line)
        return entry


def visit_partner_grid_html(self: HTML5Translator, node: partner_grid) -> None:
    """Open the grid's list, with its columns and logo height as CSS variables."""
    style = f"--gbif-logo-height: {node['logo_height']};"
    if node["columns"]:
        style += f" --gbif-columns: {int(node['columns'])};"
    classes = "gbif-partner-grid--fixed" if node["columns"] else ""
    label: dict[str, Any] = {"aria-label": _("Partners")}
    self.body.append(self.starttag(node, "ul", CLASS=classes, style=style, **label))


def depart_partner_grid_html(self: HTML5Translator, node: partner_grid) -> None:
    self.body.append("</ul>\n")


def visit_partner_html(self: HTML5Translator, node: partner) -> None:
    """Write the whole partner here: a link around the logo and/or the name."""
    self.body.append(self.starttag(node, "li", ""))
    href = node.get("refuri")
    if href:
        link = self.starttag(nodes.Element(), "a", "", href=href, CLASS="gbif-partner-link")
        self.body.append(link)
    for child in node.children:
        if isinstance(child, nodes.image):
            self.body.append(img_tag(self, child, lazy=True, extra_class=""))
        elif isinstance(child, partner_name):
            self.body.append(
                f'<span class="gbif-partner-name">{self.encode(child.astext())}</span>'
            )
    if href:
        self.body.append("</a>")
    self.body.append("</li>\n")
    raise nodes.SkipNode


class PartnerGridForOtherFormats(PlainForOtherFormats):
    """LaTeX, text, man and Texinfo get the partners as a plain list of names."""

    node_classes = (partner_grid,)

    def plain(self, node: nodes.Element) -> nodes.Node:
        items = []
        for entry in node.findall(partner):
            names = [n.astext() for n in entry.findall(partner_name)]
            text = names[0] if names else next(
                (img.get("alt", "") for img in entry.findall(nodes.image)), ""
            )
            para = nodes.paragraph("", "")
            if entry.get("refuri"):
                para += nodes.reference("", text, refuri=entry["refuri"])
            else:
                para += nodes.Text(text)
            items.append(nodes.list_item("", para))
        return nodes.bullet_list("", *items)


def setup(app: Sphinx) -> None:
    """Register the partner grid: nodes with their HTML writers, directive, transform."""
    app.add_node(partner_grid, html=(visit_partner_grid_html, depart_partner_grid_html))
    app.add_node(partner, html=(visit_partner_html, None))
    app.add_node(partner_name, html=(skip_node, None))
    app.add_directive("partner-grid", PartnerGrid)
    app.add_post_transform(PartnerGridForOtherFormats)
