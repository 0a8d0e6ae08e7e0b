"""Which URLs may become links and images, and what a link from the options names.

Every value that reaches HTML from YAML, front matter or the GBIF API goes through
:func:`safe_url` (links and images) or is escaped by the writer; nothing builds HTML by
string concatenation from such values.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def is_remote(uri: str) -> bool:
    """True for an absolute ``http(s)://`` URL."""
    return uri.lower().startswith(("http://", "https://"))


def safe_url(uri: Any) -> str | None:
    """Return *uri* if it may become a link or image source, else ``None``.

    Allowed: ``http(s)://`` URLs with a host, and relative URLs (paths, ``#anchors``,
    ``?queries``). Refused: every other scheme (``javascript:``, ``data:``, ``file:``
    ...), protocol-relative ``//host`` URLs, and values with control characters, which
    browsers strip before they read the scheme.
    """
    if not isinstance(uri, str):
        return None
    text = uri.strip()
    if not text or any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        return None
    if text.startswith("//") or text.startswith("\\"):
        return None
    if _SCHEME.match(text):
        try:
            parts = urlsplit(text)
        except ValueError:
            return None
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            return None
        return text
    # A relative URL whose first segment holds a colon could be read as a scheme by some
    # parser after normalisation (``java\\script:``); refuse it rather than guess.
    first_segment = re.split(r"[/?#]", text, maxsplit=1)[0]
    if ":" in first_segment:
        return None
    return text


def link_target(
    url: str, root_doc: str, is_doc: Callable[[str], bool]
) -> tuple[str, str, str]:
    """What a URL from the options points at: ``("url", url, "")`` for an outside link
    or an anchor, ``("doc", docname, suffix)`` for a page of the site (``about``,
    ``about.md``, ``/about/``, ``about.html#team``), else ``("file", path, suffix)``, a
    file from the root of the built site; *suffix* is the ``?query#anchor`` kept."""
    if is_remote(url) or url.startswith(("#", "?")):
        return "url", url, ""
    target, hash_, anchor = url.lstrip("/").partition("#")
    target, question, query = target.partition("?")
    suffix = question + query + hash_ + anchor
    stem = target.removesuffix(".html").removesuffix(".md").removesuffix(".rst").rstrip("/")
    for docname in [stem, f"{stem}/index"] if stem else [root_doc]:
        if is_doc(docname):
            return "doc", docname, suffix
    return "file", target, suffix
