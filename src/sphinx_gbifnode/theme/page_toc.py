"""The "On this page" list of the ``gbifnode`` theme: the sections of a page, linked.

A page asks for it with ``toc: true`` in its front matter (hosted-portal pages do);
the theme option ``page_toc`` gives it to every page, and a page's ``toc: false`` wins
over the option. One ``<nav>`` landmark holds the list twice: a ``<details>`` that a
phone opens at the top of the page, and a list beside the text on a wide screen; CSS
shows one of them, so no script is needed.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes

from ..core.logs import warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: The front-matter key (``toc: true``), as the hosted portals write it.
KEY = "toc"
_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")
#: Sections, then their subsections: deeper ones would make a long list for a phone.
DEPTH = 2


@dataclass(frozen=True)
class Entry:
    """A section of the page: its title as text, its anchor, its subsections."""

    title: str
    anchor: str
    children: tuple[Entry, ...] = ()


def page_choice(metadata: dict[str, Any]) -> bool | None:
    """What the page's front matter says (``toc: true`` / ``false``); None when it says
    nothing or something else (checked when the page is read)."""
    value = str(metadata.get(KEY, "")).strip().lower()
    return True if value in _TRUE else False if value in _FALSE else None


def _entries(items: list[nodes.Node], depth: int) -> tuple[Entry, ...]:
    found = []
    for item in items:
        if not isinstance(item, nodes.list_item) or not item.children:
            continue
        paragraph = item[0]
        reference = paragraph.next_node(nodes.reference) if isinstance(
            paragraph, addnodes.compact_paragraph) else None
        if reference is None:
            continue
        children: tuple[Entry, ...] = ()
        if depth < DEPTH:
            for sub in item.children[1:]:
                if isinstance(sub, nodes.bullet_list):
                    children += _entries(list(sub.children), depth + 1)
        found.append(Entry(reference.astext(), reference.get("anchorname", ""), children))
    return tuple(found)


def sections(env: BuildEnvironment, docname: str) -> tuple[Entry, ...]:
    """The sections of *docname* below its title (all of its top-level sections when it
    has several, as a page without a title does)."""
    toc = env.tocs.get(docname)
    if toc is None:
        return ()
    items = [item for item in toc.children if isinstance(item, nodes.list_item)]
    if len(items) == 1:
        nested = [sub for sub in items[0].children[1:] if isinstance(sub, nodes.bullet_list)]
        return _entries([item for sub in nested for item in sub.children], 1)
    return _entries(list(items), 1)


def _list(entries: tuple[Entry, ...]) -> str:
    parts = ['<ul class="gbif-page-toc-list">']
    for entry in entries:
        href = html.escape(entry.anchor or "#", quote=True)
        parts.append(f'<li><a href="{href}">{html.escape(entry.title)}</a>')
        if entry.children:
            parts.append(_list(entry.children))
        parts.append("</li>")
    parts.append("</ul>")
    return "".join(parts)


def render(entries: tuple[Entry, ...], label: str) -> str:
    """The landmark with the list for a phone (folded) and for a wide screen."""
    label = html.escape(label)
    items = _list(entries)
    return (
        f'<nav class="gbif-page-toc" aria-label="{label}">\n'
        f'<details class="gbif-page-toc-fold"><summary>{label}</summary>\n{items}\n</details>\n'
        f'<div class="gbif-page-toc-side"><p class="gbif-page-toc-title">{label}</p>\n'
        f"{items}\n</div>\n</nav>\n"
    )


def wanted(env: BuildEnvironment, docname: str, default: bool) -> bool:
    """Whether *docname* shows the list: its front matter, else the theme option."""
    choice = page_choice(env.metadata.get(docname, {}))
    return default if choice is None else choice


def _front_matter_line(source: str | None) -> int:
    """The line of ``toc:`` in the page's front matter (1 when it cannot be read)."""
    try:
        lines = Path(source or "").read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    for number, line in enumerate(lines[1:], start=2):
        if line.rstrip() == "---":
            break
        if line.startswith(f"{KEY}:"):
            return number
    return 1


def check_page(app: Sphinx, doctree: nodes.document) -> None:
    """``toc`` that is not true or false, or true on a page without sections: a warning
    at the front matter's line (the page gets no empty list)."""
    env = app.env
    docname = env.docname
    value = env.metadata.get(docname, {}).get(KEY)
    if value is None:
        return
    choice = page_choice({KEY: value})
    if choice is None:
        where = (docname, _front_matter_line(doctree.get("source")))
        warn("front matter 'toc' must be true or false, got %r; ignored", str(value),
             location=where, subtype="front-matter")
    elif choice and not sections(env, docname):
        where = (docname, _front_matter_line(doctree.get("source")))
        warn("front matter 'toc: true', but the page has no sections to list",
             location=where, subtype="front-matter")
