"""Helpers shared by the directives: option converters, URL safety, inline parsing.

Every value that reaches HTML from YAML, front matter or the GBIF API goes through
:func:`safe_url` (links and images) or is escaped by the writer; nothing here builds
HTML by string concatenation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from docutils import nodes
from docutils.utils import new_document
from sphinx.locale import get_translation
from sphinx.transforms import SphinxTransform
from sphinx.util import get_filetype, logging
from sphinx.util.docutils import LoggingReporter

if TYPE_CHECKING:
    from docutils.frontend import Values
    from docutils.parsers.rst import Directive
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

MESSAGE_CATALOG = "sphinx_gbifnode"

#: The extension's own fixed labels ("Image:", "Partners", ...), translated through the
#: package catalogue (``locale/<lang>/LC_MESSAGES/sphinx_gbifnode.po``).
_ = get_translation(MESSAGE_CATALOG)

logger = logging.getLogger("sphinx_gbifnode")

_CSS_LENGTH = re.compile(r"^(?:0|\d+(?:\.\d+)?(?:px|rem|em|vh|vw|svh|dvh|%))$")
_CSS_HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
_CSS_FUNC_COLOUR = re.compile(
    r"^(?:rgb|rgba|hsl|hsla)\(\s*[0-9.%]+\s*(?:,\s*|\s+)[0-9.%]+\s*(?:,\s*|\s+)[0-9.%]+"
    r"\s*(?:(?:,|/)\s*[0-9.%]+\s*)?\)$"
)
_CSS_NAMED_COLOUR = re.compile(r"^[a-zA-Z]{3,20}$")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def css_length(value: str | None) -> str:
    """Docutils option converter for a CSS length (``70vh``, ``60px``, ``12rem``, ``50%``)."""
    text = (value or "").strip()
    if not _CSS_LENGTH.match(text):
        raise ValueError(
            f"{text!r} is not a CSS length; use a number with px, rem, em, vh or %, e.g. 60vh"
        )
    return text


def css_colour(value: str | None) -> str:
    """Docutils option converter for a CSS colour (``#00000055``, ``rgba(0,0,0,.4)``, ``black``)."""
    text = (value or "").strip().strip("\"'")
    if (
        _CSS_HEX_COLOUR.match(text)
        or _CSS_FUNC_COLOUR.match(text)
        or _CSS_NAMED_COLOUR.match(text)
    ):
        return text
    raise ValueError(f"{text!r} is not a CSS colour; use #rrggbb, #rrggbbaa or rgba(...)")


def positive_int(value: str | None) -> int:
    """Docutils option converter for a whole number from 1 to 12 (grid columns)."""
    text = (value or "").strip()
    if not text.isdigit() or not 1 <= int(text) <= 12:
        raise ValueError(f"{text!r} is not a whole number of columns from 1 to 12")
    return int(text)


def is_remote(uri: str) -> bool:
    """True for an absolute ``http(s)://`` URL."""
    return uri.lower().startswith(("http://", "https://"))


def safe_url(uri: Any) -> str | None:
    """Return *uri* if it may become a link or image source, else ``None``.

    Allowed: ``http(s)://`` URLs with a host, and relative URLs (paths, ``#anchors``,
    ``?queries``). Refused: every other scheme (``javascript:``, ``data:``, ``file:``
    ...), protocol-relative ``//host`` URLs, and values with control characters, which
    browsers strip before they read the scheme.
    """
    if not isinstance(uri, str):
        return None
    text = uri.strip()
    if not text or any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        return None
    if text.startswith("//") or text.startswith("\\"):
        return None
    if _SCHEME.match(text):
        try:
            parts = urlsplit(text)
        except ValueError:
            return None
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            return None
        return text
    # A relative URL whose first segment holds a colon could be read as a scheme by some
    # parser after normalisation (``java\\script:``); refuse it rather than guess.
    first_segment = re.split(r"[/?#]", text, maxsplit=1)[0]
    if ":" in first_segment:
        return None
    return text


def parse_inline(
    env: BuildEnvironment, settings: Values, text: str, source: str, line: int
) -> list[nodes.Node]:
    """Parse *text* as inline markup of the document's own language (MyST or rST).

    Used for strings that do not come through a directive (front matter, YAML), so that a
    licence line such as ``[CC BY 4.0](https://...)`` becomes a link in a Markdown page
    and ``CC BY 4.0 <https://...>`_`` in a reStructuredText page, exactly as the
    translated build will parse the ``msgstr``.
    """
    config = env.config
    filetype = get_filetype(config.source_suffix, source)
    doc = new_document(f"{source}:{line}", settings)
    doc.reporter = LoggingReporter.from_reporter(doc.reporter)
    registry: Any = getattr(env, "_registry", None) or env.app.registry
    try:  # Sphinx 9
        parser = registry.create_source_parser(filetype, config=config, env=env)
    except TypeError:  # Sphinx 8: create_source_parser(app, filename)
        parser = registry.create_source_parser(env.app, filetype)
    rst_prolog = config.rst_prolog
    config.rst_prolog = None  # the prolog belongs to whole pages, not to one string
    try:
        parser.parse(text, doc)
    finally:
        config.rst_prolog = rst_prolog
    if len(doc) and isinstance(doc[0], nodes.paragraph):
        return [child.deepcopy() for child in doc[0].children]
    return [nodes.Text(text)]


def content_first_line(directive: Directive) -> int:
    """The 1-based line of a directive's first body line, for warnings about its body.

    docutils gives ``content_offset`` as an absolute 0-based line; MyST gives it relative
    to the directive's own line."""
    if type(directive.state).__module__.startswith("myst_parser"):
        return directive.lineno + directive.content_offset + 1
    return directive.content_offset + 1


def translatable_text(
    node_class: type[nodes.TextElement],
    rawsource: str,
    children: list[nodes.Node],
    source: str,
    line: int,
    **attributes: Any,
) -> nodes.TextElement:
    """Make a text node that ``sphinx-build -b gettext`` extracts and the i18n transform
    translates: it needs ``rawsource`` (the msgid) and a source file and line."""
    node = node_class(rawsource, "", *children, **attributes)
    node.source, node.line = source, line
    return node


def relative_to_srcdir(app: Sphinx, docname: str, path: str) -> tuple[str, Path]:
    """Resolve a local path as Sphinx resolves image paths: ``/x`` from the source
    directory, ``x`` from the document's folder. Returns (uri for Sphinx, absolute path)."""
    rel, absolute = app.env.relfn2path(path, docname)
    return rel, Path(absolute)


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


def link_target(
    url: str, root_doc: str, is_doc: Callable[[str], bool]
) -> tuple[str, str, str]:
    """What a URL from the options points at: ``("url", url, "")`` for an outside link
    or an anchor, ``("doc", docname, suffix)`` for a page of the site (``about``,
    ``about.md``, ``/about/``, ``about.html#team``), else ``("file", path, suffix)``, a
    file from the root of the built site; *suffix* is the ``?query#anchor`` kept."""
    if is_remote(url) or url.startswith(("#", "?")):
        return "url", url, ""
    target, hash_, anchor = url.lstrip("/").partition("#")
    target, question, query = target.partition("?")
    suffix = question + query + hash_ + anchor
    stem = target.removesuffix(".html").removesuffix(".md").removesuffix(".rst").rstrip("/")
    for docname in [stem, f"{stem}/index"] if stem else [root_doc]:
        if is_doc(docname):
            return "doc", docname, suffix
    return "file", target, suffix


def front_matter_node(document: nodes.document) -> nodes.Element | None:
    """The field list that opens a page: MyST front matter, or an rST docinfo block
    (before Sphinx moves it into the page metadata)."""
    for child in document.children:
        if isinstance(child, nodes.field_list | nodes.docinfo):
            return child
        if not isinstance(child, nodes.comment | nodes.target | nodes.system_message):
            return None
    return None
