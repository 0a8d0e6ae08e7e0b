"""The ``hero`` banner: a full-width photo with a title, a description, call-to-action
buttons and the photo's licence line, from a directive or from hosted-portal front matter.

Every string a reader sees is a translatable text node (``rawsource`` is the msgid), so
``sphinx-build -b gettext`` extracts it and the French build replaces it from the
``.po``, markup and links included.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, cast

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from .core.converters import css_colour, css_length
from .core.locale import _
from .core.logs import warn
from .core.nodes import (
    PlainForOtherFormats,
    front_matter_node,
    parse_inline,
    translatable_text,
)
from .core.sanitize import UntrustedContent
from .core.settings import Setting, add_settings, flag
from .core.urls import is_remote, link_target, safe_url
from .images import img_tag, make_image
from .page_title import title_section

if TYPE_CHECKING:
    from docutils.frontend import Values
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator


class hero(UntrustedContent, nodes.General, nodes.Element):
    """The banner. Attributes: ``height``, ``overlay``, ``text_shadow``, ``align``."""


class hero_title(nodes.General, nodes.TextElement):
    """The banner's heading (``<h1>`` at the top of a page, ``<h2>`` inside a section)."""


class hero_licence(nodes.General, nodes.TextElement):
    """The photo's licence / credit line, shown on the banner."""


class hero_button(nodes.General, nodes.TextElement):
    """A call-to-action link styled as a button. Attributes: ``refuri``, ``primary``."""


_BUTTON = re.compile(r"^(?P<label>.*?)\s*<(?P<url>[^<>\s]+)>\s*$")


def button_list(value: str | None) -> list[tuple[str, str]]:
    """Option converter for ``:cta:``: one ``Label <url>`` per line."""
    buttons = []
    for line in (value or "").splitlines():
        if not line.strip():
            continue
        match = _BUTTON.match(line.strip())
        if not match or not match["label"]:
            raise ValueError(f"{line.strip()!r} is not a button; write 'Label <url>'")
        buttons.append((match["label"], match["url"]))
    if not buttons:
        raise ValueError("no button given; write 'Label <url>'")
    return buttons


def align_choice(value: str | None) -> str:
    """Option converter for ``:align:``: ``left`` or ``center``."""
    # docutils itself reports a missing value ("must supply an argument").
    return directives.choice(cast(str, value), ("left", "center"))


class HeroSettings:
    """Validated values common to the directive and the front-matter hero."""

    def __init__(self, height: str, overlay: str, text_shadow: bool, align: str) -> None:
        self.height, self.overlay = height, overlay
        self.text_shadow, self.align = text_shadow, align

    def node(self, classes: list[str]) -> hero:
        return hero(
            "",
            height=self.height,
            overlay=self.overlay,
            text_shadow=self.text_shadow,
            align=self.align,
            classes=["gbif-hero", *classes],
        )


DEFAULT_HEIGHT = "50vh"
DEFAULT_OVERLAY = "#00000090"


def _button_nodes(
    buttons: list[tuple[str, str, bool]], source: str, line: int, location: Any
) -> list[nodes.Node]:
    made: list[nodes.Node] = []
    for label, url, primary in buttons:
        checked = safe_url(url)
        if checked is None:
            warn(
                "hero button %r: URL %r is not allowed (only http(s) and relative links)",
                label,
                url,
                location=location,
                subtype="url",
            )
            continue
        made.append(
            translatable_text(
                hero_button, label, [nodes.Text(label)], source, line,
                refuri=checked, primary=primary,
            )
        )
    if not made:
        return []
    actions = nodes.container("", *made, classes=["gbif-hero-actions"])
    return [actions]


def _warn_no_licence(location: Any) -> None:
    warn(
        "hero has no licence: add :licence: (or imageLicense in front matter) with the "
        "photo's author and licence",
        location=location,
        subtype="licence",
    )


class HeroDirective(SphinxDirective):
    """``hero``: a banner with a photo, a title, a description and buttons."""

    required_arguments = 0
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "image": directives.unchanged_required,
        "alt": directives.unchanged,
        "licence": directives.unchanged,
        "license": directives.unchanged,
        "height": css_length,
        "overlay": css_colour,
        "text-shadow": directives.flag,
        "align": align_choice,
        "cta": button_list,
        "cta-primary": button_list,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        source, line = self.get_source_info()
        location = (self.env.docname, self.lineno)
        if "image" not in self.options:
            warn(
                "hero: the :image: option is required (a local path or an https URL)",
                location=location,
                subtype="option",
            )
        settings = HeroSettings(
            self.options.get("height", DEFAULT_HEIGHT),
            self.options.get("overlay", DEFAULT_OVERLAY),
            "text-shadow" in self.options,
            self.options.get("align", "left"),
        )
        banner = settings.node(self.options.get("class", []))
        self.set_source_info(banner)

        if "image" in self.options:
            image = make_image(
                self.env,
                self.options["image"],
                self.options.get("alt", ""),
                option=":image:",
                location=location,
                classes=["gbif-hero-image"],
            )
            if image is not None:
                self.set_source_info(image)
                banner += image

        content = nodes.container("", classes=["gbif-hero-content"])
        if self.arguments:
            title = self.arguments[0]
            inline, messages = self.parse_inline(title, lineno=self.lineno)
            content += translatable_text(hero_title, title, list(inline), source, line)
            content += messages
        if self.content:
            description = nodes.container("", classes=["gbif-hero-description"])
            self.state.nested_parse(self.content, self.content_offset, description)
            content += description
        buttons = [(lbl, url, True) for lbl, url in self.options.get("cta-primary", [])]
        buttons += [(lbl, url, False) for lbl, url in self.options.get("cta", [])]
        content += _button_nodes(buttons, source, line, location)
        banner += content

        licence = str(self.options.get("licence", self.options.get("license")) or "").strip()
        if licence:
            inline, messages = self.parse_inline(licence, lineno=self.lineno)
            banner += translatable_text(hero_licence, licence, list(inline), source, line)
            banner += messages
        else:
            _warn_no_licence(location)
        return [banner]


# --- front-matter hero -----------------------------------------------------------------

FRONT_MATTER_KEYS = (
    "background",
    "imageLicense",
    "height",
    "description",
    "title",
    "imageAlt",
    "overlayColor",
    "hasTextShadow",
    "cta",
)


def _front_matter(document: nodes.document) -> tuple[dict[str, str], int]:
    """The page's front-matter fields as text, and the line they start on."""
    block = front_matter_node(document)
    if block is None:
        return {}, 1
    fields = {field[0].astext(): field[1].astext() for field in block.findall(nodes.field)}
    return fields, block.line or 1


def _truthy(value: str) -> bool:
    return value.strip().lower() in ("true", "yes", "1", "on")


def _checked(
    convert: Callable[[str | None], str], fields: dict[str, str], key: str, default: str,
    location: Any,
) -> str:
    """A front-matter value through an option converter; the default (with a warning)
    when it does not pass."""
    try:
        return convert(fields.get(key) or default)
    except ValueError as exc:
        warn("front matter %r: %s", key, exc, location=location, subtype="front-matter")
        return default


def _front_matter_buttons(raw: str, location: Any) -> list[tuple[str, str, bool]]:
    try:
        items = json.loads(raw)
    except ValueError:
        items = None
    if not isinstance(items, list):
        warn(
            "front matter 'cta' must be a list of {text, href, isPrimary}",
            location=location, subtype="front-matter",
        )
        return []
    buttons = []
    for item in items:
        if not isinstance(item, dict) or not item.get("text") or not item.get("href"):
            warn(
                "front matter 'cta' entry %r needs 'text' and 'href'", item,
                location=location, subtype="front-matter",
            )
            continue
        buttons.append((str(item["text"]), str(item["href"]), bool(item.get("isPrimary"))))
    return buttons


class FrontMatterHero(SphinxTransform):
    """Turn hosted-portal front matter (``background``, ``imageLicense``, ...) into a hero.

    Runs before Sphinx's i18n transform (priority 20), so the strings it creates are
    extracted to the ``.pot`` and translated like any paragraph.
    """

    default_priority = 15

    def apply(self, **kwargs: Any) -> None:
        if not self.config.gbifnode_front_matter_hero:
            return
        fields, line = _front_matter(self.document)
        if "background" not in fields or any(True for _n in self.document.findall(hero)):
            return
        source = self.document["source"]
        location = (self.env.docname, line)
        settings: Values = self.document.settings
        banner = HeroSettings(
            _checked(css_length, fields, "height", DEFAULT_HEIGHT, location),
            _checked(css_colour, fields, "overlayColor", DEFAULT_OVERLAY, location),
            _truthy(fields.get("hasTextShadow", "")),
            "left",
        ).node(["gbif-hero--front-matter"])
        banner.source, banner.line = source, line

        image = make_image(
            self.env, fields["background"], fields.get("imageAlt", ""),
            option="front matter 'background'", location=location,
            classes=["gbif-hero-image"],
        )
        if image is not None:
            image.source, image.line = source, line
            banner += image

        def text(node_class: type[nodes.TextElement], raw: str) -> nodes.TextElement:
            raw = raw.strip()
            inline = parse_inline(self.env, settings, raw, source, line)
            return translatable_text(node_class, raw, inline, source, line)

        content = nodes.container("", classes=["gbif-hero-content"])
        if fields.get("title", "").strip():
            content += text(hero_title, fields["title"])
            page = title_section(self.document)
            if page is not None and isinstance(page[0], nodes.title):
                # The page's title is this same front-matter title: the banner shows it
                # as the page's one h1, the section's own title stays for the <title>,
                # the navigation and the catalogue (TitleInHero).
                page[0]["classes"].append(TITLE_IN_HERO)
        if fields.get("description", "").strip():
            paragraph = text(nodes.paragraph, fields["description"])
            content += nodes.container("", paragraph, classes=["gbif-hero-description"])
        if fields.get("cta"):
            buttons = _front_matter_buttons(fields["cta"], location)
            content += _button_nodes(buttons, source, line, location)
        banner += content
        if fields.get("imageLicense", "").strip():
            banner += text(hero_licence, fields["imageLicense"])
        else:
            _warn_no_licence(location)

        index = 0
        for index, child in enumerate(self.document.children):  # noqa: B007
            if not isinstance(child, nodes.field_list | nodes.docinfo | nodes.comment):
                break
        else:
            index = len(self.document.children)
        self.document.insert(index, banner)


# --- output ----------------------------------------------------------------------------

#: The class of a page title the front-matter hero shows (page_title.py).
TITLE_IN_HERO = "gbif-title-in-hero"


class TitleInHero(SphinxPostTransform):
    """In HTML, a page title that its front-matter hero shows is written once, by the
    hero, as the page's h1."""

    default_priority = 200
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for title in list(self.document.findall(nodes.title)):
            if TITLE_IN_HERO in title["classes"] and isinstance(title.parent, nodes.section):
                title.parent.remove(title)



class SimplifyHeroForOtherFormats(PlainForOtherFormats):
    """LaTeX, text, man and Texinfo get the hero's words as plain paragraphs."""

    # Innermost first: the buttons, title and licence, then the banner holding them.
    node_classes = (hero_button, hero_title, hero_licence, hero)

    def plain(self, node: nodes.Element) -> nodes.Node:
        if isinstance(node, hero_button):
            link = nodes.reference("", "", *node.children, refuri=node["refuri"])
            return nodes.paragraph("", "", link)
        if isinstance(node, hero):
            return nodes.container("", *node.children)
        return nodes.paragraph("", "", *node.children)


def visit_hero_html(self: HTML5Translator, node: hero) -> None:
    """Open the banner and write its photo and overlay first."""
    classes = [f"gbif-hero--{node['align']}"]
    if node.get("text_shadow"):
        classes.append("gbif-hero--shadow")
    style = f"--gbif-hero-height: {node['height']}; --gbif-hero-overlay: {node['overlay']};"
    self.body.append(self.starttag(node, "section", CLASS=" ".join(classes), style=style))
    node["_heading"] = "h1" if isinstance(node.parent, nodes.document) else "h2"
    # The photo is written here, not by the generic image visitor, to control its
    # loading and to put the overlay right after it.
    for child in list(node.children):
        if isinstance(child, nodes.image) and "gbif-hero-image" in child["classes"]:
            self.body.append(img_tag(self, child, lazy=False, extra_class=""))
            node.remove(child)
    self.body.append('<span class="gbif-hero-overlay" aria-hidden="true"></span>\n')


def depart_hero_html(self: HTML5Translator, node: hero) -> None:
    self.body.append("</section>\n")


def visit_hero_title_html(self: HTML5Translator, node: hero_title) -> None:
    banner = node.parent.parent
    tag = banner.get("_heading", "h2") if isinstance(banner, hero) else "h2"
    self.body.append(self.starttag(node, tag, "", CLASS="gbif-hero-title"))
    node["_tag"] = tag


def depart_hero_title_html(self: HTML5Translator, node: hero_title) -> None:
    self.body.append(f"</{node['_tag']}>\n")


def visit_hero_licence_html(self: HTML5Translator, node: hero_licence) -> None:
    self.body.append(self.starttag(node, "p", "", CLASS="gbif-hero-licence"))
    label = self.encode(_("Image:"))
    self.body.append(f'<span class="gbif-hero-licence-label">{label}</span> ')


def depart_hero_licence_html(self: HTML5Translator, node: hero_licence) -> None:
    self.body.append("</p>\n")


def visit_hero_button_html(self: HTML5Translator, node: hero_button) -> None:
    kind = "primary" if node.get("primary") else "secondary"
    href = resolve_link(self, node["refuri"])
    self.body.append(
        self.starttag(node, "a", "", href=href, CLASS=f"gbif-button gbif-button--{kind}")
    )


def depart_hero_button_html(self: HTML5Translator, node: hero_button) -> None:
    self.body.append("</a>\n")


def resolve_link(translator: HTML5Translator, url: str) -> str:
    """A link naming a document (``community``, ``../about``, ``/about/``) points at that
    document's output file in every builder (``html``, ``dirhtml``); a relative name is
    read from the current page's folder, ``/name`` from the site's root. Other URLs stay.
    """
    if is_remote(url) or url.startswith(("#", "?")):
        return url
    builder = translator.builder
    current = builder.current_docname
    folder = posixpath.dirname(current)
    from_root = url if url.startswith("/") or not folder else f"/{folder}/{url}"
    path, hash_, anchor = from_root.partition("#")
    kind, docname, suffix = link_target(
        posixpath.normpath(path) + hash_ + anchor if path.strip("/") else from_root,
        builder.config.root_doc,
        lambda name: name in builder.env.found_docs,
    )
    if kind == "doc":
        return builder.get_relative_uri(current, docname) + suffix
    return url


def setup(app: Sphinx) -> None:
    """Register the hero: setting, nodes with their HTML writers, directive, transforms."""
    add_settings(app, (Setting("gbifnode_front_matter_hero", True, "env", (bool,),
                               "True or False", flag),))
    app.add_node(hero, html=(visit_hero_html, depart_hero_html))
    app.add_node(hero_title, html=(visit_hero_title_html, depart_hero_title_html))
    app.add_node(hero_licence, html=(visit_hero_licence_html, depart_hero_licence_html))
    app.add_node(hero_button, html=(visit_hero_button_html, depart_hero_button_html))
    app.add_directive("hero", HeroDirective)
    app.add_transform(FrontMatterHero)
    app.add_post_transform(SimplifyHeroForOtherFormats)
    app.add_post_transform(TitleInHero)
