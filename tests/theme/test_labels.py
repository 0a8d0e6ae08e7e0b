"""Sphinx's labels that its own catalogues leave in English in a language the extension
ships come from the package's catalogue; a translation, Sphinx's or the project's,
always wins over it."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from helpers import PACKAGE, build, copy_root, html

from sphinx_gbifnode.theme.labels import SPHINX_LABELS

LANGUAGES = ("fr", "nl", "de", "es", "zh_CN")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_package_translates_every_label(language: str) -> None:
    po = PACKAGE / "locale" / language / "LC_MESSAGES" / "sphinx_gbifnode.po"
    with po.open("rb") as handle:
        catalog = read_po(handle)
    for label in SPHINX_LABELS:
        message = catalog.get(label)
        assert message is not None and message.string and not message.fuzzy, (language, label)


def test_dutch_headings_and_footer_are_dutch(make_app, tmp_path: Path) -> None:
    import sphinx

    srcdir = copy_root("multilang", tmp_path / "src")
    app = build(make_app, srcdir, confoverrides={
        "language": "nl", "gbifnode_languages": ["nl"], "html_theme": "gbifnode",
    })
    page = html(app, "guide/intro")
    assert 'title="Link naar deze kop"' in page and "Link to this heading" not in page
    assert f"Gemaakt met <a href=\"https://www.sphinx-doc.org/\">Sphinx</a> {sphinx.__display_version__}." in page
    search = html(app, "search")
    assert "Bij meerdere zoekwoorden worden alleen pagina" in search
    # Sphinx's own Dutch is kept where it has some.
    assert "Zoeken" in page


def test_a_translation_of_sphinx_or_the_project_wins(make_app, tmp_path: Path) -> None:
    srcdir = copy_root("multilang", tmp_path / "src")
    folder = srcdir / "locales" / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "sphinx.po").write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Link to this heading"\nmsgstr "Direkter Link"\n', encoding="utf-8"
    )
    app = build(make_app, srcdir, confoverrides={
        "language": "de", "gbifnode_languages": ["de"], "html_theme": "gbifnode",
    })
    page = html(app, "guide/intro")
    assert 'title="Direkter Link"' in page  # the project's sphinx.po first
    assert "Nächstes Thema" in page or "Vorheriges Thema" in page  # Sphinx's own German


def test_added_once_in_a_process_that_builds_twice(make_app, tmp_path: Path) -> None:
    srcdir = copy_root("multilang", tmp_path / "src")
    overrides = {"language": "es", "gbifnode_languages": ["es"]}
    chains = []
    for run in range(2):
        app = build(make_app, srcdir, confoverrides=overrides, builddir=tmp_path / f"b{run}")
        length, translator = 0, app.translator
        while translator is not None:
            length += 1
            translator = getattr(translator, "_fallback", None)
        chains.append(length)
        assert 'title="Enlace a este encabezado"' in html(app, "guide/intro")
    assert chains[0] == chains[1]


def test_no_catalogue_no_change(make_app, tmp_path: Path) -> None:
    """A language the package has no catalogue for keeps Sphinx's labels."""
    assert not gettext.find("sphinx_gbifnode", str(PACKAGE / "locale"), ["sv"])
    srcdir = copy_root("multilang", tmp_path / "src")
    app = build(make_app, srcdir, confoverrides={"language": "sv", "gbifnode_languages": ["sv"]})
    assert "Sök" in html(app, "guide/intro")


def test_search_button_of_the_gbifnode_theme_is_french(make_app, tmp_path: Path) -> None:
    """Sphinx's French catalogue keeps "Go"; the theme's own label says "OK"."""
    srcdir = copy_root("multilang", tmp_path / "src")
    app = build(make_app, srcdir, confoverrides={
        "language": "fr", "gbifnode_languages": ["fr"], "html_theme": "gbifnode",
    })
    page = html(app)
    assert '<button type="submit">OK</button>' in page and ">Go<" not in page
