"""Translating a page costs about what reading it costs.

Sphinx's ``Locale`` transform hands every translated message (``msgstr``) to a parser,
as if it were a small page of its own, and does it twice: once in its first pass (where
only the result for section titles and glossary terms is used) and once more in its
second pass. On a French node site that was most of the build. Six changes, each
giving the same pages as Sphinx alone (tested on every page of the docs and of a
generated site, in MyST and in reStructuredText):

* **Plain messages are not parsed.** A ``msgstr`` in which neither syntax can see any
  markup (letters, digits, spaces and harmless punctuation on one line; see
  :func:`plain_text`) becomes what the parser would have made of it: a paragraph with
  one text node (or a section title, for the form the second pass uses for titles).
  Whether the active parser really does make that is checked once per process and
  configuration on the first such message, by parsing it; if not, nothing is skipped.
* **Messages with simple inline markup are not parsed either** (MyST): an emphasis, a
  strong word, a code span or a link to a web page in a line of text, read under
  strict rules in :mod:`.inline_messages`, become the nodes MyST makes of them. That
  the parser makes the same is checked once per process, configuration and shape of
  message (the kinds of its parts in order), on the first such message.
* **No reference bookkeeping where there are no references.** Sphinx carries the
  footnote, citation, named and cross-references of the original over to the
  translation, looking for each kind in both with a walk of its own; where neither
  holds any (one walk finds out), those steps compare empty lists and are skipped.
* **No search for targets a page does not have.** When a section title is translated,
  Sphinx walks the whole page for link targets that name the old title, once per
  title. Whether the page holds any target by name is found with one walk per page
  (again after a message is really parsed, which may bring one); without any, the
  per-title walks would find nothing and are skipped.
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

from .inline_messages import inline_parts, paragraph, shape, words
from .inline_messages import outline as node_outline

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
    return not _TIGHT_COLON.search(text) and paragraph_line(text)


def paragraph_line(text: str) -> bool:
    """Whether *text* (not empty, without surrounding space) is a line that can only
    be a paragraph: a start that opens no block (a letter, digit or quote, and no list
    marker) and no control or invisible character."""
    if not (text[0].isalnum() or text[0] in _OPENING):
        return False
    if _LIST_MARKER.match(text):
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
    #: URL schemes of links made without the parser (MyST: see .inline_messages).
    links: frozenset[str] | None = None  # None: inline markup is always parsed

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
    links: frozenset[str] | None = None
    if "substitution" not in extensions or tuple(config.sub_delimiters) == ("{", "}"):
        links = frozenset() if getattr(config, "links_external_new_tab", True) else frozenset(
            scheme for scheme, conversion in getattr(config, "url_schemes", {}).items()
            if scheme in ("http", "https") and conversion is None
        )
    return Syntax(
        name="myst",
        markup=markup_pattern(extra),
        rewritten=re.compile(_REPLACEMENTS, re.IGNORECASE) if rewritten else None,
        # A parsed title records its slug in the page's metadata: leave titles to it.
        titles=not config.heading_anchors,
        words_per_minute=config.words_per_minute,
        links=links,
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
    document: nodes.document | None = None
    syntax: Syntax | None = None
    parser: type | None = None
    known: bool = False
    #: What was parsed: (line, msgstr) -> [(patch, metadata the parse set)].
    parsed: dict[tuple[Any, str], list[tuple[nodes.Element, dict[str, Any]]]] = field(
        default_factory=dict
    )
    #: Paragraphs made without the parser: (line, msgstr) -> paragraph.
    made: dict[tuple[Any, str], nodes.Element] = field(default_factory=dict)
    #: The word count MyST would have recorded last: of this message's text (or inline
    #: parts), counted once the transform is done, since each parse overwrites the one
    #: before (None: the last message was really parsed, and MyST recorded it).
    wordcount: tuple[Any, int] | None = None
    #: Whether the page holds a link target by name (None: not looked for since the
    #: last real parse).
    named_targets: bool | None = None
    parses: int = 0
    shortcuts: int = 0
    reused: int = 0
    inline: int = 0


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
    if syntax is None or not (title is None or syntax.titles):
        return _parse(page, parse, (line, msgstr))
    if not syntax.plain(text):
        if title is None and syntax.links is not None and msgstr == msgstr.strip() \
                and msgstr and paragraph_line(msgstr):
            return _inline(page, parse, msgstr, syntax, f"{source_path}:{line}:<translated>",
                           line, settings)
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
        page.wordcount = (text, syntax.words_per_minute)
    return shortcut(text, title is not None)


def _inline(page: Page, parse: Callable[[], nodes.Element], msgstr: str, syntax: Syntax,
            source: str, line: Any, settings: Any) -> nodes.Element:
    """A message with simple inline markup (see :mod:`.inline_messages`): its nodes made
    directly once the parser has been seen to make the same for its shape."""
    assert syntax.links is not None
    parts = inline_parts(msgstr, syntax.markup, syntax.rewritten, syntax.links)
    if parts is None:
        return _parse(page, parse, (line, msgstr))
    verified = (page.parser, syntax, shape(parts))
    if verified not in _VERIFIED:
        patch = _parse(page, parse, (line, msgstr))
        candidate = paragraph(msgstr, parts, source, page.document)
        # Node for node: classes, attributes, raw source, text, line and source.
        _VERIFIED[verified] = (candidate is not None
                               and node_outline(candidate) == node_outline(patch))
        return patch
    if not _VERIFIED[verified]:
        return _parse(page, parse, (line, msgstr))
    made: nodes.Element | None = page.made.pop((line, msgstr), None)
    # The first pass's paragraph, unless it used it (a title's): its children then
    # belong to the page.
    if made is None or not all(child.parent is made for child in made.children):
        made = paragraph(msgstr, parts, source, page.document)
        if made is None:
            return _parse(page, parse, (line, msgstr))
        page.made[(line, msgstr)] = made
    page.inline += 1
    # What MyST's renderer leaves behind besides the nodes: the word count of the text
    # (in the page's metadata) and three settings of the page taken from the config.
    config = page.env.myst_config
    settings.myst_heading_anchors_html_ids = config.heading_anchors_html_ids
    settings.myst_footnote_transition = config.footnote_transition
    settings.myst_footnote_sort = config.footnote_sort
    if syntax.words_per_minute:
        page.wordcount = (parts, syntax.words_per_minute)
    return made


def _parse(page: Page, parse: Callable[[], nodes.Element],
           key: tuple[Any, str]) -> nodes.Element:
    kept = page.parsed.get(key)
    while kept:
        patch, metadata = kept.pop(0)
        # The first pass used it (a title): its children now belong to the page.
        if patch.children and all(child.parent is patch for child in patch.children):
            page.reused += 1
            if metadata:
                _metadata(page.env).update(metadata)
            if "wordcount" in metadata:
                page.wordcount = None  # what that parse recorded is the latest again
            return patch
    before = dict(page.env.metadata.get(page.env.docname, {}))
    patch = parse()
    page.parses += 1
    page.named_targets = None  # the parsed message may bring a target into the page
    after = page.env.metadata.get(page.env.docname, {})
    changed = {name: value for name, value in after.items()
               if name not in before or before[name] is not value}
    if "wordcount" in changed:
        page.wordcount = None  # MyST recorded this message's count
    if patch.children:  # an empty patch cannot be told apart once used
        page.parsed.setdefault(key, []).append((patch, changed))
    return patch


def _record_word_count(page: Page) -> None:
    """Leave in the page's metadata the word count MyST's plugin would have left: that
    of the last message, had each been parsed."""
    if page.wordcount is None:
        return
    from mdit_py_plugins.wordcount import basic_count

    message, per_minute = page.wordcount
    count = basic_count(message) if isinstance(message, str) else words(message)
    _metadata(page.env)["wordcount"] = {"words": count, "minutes": round(count / per_minute)}


def adopt(document: nodes.document) -> None:
    """Make every node of *document* belong to it (translated nodes still pointed at
    the document of the message they were parsed from)."""
    for node in document.findall():
        own = node.__dict__.get("_document")
        if own is not None and own is not document:
            node.document = document


#: Methods of Sphinx's ``_NodeUpdater`` that only look at references of the kinds
#: :func:`has_references` finds: with none in the original node and none in the
#: translation, each compares two empty lists and changes nothing.
REFERENCE_UPDATES = ("update_autofootnote_references", "update_refnamed_references",
                     "update_refnamed_footnote_references", "update_citation_references",
                     "update_pending_xrefs")


def has_references(node: nodes.Node) -> bool:
    """Whether *node* holds a footnote or citation reference, a reference by name or a
    pending cross-reference: what Sphinx's updaters carry over to a translation."""
    from sphinx.addnodes import pending_xref

    for child in node.findall(nodes.Element):
        if isinstance(child, (nodes.footnote_reference, nodes.citation_reference,
                              pending_xref)):
            return True
        if isinstance(child, nodes.reference) and "refname" in child.attributes:
            return True
    return False


def _skipping_without_references(update: Callable[[Any], None]) -> Callable[[Any], None]:
    def wrapped(self: Any) -> None:
        # Decided once per updater, before the first of its updates changes anything.
        plain = self.__dict__.get("_gbifnode_no_references")
        if plain is None:
            plain = not (has_references(self.node) or has_references(self.patch))
            self._gbifnode_no_references = plain
        if not plain:
            update(self)

    return wrapped


def _named_targets(document: nodes.Node) -> bool:
    """Whether the page being translated holds a link target by name (True when that
    cannot be told: outside the ``Locale`` transform, or another document)."""
    page = _PAGE.get()
    if page is None or page.document is not document:
        return True
    if page.named_targets is None:
        page.named_targets = any("refname" in target.attributes
                                 for target in document.findall(nodes.target))
    return page.named_targets


def _target_matcher(matcher: type) -> type:
    """Sphinx's ``NodeMatcher`` as its i18n module sees it: a search of the whole page
    for targets by name finds nothing, at once, on a page that holds none."""

    class TargetMatcher(matcher):  # type: ignore[misc]
        def findall(self, node: nodes.Node) -> Any:
            if (self.classes == (nodes.target,) and "refname" in self.attrs
                    and isinstance(node, nodes.document) and not _named_targets(node)):
                return iter(())
            return super().findall(node)

    return TargetMatcher


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
        page = Page(env=self.env, document=self.document)
        token = _PAGE.set(page)
        try:
            locale_apply(self, **kwargs)
            _record_word_count(page)
        finally:
            _PAGE.reset(token)
        if page.parses or page.reused:
            adopt(self.document)

    _ORIGINALS["Locale.apply"] = locale_apply
    i18n.Locale.apply = apply  # type: ignore[method-assign]
    matcher = getattr(i18n, "NodeMatcher", None)
    if isinstance(matcher, type) and hasattr(matcher, "findall"):
        _ORIGINALS["NodeMatcher"] = matcher
        setattr(i18n, "NodeMatcher", _target_matcher(matcher))  # noqa: B010
    updater = getattr(i18n, "_NodeUpdater", None)
    if updater is not None and all(callable(getattr(updater, name, None))
                                   for name in REFERENCE_UPDATES):
        for name in REFERENCE_UPDATES:
            _ORIGINALS[f"_NodeUpdater.{name}"] = getattr(updater, name)
            setattr(updater, name, _skipping_without_references(getattr(updater, name)))


def uninstall() -> None:
    """Give Sphinx its own functions back (for comparisons in tests)."""
    from sphinx.transforms import i18n

    for name, original in _ORIGINALS.items():
        if name == "Locale.apply":
            i18n.Locale.apply = original  # type: ignore[method-assign]
        elif name.startswith("_NodeUpdater."):
            setattr(i18n._NodeUpdater, name.partition(".")[2], original)
        else:
            setattr(i18n, name, original)
    _ORIGINALS.clear()
    _VERIFIED.clear()


def setup(app: Sphinx) -> None:
    install()
