"""Pages at the addresses a site had before it moved (``gbifnode_redirects``, which
``gbifnode import-jekyll`` writes from the old site's permalinks): each old address whose
page now lives elsewhere gets a small HTML page that sends the reader on, also without
JavaScript.

``gbifnode_redirects = {"about/": "about", "fr/news/": "news"}``: old addresses are
relative to the site's root, as the old site published them (a language's addresses
start with its folder); values are documents. Each language's build writes the pages of
its own addresses; in the ``OUT/<language>/`` layout the default language's old
addresses are at ``OUT/``, beside the language folders.
"""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ..core.locale import hreflang
from ..core.logs import warn
from ..core.settings import Setting, add_settings
from .switcher import in_language_folders, site_languages

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Marks a page this module wrote: only such a page is ever replaced.
MARK = '<meta name="generator" content="sphinx-gbifnode redirect">'
#: An old address: a relative path of plain characters (no scheme, no ``..``).
_ADDRESS = re.compile(r"^[\w.~%-]+(?:/[\w.~%-]+)*/?$|^$")


def redirect_map(value: Any) -> dict[str, str]:
    """``{"old/address/": "docname"}``: relative addresses to documents."""
    if not isinstance(value, dict):
        raise ValueError("not a mapping")
    checked = {}
    for old, docname in value.items():
        if not isinstance(old, str) or not isinstance(docname, str):
            raise ValueError(f"{old!r}: {docname!r} is not text to text")
        address = old.lstrip("/")
        if not _ADDRESS.match(address) or ".." in address.split("/"):
            raise ValueError(f"{old!r} is not a relative address such as 'about/'")
        if not docname or not _ADDRESS.match(docname) or ".." in docname.split("/"):
            raise ValueError(f"{docname!r} is not a document name")
        checked[address] = docname
    return checked


def old_file(address: str) -> str:
    """The file a static site served *address* from: ``about/`` -> ``about/index.html``,
    ``about`` -> ``about.html`` (served as ``/about``), ``about.html`` as it is."""
    if address == "" or address.endswith("/"):
        return address + "index.html"
    if address.endswith((".html", ".htm")):
        return address
    return address + ".html"


def redirect_page(target: str, language: str) -> str:
    """A page that sends the reader to *target* (relative), escaped."""
    url = html.escape(quote(target, safe="/.-_~%#"), quote=True)
    return (f'<!DOCTYPE html>\n<html lang="{html.escape(hreflang(language))}">\n<head>\n'
            f'<meta charset="utf-8">\n{MARK}\n<meta name="robots" content="noindex">\n'
            f'<meta http-equiv="refresh" content="0; url={url}">\n'
            f'<title>{url}</title>\n</head>\n'
            f'<body>\n<p><a href="{url}">{url}</a></p>\n</body>\n</html>\n')


def write_redirects(app: Sphinx, exception: Exception | None) -> None:
    """After an HTML build: the pages of this language's old addresses."""
    redirects: dict[str, str] = app.config.gbifnode_redirects
    if exception is not None or not redirects or app.builder.name != "html":
        return
    language = str(app.config.language or "en")
    languages = site_languages(app.config)
    folders = in_language_folders(app)
    if not folders and language != languages[0]:
        return  # a translation built on its own: its old addresses are not here
    outdir = Path(app.outdir)
    site_root = outdir.parent if folders else outdir
    prefix = f"{language}/" if folders else ""
    for address, docname in sorted(redirects.items()):
        first = address.split("/", 1)[0]
        owner = first if first in languages[1:] else languages[0]
        if owner != language:
            continue
        if docname not in app.env.all_docs:
            warn("gbifnode_redirects: %r leads to %r, which is not a document; no redirect",
                 address, docname, subtype="config")
            continue
        old = old_file(address)
        new = prefix + app.builder.get_target_uri(docname)
        if old == new:
            continue
        path = site_root / old
        if path.is_file() and MARK not in path.read_text(encoding="utf-8", errors="replace"):
            continue  # a page of the site itself is there: it stays
        path.parent.mkdir(parents=True, exist_ok=True)
        target = posixpath.relpath(new, posixpath.dirname(old) or ".")
        path.write_text(redirect_page(target, language), encoding="utf-8")


def setup(app: Sphinx) -> None:
    add_settings(app, (
        Setting("gbifnode_redirects", {}, "html", (dict,),
                "a mapping of old relative addresses to documents, e.g. "
                "{'about/': 'about'}", redirect_map),
    ))
    app.connect("build-finished", write_redirects)
