"""The front-matter ``title`` is the page's title when the body starts below level 1
(pages written the hosted-portal way); pages with their own level-1 heading keep it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import (
    ONE_LANGUAGE_OF_SITE,
    build,
    elements,
    html,
    make_project,
    translate_project,
    warnings_of,
)

INDEX = "# Home\n\n```{toctree}\nportal\n```\n"
PORTAL = """---
title: Sharing your data
description: How to publish data through GBIF.
toc: true
---
## Why share

Shared data are seen.

## How to publish

Register first.

### The form

Fill it in.

```text
# not a heading: code
```
"""


def text_of(element: object) -> str:
    return re.sub(r"\s+", " ", element.text).replace("¶", "").strip()  # type: ignore[attr-defined]


def test_front_matter_title_is_the_page_title(make_app, tmp_path: Path) -> None:
    srcdir = make_project(tmp_path / "src", {"index.md": INDEX, "portal.md": PORTAL})
    app = build(make_app, srcdir)
    assert warnings_of(app) == ""  # no myst.header warning for the ## headings
    page = html(app, "portal")
    assert [text_of(h) for h in elements(page, "h1", within="body")] == ["Sharing your data"]
    assert "<title>Sharing your data" in page
    # The ## headings are sections of the page, nested in its title's section.
    assert [text_of(h) for h in elements(page, "h2", within="body")] == [
        "Why share", "How to publish"]
    assert [text_of(h) for h in elements(page, "h3", within="body")] == ["The form"]
    body = page[page.index('<section id="sharing-your-data">'):]
    assert body.index("<h1>") < body.index('<section id="why-share">')
    assert "# not a heading: code" in page
    # The navigation names the page by its title.
    assert ">Sharing your data</a>" in html(app, "index")
    assert app.env.titles["portal"].astext() == "Sharing your data"


def test_front_matter_title_is_translatable(make_app, tmp_path: Path) -> None:
    srcdir = make_project(tmp_path / "src", {"index.md": INDEX, "portal.md": PORTAL},
                          "language = 'en'\n")
    french = {"Sharing your data": "Partager ses données", "Why share": "Pourquoi partager"}
    extracted = translate_project(make_app, srcdir, french.get)
    assert "Sharing your data" in extracted["portal"]
    app = build(make_app, srcdir, confoverrides=ONE_LANGUAGE_OF_SITE)
    assert warnings_of(app) == ""
    page = html(app, "portal")
    assert [text_of(h) for h in elements(page, "h1", within="body")] == ["Partager ses données"]
    assert "<title>Partager ses données" in page
    assert ">Partager ses données</a>" in html(app, "index")


def test_front_matter_title_and_a_level_one_heading(make_app, tmp_path: Path) -> None:
    page = "---\ntitle: Ignored title\n---\n\nIntro.\n\nReal title\n==========\n\n## Part\n"
    srcdir = make_project(tmp_path / "src", {"index.md": INDEX.replace("portal", "both"),
                                             "both.md": page})
    app = build(make_app, srcdir)
    warnings = warnings_of(app).strip().splitlines()
    assert len(warnings) == 1, warnings
    assert f"{srcdir / 'both.md'}:2: WARNING: front matter title 'Ignored title' is not " \
        "shown: the page's title is its level-1 heading (line 7)" in warnings[0]
    built = html(app, "both")
    assert [text_of(h) for h in elements(built, "h1", within="body")] == ["Real title"]
    assert "Ignored title" not in built


def test_pages_without_a_front_matter_title_are_read_as_written(make_app, tmp_path: Path) -> None:
    plain = "# Plain\n\n## Part\n"
    no_title = "---\ndescription: no title\n---\n# Own title\n\n## Part\n"
    srcdir = make_project(tmp_path / "src", {
        "index.md": "# Home\n\n```{toctree}\nplain\nno_title\n```\n",
        "plain.md": plain, "no_title.md": no_title,
    })
    app = build(make_app, srcdir)
    assert warnings_of(app) == ""
    assert [text_of(h) for h in elements(html(app, "plain"), "h1", within="body")] == ["Plain"]
    assert [text_of(h) for h in elements(html(app, "no_title"), "h1", within="body")] == [
        "Own title"]


def test_front_matter_hero_shows_the_title_once(make_app, tmp_path: Path) -> None:
    page = ("---\ntitle: Our community\nbackground: _static/hero.png\n"
            "imageLicense: Photo by A. Author, CC0\n---\n## Members\n\nText.\n")
    srcdir = make_project(tmp_path / "src", {"index.md": INDEX.replace("portal", "hero"),
                                             "hero.md": page},
                          "html_theme = 'gbifnode'\n")
    app = build(make_app, srcdir)
    assert warnings_of(app) == ""
    built = html(app, "hero")
    titles = elements(built, "h1")
    assert [text_of(h) for h in titles] == ["Our community"]
    assert titles[0].attrs["class"] == "gbif-hero-title"
    assert "<title>Our community" in built
    assert [text_of(h) for h in elements(built, "h2", within="gbif-article")] == ["Members"]
    assert ">Our community</a>" in html(app, "index")


@pytest.mark.parametrize(("body", "line"), [
    ("## Part\n\nText.\n", None),
    ("Intro.\n\n# Title\n", 3),
    ("#Not a heading (no space)\n\n## Part\n", None),
    ("```text\n# code\n```\n\n## Part\n", None),
    ("~~~~\n# code\n~~~\n# still code\n~~~~\n", None),
    (":::{note}\n# in a directive\n:::\n", None),
    ("    # indented code\n", None),
    ("Title\n=====\n", 1),  # the line of the words
    ("\n=====\n", None),
    ("```\nopen fence to the end\n# code\n", None),
])
def test_level_one_heading_is_found_outside_fences(body: str, line: int | None) -> None:
    from sphinx_gbifnode.page_title import level_one_heading

    assert level_one_heading(body.splitlines(), 0) == line
