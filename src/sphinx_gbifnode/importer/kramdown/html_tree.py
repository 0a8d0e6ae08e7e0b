"""HTML read into a small tree (:class:`Element`, :class:`Text`, :class:`Comment`), each
node knowing its line and where it starts and ends in the text, with the standard
library's :class:`html.parser.HTMLParser`, which never raises on bad HTML; the repairs
(a ``<b>`` that "closes" with ``<b>``, an element that never closes, a closing tag that
closes nothing) are kept as problems with their line. Also: where an HTML block of a
kramdown page ends."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

#: Elements kramdown reads as an HTML block when a line starts with them.
BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "center", "dd", "details", "dialog", "dir",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "iframe", "li", "main", "menu", "nav",
    "noscript", "object", "ol", "p", "pre", "script", "section", "style", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "ul", "video", "audio", "canvas", "embed",
    "textarea", "math", "svg",
}
#: Elements with no content.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr"}
#: Elements HTML lets close implicitly (``<p>``, ``<li>`` without their end tag).
OPTIONAL_END = {"p", "li", "td", "th", "tr", "thead", "tbody", "tfoot", "dt", "dd",
                "option"}
INLINE_MARK = {"b": "**", "strong": "**", "i": "*", "em": "*"}
MARKDOWN_ATTR = re.compile(r"""\bmarkdown\s*=\s*["']?(?:1|block|span)["']?""", re.I)


@dataclass
class Text:
    value: str
    line: int
    #: Markdown already (the inside of ``markdown="1"`` or of a Markdown paragraph).
    markdown: bool = False
    #: Where it starts in the parsed text (see :attr:`TreeBuilder.source`).
    start: int = 0


@dataclass
class Comment:
    value: str
    line: int
    start: int = 0


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list[Element | Text | Comment] = field(default_factory=list)
    #: Where it starts, where its content ends (its end tag) and where it ends, in the
    #: parsed text: a part kept as it is is that text.
    start: int = 0
    inner_end: int | None = None
    end: int | None = None


class TreeBuilder(HTMLParser):
    """HTML -> a tree of :class:`Element`; repairs noted in :attr:`problems`."""

    def __init__(self, markdown: bool = False, source: str = "") -> None:
        super().__init__(convert_charrefs=False)
        self.markdown = markdown
        self.root = Element("#root", {}, 1)
        self.stack = [self.root]
        self.problems: list[tuple[int, str]] = []
        #: The whole text when it is parsed at once (offsets of the nodes refer to it).
        self.source = source
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", source)]

    def position(self) -> int:
        """Where the parser is in :attr:`source`."""
        line, column = self.getpos()
        starts = self._line_starts
        return (starts[line - 1] if line - 1 < len(starts) else len(self.source)) + column

    def _close(self, element: Element, at: int, end: int | None = None) -> None:
        element.inner_end = at
        element.end = at if end is None else end

    def _add_text(self, value: str, markdown: bool) -> None:
        top = self.stack[-1]
        markdown = markdown or any(e.attrs.get("markdown", "").lower() in ("1", "block", "span")
                                   for e in self.stack)
        last = top.children[-1] if top.children else None
        if isinstance(last, Text) and last.markdown == markdown:
            last.value += value
        else:
            top.children.append(Text(value, self.getpos()[0], markdown, self.position()))

    def handle_data(self, data: str) -> None:
        self._add_text(data, self.markdown)

    def handle_entityref(self, name: str) -> None:
        self._ref(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._ref(f"&#{name};")

    def _ref(self, ref: str) -> None:
        # In Markdown text MyST decodes entities itself; HTML text is decoded here.
        self._add_text(ref if self.markdown else html.unescape(ref), self.markdown)

    def handle_comment(self, data: str) -> None:
        self.stack[-1].children.append(Comment(data, self.getpos()[0], self.position()))

    def handle_decl(self, decl: str) -> None:
        # <!DOCTYPE>, <?php ?>, <![CDATA[: no MyST equivalent (convert_block says so).
        self.stack[-1].children.append(Element("!" + decl.split(" ")[0].lower(), {},
                                               self.getpos()[0], start=self.position()))

    def handle_pi(self, data: str) -> None:
        self.handle_decl(data)

    def unknown_decl(self, data: str) -> None:
        self.handle_decl(data)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs, void=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]],
                        void: bool = False) -> None:
        line = self.getpos()[0]
        start = self.position()
        end = start + len(self.get_starttag_text() or "")
        attributes = {key.lower(): value or "" for key, value in attrs}
        top = self.stack[-1]
        if tag in INLINE_MARK and top.tag == tag and top.children and not attributes:
            # <b>text<b>: the second tag was meant to close the first (as it reads).
            self.problems.append((line, f"<{tag}> opened again inside <{tag}>: read as "
                                  f"</{tag}>"))
            self._close(self.stack.pop(), start, end)
            return
        if tag in OPTIONAL_END:
            closes = {"p": {"p"}, "li": {"li"}, "td": {"td", "th"}, "th": {"td", "th"},
                      "tr": {"tr", "td", "th"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}}
            while self.stack[-1].tag in closes.get(tag, set()) and len(self.stack) > 1:
                self._close(self.stack.pop(), start)
        element = Element(tag, attributes, line, start=start)
        self.stack[-1].children.append(element)
        if not void and tag not in VOID:
            self.stack.append(element)
        else:
            self._close(element, end)

    def handle_endtag(self, tag: str) -> None:
        line = self.getpos()[0]
        start = self.position()
        closing = self.source.find(">", start)
        end = closing + 1 if closing >= 0 else len(self.source)
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                for inner in self.stack[index + 1:]:
                    self._close(inner, start)
                    if inner.tag not in OPTIONAL_END:
                        self.problems.append((inner.line, f"<{inner.tag}> not closed before "
                                              f"</{tag}> (line {line}): closed there"))
                self._close(self.stack[index], start, end)
                del self.stack[index:]
                return
        if tag not in VOID:
            self.problems.append((line, f"</{tag}> closes nothing: ignored"))

    def unclosed(self) -> list[Element]:
        """Elements still open (those HTML lets close implicitly aside)."""
        return [e for e in self.stack[1:] if e.tag not in OPTIONAL_END]


def parse(text: str, markdown: bool = False) -> TreeBuilder:
    builder = TreeBuilder(markdown, text)
    builder.feed(text)
    builder.close()
    for element in builder.stack:
        if element.end is None:
            builder._close(element, len(text))
    return builder


def block_end(lines: list[str], start: int) -> tuple[int, bool]:
    """(index after the last line, closed) of the HTML block starting at *start*: up to
    the blank line after its elements close, else (HTML that does not close) the first
    blank line, as kramdown would end it."""
    builder = TreeBuilder()
    first_blank = None
    for index in range(start, len(lines)):
        if not lines[index].strip():
            if first_blank is None:
                first_blank = index
            if not builder.unclosed():
                return index, True
        builder.feed(lines[index] + "\n")
    if not builder.unclosed():
        return len(lines), True
    return (first_blank if first_blank is not None else len(lines)), False


def first_tag(line: str) -> str | None:
    match = re.match(r"\s*<([A-Za-z][\w-]*)", line)
    return match.group(1).lower() if match else None


def markdown_div(line: str) -> dict[str, str] | None:
    """The attributes of ``<div markdown="1" ...>`` alone on its line, else ``None``."""
    if not re.match(r"^\s*<div\b[^<>]*>\s*$", line, re.I) or not MARKDOWN_ATTR.search(line):
        return None
    tree = parse(line).root.children
    element = tree[0] if tree and isinstance(tree[0], Element) else None
    return element.attrs if element else None


def walk(element: Element) -> list[Element | Text | Comment]:
    found: list[Element | Text | Comment] = []
    for child in element.children:
        found.append(child)
        if isinstance(child, Element):
            found.extend(walk(child))
    return found
