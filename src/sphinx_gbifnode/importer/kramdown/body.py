"""A page's kramdown body, line by line: fences, Liquid tags and kramdown extensions
(kept as comments), raw HTML blocks (kept), header ids, tables (a table of linked logos
becomes a ``partner-grid``)."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import yaml

from .. import liquid
from . import html, html_tree
from .page import PageBase

#: A code fence (its content is copied as it is).
_FENCE = re.compile(r"^\s*(```+|~~~+)")
#: A line that is only a Liquid tag (``{% include ... %}``): kept as a comment.
_LIQUID_TAG_LINE = re.compile(r"^\s*\{%.*%\}\s*$")
#: A kramdown block attribute list (``{: .class}``) on a line of its own.
_BLOCK_IAL = re.compile(r"^\s*\{:.*\}\s*$")
#: A kramdown extension (``{::options ...}``).
_KRAMDOWN_EXTENSION = re.compile(r"^\s*\{::")
#: The start of a raw HTML block (after a blank line).
_HTML_BLOCK = re.compile(r"^\s*<(?:!--|[A-Za-z][\w-]*[\s>/]|[A-Za-z][\w-]*$)")
#: The end of a ``<div markdown="1">``.
_DIV_END = re.compile(r"</div>\s*$", re.IGNORECASE)
#: A heading with an explicit id (``## Title {#id}``): a MyST target then the heading.
_HEADER_ID = re.compile(r"^(#{1,6}\s.*?)\s*\{#([\w-]+)\}\s*$")
#: A table's separator row (``|---|:--:|``).
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
#: A table cell that is a (linked) logo: a table of them becomes a partner grid.
_LOGO_CELL = re.compile(
    r"^\s*(?:\[\s*)?!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)\)(?:\{:?(?P<attrs>[^}]*)\})?\s*"
    r"(?:\]\((?P<url>[^)\s]+)\))?\s*$"
)
#: ``name="value"`` in a logo's attribute list (its ``height``).
_ATTR = re.compile(r"([\w-]+)\s*=\s*\"([^\"]*)\"")


class Body(PageBase):
    """Converts the body of a page, and its tables."""

    def body(self, as_comment: bool = False) -> None:
        lines = self.page.body.split("\n")
        index = 0
        fence: str | None = None
        #: ``<div markdown="1">`` open: (closing fence, line).
        markdown_divs: list[tuple[str, int]] = []
        while index < len(lines):
            line = lines[index]
            number = self.page.body_line + index
            if as_comment:
                self.out.add(f"% {line}" if line.strip() else "%", number)
                index += 1
                continue
            fence_match = _FENCE.match(line)
            if fence is not None:
                self.out.add(line, number)
                if fence_match and fence_match.group(1)[0] == fence[0]:
                    fence = None
                index += 1
                continue
            if fence_match:
                fence = fence_match.group(1)
                self.out.add(line, number)
                index += 1
                continue
            previous_blank = index == 0 or not lines[index - 1].strip()
            if _LIQUID_TAG_LINE.match(line):
                self.note("kept", number, f"Liquid tag kept as a comment: {line.strip()}")
                self.out.add(f"% {line.strip()}", number)
            elif line.strip() == "{::comment}":
                # A kramdown comment: hidden on the old site, a MyST comment here.
                end = index
                while end < len(lines) and lines[end].strip() != "{:/comment}":
                    end += 1
                for offset, comment in enumerate(lines[index:end + 1]):
                    self.out.add(f"% {comment}".rstrip(), number + offset)
                index = end + 1
                continue
            elif _BLOCK_IAL.match(line) or _KRAMDOWN_EXTENSION.match(line):
                self.note("kept", number, f"kramdown block attribute kept as a comment: "
                          f"{line.strip()}")
                self.out.add(f"% {line.strip()}", number)
            elif markdown_divs and _DIV_END.search(line):
                # "text</div>": the text, then the end of the <div markdown="1">
                before = _DIV_END.sub("", line)
                if before.strip():
                    self.out.add(self.body_line(before, number), number)
                closing, _start = markdown_divs.pop()
                self.out.add("", number)
                self.out.add(closing, number)
                self.out.add("", number)
            elif _HTML_BLOCK.match(line) and (
                    (previous_blank and line.lstrip().startswith("<!--"))
                    # kramdown ends a paragraph at a line that starts a block element
                    or html_tree.first_tag(line) in html_tree.BLOCK_TAGS):
                attrs = html_tree.markdown_div(line)
                if attrs is not None:
                    markdown_divs.append((self.markdown_div(attrs, number,
                                                            len(markdown_divs)), number))
                    index += 1
                    continue
                index = self.html_block(lines, index, number)
                continue
            elif line.lstrip().startswith("|") and previous_blank:
                end = index
                while end < len(lines) and lines[end].lstrip().startswith("|"):
                    end += 1
                self.table(lines[index:end], number)
                index = end
                continue
            else:
                header = _HEADER_ID.match(line)
                if header:
                    self.out.add(f"({header.group(2)})=", number)
                    line = header.group(1)
                self.out.add(self.body_line(line, number), number)
            index += 1

        for closing, start in reversed(markdown_divs):
            self.note("error", start, "<div markdown=\"1\"> does not close: closed at the "
                      "end of the page")
            self.out.add("", start)
            self.out.add(closing, start)

    # --- raw HTML -------------------------------------------------------------------
    def renderer(self, number: int) -> html.Renderer:
        """An HTML renderer for a block whose line 1 is site line *number*."""
        renderer = html.Renderer(self.link, self.image_path, self.markdown_line)
        renderer.base = number - 1
        return renderer

    def markdown_line(self, line: str, number: int) -> str:
        return self.body_line(line, number)

    def markdown_div(self, attrs: dict[str, str], number: int, depth: int) -> str:
        """Open the container of a ``<div markdown="1">`` (its inside is Markdown);
        returns the fence that closes it."""
        try:
            cls = html.alignment(attrs, 1) or ""
        except html.NotConvertible as exc:
            self.note("kept", number, f"<div markdown=\"1\">: {exc.reason} has no MyST "
                      "equivalent and is left out; its Markdown is converted")
            cls = ""
        fence = ":" * max(4, 10 - depth)
        self.note("converted", number, f"<div markdown=\"1\"> -> a MyST container {cls}")
        self.out.add("", number)
        self.out.add(f"{fence}{{container}} {cls}".rstrip(), number)
        return fence

    def html_block(self, lines: list[str], index: int, number: int) -> int:
        """Convert (or keep, reported) the HTML block at *index*; the index after it."""
        if lines[index].lstrip().startswith("<!--"):
            return self.html_comment(lines, index, number)
        end, closed = html_tree.block_end(lines, index)
        # Jekyll renders the Liquid output of the page before kramdown reads its HTML.
        block = [liquid.render(html_line, self.context, self._unresolved(number + offset))
                 for offset, html_line in enumerate(lines[index:end])]
        renderer = self.renderer(number)
        try:
            result = html.convert_block("\n".join(block), renderer)
        except html.NotConvertible as exc:
            if not closed:
                self.note("error", number, f"HTML that does not close: {block[0].strip()} "
                          "(the block ends at the first blank line)")
            self.note("kept", number + exc.line - 1, f"raw HTML kept as-is ({exc.reason} "
                      f"has no MyST equivalent): {block[0].strip()}")
            for offset, text in html.continued_runs("\n".join(block)):
                self.note("kept", number + offset, f"raw HTML kept as-is (continued from "
                          f"line {number}): {text.strip()}")
            for offset, html_line in enumerate(block):
                self.out.add(html_line, number + offset)
            return end
        if not renderer.kept_parts:
            self.note("converted", number, f"HTML that wraps prose -> MyST: {block[0].strip()}")
        elif result.converted:
            self.note("converted", number, f"HTML partly converted to MyST ({renderer.kept_parts} "
                      f"parts kept as they are, listed apart): {block[0].strip()}")
        for line, kind, message in result.notes:
            self.note(kind, number + line - 1, message)
        for text, line in result.lines:
            self.out.add(text, number + max(line, 1) - 1)
        return end

    def html_comment(self, lines: list[str], index: int, number: int) -> int:
        """An HTML comment (what it hides was not shown on the old site): a MyST comment."""
        end = index
        while end < len(lines) and "-->" not in lines[end]:
            end += 1
        if end == len(lines):
            self.note("error", number, "HTML comment does not close: the rest of the page, "
                      "hidden on the old site, is kept as a MyST comment")
            end -= 1
        hidden = lines[index:end + 1]
        if any(line.strip() for line in hidden[1:-1]) or len(hidden) > 1:
            self.note("kept", number, f"HTML comment over {len(hidden)} lines (hidden on "
                      "the old site) kept as a MyST comment")
        for offset, comment in enumerate(hidden):
            self.out.add(f"% {comment}".rstrip(), number + offset)
        return end + 1

    # --- tables ----------------------------------------------------------------------
    def table(self, rows: list[str], number: int) -> None:
        cells = [_cells(row) for row in rows]
        body = [(row, cell, number + i) for i, (row, cell) in enumerate(zip(rows, cells,
                                                                              strict=True))
                if not _TABLE_SEPARATOR.match(row)]
        logos = [[_LOGO_CELL.match(c) for c in cell if c.strip()] for _r, cell, _n in body]
        if body and all(row and all(logos_row) for row in logos for logos_row in [row]):
            self.partner_grid(logos, max(len(cell) for _r, cell, _n in body), number)
            return
        if _TABLE_SEPARATOR.match(rows[0]):
            # kramdown allows a table without a header row; MyST (GFM) does not.
            columns = max(len(cell) for cell in cells)
            self.out.add("|" + "  |" * columns, number)
            self.out.add("|" + " --- |" * columns, number)
            self.note("converted", number, "table without a header row: an empty one added")
            rows, start = rows[1:], number + 1
        else:
            start = number
        for offset, row in enumerate(rows):
            self.out.add(self.inline(row, start + offset), start + offset)

    def partner_grid(self, rows: list[list[Any]], columns: int, number: int) -> None:
        heights: Counter[str] = Counter()
        partners = []
        for row in rows:
            for match in row:
                attrs = dict(_ATTR.findall(match.group("attrs") or ""))
                if attrs.get("height"):
                    heights[attrs["height"]] += 1
                item: dict[str, str] = {"name": match.group("alt").strip() or "partner"}
                item["logo"] = self.image_path(match.group("src"), number)
                url = self.link(match.group("url"), number) if match.group("url") else None
                if url:
                    item["url"] = url
                partners.append(item)
        self.note("converted", number, f"table of {len(partners)} linked logos -> partner-grid")
        self.out.add(":::{partner-grid}", number)
        self.out.add(f":columns: {min(columns, 12)}", number)
        if heights:
            self.out.add(f":logo-height: {heights.most_common(1)[0][0]}", number)
        self.out.add("", number)
        dumped = yaml.safe_dump(partners, allow_unicode=True, sort_keys=False, width=10_000)
        self.out.add(dumped.rstrip("\n"), number)
        self.out.add(":::", number)


def _cells(row: str) -> list[str]:
    inner = row.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return [cell.strip() for cell in inner.split("|")]
