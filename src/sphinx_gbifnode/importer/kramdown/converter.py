"""Convert one hosted-portal page (kramdown + front matter + composition) to MyST.

The conversion is line by line, so every output line knows the site line it came from
(for the report), and a page and its translation convert the same way (so their
messages line up in :mod:`.align`). What has no MyST equivalent is kept as it is and
reported with its file and line.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import yaml

from .. import liquid
from ..jekyll_site import Page, PageGroup, Site
from ..report import Report

#: Front-matter keys the front-matter hero understands; the others are reported.
HERO_KEYS = ("title", "description", "background", "imageAlt", "imageLicense", "height",
             "overlayColor", "hasTextShadow", "cta")
#: Keys that only steered Jekyll (the new project has other ways to do it).
JEKYLL_KEYS = {"layout", "permalink", "lang-ref", "lang", "composition", "klass", "noindex",
               "preTitle"}
#: Paths of the GBIF portal a hosted portal serves itself; after the move they live on
#: gbif.org (which has the same addresses).
GBIF_PORTAL_PATHS = ("occurrence/", "dataset/", "publisher/", "literature/", "species/",
                     "collection/", "institution/", "taxon/", "resource/", "country/")
#: API searches -> the words of ``{gbif-count}``.
COUNT_WORDS = {"occurrence/search": "occurrences", "dataset/search": "datasets",
               "organization": "publishers", "literature/search": "literature"}
#: Composition blocks that are client-side widgets of the hosted portal.
WIDGET_BLOCKS = {"stories", "latestPosts", "dashboard", "heroVideo", "media", "product",
                 "calendar", "events"}

_FENCE = re.compile(r"^\s*(```+|~~~+)")
_LIQUID_TAG_LINE = re.compile(r"^\s*\{%.*%\}\s*$")
_BLOCK_IAL = re.compile(r"^\s*\{:.*\}\s*$")
_KRAMDOWN_EXTENSION = re.compile(r"^\s*\{::")
_HTML_BLOCK = re.compile(r"^\s*<(?:!--|[A-Za-z][\w-]*[\s>/]|[A-Za-z][\w-]*$)")
_INLINE_HTML = re.compile(r"<(?:[A-Za-z][\w-]*)(?:\s[^<>]*)?/?>")
_HEADER_ID = re.compile(r"^(#{1,6}\s.*?)\s*\{#([\w-]+)\}\s*$")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_INLINE_IAL = re.compile(r"([)\]`])\{:\s*([^}]*)\}")
_LOGO_CELL = re.compile(
    r"^\s*(?:\[\s*)?!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)\)(?:\{:?(?P<attrs>[^}]*)\})?\s*"
    r"(?:\]\((?P<url>[^)\s]+)\))?\s*$"
)
_ATTR = re.compile(r"([\w-]+)\s*=\s*\"([^\"]*)\"")
_AJAX_URL = re.compile(r"data-ajax-url=\"([^\"]+)\"")
_TAGS = re.compile(r"<[^>]+>")


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


class LinkMap:
    """Where the site's own addresses (``/community``, ``/fr/community``) went."""

    def __init__(self, site: Site, groups: list[PageGroup]) -> None:
        self.site = site
        self.docnames: dict[str, str] = {}
        for group in groups:
            for page in [group.root, *group.twins.values()]:
                if page.permalink:
                    self.docnames[page.permalink.strip("/")] = group.docname
        self.languages = set(site.languages)

    def link(self, target: str, docname: str, page: Page) -> tuple[str | None, str | None]:
        """(new target or ``None`` when it leads nowhere, note for the report or ``None``)
        for a link in *docname*."""
        if not target or target.startswith(("#", "mailto:", "tel:")) or "://" in target:
            return target, None
        if target.startswith("{{"):
            return target, None
        path, _q, rest = target.partition("?")
        path, _h, fragment = path.partition("#")
        query = f"?{rest}" if _q else ""
        anchor = f"#{fragment}" if _h else ""
        if not path.startswith("/"):
            base = (page.permalink or "/" + page.rel.rsplit(".", 1)[0]).rstrip("/")
            path = posixpath.normpath(posixpath.join(posixpath.dirname(base + "/x"), path))
            if not path.startswith("/"):
                path = "/" + path
        # /about.html, /fr/index.html: the same pages as /about and /fr
        key = re.sub(r"(?:^|/)index\.html?$|\.html?$", "", path.strip("/")).strip("/")
        if key.startswith("assets/") or "." in key.rsplit("/", 1)[-1]:
            return "/" + key + query + anchor, None
        found = self.docnames.get(key)
        if found is None:
            first, _s, remainder = key.partition("/")
            if first in self.languages:
                found = self.docnames.get(remainder) if remainder else self.docnames.get("")
        if found is not None and not query:
            return relative_doc(docname, found) + anchor, None
        bare = key
        first, _s, remainder = key.partition("/")
        if first in self.languages:
            bare = remainder
        if (bare + "/").startswith(GBIF_PORTAL_PATHS) or bare in ("occurrence", "dataset"):
            return f"https://www.gbif.org/{key}{query}{anchor}", None
        if self.site.url:
            new = f"{self.site.url}/{key}{query}{anchor}"
            return new, f"link {target} is not an imported page: now points at {new}"
        return None, (f"link {target} is not an imported page and the site has no url "
                      "(_config.yml): the words are kept, the link is removed")


def relative_doc(current: str, target: str) -> str:
    """Path from document *current* to document *target*'s source (``../about.md``)."""
    start = posixpath.dirname(current) or "."
    return posixpath.relpath(target, start) + ".md"


class PageConverter:
    """Converts one page; *page* may be the root page or one of its twins."""

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

    # --- report helpers ------------------------------------------------------------
    def note(self, kind: str, line: int | None, message: str, snippet: str = "") -> None:
        """Report *message* at *line* of the page; while converting ``_data`` content,
        at the line of the data file that holds *snippet*, when it can be found."""
        # Twins convert the same way as their root page: only the root page reports
        # what was converted, but both report what they keep as-is.
        if kind == "converted" and not self.is_root:
            return
        if self.in_data and self.data_file is not None and snippet.strip():
            found = _line_of(self.data_file, snippet)
            if found:
                self.report.add(kind, self.data_file, found, message)
                return
        self.report.add(kind, self.page.path, line, message)

    # --- whole page ------------------------------------------------------------------
    def convert(self) -> Converted:
        self.front_matter()
        composition = self.page.front.get("composition")
        layout = str(self.page.front.get("layout") or "")
        permalink = (self.page.permalink or "").strip("/")
        if layout == "publisher" or permalink.endswith("publisher/search"):
            self.publisher_page()
        elif isinstance(composition, list) and composition:
            self.composition(composition)
        else:
            self.title_heading()
            self.body()
        if self.docname == "index":
            self.toctree()
        return Converted(self.out.text(), self.out.origins)

    def front_matter(self) -> None:
        front = self.page.front
        unresolved = self._unresolved(self.page.front_line)
        kept: dict[str, Any] = {}
        for key in HERO_KEYS:
            if key not in front or front[key] in (None, "") or key == "title":
                # The title becomes the page heading (title_heading): one visible title,
                # and the heading Sphinx needs for menus, under the banner.
                continue
            value = liquid.render_tree(front[key], self.context, unresolved)
            if key in ("title", "description", "imageLicense", "imageAlt"):
                value = self.inline(" ".join(str(value).split()), self.page.front_line)
            elif key == "background":
                if "{{" in str(value):
                    continue  # unresolved (reported): a hero without a photo path
                value = self.image_path(str(value), self.page.front_line)
            elif key == "cta":
                value = self.buttons(value)
            kept[key] = value
        others = [k for k in front if k not in HERO_KEYS and k not in JEKYLL_KEYS]
        if others:
            self.note("converted", 1, "front matter not carried over (no equivalent in "
                      f"sphinx-gbifnode): {', '.join(map(str, others))}")
        if kept:
            dumped = yaml.safe_dump(kept, allow_unicode=True, sort_keys=False, width=10_000)
            self.out.add("---\n" + dumped.rstrip("\n") + "\n---\n", 1)

    def buttons(self, value: Any, keep_unresolved: bool = True) -> list[dict[str, Any]]:
        """Call-to-action buttons; with *keep_unresolved* False a link that leads nowhere
        gets ``href`` ``None`` (the words are shown without a link)."""
        buttons: list[dict[str, Any]] = []
        if not isinstance(value, list):
            self.note("error", self.page.front_line, f"call-to-action buttons {value!r} are "
                      "not a list of text and href: left out")
            return buttons
        for item in value:
            if not isinstance(item, dict) or not item.get("text") or not item.get("href"):
                self.note("error", self.page.front_line, f"call-to-action {item!r} needs text "
                          "and href: left out")
                continue
            text = str(item["text"])
            if _INLINE_HTML.search(text):
                self.note("kept", self.page.front_line, f"call-to-action text holds HTML, "
                          f"shown as text: {text.strip()}")
                text = " ".join(_TAGS.sub(" ", text).replace("&nbsp;", " ").split()) or text
            original = str(item["href"]).split(" ")[0]
            href = self.link(original, self.page.front_line)
            if href is None and keep_unresolved:
                href = original  # the hero shows an unknown /path as it is
            button: dict[str, Any] = {"text": text, "href": href}
            if item.get("isPrimary"):
                button["isPrimary"] = True
            buttons.append(button)
        return buttons

    def title_heading(self) -> None:
        # Jekyll layouts print the front-matter title as the page heading; Sphinx needs it
        # in the body, as the document title.
        # Front matter is YAML: like _data, its HTML does not reach the page body.
        self.in_data = True
        try:
            self._title_and_description()
        finally:
            self.in_data = False

    def _title_and_description(self) -> None:
        self.data_file = None
        title = self.page.front.get("title")
        if title:
            text = liquid.render(" ".join(str(title).split()), self.context)
            self.out.add(f"# {self.inline(text, self.page.front_line)}\n", self.page.front_line)
        pre_title = self.page.front.get("preTitle")
        if pre_title:
            # The line a post shows above its title (its date, as a rule).
            text = self.inline(" ".join(str(pre_title).split()), self.page.front_line)
            self.out.add(f"*{text}*\n", self.page.front_line)
        description = self.page.front.get("description")
        background = liquid.render(str(self.page.front.get("background") or ""), self.context)
        if description and (not background or "{{" in background):
            # Without a photo there is no hero to show the description: it leads the page,
            # as in the hosted-portal page header.
            text = liquid.render(" ".join(str(description).split()), self.context)
            self.out.add(f"{self.body_line(text, self.page.front_line)}\n",
                         self.page.front_line)

    # --- body ------------------------------------------------------------------------
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
        if self.in_data and _INLINE_HTML.search(text):
            # _data YAML is data, not page markup: its HTML is not passed to the page.
            self.note("kept", number, f"HTML in YAML reduced to its text: {text.strip()}",
                      snippet=text)
            text = re.sub(r"<br\s*/?>", " ", text, flags=re.IGNORECASE)
            text = _TAGS.sub("", text).replace("&nbsp;", " ")
        if "{%" in text:
            self.note("kept", number, f"Liquid tag kept as text: {text.strip()}", snippet=text)
        if _INLINE_HTML.search(text) and not text.lstrip().startswith("<"):
            self.note("kept", number, f"inline HTML kept as-is: {text.strip()}")
        text = _INLINE_IAL.sub(lambda m: f"{m.group(1)}{{{m.group(2).strip()}}}", text)
        if "{:" in text:
            self.note("kept", number, f"kramdown attribute list kept as text: {text.strip()}")
        return self.rewrite_targets(text, number)

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

    # --- special pages ---------------------------------------------------------------
    def publisher_page(self) -> None:
        self.title_heading()
        number = self.page.body_line
        if self.page.body.strip():
            self.body()
        self.note("converted", number, "publisher search page -> gbif-publishers "
                  f"(country {self.country or 'unknown: add :country:'})")
        self.out.add("\n:::{gbif-publishers}", number)
        if self.country:
            self.out.add(f":country: {self.country}", number)
        self.out.add(":::", number)

    def toctree(self) -> None:
        others = [d for d in self.docnames if d != "index"]
        if others:
            self.out.add("\n```{toctree}\n:hidden:\n", 1)
            self.out.add("\n".join(others), 1)
            self.out.add("```", 1)

    # --- composition -----------------------------------------------------------------
    def composition(self, blocks: list[Any]) -> None:
        self.title_heading()
        has_markdown = any(isinstance(b, dict) and b.get("type") == "pageMarkdown"
                           for b in blocks)
        line = self.page.front_line
        for block in blocks:
            if not isinstance(block, dict) or not block.get("type"):
                self.note("error", line, f"composition entry {block!r} has no type: left out")
                continue
            kind = str(block["type"])
            if kind == "heroImage":
                continue  # the front-matter hero
            if kind == "pageMarkdown":
                self.out.add("", self.page.body_line)
                self.body()
                continue
            handler = getattr(self, f"block_{kind}", None)
            if kind in WIDGET_BLOCKS or handler is None:
                self.note("kept", line, f"composition block {kind!r} (data {block.get('data')})"
                          " is a hosted-portal widget with no equivalent: kept as a comment")
                self.out.add(f"\n% composition block {kind}: data {block.get('data')}", line)
                continue
            data = self.block_data(block, line)
            if data is None:
                continue
            self.out.add("", line)
            self.in_data = True
            try:
                handler(data, line)
            finally:
                self.in_data = False
        if self.page.body.strip() and not has_markdown:
            self.note("kept", self.page.body_line, "the hosted portal did not show this body "
                      "(no pageMarkdown block): kept as a comment")
            self.out.add("", self.page.body_line)
            self.body(as_comment=True)

    def block_data(self, block: dict[str, Any], line: int) -> dict[str, Any] | None:
        name = block.get("data")
        if name is None:
            return dict(self.page.front)
        value = self.site.data_value(str(name))
        self.data_file = _data_file(self.site.root, str(name))
        if not isinstance(value, dict):
            self.note("error", line, f"composition block {block['type']!r}: data {name!r} "
                      f"not found in _data/: block left out")
            return None
        return liquid.render_tree(value, self.context, self._unresolved(line))

    def container(self, classes: str, line: int) -> None:
        self.out.add(f":::{{container}} {classes}", line)

    def text_block(self, value: Any, line: int, indent: str = "") -> None:
        if value in (None, ""):
            return
        text = str(value).strip("\n")
        for part in text.split("\n"):
            self.out.add(indent + self.body_line(part, line) if part.strip() else "", line)

    def linked(self, feature: dict[str, Any], key: str, line: int) -> str:
        """``feature[key]`` on one line, as a link to ``feature["href"]`` if it has one
        that still leads somewhere (hosted-portal hrefs may carry ``"target=..."``)."""
        text = self.inline(" ".join(str(feature.get(key) or "").split()), line)
        href = feature.get("href")
        target = self.link(str(href).split(" ")[0], line) if href else None
        return f"[{text}]({target})" if target and text else text

    def heading_text(self, data: dict[str, Any], line: int) -> None:
        if data.get("title"):
            title = self.inline(" ".join(str(data["title"]).split()), line)
            self.out.add(f"**{title}**\n", line)
        self.text_block(data.get("description"), line)

    def open_list_block(self, classes: str, data: dict[str, Any], line: int
                        ) -> list[dict[str, Any]]:
        """Start a block of cards (stats, features): its title and description, then the
        list of its ``features`` for the caller to write."""
        self.container(classes, line)
        self.heading_text(data, line)
        self.out.add("", line)
        features = data.get("features") or []
        if not isinstance(features, list):
            features = [features]
        for item in features:
            if not isinstance(item, dict):
                self.note("error", line, f"{classes}: {item!r} is not an entry with a title "
                          "and a description: left out")
        return [item for item in features if isinstance(item, dict)]

    def block_stats(self, data: dict[str, Any], line: int) -> None:
        for feature in self.open_list_block("gbif-stats", data, line):
            count = self.count(str(feature.get("title") or ""), line)
            label = self.linked(feature, "description", line)
            self.out.add(f"- {count} {label}".rstrip(), line)
        self.out.add(":::", line)

    def count(self, title: str, line: int) -> str:
        match = _AJAX_URL.search(title)
        if not match:
            return f"**{self.inline(title.strip(), line)}**" if title.strip() else ""
        parts = urlsplit(match.group(1).replace("&amp;", "&"))
        path = parts.path.removeprefix("/v1/").strip("/")
        word = COUNT_WORDS.get(path)
        static = _TAGS.sub("", title).strip()
        if parts.netloc == "api.gbif.org" and word:
            query = urlencode([(k, v) for k, v in parse_qsl(parts.query)
                               if k not in ("limit", "offset")])
            self.note("converted", line, f"data-ajax-url count -> {{gbif-count}} {word}?{query}",
                      snippet=match.group(1))
            return f"**{{gbif-count}}`{word}?{query}`**"
        self.note("kept", line, f"count from {match.group(1)[:80]} has no build-time "
                  f"equivalent: shown as {static or '—'}", snippet=match.group(1))
        return f"**{static or '—'}**"

    def block_features(self, data: dict[str, Any], line: int) -> None:
        for feature in self.open_list_block("gbif-features", data, line):
            title = self.linked(feature, "title", line)
            first = f"**{title}**" if title else ""
            if feature.get("preTitle"):
                first = f"{self.inline(str(feature['preTitle']), line)}: {first}"
            self.out.add(f"- {first}", line)
            if feature.get("background"):
                self.out.add("", line)
                image = self.image_path(str(feature["background"]), line)
                self.out.add(f"  ![]({image}){{.gbif-feature-image}}", line)
            if feature.get("description"):
                self.out.add("", line)
                self.text_block(feature["description"], line, indent="  ")
            categories = feature.get("categories")
            if isinstance(categories, list) and categories:
                self.out.add("", line)
                self.out.add("  " + ", ".join(f"*{c}*" for c in categories), line)
            self.out.add("", line)
        self.out.add(":::", line)

    def block_split(self, data: dict[str, Any], line: int) -> None:
        self.container("gbif-split", line)
        self.heading_text(data, line)
        if data.get("background"):
            image = self.image_path(str(data["background"]), line)
            self.out.add(f"\n![]({image}){{.gbif-split-image}}", line)
        if data.get("imageLicense"):
            self.out.add("", line)
            licence = self.inline(" ".join(str(data["imageLicense"]).split()), line)
            self.out.add(licence, line)
        buttons = self.buttons(data.get("cta") or [], keep_unresolved=False)
        if buttons:
            self.out.add("", line)
            self.out.add(" · ".join(f"[{b['text']}]({b['href']})" if b["href"] else b["text"]
                                    for b in buttons), line)
        self.out.add(":::", line)

    def block_floatingText(self, data: dict[str, Any], line: int) -> None:
        self.container("gbif-text", line)
        self.heading_text(data, line)
        self.out.add(":::", line)

    block_heroBox = block_floatingText
    block_postHeader = block_floatingText

    def block_markdown(self, data: dict[str, Any], line: int) -> None:
        self.container("gbif-text", line)
        self.heading_text(data, line)
        self.text_block(data.get("markdownContent") or data.get("content"), line)
        self.out.add(":::", line)

    def block_blank(self, data: dict[str, Any], line: int) -> None:
        content = str(data.get("markdownContent") or "")
        if content.strip():
            # Raw HTML from _data is shown as code, never run: the user decides what stays.
            self.note("kept", line, "composition block 'blank' is raw HTML: shown as a code "
                      "block to redo by hand")
            fence = "`" * max(3, max((len(m) for m in re.findall(r"`+", content)), default=0) + 1)
            self.out.add(f"{fence}html\n{content.strip(chr(10))}\n{fence}", line)


def _data_file(site_root: Path, dotted: str) -> Path | None:
    """The file of ``_data`` that holds *dotted* (``fr.examples.stats`` ->
    ``_data/fr/examples.yml``)."""
    parts = dotted.split(".")
    for count in range(len(parts), 0, -1):
        base = site_root.joinpath("_data", *parts[:count])
        for suffix in (".yml", ".yaml", ".json"):
            if base.with_name(base.name + suffix).is_file():
                return base.with_name(base.name + suffix)
    return None


def _line_of(path: Path, snippet: str) -> int | None:
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


def _cells(row: str) -> list[str]:
    inner = row.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return [cell.strip() for cell in inner.split("|")]


def guess_country(site: Site) -> str | None:
    """The node's country, from the ``country=XX`` searches its pages and data use."""
    counter: Counter[str] = Counter()

    def walk(value: Any) -> Iterator[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from walk(item)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item)

    texts = list(walk(site.data)) + [g.root.body for g in site.groups]
    for text in texts:
        counter.update(re.findall(r"(?:country|publishingCountry)=([A-Z]{2})\b", text))
    return counter.most_common(1)[0][0] if counter else None


def convert_page(site: Site, links: LinkMap, report: Report, group: PageGroup, page: Page,
                 docnames: list[str], country: str | None) -> Converted:
    """Convert *page* (the root page of *group* or one of its twins) to MyST."""
    return PageConverter(site, links, report, group, page, docnames, country).convert()


def index_page(site: Site, docnames: list[str]) -> str:
    """A home page for a site that has none: the site title and the page list."""
    title = str(site.config.get("title") or site.root.name)
    entries = "\n".join(d for d in docnames if d != "index")
    return f"# {title}\n\n```{{toctree}}\n:maxdepth: 1\n\n{entries}\n```\n"


def write_page(path: Path, converted: Converted) -> None:
    """Write a converted page (the folders are created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(converted.text, encoding="utf-8")
