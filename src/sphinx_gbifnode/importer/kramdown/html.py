"""Raw HTML that only wraps prose (paragraphs, emphasis, links, line breaks, lists,
alignment wrappers, simple tables), as MyST, so its words reach the translators'
catalogue. The parts that do more (scripts, frames, forms, styled widgets) are not
converted: :class:`NotConvertible` says why, and they are kept as their HTML and
reported. The HTML is read by :mod:`.html_tree`, whose repairs become notes with their
line."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .html_tree import BLOCK_TAGS, INLINE_MARK, Comment, Element, Text, parse, walk

_ALIGN = {"justify", "center", "right", "left"}
_DROPPED_QUIETLY = {"lang", "dir"}
#: Styles of a wrapper that only place its column (dropped, noted): the page's own
#: layout places the text now.
_LAYOUT = {"width", "max-width", "min-width", "margin", "margin-left", "margin-right",
           "margin-top", "margin-bottom", "padding", "padding-left", "padding-right",
           "padding-top", "padding-bottom"}
_ESCAPE = re.compile(r"([\\`*_\[\]<>{}&|~$])")
_LINE_START = re.compile(r"^(\s*)([#>+=:%-]|\d+[.)])")
#: A line break, as MyST passes it through (raw HTML, safe).
BREAK = "<br>"
_PARAGRAPH_BREAK = re.compile(r"(?:\s*<br>){2,}\s*")
_BREAKS_AROUND = re.compile(r"^(?:\s*<br>)+|(?:<br>\s*)+$")


class NotConvertible(Exception):
    """HTML with no faithful MyST equivalent (*line* is relative to the block)."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


def alignment(attrs: dict[str, str], line: int) -> str | None:
    """The alignment class (``text-justify``) of a wrapper, or ``None``; raises
    :class:`NotConvertible` for styles and attributes other than the alignment."""
    align = None
    for key, value in attrs.items():
        if key == "style":
            for declaration in filter(None, (d.strip() for d in value.split(";"))):
                name, _c, setting = declaration.partition(":")
                setting = setting.strip().lower()
                if name.strip().lower() == "text-align" and setting in _ALIGN:
                    align = setting
                elif name.strip().lower() not in _LAYOUT:
                    raise NotConvertible(line, f"style {declaration!r}")
        elif key == "align" and value.lower() in _ALIGN:
            align = value.lower()
        elif key == "markdown" or key in _DROPPED_QUIETLY:
            continue
        elif key == "id":
            continue  # a target (see Renderer.block)
        elif key.startswith("on"):
            raise NotConvertible(line, f"event handler {key}")
        else:
            raise NotConvertible(line, f"attribute {key}={value!r}")
    return f"text-{align}" if align else None


def continued_runs(text: str) -> list[tuple[int, str]]:
    """(line offset, first line) of each run of non-blank lines of *text* after its
    first: the report names each run of a part kept as it is."""
    lines = text.strip("\n").split("\n")
    return [(offset, lines[offset]) for offset in range(1, len(lines))
            if lines[offset].strip() and not lines[offset - 1].strip()]


def layout_styles(attrs: dict[str, str]) -> list[str]:
    """The declarations of a wrapper's style that only place its column."""
    return [declaration.strip() for declaration in attrs.get("style", "").split(";")
            if declaration.partition(":")[0].strip().lower() in _LAYOUT]


def escape(text: str) -> str:
    """HTML text as MyST text (no markup of its own)."""
    return _ESCAPE.sub(r"\\\1", text)


@dataclass
class Result:
    """A converted block: its MyST lines (each with its line in the block) and notes."""

    lines: list[tuple[str, int]]
    #: (line, kind, message): the report entries of the block.
    notes: list[tuple[int, str, str]]
    #: Whether any of it became MyST (rather than all kept as it was).
    converted: bool = True


class Renderer:
    """Renders a tree as MyST; *link* converts an http(s) or relative link target (or
    returns ``None``: the words stay, the link goes); *image* an image path; *markdown*
    converts a line of Markdown (inside ``markdown="1"``)."""

    def __init__(self, link: Callable[[str, int], str | None], image: Callable[[str, int], str],
                 markdown: Callable[[str, int], str] | None = None) -> None:
        self.link = link
        self.image = image
        self.markdown = markdown
        #: (line, kind, message): "converted" for what changed on the way, "kept" for
        #: what stays hidden as a comment.
        self.notes: list[tuple[int, str, str]] = []
        #: Site line of the block's line 0 (the block's lines count from 1).
        self.base = 0
        #: The HTML parsed (parts kept as they are are cut from it) and how many were.
        self.source = ""
        self.kept_parts = 0
        self.kept_lines = 0

    # --- blocks -------------------------------------------------------------------
    def blocks(self, children: list[Element | Text | Comment], depth: int,
               end: int | None = None) -> list[tuple[str, int]]:
        """Block-level MyST of *children* (whose parent's content ends at *end*); a part
        with no MyST equivalent is kept as its HTML, and noted, when the text is known."""
        out: list[tuple[str, int]] = []
        run: list[Element | Text] = []

        def add(lines: list[tuple[str, int]]) -> None:
            if lines:
                out.extend([("", 0)] if out else [])
                out.extend(lines)

        def flush(until: int | None) -> None:
            if run:
                try:
                    add(self.paragraph(run))
                except NotConvertible as exc:
                    add(self.kept(exc, run[0].start, until, run[0].line))
                run.clear()

        for index, child in enumerate(children):
            following = children[index + 1].start if index + 1 < len(children) else end
            if isinstance(child, Comment):
                flush(child.start)
                self.notes.append((child.line, "kept", "HTML comment (hidden on the old site) "
                                   "kept as a MyST comment"))
                add([(f"% {part}".rstrip(), child.line)
                     for part in f"<!--{child.value}-->".split("\n")])
            elif isinstance(child, Text) or child.tag not in BLOCK_TAGS:
                run.append(child)
            else:
                flush(child.start)
                try:
                    add(self.block(child, depth))
                except NotConvertible as exc:
                    add(self.kept(exc, child.start, child.end or following, child.line))
        flush(end)
        return out

    def kept(self, exc: NotConvertible, start: int, end: int | None, line: int
             ) -> list[tuple[str, int]]:
        """The HTML from *start* to *end* as it is (a raw HTML block of MyST), noted with
        why; re-raises when the text is not known."""
        raw = self.source[start:end] if self.source and end is not None else ""
        if not raw.strip():
            raise exc
        line += len(raw) - len(raw.lstrip("\n"))  # a run of text may start on a new line
        raw = raw.lstrip("\n")
        self.notes.append((exc.line, "kept", f"raw HTML kept as-is ({exc.reason} has no "
                           f"MyST equivalent): {raw.strip().splitlines()[0]}"))
        self.notes += [(line + offset, "kept", f"raw HTML kept as-is (continued from line "
                        f"{self.base + line}): {text.strip()}")
                       for offset, text in continued_runs(raw)]
        self.kept_parts += 1
        lines = raw.strip("\n").split("\n")
        rest = textwrap.dedent("\n".join(lines[1:])).split("\n") if len(lines) > 1 else []
        if not re.search(r"<(pre|script|style|textarea)\b", raw, re.I):
            # A blank line would end the HTML block: what follows would be Markdown.
            rest = [part for part in rest if part.strip()]
        kept = [(text.rstrip(), line + offset)
                for offset, text in enumerate([lines[0].strip(), *rest])]
        self.kept_lines += len(kept)
        return kept

    def block(self, element: Element, depth: int) -> list[tuple[str, int]]:
        tag, line = element.tag, element.line
        target = [(f"({element.attrs['id']})=", line)] if re.fullmatch(
            r"[A-Za-z][\w-]*", element.attrs.get("id", "")) else []
        if tag in ("div", "p", "center", "section", "article"):
            cls = alignment(element.attrs, line)
            layout = layout_styles(element.attrs)
            if layout:
                self.notes.append((line, "converted", f"<{tag}> layout style dropped (the "
                                   f"theme places the text): {'; '.join(layout)}"))
            if tag == "center":
                cls = "text-center"
            if cls and any(isinstance(node, Element) and re.fullmatch(r"h[1-6]", node.tag)
                           for node in walk(element)):
                # Its headings matter more than its alignment (a container cannot hold one).
                self.notes.append((line, "converted", f"<{tag}> alignment {cls} dropped: it "
                                   "holds headings, which a MyST container cannot"))
                cls = None
            inner = self.blocks(element.children, depth + (1 if cls else 0),
                                element.inner_end)
            if not cls or not any(text.strip() for text, _n in inner):
                return target + inner  # an empty wrapper (<p><p>: the first is empty)
            return target + self.container(cls, inner, line)
        if tag in ("ul", "ol"):
            alignment(element.attrs, line)
            return target + self.list_block(element, depth)
        if re.fullmatch(r"h[1-6]", tag):
            alignment(element.attrs, line)
            if depth:
                raise NotConvertible(line, f"<{tag}> inside an aligned wrapper (a MyST "
                                     "heading cannot be in a container)")
            text = self.inline(element.children).strip()
            return [*target, (f"{'#' * int(tag[1])} {text}", line)] if text else target
        if tag == "blockquote":
            alignment(element.attrs, line)
            inner = self.blocks(element.children, depth + 1, element.inner_end)
            return target + [(f"> {text}".rstrip(), number) for text, number in inner]
        if tag == "table":
            return target + self.table(element)
        raise NotConvertible(line, f"<{tag}>")

    def container(self, cls: str, inner: list[tuple[str, int]], line: int
                  ) -> list[tuple[str, int]]:
        deepest = max((len(m.group(0)) for text, _n in inner
                       for m in [re.match(r"^\s*(:{3,})", text)] if m), default=2)
        fence = ":" * (deepest + 1)
        return [(f"{fence}{{container}} {cls}", line), *inner, (fence, line)]

    def list_block(self, element: Element, depth: int) -> list[tuple[str, int]]:
        out: list[tuple[str, int]] = []
        number = 0
        for child in element.children:
            if isinstance(child, Text) and not child.value.strip():
                continue
            if isinstance(child, Comment):
                continue
            if not isinstance(child, Element) or child.tag != "li":
                where = child.line
                raise NotConvertible(where, f"<{element.tag}> holding more than <li>")
            alignment(child.attrs, child.line)
            number += 1
            marker = f"{number}. " if element.tag == "ol" else "- "
            inner = self.blocks(child.children, depth + 1, child.inner_end) or [
                ("", child.line)]
            for index, (text, line) in enumerate(inner):
                prefix = marker if index == 0 else " " * len(marker)
                out.append(((prefix + text) if text else "", line or child.line))
        return out

    def table(self, element: Element) -> list[tuple[str, int]]:
        rows: list[tuple[list[str], bool, int]] = []

        def walk(node: Element) -> None:
            for child in node.children:
                if isinstance(child, Text) and not child.value.strip():
                    continue
                if isinstance(child, Comment):
                    continue
                if not isinstance(child, Element):
                    raise NotConvertible(child.line, "text outside the cells of a <table>")
                if child.tag in ("thead", "tbody", "tfoot"):
                    walk(child)
                elif child.tag == "tr":
                    cells = []
                    header = True
                    for cell in child.children:
                        if isinstance(cell, Text) and not cell.value.strip():
                            continue
                        if not isinstance(cell, Element) or cell.tag not in ("td", "th"):
                            raise NotConvertible(child.line, "a <tr> holding more than cells")
                        for key in ("rowspan", "colspan"):
                            if cell.attrs.get(key, "1").strip() not in ("", "1"):
                                raise NotConvertible(cell.line, f"{key} in a table")
                        if any(isinstance(c, Element) and c.tag in BLOCK_TAGS
                               for c in cell.children):
                            raise NotConvertible(cell.line, "a table cell holding more than "
                                                 "a line of text")
                        header = header and cell.tag == "th"
                        text = self.inline(cell.children).strip()
                        cells.append(text.replace("|", "\\|").replace("\n", " "))
                    rows.append((cells, header, child.line))
                else:
                    raise NotConvertible(child.line, f"<{child.tag}> in a <table>")

        walk(element)
        if not rows:
            raise NotConvertible(element.line, "a <table> without rows")
        dropped = sorted(set(element.attrs) - {"id"})
        if dropped:
            self.notes.append((element.line, "converted", "table layout attributes dropped: "
                               + ", ".join(dropped)))
        columns = max(len(cells) for cells, _h, _n in rows)
        out = []
        if not rows[0][1]:
            out.append(("|" + "  |" * columns, element.line))
        else:
            first, _h, line = rows.pop(0)
            out.append(("| " + " | ".join(first + [""] * (columns - len(first))) + " |", line))
        out.append(("|" + " --- |" * columns, element.line))
        for cells, _h, line in rows:
            out.append(("| " + " | ".join(cells + [""] * (columns - len(cells))) + " |", line))
        return out

    def paragraph(self, run: list[Element | Text]) -> list[tuple[str, int]]:
        if all(isinstance(c, Text) and c.markdown for c in run) and self.markdown:
            return self.markdown_lines(run)  # type: ignore[arg-type]
        line = run[0].line
        out: list[tuple[str, int]] = []
        # Two line breaks in a row separate paragraphs, as they look.
        for paragraph in _PARAGRAPH_BREAK.split(self.inline(run)):
            text = _BREAKS_AROUND.sub("", paragraph.strip()).strip()
            if text:
                out.extend([("", line)] if out else [])
                out.extend((_LINE_START.sub(r"\1\\\2", part.strip()), line)
                           for part in text.split("\n"))
        return out

    def markdown_lines(self, run: list[Text]) -> list[tuple[str, int]]:
        assert self.markdown is not None
        out: list[tuple[str, int]] = []
        for text in run:
            parts = text.value.split("\n")
            indent = min((len(p) - len(p.lstrip()) for p in parts if p.strip()), default=0)
            for offset, part in enumerate(parts):
                line = text.line + offset
                out.append((self.markdown(part[indent:], self.base + line) if part.strip()
                            else "", line))
        while out and not out[0][0]:
            out.pop(0)
        while out and not out[-1][0]:
            out.pop()
        return out

    # --- inline -------------------------------------------------------------------
    def inline(self, children: Sequence[Element | Text | Comment]) -> str:
        parts = []
        for child in children:
            if isinstance(child, Text):
                if child.markdown:
                    parts.append(child.value)
                elif child.value.strip():
                    lead = " " if child.value[0].isspace() else ""
                    trail = " " if child.value[-1].isspace() else ""
                    parts.append(lead + escape(" ".join(child.value.split())) + trail)
                elif child.value:
                    parts.append(" ")
            elif isinstance(child, Comment):
                self.notes.append((child.line, "kept", "HTML comment (hidden on the old site) "
                                   "left out of the text"))
            else:
                parts.append(self.inline_element(child))
        return "".join(parts)

    def inline_element(self, element: Element) -> str:
        tag, attrs, line = element.tag, element.attrs, element.line
        for key in attrs:
            if key.startswith("on"):
                raise NotConvertible(line, f"event handler {key}")
        if tag == "br":
            # Kept as HTML: a msgid holds it, so the twin's <br> is a translation's, and
            # a table cell or a heading may hold it too.
            return BREAK
        if tag in INLINE_MARK:
            self._only(element, set())
            return _wrap(self.inline(element.children), INLINE_MARK[tag])
        if tag in ("sup", "sub"):
            self._only(element, set())
            inner = self.inline(element.children).strip()
            return f"{{{tag}}}`{inner.replace('`', '')}`" if inner else ""
        if tag == "code":
            self._only(element, set())
            raw = "".join(c.value for c in element.children if isinstance(c, Text))
            return f"`` {raw} ``" if "`" in raw else f"`{raw}`"
        if tag == "span":
            self._only(element, set())
            return self.inline(element.children)
        if tag == "a":
            return self.anchor(element)
        if tag == "img":
            return self.img(element)
        raise NotConvertible(line, f"<{tag}>")

    def _only(self, element: Element, allowed: set[str]) -> None:
        for key, value in element.attrs.items():
            if key not in allowed | _DROPPED_QUIETLY:
                raise NotConvertible(element.line, f"<{element.tag} {key}={value!r}>")

    def anchor(self, element: Element) -> str:
        self._only(element, {"href", "title", "target", "rel", "name", "id"})
        text = self.inline(element.children)
        href = element.attrs.get("href", "").strip()
        if href == "#":
            href = ""  # a link that scripts handled: nothing to follow
        if not href:
            if element.attrs.get("name") or element.attrs.get("id"):
                self.notes.append((element.line, "converted", "HTML anchor <a name> dropped (MyST "
                                   "headings have their own anchors)"))
            return text
        scheme = re.match(r"^([A-Za-z][\w+.-]*):", href)
        if scheme and scheme.group(1).lower() not in ("http", "https"):
            self.notes.append((element.line, "converted", f"link {href[:80]} is not an http(s) or "
                               "relative address: the words are kept, the link is not"))
            return text
        target = self.link(href, self.base + element.line)
        if target is None:
            return text
        target = re.sub(r"[\s()<>]", lambda m: f"%{ord(m.group(0)):02X}", target)
        lead, core, trail = _split_space(text)
        if not core:
            return text
        return f"{lead}[{core}]({target}){trail}"

    def img(self, element: Element) -> str:
        self._only(element, {"src", "alt", "title", "width", "height"})
        src = element.attrs.get("src", "").strip()
        if not src or (re.match(r"^[A-Za-z][\w+.-]*:", src) and
                       not src.lower().startswith(("http:", "https:"))):
            raise NotConvertible(element.line, f"<img src={src[:60]!r}>")
        path = self.image(src, self.base + element.line)
        path = re.sub(r"[\s()<>]", lambda m: f"%{ord(m.group(0)):02X}", path)
        alt = escape(" ".join(element.attrs.get("alt", "").split()))
        sizes = [f"{key}={value}" + ("px" if value.isdigit() else "")
                 for key in ("width", "height")
                 for value in [element.attrs.get(key, "").strip()]
                 if re.fullmatch(r"\d+(?:px|%)?", value)]
        return f"![{alt}]({path})" + (f"{{{' '.join(sizes)}}}" if sizes else "")


def _split_space(text: str) -> tuple[str, str, str]:
    core = text.strip()
    if not core:
        return text, "", ""
    start = text.index(core[0])
    return text[:start], core, text[start + len(core):]


def _wrap(text: str, mark: str) -> str:
    lead, core, trail = _split_space(text)
    core = _BREAKS_AROUND.sub("", core)
    return f"{lead}{mark}{core}{mark}{trail}" if core else text


def convert_block(text: str, renderer: Renderer) -> Result:
    """An HTML block as MyST; raises :class:`NotConvertible`."""
    builder = parse(text)
    renderer.source = text
    lines = renderer.blocks(builder.root.children, 0, len(text))
    notes = [(line, _kind(message), message) for line, message in builder.problems]
    for element in builder.unclosed():
        notes.append((element.line, "error", f"<{element.tag}> does not close: closed at "
                      "the end of the block"))
    notes += renderer.notes
    return Result(lines, notes, renderer.kept_lines < sum(1 for text, _n in lines if text))


def convert_inline(text: str, renderer: Renderer) -> tuple[str, list[tuple[int, str, str]]]:
    """The span HTML of a Markdown line (``<b>``, ``<a href>``, ``<br>``) as MyST; the
    text around it is Markdown already. Raises :class:`NotConvertible`."""
    builder = parse(text, markdown=True)
    for element in builder.unclosed():
        raise NotConvertible(element.line, f"<{element.tag}> does not close on its line")
    for child in walk(builder.root):
        if isinstance(child, Element) and child.tag in BLOCK_TAGS:
            raise NotConvertible(child.line, f"<{child.tag}> within a line")
    converted = renderer.inline(builder.root.children)
    return converted, [(line, _kind(message), message) for line, message in builder.problems] + (
        renderer.notes)


def _kind(problem: str) -> str:
    """A stray end tag changes nothing a reader sees (a conversion note); the other
    repairs change what was shown (problems)."""
    return "converted" if problem.endswith("closes nothing: ignored") else "error"
