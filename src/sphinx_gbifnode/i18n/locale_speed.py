"""Translating a page costs about what reading it costs.

Sphinx's ``Locale`` transform hands every translated message (``msgstr``) to a parser,
as if it were a small page of its own, and does it twice: once in its first pass (where
only the result for section titles and glossary terms is used) and once more in its
second pass. On a French node site that was most of the build. Three changes, each
giving the same pages as Sphinx alone (tested on every page of the docs and of a
generated site, in MyST and in reStructuredText):

* **Plain messages are not parsed.** A ``msgstr`` in which neither syntax can see any
  markup (letters, digits, spaces and harmless punctuation on one line; see
  :func:`plain_text`) becomes what the parser would have made of it: a paragraph with
  one text node (or a section title, for the form the second pass uses for titles).
  Whether the active parser really does make that is checked once per process and
  configuration on the first such message, by parsing it; if not, nothing is skipped.
* **Each message is parsed once per page.** The first pass keeps what it parsed, and the
  second pass takes it back instead of parsing the same text again (unless the first
  pass used it, for a title).
* **Translated pages no longer drag their build environment along.** Nodes that come
  from a parsed message kept a reference to the message's own small document, whose
  settings hold the whole build environment, so every translated doctree was pickled
  with a copy of it (70 MB of doctrees instead of 4 MB for 300 French pages, and most of
  the pickling time). After the transform they belong to the page's document.

The parses that remain are as Sphinx makes them (a new document per message, so ids and
warnings are the same); MyST's own set-up cost per parse is cut in :mod:`.myst_speed`.
Side effects a parse has on the environment (MyST records the word count of the last
text it parsed, and heading slugs, in the page's metadata) are replayed for a message
that is not parsed, so the environment also ends up the same.

Sphinx 8 (``publish_msgstr(app, ...)``) and Sphinx 9 (``_publish_msgstr(...)``) are
both handled; with any other shape of that module nothing is changed.
"""

from __future__ import annotations

import re
import unicodedata
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from docutils import nodes

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx

#: Characters that are markup (or start markup) somewhere in MyST or reStructuredText:
#: escapes, code, emphasis, links, references, targets, substitutions, roles, HTML and
#: entities, math, footnotes, strike-through, e-mail addresses.
MARKUP_CHARACTERS = "\\`*_[]<>&{}|~$^@"
#: A first word that can open a list item: ``1.``, ``a)``, ``iv.``, ``Mr.``.
_LIST_MARKER = re.compile(r"\S+[.)](?:\s|$)")
#: A colon that may start a URI (``mailto:x``, ``https://``) or a literal block (``::``).
_TIGHT_COLON = re.compile(r":(?=\S)")
#: What MyST's "replacements" extension rewrites: ``(c)``, ``+-``, ``...``, ``--``.
_REPLACEMENTS = r"\+-|\.\.|\?\?\?\?|!!!!|,,|--|\((?:c|tm|r)\)"
#: First characters of a plain message besides letters and digits (quotes only).
_OPENING = frozenset("\"'«“‘„¿¡")
#: MyST extensions that cannot change how plain text parses (each needs a markup
#: character or a second line), besides the ones :func:`myst_syntax` handles itself.
#: Any other extension turns the shortcut off.
MYST_NEUTRAL_EXTENSIONS = frozenset({
    "alert", "amsmath", "attrs_block", "attrs_image", "attrs_inline", "colon_fence",
    "deflist", "dollarmath", "fieldlist", "html_admonition", "html_image",
    "strikethrough", "substitution", "tasklist",
})
_MYST_HANDLED_EXTENSIONS = frozenset({"smartquotes", "replacements", "linkify",
                                      "gfm_autolink", "substitution"})


def markup_pattern(extra: str = "") -> re.Pattern[str]:
    """Any of :data:`MARKUP_CHARACTERS` and *extra*, or a line end of any kind."""
    characters = "".join(sorted(set(MARKUP_CHARACTERS + extra)))
    return re.compile(f"[{re.escape(characters)}\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029]")


_MARKUP = markup_pattern()


def plain_text(text: str, markup: re.Pattern[str] = _MARKUP) -> bool:
    """Whether *text* reads as itself in MyST and in reStructuredText: one line, no
    surrounding space, none of the *markup* characters, no control or invisible
    character, no colon directly followed by text, and a start that opens no block
    (a letter, digit or quote, and no list marker)."""
    if not text or text != text.strip() or markup.search(text):
        return False
    if not (text[0].isalnum() or text[0] in _OPENING):
        return False
    if _LIST_MARKER.match(text) or _TIGHT_COLON.search(text):
        return False
    # Only spaces may be unprintable: no format characters (zero-width, soft hyphen,
    # direction marks), which both parsers keep but translators never mean.
    return text.isprintable() or all(
        character.isprintable() or unicodedata.category(character) == "Zs"
        for character in text
    )


@dataclass(frozen=True)
class Syntax:
    """How one parser configuration reads plain messages."""

    name: str  # "myst" or "rst"
    markup: re.Pattern[str] = _MARKUP  # characters that are (or may start) markup here
    rewritten: re.Pattern[str] | None = None  # text the parser rewrites here
    titles: bool = True  # the second pass's title form reads as itself too
    words_per_minute: int = 0  # MyST records the word count of what it parses

    def plain(self, text: str) -> bool:
        return plain_text(text, self.markup) and not (
            self.rewritten is not None and self.rewritten.search(text)
        )


def myst_syntax(config: Any) -> Syntax | None:
    """The :class:`Syntax` of a MyST configuration, or None when some enabled
    extension may read plain text differently (then every message is parsed)."""
    if config is None or config.gfm_only:
        return None
    extensions = set(config.enable_extensions)
    if extensions - MYST_NEUTRAL_EXTENSIONS - _MYST_HANDLED_EXTENSIONS:
        return None
    extra = ""
    if "smartquotes" in extensions:
        extra += "\"'"
    if extensions & {"linkify", "gfm_autolink"}:
        extra += ".:@"  # www.gbif.org, https://..., name@example.org
    if "substitution" in extensions:
        extra += "".join(config.sub_delimiters)
    rewritten = "replacements" in extensions
    return Syntax(
        name="myst",
        markup=markup_pattern(extra),
        rewritten=re.compile(_REPLACEMENTS, re.IGNORECASE) if rewritten else None,
        # A parsed title records its slug in the page's metadata: leave titles to it.
        titles=not config.heading_anchors,
        words_per_minute=config.words_per_minute,
    )


#: Lines of an ``rst_epilog`` that only define substitutions.
_SUBSTITUTION_ONLY = re.compile(r"\.\. \|[^|]+\| [\w:-]+::.*|\s.*|")


def rst_syntax(config: Any, settings: Any) -> Syntax | None:
    """The :class:`Syntax` of Sphinx's reStructuredText parser, or None when every
    message must be parsed: Sphinx appends ``rst_epilog`` to each one, which may only
    be skipped when it holds nothing but substitution definitions."""
    epilog = config.rst_epilog or ""
    if not all(_SUBSTITUTION_ONLY.fullmatch(line) for line in epilog.splitlines()):
        return None
    rewritten = None
    if getattr(settings, "pep_references", None) or getattr(settings, "rfc_references", None):
        rewritten = re.compile(r"pep|rfc", re.IGNORECASE)  # PEP 8, RFC 2822 become links
    return Syntax(name="rst", rewritten=rewritten)


def title_text(msgstr: str) -> str | None:
    """The title in the form Sphinx's second pass gives titles (``text`` underlined with
    twice as many ``=``), or None."""
    text, newline, underline = msgstr.partition("\n")
    if newline and underline == "=" * (2 * len(text)):
        return text
    return None


def outline(patch: nodes.Node) -> tuple[str, list[tuple[str, str]]]:
    """What Sphinx uses of a parsed message: the kind of node it is (a section is looked
    into for its title) and its children."""
    kind = type(patch).__name__
    inner: nodes.Node | None = patch
    if isinstance(patch, nodes.section):
        inner = patch.next_node()
        kind += "/" + type(inner).__name__
    children = inner.children if isinstance(inner, nodes.Element) else []
    return kind, [(type(child).__name__, str(child)) for child in children]


def shortcut(text: str, title: bool) -> nodes.Element:
    """The node the parsers make of a plain message (of its title form)."""
    if title:
        return nodes.section("", nodes.title(text, text))
    return nodes.paragraph(text, text)


@dataclass
class Page:
    """The state of one run of the ``Locale`` transform over one page."""

    env: Any
    syntax: Syntax | None = None
    parser: type | None = None
    known: bool = False
    #: What was parsed: (line, msgstr) -> [(patch, metadata the parse set)].
    parsed: dict[tuple[Any, str], list[tuple[nodes.Element, dict[str, Any]]]] = field(
        default_factory=dict
    )
    parses: int = 0
    shortcuts: int = 0
    reused: int = 0


#: The page the ``Locale`` transform is translating (None outside it).
_PAGE: ContextVar[Page | None] = ContextVar("gbifnode_translated_page", default=None)
#: (parser class, syntax, title form) -> whether the parser made what the shortcut makes
#: of the first plain message it was given (the code, not the build, decides this).
_VERIFIED: dict[tuple[Any, ...], bool] = {}


def _page_syntax(page: Page, source_path: str, config: Any, registry: Any,
                 settings: Any) -> Syntax | None:
    if page.known:
        return page.syntax
    page.known = True
    from sphinx.errors import SphinxError
    from sphinx.parsers import RSTParser
    from sphinx.util import get_filetype

    try:
        page.parser = registry.get_source_parser(get_filetype(config.source_suffix,
                                                              source_path))
    except SphinxError:
        return None
    name = f"{page.parser.__module__}.{page.parser.__qualname__}"
    if page.parser is RSTParser:
        page.syntax = rst_syntax(config, settings)
    elif name == "myst_parser.parsers.sphinx_.MystParser":
        page.syntax = myst_syntax(getattr(page.env, "myst_config", None))
    return page.syntax


def _metadata(env: Any) -> dict[str, Any]:
    metadata: dict[str, Any] = env.metadata.setdefault(env.docname, {})
    return metadata


def _publish(parse: Callable[[], nodes.Element], msgstr: str, source_path: str,
             line: Any, config: Any, registry: Any, settings: Any) -> nodes.Element:
    page = _PAGE.get()
    if page is None:  # not called by the Locale transform
        return parse()
    syntax = _page_syntax(page, source_path, config, registry, settings)
    title = title_text(msgstr)
    text = msgstr if title is None else title
    if syntax is None or not (title is None or syntax.titles) or not syntax.plain(text):
        return _parse(page, parse, (line, msgstr))
    verified = (page.parser, syntax, title is not None)
    if verified not in _VERIFIED:
        patch = _parse(page, parse, (line, msgstr))
        _VERIFIED[verified] = outline(patch) == outline(shortcut(text, title is not None))
        return patch
    if not _VERIFIED[verified]:
        return _parse(page, parse, (line, msgstr))
    page.shortcuts += 1
    if syntax.words_per_minute:
        _metadata(page.env)["wordcount"] = _word_count(text, syntax.words_per_minute)
    return shortcut(text, title is not None)


def _parse(page: Page, parse: Callable[[], nodes.Element],
           key: tuple[Any, str]) -> nodes.Element:
    kept = page.parsed.get(key)
    while kept:
        patch, metadata = kept.pop(0)
        # The first pass used it (a title): its children now belong to the page.
        if patch.children and all(child.parent is patch for child in patch.children):
            page.reused += 1
            _metadata(page.env).update(metadata)
            return patch
    before = dict(_metadata(page.env))
    patch = parse()
    page.parses += 1
    after = _metadata(page.env)
    changed = {name: value for name, value in after.items()
               if name not in before or before[name] is not value}
    if patch.children:  # an empty patch cannot be told apart once used
        page.parsed.setdefault(key, []).append((patch, changed))
    return patch


def _word_count(text: str, per_minute: int) -> dict[str, int]:
    """What MyST's word-count plugin records for a one-line text."""
    from mdit_py_plugins.wordcount import basic_count

    words = basic_count(text)
    return {"words": words, "minutes": round(words / per_minute)}


def adopt(document: nodes.document) -> None:
    """Make every node of *document* belong to it (translated nodes still pointed at
    the document of the message they were parsed from)."""
    for node in document.findall():
        own = node.__dict__.get("_document")
        if own is not None and own is not document:
            node.document = document


_ORIGINALS: dict[str, Any] = {}


def install() -> None:
    """Put the shortcuts into Sphinx's i18n module (once per process)."""
    from sphinx.transforms import i18n

    if _ORIGINALS or not hasattr(nodes.Node, "_document"):
        return
    locale_apply = i18n.Locale.apply
    if hasattr(i18n, "_publish_msgstr"):  # Sphinx 9
        original = i18n._publish_msgstr

        def publish_v9(source: str, source_path: str, source_line: int, *, config: Any,
                       env: Any, registry: Any, settings: Any) -> nodes.Element:
            return _publish(
                lambda: original(source, source_path, source_line, config=config, env=env,
                                 registry=registry, settings=settings),
                source, source_path, source_line, config, registry, settings,
            )

        _ORIGINALS["_publish_msgstr"] = original
        i18n._publish_msgstr = publish_v9
    elif hasattr(i18n, "publish_msgstr"):  # Sphinx 8
        original = i18n.publish_msgstr

        def publish_v8(app: Any, source: str, source_path: str, source_line: int,
                       config: Any, settings: Any) -> nodes.Element:
            return _publish(
                lambda: original(app, source, source_path, source_line, config, settings),
                source, source_path, source_line, config, app.registry, settings,
            )

        _ORIGINALS["publish_msgstr"] = original
        i18n.publish_msgstr = publish_v8
    else:
        return

    def apply(self: Any, **kwargs: Any) -> None:
        page = Page(env=self.env)
        token = _PAGE.set(page)
        try:
            locale_apply(self, **kwargs)
        finally:
            _PAGE.reset(token)
        if page.parses or page.reused:
            adopt(self.document)

    _ORIGINALS["Locale.apply"] = locale_apply
    i18n.Locale.apply = apply  # type: ignore[method-assign]


def uninstall() -> None:
    """Give Sphinx its own functions back (for comparisons in tests)."""
    from sphinx.transforms import i18n

    for name, original in _ORIGINALS.items():
        if name == "Locale.apply":
            i18n.Locale.apply = original  # type: ignore[method-assign]
        else:
            setattr(i18n, name, original)
    _ORIGINALS.clear()
    _VERIFIED.clear()


def setup(app: Sphinx) -> None:
    install()
