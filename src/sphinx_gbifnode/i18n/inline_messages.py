"""Translated MyST messages with simple inline markup, made without the parser.

Most translated messages that are not plain text carry a little inline markup and
nothing else: an emphasis, a strong word, a code span, a link to a web page. For those,
MyST's work (markdown-it's block and inline rules, its token tree, a renderer set up
on a new document) costs ten times what the few nodes it makes do. :func:`inline_parts`
reads such a message into parts under rules strict enough that CommonMark has only
one reading of it:

* the message is one line that opens no block (as for a plain message);
* text between the markup has none of the characters that are or start markup;
* ``*word*`` and ``**word**`` open after a space, an opening parenthesis or the start,
  hold plain text that begins and ends with a letter or digit, and close before a
  space, the end or one of ``.,;:!?)``: each delimiter can only open or only close;
* a code span holds no backtick and no surrounding space;
* a link is ``[plain text](http(s) address)``, not after ``!``, with an address of
  the characters an address needs and nothing markdown-it would unescape; it renders
  as a plain reference only where MyST's configuration converts nothing for its
  scheme.

Anything else (and any part that breaks a rule) goes to the parser. :func:`paragraph`
makes the nodes MyST makes of the parts: the same classes, attributes, raw source,
line and source. The caller checks that claim once per process and shape of message
(the sequence of kinds of parts) against the parser's own result; a shape that differs
is always parsed.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, TypeVar

from docutils import nodes

_N = TypeVar("_N", bound=nodes.Node)

#: One piece of inline markup; whatever lies between two of them is text.
_MARKUP_PART = re.compile(
    r"\*\*(?P<strong>[^*]+)\*\*"
    r"|\*(?P<em>[^*]+)\*"
    r"|`(?P<code>[^`]+)`"
    r"|\[(?P<link>[^\[\]]+)\]\((?P<url>https?://[A-Za-z0-9\-._~:/?#@!$+,;=%]+)\)"
)
#: What may come right before an emphasis opens, and right after it closes.
_BEFORE_OPENING = frozenset(" (")
_AFTER_CLOSING = frozenset(" .,;:!?)")
#: A colon that may start a URI or a role in the text around the markup.
_TIGHT_COLON = re.compile(r":(?=\S)")

Part = tuple[str, str, str]  # (kind, text, address): kind is text/em/strong/code/link


def _text_ok(text: str, markup: re.Pattern[str], rewritten: re.Pattern[str] | None) -> bool:
    return not (markup.search(text) or _TIGHT_COLON.search(text)
                or (rewritten is not None and rewritten.search(text)))


def _word(text: str) -> bool:
    """Inner text of an emphasis: plain, starting and ending with a letter or digit."""
    return bool(text) and text[0].isalnum() and text[-1].isalnum()


def inline_parts(message: str, markup: re.Pattern[str], rewritten: re.Pattern[str] | None,
                 schemes: frozenset[str]) -> list[Part] | None:
    """The parts of a one-line *message* with simple inline markup (see the module's
    rules), or None when the parser must read it. *markup* and *rewritten* are what
    the syntax treats as markup and rewrites in text; *schemes* are the URL schemes
    whose links MyST renders as plain references."""
    parts: list[Part] = []
    position = 0
    for match in _MARKUP_PART.finditer(message):
        start, end = match.span()
        if start > position:
            parts.append(("text", message[position:start], ""))
        before = message[start - 1] if start else " "
        after = message[end] if end < len(message) else " "
        kind = match.lastgroup if match.lastgroup != "url" else "link"
        inner = match.group(kind)  # type: ignore[arg-type]
        if kind in ("em", "strong"):
            if before not in _BEFORE_OPENING or after not in _AFTER_CLOSING:
                return None
            if not _word(inner) or not _text_ok(inner, markup, rewritten):
                return None
            parts.append((kind, inner, ""))
        elif kind == "code":
            if inner != inner.strip():
                return None
            parts.append((kind, inner, ""))
        else:
            url = match.group("url")
            if before == "!" or url.partition(":")[0] not in schemes:
                return None
            if inner != inner.strip() or not _text_ok(inner, markup, rewritten):
                return None
            parts.append(("link", inner, url))
        position = end
    if not parts:
        return None
    if position < len(message):
        parts.append(("text", message[position:], ""))
    elif parts[-1][0] == "strong":
        # markdown-it leaves the second character of the closing delimiter as an empty
        # text token, which only the text after it would absorb.
        parts.append(("text", "", ""))
    if all(kind == "text" for kind, _text, _url in parts):
        return None
    for kind, text, _url in parts:
        if kind == "text" and not _text_ok(text, markup, rewritten):
            return None
    return parts


def shape(parts: list[Part]) -> tuple[str, ...]:
    """The kinds of parts in order: what one check against the parser covers."""
    return tuple(kind for kind, _text, _url in parts)


@lru_cache(maxsize=4096)
def normalized_link(url: str) -> str | None:
    """The address markdown-it gives a link (percent-encoded), or None when it would
    not make a link of it."""
    from markdown_it.common.normalize_url import normalizeLink, validateLink

    href = normalizeLink(url)
    return href if validateLink(href) else None


def paragraph(message: str, parts: list[Part], source: str,
              document: nodes.document | None = None) -> nodes.paragraph | None:
    """The paragraph MyST makes of *message* (read into *parts*) in a message document
    whose source is *source*, its nodes belonging to *document* (the page) as the
    parsed ones do once Sphinx's transform is done; None when a link's address would
    not make a link."""
    made: list[nodes.Node] = []

    def located(node: _N) -> _N:
        node.source = source
        node.line = 1
        made.append(node)
        return node

    para = located(nodes.paragraph(message))
    for kind, text, url in parts:
        child: nodes.Node
        if kind == "text":
            child = nodes.Text(text)
        elif kind == "code":
            child = nodes.literal(text, text)
            made.append(child[0])  # made with the literal: no line or source of its own
        else:
            element: nodes.Element
            if kind == "link":
                href = normalized_link(url)
                if href is None:
                    return None
                element = nodes.reference()
                element["refuri"] = href
            else:
                element = nodes.emphasis() if kind == "em" else nodes.strong()
            element.append(located(nodes.Text(text)))
            child = element
        para.append(located(child))
    if document is not None:
        for node in made:
            node.document = document
    return para


def words(parts: list[Part]) -> int:
    """The words MyST's word count finds in the text tokens of the message."""
    from mdit_py_plugins.wordcount import basic_count

    return sum(basic_count(text) for kind, text, _url in parts if kind != "code")


def outline(node: nodes.Node) -> Any:
    """Everything of a node tree that a page or a warning can show: classes,
    attributes, raw source, text, line and source of every node."""
    own = (type(node).__name__, getattr(node, "source", None), getattr(node, "line", None))
    if isinstance(node, nodes.Text):
        return (*own, str(node))
    assert isinstance(node, nodes.Element)
    return (*own, node.rawsource, repr(sorted(node.attributes.items())),
            tuple(outline(child) for child in node.children))
