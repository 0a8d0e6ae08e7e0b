"""Link targets compared between a message and its translation: the same address
written differently, and links that go to the same site's page in the translation's
language (also used for the built pages, :mod:`.built`)."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit


def address(key: str) -> str:
    """A URL without what rarely changes the page: scheme, ``www.``, host case, final
    slash."""
    url = key.removesuffix(" (plain URL)")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return key
    host = parts.netloc.lower().removeprefix("www.")
    rest = parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")
    # A link that became a plain URL lost its markup: that stays a difference.
    return host + rest + (f"#{parts.fragment}" if parts.fragment else "") + key[len(url):]


def same_addresses(source: Counter[str], translation: Counter[str]) -> bool:
    """Whether the links differ only in how the same addresses are written."""
    return Counter(map(address, source.elements())) == Counter(
        map(address, translation.elements())
    )


def renames_named_references(source: Counter[str], translation: Counter[str]) -> bool:
    """Whether the only change is reStructuredText ``name_`` references renamed one for
    one, which is right when they point to section titles the translation renames too."""
    missing, extra = source - translation, translation - source
    named = all(k.startswith("[") and k != "[]__" for k in [*missing, *extra])
    return named and bool(missing) and sum(missing.values()) == sum(extra.values())


def _site_and_rest(url: str, token: re.Pattern[str]) -> tuple[str, bool] | None:
    """(host without a leading language label, whether the URL names the language)."""
    parts = urlsplit(url.removesuffix(" (plain URL)"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    host = parts.netloc.lower()
    first, _dot, rest = host.partition(".")
    if rest.count(".") and len(first) in (2, 3):  # en.wikipedia.org, fr.wikipedia.org
        host = rest
    return host, bool(token.search(url))


def accept_localised_links(
    source: Counter[str], translation: Counter[str], language: str
) -> Counter[str]:
    """*translation* with links to the translated page of the same site counted as the
    original links: ``https://site/guide`` may become ``https://site/fr/guide``,
    ``.../deed.fr`` or ``fr.site``, when the new URL names the language and the old one
    did not. Only the target's site is checked here, not that the page exists (that is
    ``sphinx-build -b linkcheck``'s job)."""
    missing, extra = source - translation, translation - source
    if not missing or not extra:
        return translation
    code = re.split(r"[_-]", language)[0]
    token = re.compile(rf"(?<![A-Za-z0-9]){re.escape(code)}(?![A-Za-z0-9])", re.IGNORECASE)
    adjusted = translation.copy()
    for new in list(extra.elements()):
        new_site = _site_and_rest(new, token)
        if new_site is None or not new_site[1]:
            continue
        for old in list(missing.elements()):
            if old.endswith(" (plain URL)") != new.endswith(" (plain URL)"):
                continue
            if _site_and_rest(old, token) == (new_site[0], False):
                adjusted[new] -= 1
                adjusted[old] += 1
                missing[old] -= 1
                break
    return +adjusted
