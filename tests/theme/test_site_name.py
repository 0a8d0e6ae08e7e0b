"""The site's name (``project``) is translated like a label: extracted into
``sphinx.pot``, and shown from ``sphinx.po`` in the navbar, the ``<title>`` and the
footer of the gbifnode theme, and in the ``<title>`` of other themes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from helpers import ONE_LANGUAGE_OF_SITE, build, copy_root, html

THEMES = ["gbifnode", "alabaster", "furo", "pydata_sphinx_theme", "sphinx_rtd_theme"]


@pytest.fixture(autouse=True)
def restore_sphinx_defaults():
    """pydata-sphinx-theme appends to Sphinx's default ``templates_path`` list, shared by
    the whole process: put it back after each test."""
    from sphinx.config import Config

    default = Config.config_values["templates_path"].default
    saved = list(default)
    yield
    default[:] = saved


def title_of(page: str) -> str:
    match = re.search(r"<title>(.*?)</title>", page, re.S)
    assert match, "no <title>"
    return match[1].strip()


def test_name_is_extracted_with_its_conf_line(make_app, tmp_path: Path) -> None:
    srcdir = copy_root("multilang", tmp_path / "src")
    app = build(make_app, srcdir, "gettext")
    with (Path(app.outdir) / "sphinx.pot").open("rb") as handle:
        catalog = read_po(handle)
    message = catalog["Multilingual node"]
    assert message is not None
    assert [(Path(path).name, line) for path, line in message.locations] == [("conf.py", 1)]


@pytest.mark.parametrize("theme", THEMES)
def test_name_is_translated_in_every_theme(make_app, tmp_path: Path, theme: str) -> None:
    srcdir = copy_root("multilang", tmp_path / "src")
    app = build(make_app, srcdir, confoverrides={**ONE_LANGUAGE_OF_SITE, "html_theme": theme})
    page = html(app, "guide/intro")
    assert title_of(page).endswith("Nœud multilingue"), title_of(page)
    assert "Multilingual node" not in page


def test_navbar_and_footer_of_the_gbifnode_theme(make_app, tmp_path: Path) -> None:
    srcdir = copy_root("multilang", tmp_path / "src")
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('html_theme = "gbifnode"\n'
                   'copyright = "2026, Multilingual node"\n'
                   'html_theme_options = {"footer_columns": [{"title": "Multilingual node",'
                   ' "text": "A node."}]}\n')
    app = build(make_app, srcdir, confoverrides=ONE_LANGUAGE_OF_SITE)
    page = html(app)
    # Sphinx's default html_title, "Documentation <project>", with the name translated
    assert '<span class="gbif-brand-text">Documentation Nœud multilingue</span>' in page
    assert "<h2>Nœud multilingue</h2>" in page  # a footer column named after the site
    english = build(make_app, srcdir, confoverrides={"gbifnode_language_folders": True})
    assert "Multilingual node documentation</span>" in html(english)


def test_html_title_of_its_own_and_a_default_title(make_app, tmp_path: Path) -> None:
    """``html_title`` set apart from the name is a message of its own; Sphinx's default
    title ("<project> documentation") gets the translated name inside it."""
    srcdir = copy_root("multilang", tmp_path / "src")
    app = build(make_app, srcdir, confoverrides=ONE_LANGUAGE_OF_SITE)
    assert "Nœud multilingue" in title_of(html(app))  # default html_title, name inside
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('html_title = "The multilingual node portal"\n')
    pot = build(make_app, srcdir, "gettext")
    with (Path(pot.outdir) / "sphinx.pot").open("rb") as handle:
        ids = {m.id for m in read_po(handle)}
    assert {"Multilingual node", "The multilingual node portal"} <= ids


@pytest.mark.parametrize("theme", ["alabaster", "gbifnode", "furo"])
def test_a_translated_name_is_text_never_markup(make_app, tmp_path: Path, theme: str) -> None:
    """The name comes from a translator's .po: shown as text wherever the theme puts it
    (Alabaster prints ``{{ project }}`` without escaping), and escaped only once."""
    srcdir = copy_root("multilang", tmp_path / "src")
    po = srcdir / "locales" / "fr" / "LC_MESSAGES" / "sphinx.po"
    po.write_text(po.read_text(encoding="utf-8").replace(
        'msgstr "Nœud multilingue"', 'msgstr "<script>alert(1)</script> Nœud & co"'
    ), encoding="utf-8")
    app = build(make_app, srcdir, confoverrides={**ONE_LANGUAGE_OF_SITE, "html_theme": theme})
    page = html(app)
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Nœud &amp; co" in page
    assert "&amp;lt;" not in page and "&amp;amp;" not in page
