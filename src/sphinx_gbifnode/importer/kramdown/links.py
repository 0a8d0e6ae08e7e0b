"""Where the hosted portal's own addresses (``/community``, ``/fr/community``) went in
the new project: to a page, to gbif.org, or nowhere (reported)."""

from __future__ import annotations

import posixpath
import re

from ..jekyll_site import Page, PageGroup, Site

#: Paths of the GBIF portal a hosted portal serves itself; after the move they live on
#: gbif.org (which has the same addresses).
GBIF_PORTAL_PATHS = ("occurrence/", "dataset/", "publisher/", "literature/", "species/",
                     "collection/", "institution/", "taxon/", "resource/", "country/")


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
