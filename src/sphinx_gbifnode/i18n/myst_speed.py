"""Translated MyST builds without wasted set-up work per message.

Sphinx's i18n transform parses every ``msgstr`` on its own, and MyST prepares each
parse as if it were a whole page:

* its renderer evaluates ``options.get("document", make_document())``: the default is
  built although a document is always given, and building it means computing docutils'
  default settings from scratch (an ``OptionParser`` over every settings spec). On a
  120-page French site that was over a quarter of the build. The default is no longer
  made when the caller gives its document; when it does not, docutils' defaults are
  computed once per parser class, and each new document gets its own copy.
* it builds a new markdown-it parser, with every plugin, for each parse (another sixth
  of the French build). The parser is reused for the same configuration, except while it
  is busy: a directive that parses text during a page's own parse (the hero's licence
  line) gets a fresh one, as before.
* markdown-it normalises every link destination (percent-encoding, punycode) in pure
  Python, a sixth of the parse of a sentence with one link; the same links come back on
  every page. The shared parser remembers the normalised form of each destination.

Pages come out byte for byte the same (tested). When MyST no longer has these
functions, nothing is patched.
"""

from __future__ import annotations

import weakref
from contextvars import ContextVar
from functools import cache, lru_cache
from typing import Any

from docutils import nodes
from docutils.frontend import Values, get_default_settings
from docutils.parsers.rst import Parser as RSTParser
from docutils.utils import new_document


@cache
def _default_settings(parser_class: type) -> Values:
    return get_default_settings(parser_class)


#: Set while MyST's renderer sets up with a document of the caller's: the default it
#: evaluates anyway is thrown away, so it is not made.
_DOCUMENT_GIVEN: ContextVar[bool] = ContextVar("myst_document_given", default=False)


def make_document(source_path: str = "notset", parser_cls: Any = None) -> nodes.document | None:
    """Same as ``myst_parser.mdit_to_docutils.base.make_document``, with the default
    settings computed once (each document still gets a settings object of its own);
    None while the renderer sets up with a document of its caller's."""
    if _DOCUMENT_GIVEN.get():
        return None  # never used: see setup_render_without_default
    # MyST's default parser class is docutils' reStructuredText parser.
    settings = _default_settings(parser_cls or RSTParser).copy()
    return new_document(source_path, settings=settings)


class _ParserLease:
    """What MyST's ``parse`` uses of a markdown-it parser (``options``, ``render``),
    marking the shared parser busy while it renders."""

    def __init__(self, entry: list[Any]) -> None:
        self._entry = entry
        self.options = entry[1].options

    def render(self, text: str) -> Any:
        self._entry[2] = True
        try:
            return self._entry[1].render(text)
        finally:
            self._entry[2] = False


def remembering_links(parser: Any) -> Any:
    """Give *parser* (a ``MarkdownIt``) a memory of its link normalisations, which are
    pure functions of the link text."""
    for name in ("normalizeLink", "normalizeLinkText"):
        method = getattr(parser, name, None)
        if callable(method):
            setattr(parser, name, lru_cache(maxsize=4096)(method))
    return parser


def reusing_parser_factory(create: Any) -> Any:
    """Wrap MyST's ``create_md_parser`` so that one parser serves every parse with the
    same configuration object, unless that parser is in the middle of a render."""
    # (id of config, renderer class) -> [config, parser, busy]. An entry lives as long as
    # its config (a build's, or a page's own with front-matter settings) and no longer:
    # nothing is kept from one build to the next, and an id is never found again for
    # another config.
    parsers: dict[tuple[int, Any], list[Any]] = {}

    def create_md_parser(config: Any, renderer: Any) -> Any:
        key = (id(config), renderer)
        entry = parsers.get(key)
        if entry is None or entry[0]() is not config:
            entry = parsers[key] = [
                weakref.ref(config), remembering_links(create(config, renderer)), False
            ]
            weakref.finalize(config, parsers.pop, key, None)
        if entry[2]:
            return create(config, renderer)  # re-entrant parse: a parser of its own
        return _ParserLease(entry)

    create_md_parser.wrapped = create  # type: ignore[attr-defined]
    return create_md_parser


def setup_render_without_default(setup_render: Any) -> Any:
    """Wrap the renderer's ``setup_render`` so that it makes no default document when
    the options carry one."""

    def wrapped(self: Any, options: Any, env: Any) -> None:
        token = _DOCUMENT_GIVEN.set("document" in options)
        try:
            setup_render(self, options, env)
        finally:
            _DOCUMENT_GIVEN.reset(token)

    wrapped.wrapped = setup_render  # type: ignore[attr-defined]
    return wrapped


def setup(app: Any) -> None:
    """Patch MyST (when installed) to reuse default settings and parsers."""
    try:
        from myst_parser.mdit_to_docutils import base
        from myst_parser.parsers import sphinx_
    except ImportError:  # MyST not installed: nothing to speed up
        return
    if callable(getattr(base, "make_document", None)) and hasattr(base, "RSTParser"):
        base.make_document = make_document  # type: ignore[assignment]  # None only where unused
        setup_render = getattr(base.DocutilsRenderer, "setup_render", None)
        if callable(setup_render) and not hasattr(setup_render, "wrapped"):
            base.DocutilsRenderer.setup_render = (  # type: ignore[method-assign]
                setup_render_without_default(setup_render)
            )
    create = getattr(sphinx_, "create_md_parser", None)
    if callable(create) and not hasattr(create, "wrapped"):
        sphinx_.create_md_parser = reusing_parser_factory(create)  # type: ignore[attr-defined]
