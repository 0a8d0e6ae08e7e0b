"""Jekyll posts: the line under a post's title (its date, author and categories, in the
page's language) and the posts index page (the posts, newest first)."""

from __future__ import annotations

import datetime as dt
import gettext
import posixpath
from functools import cache
from typing import Any

from babel.dates import format_date

from ...core.locale import LOCALE_DIR, MESSAGE_CATALOG, babel_locale
from ..jekyll_site import POSTS_INDEX_LAYOUT, Page, post_date
from . import html
from .page import PageBase


def _(message: str) -> str:
    """Marks a label of the package catalogue; :func:`label` translates it."""
    return message


@cache
def _catalog(language: str) -> gettext.NullTranslations:
    return gettext.translation(MESSAGE_CATALOG, str(LOCALE_DIR), languages=[language],
                               fallback=True)


def label(language: str, message: str, **values: str) -> str:
    """*message* in *language* (the package catalogue), with *values* put in."""
    return _catalog(language).gettext(message).format(**values)


def posts_index_title(language: str) -> str:
    return label(language, _("Posts"))


def _names(value: Any) -> list[str]:
    """A front-matter list (``[a, b]`` or Jekyll's ``"a b"``) as names."""
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list):
        return [str(item) for item in value if item not in (None, "")]
    return [str(value)] if value not in (None, "") else []


class Posts(PageBase):
    """The post line under a post's title, and the posts index page."""

    def post_line(self) -> None:
        """*Published on 6 August 2024 by A. Author · Categories: news* (the twin's words
        in its own language, so the line is translated through the page catalogue)."""
        if not self.page.rel.startswith(("_posts/", "_drafts/")):
            return
        root = self.group.root
        language = self.page.language
        parts = []
        when = post_date(self.page) or post_date(root)
        if when is not None and not self.page.front.get("preTitle"):
            # preTitle, when there is one, already shows the date above the title.
            parts.append(label(language, _("Published on {date}"), date=format_date(
                when, format="long", locale=babel_locale(language))))
        author_value = self.page.front.get("author") or root.front.get("author")
        author = ", ".join(_names(author_value) if isinstance(author_value, list) else
                           [str(author_value)] if author_value else [])
        if author:
            parts.append(label(language, _("by {author}"), author=author))
        categories = _names(self.page.front.get("categories") or root.front.get("categories"))
        text = html.escape(" ".join(parts))
        if categories:
            listed = html.escape(", ".join(categories))
            text = " · ".join(filter(None, [text, label(language, _("Categories: {categories}"),
                                                             categories=listed)]))
        if text:
            self.out.add(f"*{text}*\n", self.page.front_line)

    def posts_index(self) -> None:
        posts = [group for group in self.site.groups
                 if group.root.rel.startswith(("_posts/", "_drafts/"))]
        posts.sort(key=lambda group: (post_date(group.root) or dt.date.min, group.docname),
                   reverse=True)
        self.note("converted", None, f"posts index page written: {len(posts)} posts, newest "
                  "first (their titles are translated with each post)")
        start = posixpath.dirname(self.docname) or "."
        self.out.add("```{toctree}\n:maxdepth: 1\n", self.page.front_line)
        for group in posts:
            self.out.add(posixpath.relpath(group.docname, start), group.root.front_line)
        self.out.add("```", self.page.front_line)


def is_posts_index(page: Page) -> bool:
    return page.front.get("layout") == POSTS_INDEX_LAYOUT
