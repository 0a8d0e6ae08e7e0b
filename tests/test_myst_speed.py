"""The MyST speed-up changes nothing but the time: same pages, independent settings."""

from __future__ import annotations

import re
from pathlib import Path

from docutils.frontend import get_default_settings
from helpers import build, copy_root, html
from myst_parser.mdit_to_docutils import base

from sphinx_gbifnode import myst_speed

ORIGINAL = base.make_document


def body(page: str) -> str:
    return re.search(r'<div class="body" role="main">(.*?)<div class="sphinxsidebar"', page,
                     re.S)[1]


def test_documents_get_their_own_default_settings() -> None:
    first, second = myst_speed.make_document(), myst_speed.make_document("x.md")
    assert first.settings is not second.settings
    expected = vars(get_default_settings(base.RSTParser))
    assert vars(first.settings).keys() == expected.keys()
    first.settings.report_level = 5
    assert second.settings.report_level == expected["report_level"]
    assert second["source"] == "x.md"


def test_translated_pages_are_identical_with_and_without(
    make_app, tmp_path: Path, monkeypatch
) -> None:
    pages = {}
    for name, patched in (("without", False), ("with", True)):
        if not patched:
            monkeypatch.setattr(myst_speed, "setup", lambda app: None)
            monkeypatch.setattr(base, "make_document", ORIGINAL)
        else:
            monkeypatch.undo()
        srcdir = copy_root("multilang", tmp_path / name)
        app = build(make_app, srcdir, confoverrides={"language": "fr"})
        assert (base.make_document is myst_speed.make_document) == patched
        pages[name] = {doc: body(html(app, doc)) for doc in ("index", "guide/intro")}
    assert pages["with"] == pages["without"]
    assert "Nous partageons des données de biodiversité." in pages["with"]["index"]
