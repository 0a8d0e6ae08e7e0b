"""The foundation: hero and partner-grid in MyST and rST, extracted and translated."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import build, copy_root, html, translate_project


def test_english_build_has_no_warnings(make_app, tmp_path: Path) -> None:
    srcdir = copy_root("basic", tmp_path / "src")
    app = build(make_app, srcdir)
    assert app.warning.getvalue() == ""
    page = html(app)
    assert '<section class="gbif-hero' in page
    assert "Sharing <em>biodiversity</em> data" in page


def test_french_build_translates_every_string(make_app, tmp_path: Path) -> None:
    srcdir = copy_root("basic", tmp_path / "src")
    extracted = translate_project(make_app, srcdir, lambda msgid: f"FR[{msgid}]")
    everything = [m for msgs in extracted.values() for m in msgs]
    assert "Sharing *biodiversity* data" in everything
    app = build(make_app, srcdir, confoverrides={"language": "fr"})
    page = html(app)
    assert re.search(r"FR\[Sharing <em>biodiversity</em> data\]", page)
