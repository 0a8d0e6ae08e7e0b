"""Hosted-portal composition blocks (``stats``, ``features``, ``split``, ...), whose
content comes from ``_data``, as MyST containers; the widgets with no equivalent are
kept as comments and reported."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .. import liquid
from .body import Body
from .front_matter import FrontMatter
from .gbif_blocks import AJAX_URL, GbifBlocks, count_query
from .page import TAGS

#: Composition blocks that are client-side widgets of the hosted portal.
WIDGET_BLOCKS = {"stories", "latestPosts", "heroVideo", "media", "product",
                 "calendar", "events"}


class Composition(FrontMatter, Body, GbifBlocks):
    """Converts a page made of composition blocks; each ``block_<type>`` method writes
    one type of block."""

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
        rendered: dict[str, Any] = liquid.render_tree(value, self.context, self._unresolved(line))
        return rendered

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
        if self.stats_directive(data, line):
            return
        for feature in self.open_list_block("gbif-stats", data, line):
            count = self.count(str(feature.get("title") or ""), line)
            label = self.linked(feature, "description", line)
            self.out.add(f"- {count} {label}".rstrip(), line)
        self.out.add(":::", line)

    def count(self, title: str, line: int) -> str:
        match = AJAX_URL.search(title)
        if not match:
            return f"**{self.inline(title.strip(), line)}**" if title.strip() else ""
        query = count_query(title)
        static = TAGS.sub("", title).strip()
        if query is not None:
            self.note("converted", line, f"data-ajax-url count -> {{gbif-count}} {query}",
                      snippet=match.group(1))
            return f"**{{gbif-count}}`{query}`**"
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
