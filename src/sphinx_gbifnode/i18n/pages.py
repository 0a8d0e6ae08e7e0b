"""The list of pages each language's build leaves in its doctree folder, for
``gbifnode build``'s sitemap: written here during the build, read back by the command.
Every page of the site is listed, also those an incremental build did not rewrite."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Where each build lists its pages (in its doctree folder).
PAGES_FILE = "gbifnode-pages.json"


def record_pages(app: Sphinx, exception: Exception | None) -> None:
    """Leave the list of pages in the doctree folder, for ``gbifnode build``'s sitemap:
    every page of the site, also those an incremental build did not rewrite."""
    if exception is not None or app.builder.format != "html":
        return
    data = {
        "language": app.config.language,
        "root": app.builder.get_target_uri(app.config.root_doc),
        "pages": [app.builder.get_target_uri(doc) for doc in sorted(app.env.found_docs)],
    }
    Path(app.doctreedir, PAGES_FILE).write_text(json.dumps(data, indent=1), encoding="utf-8")


def read_pages(doctree_dir: Path) -> dict[str, Any] | None:
    """The page list a language's build left in *doctree_dir*, or None."""
    try:
        data = json.loads((doctree_dir / PAGES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def setup(app: Sphinx) -> None:
    """Write the page list when an HTML build finishes."""
    app.connect("build-finished", record_pages)
