"""A page's front matter: the keys the front-matter hero understands (kept, converted),
the call-to-action buttons, and the title (and description) as the page's heading."""

from __future__ import annotations

from typing import Any

import yaml

from .. import liquid
from .page import INLINE_HTML, TAGS, PageBase

#: Front-matter keys the front-matter hero understands; the others are reported.
HERO_KEYS = ("title", "description", "background", "imageAlt", "imageLicense", "height",
             "overlayColor", "hasTextShadow", "cta")
#: Keys that only steered Jekyll (the new project has other ways to do it).
JEKYLL_KEYS = {"layout", "permalink", "lang-ref", "lang", "composition", "klass", "noindex",
               "preTitle"}


class FrontMatter(PageBase):
    """Converts the front matter and the title heading of a page."""

    def front_matter(self) -> None:
        self.in_front_matter = True
        try:
            self._front_matter()
        finally:
            self.in_front_matter = False

    def _front_matter(self) -> None:
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
        carried = set()
        if isinstance(front.get("toc"), bool):
            # The theme lists the page's sections ("On this page") from its toc metadata.
            kept["toc"] = front["toc"]
            carried.add("toc")
        if self.page.rel.startswith(("_posts/", "_drafts/")):
            carried |= {"date", "author", "categories"}  # the line under the post's title
        others = [k for k in front if k not in HERO_KEYS and k not in JEKYLL_KEYS
                  and k not in carried]
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
            if INLINE_HTML.search(text):
                self.note("kept", self.page.front_line, f"call-to-action text holds HTML, "
                          f"shown as text: {text.strip()}")
                text = " ".join(TAGS.sub(" ", text).replace("&nbsp;", " ").split()) or text
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
        self.post_line()
        description = self.page.front.get("description")
        background = liquid.render(str(self.page.front.get("background") or ""), self.context)
        if description and (not background or "{{" in background):
            # Without a photo there is no hero to show the description: it leads the page,
            # as in the hosted-portal page header.
            text = liquid.render(" ".join(str(description).split()), self.context)
            self.out.add(f"{self.body_line(text, self.page.front_line)}\n",
                         self.page.front_line)
