"""A page's kramdown body, line by line: fences, Liquid tags and kramdown extensions
(kept as comments), raw HTML blocks (kept), header ids, tables (a table of linked logos
becomes a ``partner-grid``)."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import yaml

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
            elif previous_blank and _HTML_BLOCK.match(line):
                end = index
                while end < len(lines) and lines[end].strip():
                    end += 1
                block = lines[index:end]
                self.note("kept", number, f"raw HTML kept as-is: {block[0].strip()}")
                for offset, html_line in enumerate(block):
                    self.out.add(html_line, number + offset)
                index = end
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
