"""Convert one hosted-portal page (kramdown + front matter + composition) to MyST: each
part of a page by its own module (:mod:`.front_matter`, :mod:`.body`,
:mod:`.composition`), put together here.

The conversion is line by line, so every output line knows the site line it came from
(for the report), and a page and its translation convert the same way (so their
messages line up in :mod:`..align`). What has no MyST equivalent is kept as it is and
reported with its file and line.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..jekyll_site import Page, PageGroup, Site
from ..report import Report
from .composition import Composition
from .links import LinkMap
from .page import Converted
from .posts import Posts, is_posts_index, posts_index_title


class PageConverter(Composition, Posts):
    """Converts one page; *page* may be the root page or one of its twins."""

    # --- whole page ------------------------------------------------------------------
    def convert(self) -> Converted:
        self.front_matter()
        composition = self.page.front.get("composition")
        layout = str(self.page.front.get("layout") or "")
        permalink = (self.page.permalink or "").strip("/")
        if is_posts_index(self.page):
            self.out.add(f"# {posts_index_title(self.page.language)}\n", 1)
            self.posts_index()
        elif layout == "publisher" or permalink.endswith("publisher/search"):
            self.publisher_page()
        elif isinstance(composition, list) and composition:
            self.composition(composition)
        else:
            self.title_heading()
            self.body()
        if self.docname == "index":
            self.toctree()
        return Converted(self.out.text(), self.out.origins)

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
        # Posts are listed by the posts index page (newest first), not here.
        posts = {group.docname for group in self.site.groups
                 if group.root.rel.startswith(("_posts/", "_drafts/"))}
        has_index = any(is_posts_index(group.root) for group in self.site.groups)
        others = [d for d in self.docnames if d != "index"
                  and not (has_index and d in posts)]
        if others:
            self.out.add("\n```{toctree}\n:hidden:\n", 1)
            self.out.add("\n".join(others), 1)
            self.out.add("```", 1)


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
