"""The theme's "On this page" list: ``toc: true`` in a page's front matter, the
``page_toc`` option for every page, translated, and the GBIF France page as it is."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from helpers import (
    ONE_LANGUAGE_OF_SITE,
    build,
    elements,
    html,
    make_project,
    png_bytes,
    warnings_of,
)

THEME = "html_theme = 'gbifnode'\n"
PORTAL = """---
title: Sharing your data
toc: true
---
## Why share

Shared data are seen.

## How to publish

Register first.

### The form

Fill it in.

#### Too deep for the list

Text.
"""
INDEX = "# Home\n\nWelcome.\n\n```{toctree}\nportal\n```\n"


def text_of(element: object) -> str:
    """The element's text as written in the source (Sphinx makes ' a typographic ’)."""
    text = element.text.replace("¶", "").replace("’", "'")  # type: ignore[attr-defined]
    return re.sub(r"\s+", " ", text).strip()


def toc_links(page: str, within: str) -> list[tuple[str, str]]:
    return [(a.attrs["href"], text_of(a)) for a in elements(page, "a", within=within)]


def section_ids(page: str) -> set[str]:
    return {s.attrs["id"] for s in elements(page, "section") if "id" in s.attrs}


def site(tmp_path: Path, pages: dict[str, str], conf: str = "") -> Path:
    return make_project(tmp_path / "src", {"index.md": INDEX, **pages}, THEME + conf)


def test_toc_true_lists_the_sections(make_app, tmp_path: Path) -> None:
    app = build(make_app, site(tmp_path, {"portal.md": PORTAL}))
    assert warnings_of(app) == ""
    page = html(app, "portal")
    navs = elements(page, "nav", class_="gbif-page-toc")
    assert len(navs) == 1 and navs[0].attrs["aria-label"] == "On this page"
    expected = [("#why-share", "Why share"), ("#how-to-publish", "How to publish"),
                ("#the-form", "The form")]
    # The same list folded for a phone and beside the text on a wide screen.
    assert toc_links(page, "gbif-page-toc-fold") == expected
    assert toc_links(page, "gbif-page-toc-side") == expected
    assert [text_of(s) for s in elements(page, "summary", within="gbif-page-toc")] == [
        "On this page"]
    # Every link points at a section of the page.
    assert {href[1:] for href, _text in expected} <= section_ids(page)
    # One title, then the list, then the sections.
    assert [text_of(h) for h in elements(page, "h1")] == ["Sharing your data"]
    body = page[page.index('<div class="gbif-article body">'):]
    assert body.index("<h1>") < body.index('<nav class="gbif-page-toc"') < body.index(
        '<section id="why-share">')
    # Pages that do not ask for it have none.
    assert "gbif-page-toc" not in html(app, "index").split("<body", 1)[1]


def test_label_is_translated(make_app, tmp_path: Path) -> None:
    app = build(make_app, site(tmp_path, {"portal.md": PORTAL}),
                confoverrides=ONE_LANGUAGE_OF_SITE)
    page = html(app, "portal")
    nav = elements(page, "nav", class_="gbif-page-toc")
    assert nav[0].attrs["aria-label"] == "Sur cette page"
    assert [text_of(s) for s in elements(page, "summary", within="gbif-page-toc")] == [
        "Sur cette page"]
    assert "On this page" not in page


def test_theme_option_for_every_page_and_toc_false_wins(make_app, tmp_path: Path) -> None:
    plain = "# Plain page\n\n## First part\n\nText.\n"
    refused = "---\ntoc: false\n---\n# Refusing page\n\n## Part\n\nText.\n"
    index = INDEX.replace("portal", "portal\nplain\nrefused")
    srcdir = make_project(tmp_path / "src", {
        "index.md": index, "portal.md": PORTAL, "plain.md": plain, "refused.md": refused,
    }, THEME + "html_theme_options = {'page_toc': True}\n")
    app = build(make_app, srcdir)
    assert warnings_of(app) == ""
    assert toc_links(html(app, "plain"), "gbif-page-toc-side") == [("#first-part", "First part")]
    assert "gbif-page-toc" not in html(app, "refused").split("<body", 1)[1]
    # A page without sections gets no empty list, and the option asks nothing of it.
    assert "gbif-page-toc" not in html(app, "index").split("<body", 1)[1]


def test_toc_without_sections_or_not_a_boolean(make_app, tmp_path: Path) -> None:
    empty = "---\ntitle: Short page\ntoc: true\n---\nOnly a paragraph.\n"
    odd = "---\ntitle: Odd page\ndescription: x\ntoc: sometimes\n---\n## Part\n\nText.\n"
    srcdir = site(tmp_path, {"empty.md": empty, "odd.md": odd})
    (srcdir / "index.md").write_text(INDEX.replace("portal", "empty\nodd"), encoding="utf-8")
    app = build(make_app, srcdir)
    warnings = warnings_of(app)
    assert f"{srcdir / 'empty.md'}:3: WARNING: front matter 'toc: true', but the page has " \
        "no sections to list" in warnings
    assert f"{srcdir / 'odd.md'}:4: WARNING: front matter 'toc' must be true or false, got " \
        "'sometimes'; ignored" in warnings
    assert len(warnings.strip().splitlines()) == 2, warnings
    assert "gbif-page-toc" not in html(app, "empty").split("<body", 1)[1]
    assert "gbif-page-toc" not in html(app, "odd").split("<body", 1)[1]
    assert "Traceback" not in warnings


def test_toc_comes_after_an_opening_hero(make_app, tmp_path: Path) -> None:
    hero = PORTAL.replace("toc: true\n", "toc: true\nbackground: _static/hero.png\n"
                          "imageLicense: Photo by A. Author, CC0\n")
    app = build(make_app, site(tmp_path, {"portal.md": hero}))
    assert warnings_of(app) == ""
    page = html(app, "portal")
    body = page[page.index('<div class="gbif-article body">'):]
    assert body.index('<section class="gbif-hero') < body.index('<nav class="gbif-page-toc"')
    assert [text_of(h) for h in elements(page, "h1")] == ["Sharing your data"]


# --- the GBIF France page, as the hosted portal has it ----------------------------------

SHARED = os.environ.get("GBIFNODE_SHARED")
SEED_NAME = "002_63e3c21b7c98f740.txt"


def france_seed() -> Path:
    if not SHARED:
        pytest.skip("GBIFNODE_SHARED is not set")
    seeds = Path(SHARED) / "seeds"
    path = seeds / SEED_NAME
    if not path.is_file():
        # Found by what it is if the file is renamed: French, a title, toc: true.
        path = next((p for p in sorted(seeds.glob("*.txt"))
                     if "toc: true" in p.read_text(encoding="utf-8", errors="replace")
                     and "GBIF France" in p.read_text(encoding="utf-8", errors="replace")),
                    path)
    if not path.is_file():
        pytest.skip(f"no GBIF France page in {seeds}")
    return path


def test_gbif_france_page_builds_as_it_is(make_app, tmp_path: Path) -> None:
    seed = france_seed()
    text = seed.read_text(encoding="utf-8")
    srcdir = make_project(tmp_path / "src", {
        "index.md": "# Accueil\n\n```{toctree}\npartage-donnees\n```\n",
    }, THEME + "language = 'fr'\n")
    shutil.copyfile(seed, srcdir / "partage-donnees.md")
    # Images aside: the page's banner photo, where the portal keeps it.
    background = re.search(r"^background: /(\S+)$", text, re.M)
    assert background is not None
    photo = srcdir / background[1]
    photo.parent.mkdir(parents=True)
    photo.write_bytes(png_bytes(64, 32))

    app = build(make_app, srcdir, confoverrides={"gbifnode_language_folders": True})
    assert warnings_of(app) == ""
    page = html(app, "partage-donnees")
    title = re.search(r"^title: (.+)$", text, re.M)[1]  # type: ignore[index]
    assert [text_of(h) for h in elements(page, "h1")] == [title]
    assert f"<title>{title}" in page.replace("’", "'")
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert [text_of(h) for h in elements(page, "h2", within="gbif-article")] == headings
    links = toc_links(page, "gbif-page-toc-side")
    assert [text for _href, text in links] == headings
    assert {href[1:] for href, _text in links} <= section_ids(page)
    nav = elements(page, "nav", class_="gbif-page-toc")
    assert nav[0].attrs["aria-label"] == "Sur cette page"
    assert f">{title}</a>" in html(app, "index")


@pytest.mark.parametrize(("body", "before"), [
    # hero, then the title the theme moved under it: the list comes after both
    ('<section class="gbif-hero gbif-hero--left">\n<h2 class="gbif-hero-title">B</h2>'
     '</section>\n<section id="t">\n<h1>Title</h1>\n<p>Text</p></section>', "<p>Text"),
    # a hero that shows the page's title
    ('<section class="gbif-hero gbif-hero--left">\n<h1 class="gbif-hero-title">T</h1>'
     '</section>\n<section id="t">\n<section id="a">\n<h2>A</h2></section></section>',
     '<section id="t">'),
    ('<section id="t">\n<h1>Title<a class="headerlink" href="#t">¶</a></h1>\n<p>Text</p>'
     "</section>", "<p>Text"),
    ("<p>No title</p>", "<p>No title"),
])
def test_list_goes_after_the_banner_and_the_title(body: str, before: str) -> None:
    from sphinx_gbifnode.theme import after_title

    placed = after_title(body, "<nav>LIST</nav>")
    assert placed.replace("<nav>LIST</nav>", "") == body
    assert placed.index("<nav>LIST</nav>") + len("<nav>LIST</nav>") == placed.index(before)
