"""``gbifnode import-jekyll``: HTML that only wraps prose becomes MyST (its words reach the
catalogue and the translated builds); HTML that does more stays, reported; bad HTML is
repaired and reported at its line; what Jekyll does not publish is reported as excluded."""

from __future__ import annotations

import re
from pathlib import Path

import jekyll_sites
from babel.messages.pofile import read_po
from helpers import ONE_LANGUAGE_OF_SITE, build, html

from sphinx_gbifnode import cli
from sphinx_gbifnode.importer.command import import_site

DE_CONFIG = """\
  - scope:
      path: "de/"
    values:
      lang: de
"""

ABOUT_EN = """\
---
title: About us
lang-ref: about
permalink: /about
toc: true
---

<div style="text-align: justify">
<p>We are the <b>national node<b> of the network &amp; its partners.</p>

<p>Read <a href="https://www.gbif.org/what-is-gbif">what GBIF is</a>, our
<a href="/team">team page</a> or <a href="javascript:alert(1)">click</a>.<br>
A second line.</p>
</div>

Plain Markdown with <strong>strong words</strong> and <em>a stress</em>.

<ul>
  <li>First item</li>
  <li>Second <i>item</i>
</ul>

<table>
<tr><th>Name</th><th>Role</th></tr>
<tr><td>Ana</td><td>Node manager</td></tr>
</table>

<script>alert("x")</script>

<div class="widget" onclick="go()">Widget words.</div>

First line of a poem<br>
second line of a poem.
<a href="#">Back to top</a>

<div class="banner">{{ site.title }}</div>

<div>
  <p>A paragraph beside a styled image.</p>

  <img src="https://img.example.org/a.png" alt="An image" style="width: 50%">
</div>
"""

ABOUT_FR = """\
---
title: À propos
lang-ref: about
permalink: /fr/about
---

<div style="text-align: justify">
<p>Nous sommes le <b>nœud national<b> du réseau &amp; de ses partenaires.</p>

<p>Lisez <a href="https://www.gbif.org/fr/what-is-gbif">ce qu'est le GBIF</a>, notre
<a href="/fr/team">page de l'équipe</a> ou <a href="javascript:alert(1)">cliquez</a>.<br>
Une seconde ligne.</p>
</div>

Du Markdown avec <strong>des mots forts</strong> et <em>un accent</em>.

<ul>
  <li>Premier élément</li>
  <li>Second <i>élément</i>
</ul>

<table>
<tr><th>Nom</th><th>Rôle</th></tr>
<tr><td>Ana</td><td>Responsable du n&oelig;ud</td></tr>
</table>

<script>alert("x")</script>

<div class="widget" onclick="go()">Mots du widget.</div>

Premier vers d'un poème<br>
second vers d'un poème.
<a href="#">Back to top</a>

<div class="banner">{{ site.title }}</div>

<div>
  <p>Un paragraphe à côté d'une image stylée.</p>

  <img src="https://img.example.org/a.png" alt="Une image" style="width: 50%">
</div>
"""

BAD_EN = """\
---
title: Bad HTML
lang-ref: bad
permalink: /bad
---

<div style="text-align: center"><div>
<p>Two wrappers, one inside the other.</p>
</div></div>

<!--
Hidden paragraph on the old site.

Still hidden after a blank line.
-->

<div markdown="1" style="text-align: right">
A **Markdown** paragraph inside a div.

Its end on the same line.</div>

<p>Caf&eacute; &lt;au lait&gt; &#38; *stars*</p>

<div style="text-align: right">
<p>A wrapper that never closes.
"""

BAD_FR = """\
---
title: HTML cassé
lang-ref: bad
permalink: /fr/bad
---

<div style="text-align: center"><div>
<p>Deux enveloppes, l'une dans l'autre.</p>
</div></div>

<!--
Paragraphe caché sur l'ancien site.

Toujours caché après une ligne vide.
-->

<div markdown="1" style="text-align: right">
Un paragraphe **Markdown** dans un div.

Sa fin sur la même ligne.</div>

<p>Caf&eacute; &lt;au lait&gt; &#38; *étoiles*</p>

<div style="text-align: right">
<p>Une enveloppe qui ne ferme jamais.
"""


def write_site(root: Path, pages: dict[str, str | bytes]) -> Path:
    return jekyll_sites.write_site(root, pages, DE_CONFIG)


def team(language: str) -> str:
    title = "Team" if language == "en" else "Équipe"
    link = "/team" if language == "en" else "/fr/team"
    return f"---\ntitle: {title}\nlang-ref: team\npermalink: {link}\n---\n\n{title}.\n"


def build_language(make_app, out: Path, language: str, builder: str = "html"):
    overrides = {**ONE_LANGUAGE_OF_SITE, "language": language, "gbifnode_offline": True}
    return build(make_app, out, builder, confoverrides=overrides)


def po_messages(path: Path) -> dict[str, str]:
    with path.open("rb") as handle:
        return {str(m.id): str(m.string) for m in read_po(handle) if m.id}


def words(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    text = re.sub(r"<[^>]+>", "", page).replace("&amp;", "&").replace("&lt;", "<")
    return " ".join(text.replace("&gt;", ">").replace("\u2019", "'").split())


def test_html_that_wraps_prose_is_translated(make_app, tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {"en/about.md": ABOUT_EN, "fr/about.md": ABOUT_FR,
                                          "en/team.md": team("en"), "fr/team.md": team("fr")})
    out = tmp_path / "out"
    import_site(site, out)
    myst = (out / "about.md").read_text(encoding="utf-8")
    assert myst.startswith("---\ntoc: true\n---\n")
    assert ":::{container} text-justify" in myst
    assert "We are the **national node** of the network \\& its partners." in myst
    assert "[what GBIF is](https://www.gbif.org/what-is-gbif)" in myst
    assert "[team page](team.md)" in myst  # a site link goes to the imported page
    assert "javascript" not in myst and " or click.<br> A second line." in myst
    assert "- First item\n- Second *item*" in myst
    assert "| Name | Role |\n| --- | --- |\n| Ana | Node manager |" in myst
    assert '<script>alert("x")</script>' in myst  # kept, visibly, and reported
    assert '<div class="widget" onclick="go()">Widget words.</div>' in myst
    assert "\nBack to top\n" in myst  # a link to "#" only ran a script
    assert '<div class="banner">Test node</div>' in myst  # Jekyll rendered its Liquid
    # a wrapper whose parts are not all prose: the prose is converted, the rest kept
    assert ('A paragraph beside a styled image.\n\n<img src="https://img.example.org/a.png" '
            'alt="An image" style="width: 50%">') in myst

    report = (out / "IMPORT-REPORT.md").read_text(encoding="utf-8")
    assert "`en/about.md:9`: &lt;b> opened again inside &lt;b>: read as &lt;/b>" in report
    assert re.search(r"`en/about.md:12`: link javascript:alert\(1\) is not an http\(s\)", report)
    assert "`en/about.md:28`: raw HTML kept as-is (&lt;script> has no MyST" in report
    assert "`en/about.md:30`: raw HTML kept as-is (attribute class='widget'" in report
    assert "`fr/about.md:29`: raw HTML kept as-is (attribute class='widget'" in report
    assert re.search(r"`en/about.md:\d+`: raw HTML kept as-is \(&lt;img style='width: 50%'>",
                     report)
    assert re.search(r"`en/about.md:\d+`: HTML partly converted to MyST \(1 parts", report)
    assert "`en/about.md:8`: HTML that wraps prose -> MyST" in report
    assert "not carried over" not in report  # toc has its equivalent

    catalogue = po_messages(out / "locales" / "fr" / "LC_MESSAGES" / "about.po")
    assert catalogue["Plain Markdown with **strong words** and *a stress*."] == (
        "Du Markdown avec **des mots forts** et *un accent*.")
    assert catalogue["Node manager"] == "Responsable du nœud"
    assert catalogue["Second *item*"] == "Second *élément*"
    assert catalogue["We are the **national node** of the network \\& its partners."] == (
        "Nous sommes le **nœud national** du réseau \\& de ses partenaires.")

    pot = build_language(make_app, out, "en", "gettext")
    msgids = set(po_messages(Path(pot.outdir) / "about.pot"))
    assert {"First item", "Name", "Ana", "Node manager"} <= msgids

    english = build_language(make_app, out, "en")
    page = html(english, "about")
    assert '<div class="text-justify docutils container">' in page
    assert "<strong>national node</strong> of the network &amp; its partners" in page
    assert "click.<br> A second line." in page
    assert "First line of a poem<br>\nsecond line of a poem." in page
    french = build_language(make_app, out, "fr")
    text = words(html(french, "about"))
    for sentence in ("Nous sommes le nœud national du réseau & de ses partenaires.",
                     "Lisez ce qu'est le GBIF, notre page de l'équipe ou cliquez.",
                     "Du Markdown avec des mots forts et un accent.",
                     "Premier élément", "Second élément", "Responsable du nœud",
                     "Premier vers d'un poème second vers d'un poème.",
                     "Un paragraphe à côté d'une image stylée."):
        assert sentence in text, sentence
    assert "Node manager" not in text and "First item" not in text
    assert "gbif.org/fr/what-is-gbif" in html(french, "about")
    # line breaks are kept in the translation (the msgid holds them: no warning)
    assert "cliquez.<br> Une seconde ligne." in html(french, "about")
    assert "[gbifnode.translation]" not in french.warning.getvalue()
    assert cli.main(["i18n", "check", str(out)]) == 0


def test_bad_html_is_repaired_and_reported(make_app, tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {
        "en/bad.md": BAD_EN,
        "fr/bad.md": BAD_FR.encode("iso-8859-1", errors="replace"),
    })
    out = tmp_path / "out"
    import_site(site, out)
    myst = (out / "bad.md").read_text(encoding="utf-8")
    assert ":::{container} text-center\nTwo wrappers, one inside the other.\n:::" in myst
    # a comment hides its lines even past a blank line: MyST comments, not page text
    assert "% Hidden paragraph on the old site.\n%\n% Still hidden after a blank line." in myst
    assert ("{container} text-right\nA **Markdown** paragraph inside a div.\n\n"
            "Its end on the same line.\n\n::::::::::\n") in myst
    assert "Café \\<au lait\\> \\& \\*stars\\*" in myst  # entities decoded, then escaped
    assert ":::{container} text-right\nA wrapper that never closes.\n:::" in myst

    report = (out / "IMPORT-REPORT.md").read_text(encoding="utf-8")
    assert "`en/bad.md:11`: HTML comment over 5 lines (hidden on the old site)" in report
    assert "`en/bad.md:17`: &lt;div markdown=\"1\"> -> a MyST container text-right" in report
    assert "`en/bad.md:24`: &lt;div> does not close: closed at the end of the block" in report
    assert "`fr/bad.md:2`: not UTF-8 (first at this line): read as Windows-1252" in report
    assert "`fr/bad.md:24`: &lt;div> does not close" in report

    catalogue = po_messages(out / "locales" / "fr" / "LC_MESSAGES" / "bad.po")
    assert catalogue["Two wrappers, one inside the other."] == (
        "Deux enveloppes, l'une dans l'autre.")
    assert catalogue["A **Markdown** paragraph inside a div."] == (
        "Un paragraphe **Markdown** dans un div.")
    french = build_language(make_app, out, "fr")
    assert "ERROR" not in french.warning.getvalue()
    text = words(html(french, "bad"))
    for sentence in ("Deux enveloppes, l'une dans l'autre.", "Café <au lait> & *étoiles*",
                     "Une enveloppe qui ne ferme jamais."):
        assert sentence in text, sentence
    assert "Paragraphe caché" not in text and "Hidden paragraph" not in text


def test_what_jekyll_does_not_publish_is_excluded(tmp_path: Path,
                                                  capsys) -> None:
    site = write_site(tmp_path / "site", {
        "en/team.md": team("en"),
        "fr/team.md": team("fr"),
        "de/team.md": "---\ntitle: Team\nlang-ref: team\npermalink: /de/team\n---\n\nDas Team.\n",
        "en/old.md": "---\ntitle: Old\nlayout: page\npublished: false\n---\n\nOld page.\n",
        "_drafts/next-event.md": "---\ntitle: Next event\n---\n\nSoon.\n",
    })
    config = site / "_config.yml"
    config.write_text(config.read_text(encoding="utf-8") + "exclude:\n  - de\n  - '*.txt'\n",
                      encoding="utf-8")
    out = tmp_path / "out"
    import_site(site, out)
    report = (out / "IMPORT-REPORT.md").read_text(encoding="utf-8")
    section = report.split("## Not published by Jekyll")[1]
    assert "`de/team.md`: excluded by \\_config.yml (exclude: de): Jekyll does not publish" in (
        section)
    assert "`en/old.md:4`: published: false: Jekyll does not publish it" in section
    assert "`_drafts/next-event.md`: a draft (\\_drafts/)" in section
    assert re.search(r"`_config.yml`: language de: Jekyll publishes none of its pages "
                     r"\(excluded by _config.yml\)", section.replace("\\_", "_"))
    assert "configured but has no pages" not in report
    assert not (out / "old.md").exists() and not (out / "locales" / "de").exists()
    assert not (out / "posts").exists()

    again = tmp_path / "again"
    assert cli.main(["import-jekyll", str(site), str(again), "--include-unpublished"]) == 0
    capsys.readouterr()
    assert "Old page." in (again / "old.md").read_text(encoding="utf-8")
    assert "Soon." in (again / "posts" / "next-event.md").read_text(encoding="utf-8")
    assert po_messages(again / "locales" / "de" / "LC_MESSAGES" / "team.po")["Team."] == (
        "Das Team.")
    assert "## Not published by Jekyll" in (again / "IMPORT-REPORT.md").read_text()
    assert "- none" in (again / "IMPORT-REPORT.md").read_text().split(
        "## Not published by Jekyll")[1].split("##")[0]


WRAPPED = """\
---
title: {title}
lang-ref: wrapped
permalink: {link}
---

<div style="width:70%; margin:0 auto; text-align: justify;">
  <h2>{heading}</h2>
  {first}
  <br><br>
  {second}
</div>

<div class="widget">
  <p>Widget line one.</p>

  <p>Widget line two.</p>
</div>
"""


def test_layout_wrappers_give_way_to_their_text(make_app, tmp_path: Path) -> None:
    """A wrapper that places a column (width, margin) and holds headings: the headings
    and paragraphs become MyST (translated), the layout and alignment are noted."""
    site = write_site(tmp_path / "site", {
        "en/wrapped.md": WRAPPED.format(title="Wrapped", link="/wrapped", heading="Video",
                                        first="First paragraph.", second="Second one."),
        "fr/wrapped.md": WRAPPED.format(title="Enveloppé", link="/fr/wrapped",
                                        heading="Vidéo", first="Premier paragraphe.",
                                        second="Le second."),
    })
    out = tmp_path / "out"
    import_site(site, out)
    myst = (out / "wrapped.md").read_text(encoding="utf-8")
    assert "## Video\n\nFirst paragraph.\n\nSecond one.\n" in myst
    assert "container" not in myst and "<div style" not in myst
    report = (out / "IMPORT-REPORT.md").read_text(encoding="utf-8")
    assert "`en/wrapped.md:7`: &lt;div> layout style dropped (the theme places the text): " \
        "width:70%; margin:0 auto" in report
    assert "`en/wrapped.md:7`: &lt;div> alignment text-justify dropped: it holds headings" in (
        report)
    # a part kept as it is, over a blank line: each run of lines is named
    assert "`en/wrapped.md:14`: raw HTML kept as-is (attribute class='widget'" in report
    assert "`en/wrapped.md:17`: raw HTML kept as-is (continued from line 14): " \
        "&lt;p>Widget line two.&lt;/p>" in report
    assert ('<div class="widget">\n  <p>Widget line one.</p>\n  <p>Widget line two.</p>\n'
            '</div>') in myst  # no blank line: it would end the HTML block
    french = build_language(make_app, out, "fr")
    text = words(html(french, "wrapped"))
    assert "Vidéo" in text and "Premier paragraphe." in text and "Le second." in text
