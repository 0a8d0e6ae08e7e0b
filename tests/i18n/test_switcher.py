"""hreflang links, the language switcher and the partly-translated notice, in real builds."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import build, copy_root, elements, html

THEMES = ["alabaster", "furo", "pydata_sphinx_theme", "sphinx_rtd_theme"]


@pytest.fixture(autouse=True)
def restore_sphinx_defaults():
    """pydata-sphinx-theme appends its folder to Sphinx's *default* ``templates_path``
    list (shared by the whole process); later builds in this test process would then
    extract the theme's templates. Put the default back after each test."""
    from sphinx.config import Config

    default = Config.config_values["templates_path"].default
    saved = list(default)
    yield
    default[:] = saved


@pytest.mark.parametrize("theme", THEMES)
def test_switcher_and_hreflang_in_every_theme(make_app, tmp_path: Path, theme: str) -> None:
    srcdir = copy_root("multilang", tmp_path / "src")
    app = build(make_app, srcdir, confoverrides={"language": "fr", "html_theme": theme})
    assert app.warning.getvalue() == ""
    page = html(app, "guide/intro")
    alternates = {
        (link.attrs.get("hreflang"), link.attrs["href"])
        for link in elements(page, "link", rel="alternate")
    }
    assert {
        ("en", "https://node.example.org/en/guide/intro.html"),
        ("fr", "https://node.example.org/fr/guide/intro.html"),
        ("x-default", "https://node.example.org/en/guide/intro.html"),
    } <= alternates
    assert [link.attrs["href"] for link in elements(page, "link", rel="canonical")] == [
        "https://node.example.org/fr/guide/intro.html"
    ]
    switchers = elements(page, "nav", class_="gbif-language-switcher")
    assert switchers, "no language switcher"
    assert switchers[0].attrs["aria-label"] == "Changer de langue"
    links = [
        (a.attrs["href"], a.attrs["hreflang"], a.attrs["lang"], a.attrs["rel"], a.text)
        for a in elements(page, "a", within="gbif-language-switcher")
    ]
    assert ("../../en/guide/intro.html", "en", "en", "alternate", "English") in links
    current = elements(page, "span", within="gbif-language-switcher", aria_current="page")
    assert [(span.attrs["lang"], span.text) for span in current] == [("fr", "Français")]
    # One of the three passages of guide/intro has no msgstr: the reader is told.
    assert (
        "Cette page n&#x27;est pas encore entièrement traduite ; "
        "passages encore dans la langue d&#x27;origine : 1 sur 3."
    ) in page
    assert "Lisez ceci d’abord." in page
    # The home page is fully translated: no notice.
    assert "gbif-translation-notice" not in html(app, "index")


def test_default_language_has_no_notice(make_app, tmp_path: Path) -> None:
    srcdir = copy_root("multilang", tmp_path / "src")
    app = build(make_app, srcdir, confoverrides={"language": "en"})
    page = html(app, "guide/intro")
    assert "gbif-translation-notice" not in page
    assert '<span lang="en" aria-current="page">English</span>' in page
    assert 'href="../../fr/guide/intro.html" hreflang="fr" lang="fr"' in page


def test_template_helper_for_custom_themes(make_app, tmp_path: Path) -> None:
    srcdir = copy_root("multilang", tmp_path / "src")
    (srcdir / "_templates").mkdir()
    (srcdir / "_templates" / "layout.html").write_text(
        '{% extends "!layout.html" %}\n'
        "{% block relbar1 %}<div id=custom>{{ gbifnode_language_switcher() }}"
        "{% for link in gbifnode_language_links %}"
        "<i data-code={{ link.code }} data-current={{ link.current }}>{{ link.url }}</i>"
        "{% endfor %}</div>{% endblock %}\n"
    )
    app = build(
        make_app,
        srcdir,
        confoverrides={
            "language": "fr",
            "templates_path": ["_templates"],
            "gbifnode_add_language_switcher": False,
        },
    )
    page = html(app, "guide/intro")
    assert page.count('<nav class="gbif-language-switcher"') == 1
    custom = page[page.index("<div id=custom>") :]
    assert custom.startswith('<div id=custom><nav class="gbif-language-switcher"')
    assert "<i data-code=en data-current=False>../../en/guide/intro.html</i>" in custom
    assert "<i data-code=fr data-current=True>../../fr/guide/intro.html</i>" in custom


def test_relative_hreflang_without_baseurl(make_app, tmp_path: Path) -> None:
    srcdir = copy_root("multilang", tmp_path / "src")
    app = build(make_app, srcdir, confoverrides={"language": "fr", "html_baseurl": ""})
    page = html(app)
    assert '<link rel="alternate" hreflang="en" href="../en/index.html" />' in page
    assert '<link rel="alternate" hreflang="x-default" href="../en/index.html" />' in page


def test_languages_discovered_in_plain_intl_project(make_app, tmp_path: Path) -> None:
    """conf.py without sphinx-gbifnode: languages are `language` + locale folders."""
    srcdir = copy_root("intl", tmp_path / "src")
    app = build(
        make_app,
        srcdir,
        confoverrides={"language": "fr", "extensions": ["sphinx_gbifnode"]},
    )
    assert app.config.gbifnode_languages == ["en", "fr"]
    page = html(app, "about")
    assert 'hreflang="en" href="https://intl.example.org/en/about.html"' in page
    assert "Nous comptons les oiseaux." in page
    assert "langue d&#x27;origine : 1 sur 3." in page
    # gettext_compact = True: guide/intro is translated from guide.po
    assert "Lisez ceci d’abord." in html(app, "guide/intro")


def test_notice_counts_exactly_what_the_catalogue_lacks(make_app, tmp_path: Path) -> None:
    """Front matter, hero and partner strings: a fully translated page has no notice;
    one missing msgstr makes one untranslated passage."""
    from helpers import translate_project

    srcdir = copy_root("basic", tmp_path / "src")
    extracted = translate_project(make_app, srcdir, lambda msgid: f"FR[{msgid}]")
    app = build(make_app, srcdir, confoverrides={"language": "fr", "gbifnode_languages": ["en", "fr"]})
    for docname in extracted:
        if docname != "sphinx":
            assert "gbif-translation-notice" not in html(app, docname), docname

    skipped = extracted["frontmatter"][0]
    translate_project(
        make_app, srcdir, lambda msgid: None if msgid == skipped else f"FR[{msgid}]"
    )
    app = build(
        make_app, srcdir,
        confoverrides={"language": "fr", "gbifnode_languages": ["en", "fr"]},
        builddir=tmp_path / "second",
    )
    total = len(extracted["frontmatter"])
    assert f"langue d&#x27;origine : 1 sur {total}." in html(app, "frontmatter")


def test_bundled_theme_places_the_switcher_itself(make_app, tmp_path: Path) -> None:
    srcdir = copy_root("multilang", tmp_path / "src")
    app = build(make_app, srcdir, confoverrides={"language": "fr", "html_theme": "gbifnode"})
    page = html(app, "guide/intro")
    assert '<nav class="gbif-language-switcher"' not in page  # no default placement
    assert 'href="../../en/guide/intro.html"' in page  # the theme's own, from the links
    assert 'hreflang="x-default"' in page
