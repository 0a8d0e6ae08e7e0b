"""``gbifnode import-jekyll``: posts show their date, author and categories under their
title, in each language, and a posts index page lists them newest first."""

from __future__ import annotations

import re
from pathlib import Path

import jekyll_sites
from babel.messages.pofile import read_po
from helpers import ONE_LANGUAGE_OF_SITE, build, html

from sphinx_gbifnode import cli
from sphinx_gbifnode.importer.command import import_site

POSTS_CONFIG = """\
  - scope:
      path: "_posts"
    values:
      permalink: "/post/:year/:slug/"
  - scope:
      path: "_posts/fr"
    values:
      lang: fr
      permalink: "/fr/post/:year/:slug/"
"""

POSTS = {
    "_posts/2024-08-06-launch.md": "---\ntitle: Portal launched\nlang-ref: launch\n"
    "author: Ana Silva\ncategories: [news, portal]\n---\n\nThe portal is online.\n",
    "_posts/fr/2024-08-06-launch.md": "---\ntitle: Le portail est lancé\nlang-ref: launch\n"
    "categories: [actualités, portail]\n---\n\nLe portail est en ligne.\n",
    "_posts/2025-02-01-workshop.md": "---\ntitle: A <b>workshop</b>\nlang-ref: workshop\n"
    "date: 2025-02-03\nauthor: '*Team* [x]'\n---\n\nJoin us.\n",
    "_posts/fr/2025-02-01-workshop.md": "---\ntitle: Un atelier\nlang-ref: workshop\n"
    "---\n\nRejoignez-nous.\n",
    "en/index.md": "---\ntitle: Home\nlang-ref: home\npermalink: /\n---\n\nWelcome.\n",
    "fr/index.md": "---\ntitle: Accueil\nlang-ref: home\npermalink: /fr/\n---\n\nBienvenue.\n",
}


def words(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", "", page).replace("&amp;", "&").split())


def test_posts_line_and_index(make_app, tmp_path: Path) -> None:
    site = jekyll_sites.write_site(tmp_path / "site", dict(POSTS), POSTS_CONFIG)
    out = tmp_path / "out"
    import_site(site, out)

    launch = (out / "post" / "2024" / "launch.md").read_text(encoding="utf-8")
    assert "*Published on August 6, 2024 by Ana Silva · Categories: news, portal*" in launch
    workshop = (out / "post" / "2025" / "workshop.md").read_text(encoding="utf-8")
    # the front-matter date wins over the file name's; YAML text is escaped
    assert "*Published on February 3, 2025 by \\*Team\\* \\[x\\]*" in workshop
    index = (out / "posts.md").read_text(encoding="utf-8")
    assert index.startswith("# Posts\n")
    assert "post/2025/workshop\npost/2024/launch\n" in index  # newest first
    home = (out / "index.md").read_text(encoding="utf-8")
    assert "posts\n" in home and "post/2024/launch" not in home
    report = (out / "IMPORT-REPORT.md").read_text(encoding="utf-8")
    assert "not carried over" not in report  # date, author, categories have a home now

    with (out / "locales" / "fr" / "LC_MESSAGES" / "post" / "2024" / "launch.po").open(
            "rb") as handle:
        catalogue = {m.id: m.string for m in read_po(handle) if m.id}
    assert catalogue["*Published on August 6, 2024 by Ana Silva · Categories: news, portal*"] \
        == "*Publié le 6 août 2024 par Ana Silva · Catégories : actualités, portail*"

    overrides = {**ONE_LANGUAGE_OF_SITE, "language": "fr", "gbifnode_offline": True}
    french = build(make_app, out, "html", confoverrides=overrides)
    text = words(html(french, "posts"))
    assert "Articles" in text
    assert text.index("Un atelier") < text.index("Le portail est lancé")
    assert "Publié le 6 août 2024 par Ana Silva · Catégories : actualités, portail" in words(
        html(french, "post/2024/launch"))
    english = build(make_app, out, "html", confoverrides={**overrides, "language": "en"})
    assert "A workshop" in words(html(english, "posts"))


def test_old_addresses_lead_to_the_pages(tmp_path: Path) -> None:
    """Where a page's address changed (``/post/2024/launch/`` was a folder, the default
    language now lives in ``en/``), a redirect page sends the reader on."""
    pages = {**POSTS, "en/odd.md": '---\ntitle: Odd\npermalink: /a"><b>x/\n---\n\nOdd.\n'}
    site = jekyll_sites.write_site(tmp_path / "site", pages, POSTS_CONFIG)
    out = tmp_path / "out"
    import_site(site, out)
    conf = (out / "conf.py").read_text(encoding="utf-8")
    assert "'post/2024/launch/': 'post/2024/launch'" in conf
    assert "'fr/post/2024/launch/': 'post/2024/launch'" in conf
    assert "<b>" not in conf
    report = (out / "IMPORT-REPORT.md").read_text(encoding="utf-8")
    assert "`en/odd.md`: permalink /a\">&lt;b>x/ has characters a redirect page" in report
    built = tmp_path / "html"
    assert cli.main(["build", str(out), str(built), "-j", "1", "-D", "gbifnode_offline=1"]) == 0
    english = (built / "post" / "2024" / "launch" / "index.html").read_text(encoding="utf-8")
    assert 'content="0; url=../../../en/post/2024/launch.html"' in english
    assert (built / "en" / "post" / "2024" / "launch.html").is_file()
    french = (built / "fr" / "post" / "2024" / "launch" / "index.html").read_text(
        encoding="utf-8")
    assert 'content="0; url=../launch.html"' in french and '<html lang="fr">' in french
    # the old home pages: the language chooser and the French home are where they were
    assert "sphinx-gbifnode redirect" not in (built / "index.html").read_text(encoding="utf-8")
    assert "sphinx-gbifnode redirect" not in (built / "fr" / "index.html").read_text(
        encoding="utf-8")
