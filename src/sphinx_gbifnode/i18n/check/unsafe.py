"""Markup a translation must not add: raw HTML, and links or images to URLs that run a
script or lead to another host. The build shows them as text
(:mod:`...translated_markup`); ``gbifnode i18n check`` reports them as errors, so the
translator hears of it before a reader sees ``<img src=x onerror=...>`` on the page."""

from __future__ import annotations

import html
import re
from collections import Counter

from ...core.urls import safe_url
from .markup import MYST, RST, TEXT, Markup

_TAG = r"[A-Za-z][A-Za-z0-9-]*"
_ATTRIBUTE = r"""\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?"""
#: Inline raw HTML as CommonMark defines it: open and closing tags, comments,
#: processing instructions, declarations and CDATA. ``<https://...>`` and
#: ``<name@host>`` are autolinks, not tags (a colon or ``@`` cannot follow a tag name).
RAW_HTML = re.compile(
    rf"<{_TAG}(?:{_ATTRIBUTE})*\s*/?>|</{_TAG}\s*>|<!--.*?-->|<\?.*?\?>"
    r"|<![A-Za-z][^>]*>|<!\[CDATA\[.*?\]\]>",
    re.DOTALL,
)
#: What is not HTML although it looks like it: code, and characters escaped with ``\``.
_NOT_HTML = {
    MYST: re.compile(r"\\.|(`+).+?(?<!`)\1(?!`)", re.DOTALL),
    RST: re.compile(r"\\.|``.+?``|:[\w:.+-]+:`[^`]*`", re.DOTALL),
    TEXT: re.compile(r"(?!)"),
}
#: MyST's own link schemes, resolved to pages of the site, never written as URLs.
_MYST_SCHEMES = ("project:", "inv:", "path:")
_SCRIPT_SCHEMES = re.compile(r"^(?:javascript|vbscript|data):")


def raw_html(text: str, syntax: str) -> Counter[str]:
    """Each piece of raw HTML in *text* (outside code), as written."""
    return Counter(RAW_HTML.findall(_NOT_HTML[syntax].sub("x", text)))


def added_html(msgid: str, msgstr: str, syntax: str) -> list[str]:
    """Raw HTML in *msgstr* that *msgid* does not have, character for character, in the
    order the translation has it."""
    if "<" not in msgstr:
        return []  # most messages: no tag at all
    budget = raw_html(msgid, syntax)
    added = []
    for piece in RAW_HTML.findall(_NOT_HTML[syntax].sub("x", msgstr)):
        if budget[piece] > 0:
            budget[piece] -= 1
        else:
            added.append(piece)
    return added


def url_danger(key: str, syntax: str) -> str | None:
    """Why the link or image target *key* may not become a link, or ``None``."""
    if key.startswith("[") or key.endswith(" (plain URL)"):
        return None  # a reference by name, or a URL written out as text
    url = html.unescape(key).strip()
    if syntax == MYST and url.lower().startswith(_MYST_SCHEMES):
        return None
    if safe_url(url) is not None:
        return None
    # Browsers drop ASCII tabs and newlines inside a URL and read its scheme in any case.
    squeezed = re.sub(r"[\x00-\x20\x7f]+", "", url).lower()
    if _SCRIPT_SCHEMES.match(squeezed):
        return f"a {squeezed.split(':', 1)[0]}: URL, which runs or shows content of its own"
    if "\\" in url or squeezed.startswith(("//", "/%2f", "/%5c", "%2f", "%5c")):
        return "browsers read it as a link to another host"
    return "only http(s) and relative links a translation adds become links"


def unsafe_targets(source: Markup, translation: Markup, syntax: str) -> list[tuple[str, str, str]]:
    """``(kind, target, why)`` for each link or image target the translation adds that
    may not become one."""
    found = []
    for kind in ("link", "image"):
        after = translation.features.get(kind)
        if not after:
            continue  # most messages: no link or image in the translation
        before = source.features.get(kind)
        for key in sorted(after - before if before else after):
            why = url_danger(key, syntax)
            if why:
                found.append((kind, key, why))
    return found
