"""What the conversion of a page shares: the MyST being written, each line with the
site line it came from, the report, and inline kramdown (Liquid output, attribute lists,
links, images) made MyST."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import liquid
from ..jekyll_site import Page, PageGroup, Site
from ..report import Report
from . import html
from .links import LinkMap

#: An HTML tag within a line (kept as-is in a page, reduced to text in ``_data``).
INLINE_HTML = re.compile(r"<(?:[A-Za-z][\w-]*)(?:\s[^<>]*)?/?>")
#: Any tag, to keep only the text.
TAGS = re.compile(r"<[^>]+>")
_INLINE_IAL = re.compile(r"([)\]`])\{:\s*([^}]*)\}")


@dataclass
class Output:
    """MyST text being written, each line with the site line it came from."""

    lines: list[str] = field(default_factory=list)
    origins: list[int] = field(default_factory=list)

    def add(self, text: str, origin: int) -> None:
        for line in text.split("\n"):
            self.lines.append(line)
            self.origins.append(origin)

    def text(self) -> str:
        return "\n".join(self.lines).rstrip("\n") + "\n"


@dataclass
class Converted:
    """A page in MyST, and the site line of every output line (1-based)."""

    text: str
    origins: list[int]


class PageBase:
    """What every part of a page's conversion shares: the page, where its text goes
    (:class:`Output`), the report, and the conversion of inline kramdown (Liquid output,
    attribute lists, links and images)."""

    def __init__(self, site: Site, links: LinkMap, report: Report, group: PageGroup,
                 page: Page, docnames: list[str], country: str | None) -> None:
        self.site = site
        self.links = links
        self.report = report
        self.group = group
        self.page = page
        self.docname = group.docname
        self.docnames = docnames
        self.country = country
        self.is_root = page is group.root
        self.context = site.context()
        self.out = Output()
        #: True while converting composition data from ``_data`` (see :meth:`inline`).
        self.in_data = False
        #: The ``_data`` file of the composition block being converted.
        self.data_file: Path | None = None
        #: True while converting front matter: its values reach the hero as they were
        #: (their HTML is not converted).
        self.in_front_matter = False

    def post_line(self) -> None:
        """The line under a post's title (see :class:`.posts.Posts`)."""

    # --- report helpers ------------------------------------------------------------
    def note(self, kind: str, line: int | None, message: str, snippet: str = "") -> None:
        """Report *message* at *line* of the page; while converting ``_data`` content,
        at the line of the data file that holds *snippet*, when it can be found."""
        # Twins convert the same way as their root page: only the root page reports
        # what was converted, but both report what they keep as-is.
        if kind == "converted" and not self.is_root:
            return
        if self.in_data and self.data_file is not None and snippet.strip():
            found = line_of(self.data_file, snippet)
            if found:
                self.report.add(kind, self.data_file, found, message)
                return
        self.report.add(kind, self.page.path, line, message)

    def body_line(self, line: str, number: int) -> str:
        """One line of text, converted, with MyST-only syntax at its start escaped: ``%``
        starts a comment and ``{`` an attribute block in MyST, not in kramdown."""
        converted = self.inline(line, number)
        stripped = converted.lstrip()
        if stripped.startswith(("%", "{")):
            indent = converted[: len(converted) - len(stripped)]
            converted = f"{indent}\\{stripped}"
        return converted

    def inline(self, text: str, number: int) -> str:
        """Convert inline kramdown: Liquid output, attribute lists, links, images."""
        text = liquid.render(text, self.context, self._unresolved(number))
        if self.in_data and INLINE_HTML.search(text):
            # _data YAML is data, not page markup: its HTML is not passed to the page.
            self.note("kept", number, f"HTML in YAML reduced to its text: {text.strip()}",
                      snippet=text)
            text = re.sub(r"<br\s*/?>", " ", text, flags=re.IGNORECASE)
            text = TAGS.sub("", text).replace("&nbsp;", " ")
        if "{%" in text:
            self.note("kept", number, f"Liquid tag kept as text: {text.strip()}", snippet=text)
        text = _INLINE_IAL.sub(lambda m: f"{m.group(1)}{{{m.group(2).strip()}}}", text)
        if "{:" in text:
            self.note("kept", number, f"kramdown attribute list kept as text: {text.strip()}")
        text = self.rewrite_targets(text, number)
        if (INLINE_HTML.search(text) or "<!--" in text) and not self.in_front_matter:
            text = self.inline_html(text, number)
        return text

    def inline_html(self, text: str, number: int) -> str:
        """The span HTML of a Markdown line as MyST, or the line kept (reported)."""
        renderer = html.Renderer(self.link, self.image_path)
        renderer.base = number - 1
        try:
            if "`" in text:
                raise html.NotConvertible(1, "HTML beside code")
            converted, notes = html.convert_inline(text, renderer)
        except html.NotConvertible as exc:
            self.note("kept", number, f"inline HTML kept as-is ({exc.reason} has no MyST "
                      f"equivalent): {text.strip()}")
            return text
        for _line, kind, message in notes:
            self.note(kind, number, message)
        if converted != text:
            self.note("converted", number, f"inline HTML -> MyST: {text.strip()}")
        return converted

    def rewrite_targets(self, text: str, number: int) -> str:
        result = []
        position = 0
        for match in re.finditer(r"\]\(\s*<?([^)\s>]*)>?((?:\s+\"[^\"]*\")?)\s*\)", text):
            start = _opening_bracket(text, match.start())
            is_image = start > 0 and text[start - 1] == "!"
            target = match.group(1)
            new = self.image_path(target, number) if is_image else self.link(target, number)
            if new is None and start >= position:
                # Nowhere to point at: the words stay, the link goes (reported).
                result.append(text[position:start])
                result.append(text[start + 1:match.start()])
            else:
                result.append(text[position:match.start()])
                result.append(f"]({new or target}{match.group(2)})")
            position = match.end()
        result.append(text[position:])
        return "".join(result)

    def link(self, target: str, number: int) -> str | None:
        """The converted link target, or ``None`` when it leads nowhere any more."""
        new, message = self.links.link(target, self.docname, self.page)
        if message:
            self.note("converted", number, message)
        return new

    def image_path(self, target: str, number: int) -> str:
        if "://" in target or not target:
            return target
        path = "/" + target.lstrip("/").split("?", 1)[0]
        if not (self.site.root / path.lstrip("/")).is_file() and self.is_root:
            self.report.missing_image(path, self.page.path, number)
        return path

    def _unresolved(self, number: int) -> Any:
        def report(expression: str) -> None:
            self.note("kept", number, f"Liquid {expression} could not be resolved (missing "
                      "_data file or key?): kept as text")

        return report


def line_of(path: Path, snippet: str) -> int | None:
    """The first line of *path* that contains the start of *snippet*."""
    first = snippet.strip().split("\n")[0]
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    # The whole first line when it is in the file (URLs differ only at their end), else
    # its start (text the importer joined from a YAML block).
    for key in (first, first[:60]):
        for number, line in enumerate(lines, start=1):
            if key in line:
                return number
    return None


def _opening_bracket(text: str, close: int) -> int:
    """Index of the ``[`` that matches the ``]`` at *close* (or 0)."""
    depth = 0
    for index in range(close, -1, -1):
        if text[index] == "]":
            depth += 1
        elif text[index] == "[":
            depth -= 1
            if depth == 0:
                return index
    return 0
