"""The sentence ledger of ``gbifnode import-jekyll --check``: every sentence of every
language is found in the built HTML or named in the report; the alignment survives what
translators do; importing again never loses a translator's work."""

from __future__ import annotations

import io
import os
import re
import stat
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from sphinx_gbifnode import cli
from sphinx_gbifnode.importer import ledger
from sphinx_gbifnode.importer.command import import_site
from sphinx_gbifnode.importer.report import Report

CONFIG = """\
title: Ledger node
url: "https://ledger.example.org"
algae:
  rootLang: en
defaults:
  - scope:
      path: ""
    values:
      layout: page
      lang: en
  - scope:
      path: "fr/"
    values:
      lang: fr
"""

PAGES = {
    "en/about.md": """\
---
lang-ref: about
title: About
permalink: /about
---

## Our values

We share open data with everyone. We care about its quality.

See the [dataset search](https://www.gbif.org/dataset/search) for every dataset.

Read the [partner list](https://partners.example.org/list.jsp) of the network.

Meet [our team](/team) in person.

## Team

The node has four members.

They work in Brussels.

## History

The node started in 2001. It joined GBIF soon after.
""",
    "fr/about.md": """\
---
lang-ref: about
title: À propos
permalink: /fr/a-propos
---

## Nos valeurs

Nous partageons des données ouvertes avec tout le monde.

Nous veillons à leur qualité.

Lisez la [liste des partenaires](https://partners.example.org/list.jsp?request_locale=fr) du réseau, mise à jour chaque mois par le secrétariat.

Voyez la [recherche de jeux de données](https://www.gbif.org/fr/dataset/search?lang=fr) pour tous les jeux de données publiés par les institutions du pays et d'ailleurs.

Rencontrez [notre équipe](/fr/equipe?lang=fr) en personne.

## Les personnes qui font vivre le réseau belge de la biodiversité

Le nœud compte quatre membres. Ils travaillent à Bruxelles.

## Histoire

Le nœud a commencé en 2001. Il a rejoint le GBIF peu après.

Un paragraphe ajouté par la traductrice, sans équivalent anglais.
""",
    "en/team.md": """\
---
lang-ref: team
title: Team
permalink: /team
---

Our team answers every question about open data.
""",
    "fr/team.md": """\
---
lang-ref: team
title: Équipe
permalink: /fr/equipe
---

Notre équipe répond à toutes les questions sur les données ouvertes.
""",
    "en/sections.md": """\
---
lang-ref: sections
title: Sections
permalink: /sections
---

## First

The first section explains the portal.

## Second

The second section explains the data.

## Third

The third section explains the licences.
""",
    "fr/sections.md": """\
---
lang-ref: sections
title: Sections
permalink: /fr/sections
---

## Premier

La première section explique le portail.

## Troisième

La troisième section explique les licences.
""",
    "en/news.md": """\
---
lang-ref: news
title: News
permalink: /news
---

The news page lists what happened this year.
""",
    "fr/orphan.md": """\
---
lang-ref: nowhere
title: Orpheline
permalink: /fr/orpheline
---

Cette page n'a pas de version anglaise.
""",
}

#: A twin page saved in ISO-8859-1 (the importer reads UTF-8).
LATIN_TWIN = """\
---
lang-ref: news
title: Nouvelles
permalink: /fr/nouvelles
---

La page des nouvelles énumère ce qui s'est passé cette année.
""".encode("latin-1")


def write_site(root: Path, pages: dict[str, str] | None = None) -> Path:
    """A small hosted-portal site with the alignment and ledger cases."""
    root.mkdir(parents=True)
    (root / "_config.yml").write_text(CONFIG, encoding="utf-8")
    (root / "_data").mkdir()
    for rel, text in (PAGES if pages is None else pages).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    if pages is None:
        (root / "fr" / "news.md").write_bytes(LATIN_TWIN)
    return root


def catalogue(out: Path, page: str) -> dict[str, object]:
    with (out / "locales" / "fr" / "LC_MESSAGES" / f"{page}.po").open("rb") as handle:
        return {str(m.id): m for m in read_po(handle) if m.id}


def totals(printed: str, language: str) -> tuple[int, ...]:
    match = re.search(rf"^{language}: (\d+) sentences, (\d+) found in the HTML \([^)]*\), "
                      r"(\d+) accounted for in the report, (\d+) lost$", printed, re.M)
    assert match, printed
    return tuple(int(number) for number in match.groups())


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str, int]:
    """The fixture site imported with --check: (site, out, what was printed, status)."""
    base = tmp_path_factory.mktemp("ledger")
    site = write_site(base / "site")
    out = base / "out"
    printed = io.StringIO()
    with redirect_stdout(printed):
        status = cli.main(["import-jekyll", str(site), str(out), "--check"])
    return site, out, printed.getvalue(), status


def test_check_accounts_for_every_sentence(checked: tuple[Path, Path, str, int]) -> None:
    _site, out, printed, status = checked
    assert status == 0, printed
    assert "Traceback" not in printed
    en = totals(printed, "en")
    fr = totals(printed, "fr")
    # en: about 10, team 1, sections 3, news 1 (one-word headings are not sentences);
    # every one is in the English HTML.
    assert en == (15, 15, 0, 0)
    sentences, found, accounted, lost = fr
    assert lost == 0 and found + accounted == sentences
    report = (out / "IMPORT-REPORT.md").read_text(encoding="utf-8")
    # Not found in French: the translator's added paragraph (no English counterpart), the
    # page without an English twin, and the page in ISO-8859-1 unless the importer could
    # read it (then its sentence is found).
    latin = [line for line in report.splitlines() if "La page des nouvelles" in line]
    assert all(re.search(r"^- `fr/news\.md:7` \(fr\): .* — page not imported: "
                         r"unreadable page", line) for line in latin)
    assert accounted == 2 + len(latin)
    assert f"| `fr` | {sentences} | {found} | {accounted} | 0 |" in report
    assert "### Sentences lost (0)" in report
    assert re.search(r"- `fr/about\.md:27` \(fr\): Un paragraphe ajouté par la traductrice, "
                     r"sans équivalent anglais\. — unaligned at fr/about\.md:27", report)
    assert re.search(r"- `fr/orphan\.md:7` \(fr\): Cette page n'a pas de version anglaise\. "
                     r"— page not imported: no page in the root language", report)


def test_alignment_cases_reach_the_french_html(checked: tuple[Path, Path, str, int]) -> None:
    _site, out, _printed, _status = checked
    about = {msgid: str(m.string) for msgid, m in catalogue(out, "about").items()}  # type: ignore[attr-defined]
    # Links that differ only by the language (?lang=, request_locale=, /fr/, a translated
    # slug) are the same link: the swapped paragraphs pair by their links.
    assert about["Read the [partner list](https://partners.example.org/list.jsp) of the "
                 "network."].startswith("Lisez la [liste des partenaires]")
    assert about["See the [dataset search](https://www.gbif.org/dataset/search) for every "
                 "dataset."].startswith("Voyez la [recherche de jeux de données]")
    # ... and the translated link now leads to the page of the new site.
    assert about["Meet [our team](team.md) in person."] == (
        "Rencontrez [notre équipe](team.md) en personne.")
    # A paragraph split in two by the translator, and two joined into one.
    assert about["We share open data with everyone. We care about its quality."] == (
        "Nous partageons des données ouvertes avec tout le monde. Nous veillons à leur "
        "qualité.")
    assert about["The node has four members."] == "Le nœud compte quatre membres."
    assert about["They work in Brussels."] == "Ils travaillent à Bruxelles."
    # Headings pair by level and position when their words differ.
    assert about["Team"] == "Les personnes qui font vivre le réseau belge de la biodiversité"
    assert about["History"] == "Histoire"
    report = (out / "IMPORT-REPORT.md").read_text(encoding="utf-8")
    assert "one paragraph translates two; split at a sentence end" in report
    # A twin with fewer sections: each section pairs with its own (by its heading level
    # and the words translations keep), and the one it lacks is listed with the closest
    # text.
    sections = {msgid: str(m.string) for msgid, m in catalogue(out, "sections").items()}  # type: ignore[attr-defined]
    assert sections["Third"] == "Troisième"
    assert sections["The third section explains the licences."] == (
        "La troisième section explique les licences.")
    assert sections["First"] == "Premier"
    assert sections["Second"] == sections["The second section explains the data."] == ""
    assert re.search(r"`en/sections\.md:\d+`: fr: no matching text in fr/sections\.md, left "
                     r"untranslated \(no msgstr\): The second section explains the data\. "
                     r"\\\| closest fr text: fr/sections\.md:\d+ La", report)
    # Messages that are not a page's (the theme's words) are listed themselves.
    assert ("`OUT/locales/fr/LC_MESSAGES/sphinx.po`: fr: 1 of 1 messages have no "
            "translation in the site's data, translate them here: Ledger node") in report


def test_lost_sentences_are_named_with_file_and_line(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {k: v for k, v in PAGES.items()
                                          if k.endswith(("team.md",))})
    out = tmp_path / "out"
    import_site(site, out)
    # A sentence the conversion dropped without a word (here: removed by hand).
    page = out / "team.md"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "Our team answers every question about open data.", ""), encoding="utf-8")
    report = Report(site)
    outcome = ledger.check(site, out, report)
    # Its msgid went with it, so the French sentence is lost too.
    assert outcome.lost == 2
    assert report.ledger["en"] == (1, 0, 0, 1)
    assert report.ledger["fr"] == (1, 0, 0, 1)
    markdown = report.markdown()
    assert "### Sentences lost (2)" in markdown
    assert "- `en/team.md:7` (en): Our team answers every question about open data." in markdown


def test_check_exits_1_when_a_sentence_is_lost(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    pages = {k: v for k, v in PAGES.items() if k.endswith("team.md")}
    # Jekyll publishes a README with front matter; the importer skips it silently.
    pages["en/readme.md"] = "---\ntitle: Read me\n---\n\nThis page explains the portal.\n"
    site = write_site(tmp_path / "site", pages)
    assert cli.main(["import-jekyll", str(site), str(tmp_path / "out"), "--check"]) == 1
    printed = capsys.readouterr().out
    assert totals(printed, "en") == (3, 1, 0, 2)  # its title and its sentence
    assert "  lost: en/readme.md:5 (en): This page explains the portal." in printed


BAD_PAGE = """\
---
lang-ref: page
title: {title}
permalink: {permalink}
---

<div style="text-align: justify">
{wrapped} <b>{bold}<b> <a href="{permalink}">{link}</a>.
<br>
{second}
</div>

<div markdown="1">
**{markdown}**
</div>

<!--
{comment}
-->

{entities}

<div><div><p>{nested}</p></div></div>

<form action="/subscribe"><label>{form}</label><input name="email"></form>

<p>{unclosed}
"""


def test_bad_html_is_accounted_for_without_traceback(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    english = BAD_PAGE.format(
        title="Bad page", permalink="/page", wrapped="This paragraph is wrapped in a div.",
        bold="It has bold words", link="and a link", second="A second line after a break.",
        markdown="Markdown inside a div element.", comment="Commented text Jekyll hides.",
        entities="Caf&eacute; &amp; th&eacute; are served &mdash; every day.",
        nested="Nested wrappers hold this sentence.", form="Your email address here",
        unclosed="An unclosed paragraph starts here")
    french = BAD_PAGE.format(
        title="Mauvaise page", permalink="/fr/page",
        wrapped="Ce paragraphe est enveloppé dans un div.", bold="Il a des mots en gras",
        link="et un lien", second="Une seconde ligne après un saut.",
        markdown="Du Markdown dans un élément div.", comment="Du texte que Jekyll cache.",
        entities="Caf&eacute; &amp; th&eacute; sont servis &mdash; tous les jours.",
        nested="Des enveloppes imbriquées contiennent cette phrase.",
        form="Votre adresse électronique ici", unclosed="Un paragraphe non fermé commence ici")
    site = write_site(tmp_path / "site", {"en/page.md": english, "fr/page.md": french})
    status = cli.main(["import-jekyll", str(site), str(tmp_path / "out"), "--check"])
    captured = capsys.readouterr()
    assert status == 0, captured.out
    assert "Traceback" not in captured.out + captured.err
    # Comments are not sentences of the site; every other sentence is on the English page.
    assert totals(captured.out, "en") == (9, 9, 0, 0)
    sentences, found, accounted, lost = totals(captured.out, "fr")
    assert (sentences, lost) == (9, 0) and found + accounted == 9
    assert found >= 2  # the title and the entity-encoded paragraph at least
    report = (tmp_path / "out" / "IMPORT-REPORT.md").read_text(encoding="utf-8")
    # A form is a widget: it stays raw HTML, so its French words are named in the report.
    assert re.search(r"- `fr/page\.md:25` \(fr\): Votre adresse électronique ici — kept at "
                     r"fr/page\.md:25", report)


def test_what_jekyll_does_not_publish_is_accounted_for(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    pages = {k: v for k, v in PAGES.items() if k.endswith("team.md")}
    pages["nl/team.md"] = ("---\nlang-ref: team\nlang: nl\ntitle: Ons team\n---\n\n"
                           "Ons team beantwoordt elke vraag.\n")
    pages["en/hidden.md"] = ("---\ntitle: Hidden page\npublished: false\n---\n\n"
                             "This page was never published.\n")
    site = write_site(tmp_path / "site", pages)
    with (site / "_config.yml").open("a", encoding="utf-8") as config:
        config.write("exclude:\n  - nl\n")
    assert cli.main(["import-jekyll", str(site), str(tmp_path / "out"), "--check"]) == 0
    printed = capsys.readouterr().out
    assert totals(printed, "nl") == (2, 0, 2, 0)
    # published: false: imported (found) or left out (then named in the report).
    assert totals(printed, "en")[::3] == (3, 0)
    report = (tmp_path / "out" / "IMPORT-REPORT.md").read_text(encoding="utf-8")
    line = next(text for text in report.splitlines() if "Ons team beantwoordt" in text)
    assert line.startswith("- `nl/team.md:7` (nl)")
    assert "not published by the site: \\_config.yml excludes nl" in line or (
        "page not imported" in line)
    for line in (text for text in report.splitlines() if "never published" in text):
        assert "published: false" in line or "page not imported" in line


def test_sentences_are_compared_as_words(tmp_path: Path) -> None:
    page = ledger.Page(Path("/s/en/x.md"), "en/x.md", "en", {}, (
        "<div style=\"text-align: justify\">It&rsquo;s <b>open</b> data, &amp; “free”.</div>\n"
        "\n"
        "{% include widget.html %}\n"
        "<!-- Not published at all. -->\n"
        "- A [linked](https://a.org){:target=\"_blank\"} item, with `code`.\n"
        "| Cell one is here | Cell two is there |\n"), 3)
    found = [(s.line, s.text) for s in ledger.prose_sentences(page)]
    assert [line for line, _text in found] == [3, 7, 8, 8]
    keys = [ledger.words(text) for _line, text in found]
    assert keys == ["it s open data free", "a linked item with code", "cell one is here",
                    "cell two is there"]
    built = tmp_path / "x.html"
    built.write_text("<nav>Menu</nav><main><p>It’s <strong>open</strong> data,\n&amp; "
                     "\"free\".</p></main>", encoding="utf-8")
    assert ledger.page_words(built) == " it s open data free "



def test_markup_inside_words_and_attributes_before_emphasis(tmp_path: Path) -> None:
    page = ledger.Page(Path("/s/en/y.md"), "en/y.md", "en", {}, (
        "See the **[guide](https://a.org){:target=\"_blank\"}** now for the details.\n"
        "\n"
        "**M**inimum data are shared by every member.\n"), 3)
    keys = [ledger.words(s.text) for s in ledger.prose_sentences(page)]
    assert keys == ["see the guide now for the details",
                    "minimum data are shared by every member"]
    built = tmp_path / "y.html"
    built.write_text("<main><p>See the <strong><a href='https://a.org'>guide</a></strong> "
                     "now for the details.</p><p><strong>M</strong>inimum data are shared by "
                     "every member.</p><ul><li>one</li><li>two</li></ul></main>",
                     encoding="utf-8")
    text = ledger.page_words(built)
    assert all(f" {key} " in text for key in keys)
    assert " one two " in text  # block elements still part words

def test_reimport_keeps_translators_work(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    site = write_site(tmp_path / "site", {k: v for k, v in PAGES.items()
                                          if k.endswith(("about.md", "team.md", "sections.md"))})
    out = tmp_path / "out"
    assert cli.main(["import-jekyll", str(site), str(out)]) == 0
    folder = out / "locales" / "fr" / "LC_MESSAGES"
    about = folder / "about.po"
    text = about.read_text(encoding="utf-8")
    # The translator marks one entry fuzzy with a comment, edits another, flags a third.
    text = text.replace('msgid "History"\nmsgstr "Histoire"',
                        '# Ann: check the dates\n#, fuzzy\nmsgid "History"\nmsgstr "Historique"')
    text = text.replace('msgstr "Nos valeurs"', 'msgstr "Nos valeurs communes"')
    text = text.replace('msgid "Team"', '#, no-wrap\nmsgid "Team"')
    text += '\n# A message the page no longer has\nmsgid "Gone"\nmsgstr "Parti"\n'
    about.write_text(text, encoding="utf-8")
    team = folder / "team.po"
    team_text = team.read_text(encoding="utf-8")
    team.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    sections = folder / "sections.po"
    broken = sections.read_text(encoding="utf-8").replace(
        'msgstr "Premier"', 'msgstr "Premier')
    sections.write_text(broken, encoding="utf-8")
    broken_line = broken.splitlines().index('msgstr "Premier') + 1
    capsys.readouterr()

    assert cli.main(["import-jekyll", str(site), str(out), "--force"]) == 0
    entries = catalogue(out, "about")
    history = entries["History"]
    assert history.fuzzy and history.string == "Historique"  # type: ignore[attr-defined]
    assert history.user_comments == ["Ann: check the dates"]  # type: ignore[attr-defined]
    assert entries["Our values"].string == "Nos valeurs communes"  # type: ignore[attr-defined]
    assert "no-wrap" in entries["Team"].flags  # type: ignore[attr-defined]
    with about.open("rb") as handle:
        obsolete = read_po(handle).obsolete
    assert [str(m.string) for m in obsolete.values() if m.id == "Gone"] == ["Parti"]
    assert team.read_text(encoding="utf-8") == team_text
    assert not os.access(team, os.W_OK) or not team.stat().st_mode & stat.S_IWUSR
    assert sections.read_text(encoding="utf-8") == broken
    report = (out / "IMPORT-REPORT.md").read_text(encoding="utf-8")
    assert "`OUT/locales/fr/LC_MESSAGES/team.po`: existing catalogue is read-only, left as it " \
        "is" in report
    assert (f"`OUT/locales/fr/LC_MESSAGES/sections.po:{broken_line}`: existing catalogue "
            "unreadable") in report
    assert "the translation already in OUT/locales/fr/LC\\_MESSAGES/about.po is kept " \
        "instead of this text: Nos valeurs" in report
    assert "Traceback" not in capsys.readouterr().err


# --- the real hosted-portal sites (GBIFNODE_SHARED) -----------------------------------

REAL_SITES = ("gbif+hp-gbif-be", "gbif+hp-france", "gbif+jekyll-hp-base-theme")


@pytest.mark.parametrize("name", REAL_SITES)
def test_real_site_loses_no_sentence(tmp_path: Path, shared_dir: Path, name: str,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    site = shared_dir / "acceptance" / "hp-pages" / name
    status = cli.main(["import-jekyll", str(site), str(tmp_path / "out"), "--check"])
    printed = capsys.readouterr().out
    assert status == 0, printed
    report = (tmp_path / "out" / "IMPORT-REPORT.md").read_text(encoding="utf-8")
    languages = re.findall(r"^\| `([\w-]+)` \| \d+ \|", report, re.M)
    assert languages, report
    for language in languages:
        sentences, found, accounted, lost = totals(printed, language)
        assert lost == 0 and found + accounted == sentences
        assert found >= 0.95 * sentences, (language, printed)
