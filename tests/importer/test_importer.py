"""``gbifnode import-jekyll``: a hosted-portal site becomes a Sphinx project whose
translated builds show the translators' existing text."""

from __future__ import annotations

import gettext
import html as html_lib
import re
import shutil
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po
from helpers import FIXTURES, ONE_LANGUAGE_OF_SITE, build, html, png_bytes

from sphinx_gbifnode import cli
from sphinx_gbifnode.importer import align
from sphinx_gbifnode.importer.command import import_site

SITES = FIXTURES / "hp-sites"


def demo_site(tmp_path: Path) -> Path:
    """The demo fixture site, with the images its pages use."""
    site = tmp_path / "site"
    shutil.copytree(SITES / "demo", site)
    images = site / "assets" / "images"
    images.mkdir(parents=True)
    for name in ("moss", "landscape", "museum", "garden", "map", "logo"):
        (images / f"{name}.png").write_bytes(png_bytes(8, 6))
    return site


def text_of(page: str) -> str:
    """The words of an HTML page, as a reader sees them."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    words = html_lib.unescape(re.sub(r"<[^>]+>", "", page))
    return " ".join(words.replace("\u2019", "'").replace("\u00a0", " ").split())




def build_language(make_app, out: Path, language: str, builder: str = "html"):
    """Build the imported project in *language* (offline when it embeds GBIF data)."""
    # Imported pages use gbif-publishers and {gbif-count}; the tests build them
    # offline, where "no snapshot yet" is expected.
    overrides: dict[str, object] = {**ONE_LANGUAGE_OF_SITE, "language": language,
                                    "gbifnode_offline": True}
    return build(make_app, out, builder, confoverrides=overrides)


def page_warnings(app) -> str:
    """Warnings about the pages (not about a second app in one process re-registering
    Sphinx's own nodes, nor, offline, about GBIF data that has no snapshot yet)."""
    lines = app.warning.getvalue().splitlines()
    return "\n".join(line for line in lines if "is already registered" not in line
                     and "[gbifnode.gbif]" not in line)


def po_messages(path: Path) -> dict[str, str]:
    with path.open("rb") as handle:
        return {str(m.id): str(m.string) for m in read_po(handle) if m.id}


def test_demo_site_builds_in_both_languages(make_app, tmp_path: Path) -> None:
    out = tmp_path / "out"
    import_site(demo_site(tmp_path), out)

    english = build_language(make_app, out, "en")
    assert page_warnings(english) == ""
    community = html(english, "community")
    assert "works with many partners" in community
    assert community.count('class="gbif-partner-link"') == 2
    assert 'href="https://museum.example.org"' in community
    assert "width: 180px; height: 60px;" in community  # the kramdown attribute list survived
    assert '<iframe src="https://player.example.org/video/1"' in community  # kept as-is
    home = html(english, "index")
    assert "gbif-hero" in home and "Welcome to the demo node." in home
    # offline, the stats row is its notice (the counts: test_imported_site_shows_gbif_data)
    assert '<div class="gbif-stats-block gbif-embed">' in home
    assert "We help every Belgian institution" in home

    french = build_language(make_app, out, "fr")
    assert page_warnings(french) == ""
    words = text_of(html(french, "community"))
    for sentence in (
        "Notre paysage",
        "La plateforme belge travaille avec de nombreux partenaires.",
        "Voyez la page des éditeurs et la littérature.",
        # split in two paragraphs by the translator, joined back into one msgstr:
        "La liste de diffusion couvre toute la communauté. Elle relie chaque membre au nœud.",
        "Partager des données",
        "Jeux de données",
        "La communauté des données ouvertes de biodiversité",
    ):
        assert sentence in words, sentence
    assert "Un paragraphe ajouté" not in words  # no English counterpart: reported instead
    home_words = text_of(html(french, "index"))
    for sentence in ("Bienvenue sur le nœud de démonstration.", "Notre communauté",
                     "Nous aidons chaque institution belge"):
        assert sentence in home_words, sentence
    # a post keeps the address Jekyll gave it (the permalink pattern of _config.yml)
    post = text_of(html(french, "post/2024/launch"))
    assert "nouveau portail" in post and "6 août 2024" in post
    assert "Qui publie des données" in text_of(html(french, "publisher/search"))
    navbar = html(french, "community")
    assert "Éditeurs de données" in navbar and "Nous contacter" in navbar
    assert "Musée" in navbar and "les actualités du GBIF" in navbar
    # Menu labels are translated through the project's sphinx.po, which the French build
    # compiled beside the page catalogues (Sphinx reads theme words from it).
    menu = gettext.translation("sphinx", out / "locales", ["fr"])
    assert menu.gettext("Publishers") == "Éditeurs de données"
    # A page nobody translated stays in English on the French site.
    assert "This page was never translated." in text_of(html(french, "solo"))
    # kramdown header ids become MyST targets; MyST-only syntax in text stays text.
    solo = html(english, "solo")
    assert 'id="contact"' in solo
    assert '<a class="reference internal" href="community.html">' in solo
    assert '<a class="reference internal" href="index.html">' in solo
    assert '<a class="reference internal" href="post/2024/launch.html">' in solo
    assert "%100 of our data are open; {braces} stay text." in text_of(solo)


def test_po_msgids_are_what_gettext_extracts(make_app, tmp_path: Path) -> None:
    out = tmp_path / "out"
    import_site(demo_site(tmp_path), out)
    gettext = build_language(make_app, out, "en", "gettext")
    pots = sorted(Path(gettext.outdir).rglob("*.pot"))
    # five pages, the posts index and the theme's words (menu, footer) in sphinx.pot
    assert len(pots) == 7 and (Path(gettext.outdir) / "sphinx.pot").is_file()
    for pot in pots:
        domain = pot.relative_to(gettext.outdir).with_suffix("").as_posix()
        po = out / "locales" / "fr" / "LC_MESSAGES" / f"{domain}.po"
        assert set(po_messages(po)) == set(po_messages(pot)), domain
    community = po_messages(out / "locales" / "fr" / "LC_MESSAGES" / "community.po")
    assert community["Our landscape"] == "Notre paysage"
    assert community["Year"] == "Année"
    assert community["Use data"] == "Utiliser des données"
    # The translations taken from the twin pages keep their markup intact.
    assert cli.main(["i18n", "check", str(out)]) == 0
    menu = po_messages(out / "locales" / "fr" / "LC_MESSAGES" / "sphinx.po")
    assert menu["Publishers"] == "Éditeurs de données"
    assert menu["Write to the node (node@example.org) or read GBIF news."] == (
        "Écrivez au nœud (node@example.org) ou lisez les actualités du GBIF.")
    assert menu["GBIF news"] == "les actualités du GBIF"
    assert menu["Museum"] == "Musée"
    conf = (out / "conf.py").read_text(encoding="utf-8")
    assert "'title': 'Publishers', 'url': 'publisher/search'" in conf
    assert "'links': [{'title': 'GBIF news', 'url': 'https://www.gbif.org/news'}]" in conf
    assert "mailto" not in conf  # not a link the theme accepts: the address stays as text
    assert ("'partners': [{'name': 'Museum', 'logo': 'assets/images/museum.png', "
            "'url': 'https://museum.example.org'}]") in conf
    assert '"attrs_inline"' in conf and "gbifnode_languages = ['en', 'fr']" in conf


def test_report_lists_everything_not_converted(tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = import_site(demo_site(tmp_path), out)
    text = (out / "IMPORT-REPORT.md").read_text(encoding="utf-8")
    assert "| `en/community.md` | `community.md` | `fr/community.md` |" in text
    assert report.aligned["fr"][0] >= 30
    expected = [
        ("fr/orphan.md:1", "no page in the root language"),
        ("en/solo.md", "no fr twin"),
        ("fr/community.md:21", "Un paragraphe ajouté par la traductrice"),
        ("en/community.md:33", "raw HTML kept as-is"),
        ("en/community.md:35", "Liquid tag kept as a comment"),
        ("en/home.md:2", "composition block 'stories'"),
        ("_data/examples.yml:3", "stats block -> gbif-stats (2 numbers"),
        ("en/home.md:23", "did not show this body"),
        ("fr/publisher.md:1", "paired with en/publisher.md by its permalink"),
        ("en/community.md:21", "partner-grid"),
        ("fr/community.md:31", "a paragraph split in two"),
    ]
    for where, words in expected:
        assert re.search(rf"`{re.escape(where)}`: .*{re.escape(words)}", text), (where, words)
    assert (out / "_jekyll" / "fr" / "orphan.md").is_file()
    assert (out / ".gitignore").read_text() == "_build/\nlocales/**/*.mo\n"
    # Comments keep what the MyST page cannot show, so nothing disappears.
    assert '% {% include video.html id="1" %}' in (out / "community.md").read_text()


def test_gbif_data_conversions(tmp_path: Path) -> None:
    """Publisher pages become ``gbif-publishers`` and a stats block of ``data-ajax-url``
    counts ``gbif-stats``."""
    site = demo_site(tmp_path)
    import_site(site, tmp_path / "with")
    publishers = (tmp_path / "with" / "publisher" / "search.md").read_text(encoding="utf-8")
    assert ":::{gbif-publishers}\n:country: BE\n:::" in publishers
    home = (tmp_path / "with" / "index.md").read_text(encoding="utf-8")
    assert (":::{gbif-stats}\n- count: occurrences?country=BE\n  label: Occurrences in Belgium\n"
            "  link: https://www.gbif.org/occurrence/search?country=BE\n") in home
    assert "- count: datasets?publishingCountry=BE\n" in home


def test_imported_site_shows_gbif_data(make_app, tmp_path: Path, gbif_server) -> None:
    """The publisher page and the counts of the home page, fetched over real HTTP from
    the recorded API and written for the French reader."""
    out = tmp_path / "out"
    import_site(demo_site(tmp_path), out)
    app = build(make_app, out, confoverrides={**ONE_LANGUAGE_OF_SITE,
                                              "gbifnode_api_url": gbif_server.url})
    assert page_warnings(app) == ""
    assert "[gbifnode.gbif]" not in app.warning.getvalue()
    assert "Meise Botanic Garden" in text_of(html(app, "publisher/search"))
    home = text_of(html(app, "index"))
    assert "63 251 879 Occurrences en Belgique" in home.replace("\u202f", " ")
    assert "4 Jeux de données belges" in home
    assert "organization" in gbif_server.paths()


def test_alignment_follows_structure_not_position() -> None:
    def item(text: str, kind: str = "paragraph@list_item") -> align.Message:
        return align.Message(kind, text, 1)

    root = [item("Our team", "title"), item("See [A](https://a.org)"),
            item("See [B](https://b.org)"), item("A closing paragraph.", "paragraph")]
    twin = [item("Notre équipe", "title"), item("Voir [B](https://b.org/fr)"),
            item("Voir [A](https://a.org)"), item("Un ajout.", "paragraph"),
            item("Un paragraphe de conclusion.", "paragraph")]
    outcome = align.page_alignment(root, twin, {"en", "fr"})
    # Swapped list items are found by their links (/fr/ in a link is the same place);
    # a heading never pairs with a paragraph.
    assert outcome.translations["Our team"] == "Notre équipe"
    assert outcome.translations["See [A](https://a.org)"] == "Voir [A](https://a.org)"
    assert outcome.translations["See [B](https://b.org)"] == "Voir [B](https://b.org/fr)"
    assert [m.text for m in outcome.unaligned_twin] in (["Un ajout."],
                                                        ["Un paragraphe de conclusion."])
    assert not outcome.unaligned_root


def test_bad_input_is_reported_and_the_rest_builds(make_app, tmp_path: Path) -> None:
    site = demo_site(tmp_path)
    (site / "fr" / "broken.md").write_text(
        "---\nlang-ref: solo\ntitle: [not closed\n---\n\nTexte.\n", encoding="utf-8")
    (site / "fr" / "copy.md").write_text(
        "---\nlang-ref: community\ntitle: Copie\n---\n\nUne copie.\n", encoding="utf-8")
    (site / "_data" / "images.yml").unlink()
    (site / "en" / "unsafe.md").write_text(
        "---\ntitle: <script>alert(1)</script> Safe\nlayout: home\ncomposition:\n"
        "  - type: features\n    data: unsafe\n  - type: stats\n    data: missing.block\n"
        "---\n", encoding="utf-8")
    (site / "_data" / "unsafe.yml").write_text(
        "features:\n  - title: <img src=x onerror=alert(2)>Card\n"
        "    description: Click <a href=\"javascript:alert(3)\">here</a>\n", encoding="utf-8")
    solo = site / "en" / "solo.md"
    solo.write_text(solo.read_text().replace("permalink: /solo", "permalink: /solo\n"
                    "background: /assets/images/moss.png\nimageLicense: Me\nheight: tall"))
    (site / "en" / "shapes.md").write_text(
        "---\ntitle: Shapes\ncta: not a list\nlayout: home\ncomposition:\n"
        "  - type: features\n    data: shapes\n  - just a string\n---\n", encoding="utf-8")
    (site / "_data" / "shapes.yml").write_text("features:\n  - a string\n  - title: Kept\n"
                                               "    description: Kept too\n",
                                               encoding="utf-8")
    config = site / "_config.yml"
    config.write_text(config.read_text() + "exclude: not-a-list\n", encoding="utf-8")
    out = tmp_path / "out"
    import_site(site, out)
    text = (out / "IMPORT-REPORT.md").read_text(encoding="utf-8")
    assert re.search(r"`en/shapes.md:2`: call-to-action buttons 'not a list' are not a list",
                     text)
    assert re.search(r"`en/shapes.md:2`: composition entry 'just a string' has no type", text)
    assert re.search(r"`en/shapes.md:2`: gbif-features: 'a string' is not an entry", text)
    assert "Kept too" in (out / "shapes.md").read_text(encoding="utf-8")
    assert re.search(r"`OUT/solo.md:1`: Sphinx: front matter 'height': 'tall' is not a CSS", text)
    assert re.search(r"`fr/broken.md:\d+`: malformed front matter", text)
    assert re.search(r"`fr/copy.md:1`: lang-ref 'community' is shared with fr/community.md", text)
    assert re.search(r"`en/community.md:2`: Liquid \{\{ site.data.images.moss.src \}\} could "
                     r"not be resolved", text)
    assert re.search(r"`en/unsafe.md:2`: composition block 'stats': data 'missing.block' not "
                     r"found", text)
    assert (out / "_jekyll" / "fr" / "broken.md").is_file()
    assert "background:" not in (out / "community.md").read_text(encoding="utf-8")

    for language in ("en", "fr"):
        app = build_language(make_app, out, language)
        assert "ERROR" not in app.warning.getvalue()
        page = html(app, "unsafe")
        assert "<script>alert" not in page and "onerror" not in page
        assert "javascript:" not in page
    assert "Notre paysage" in html(app, "community")


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = demo_site(tmp_path)
    out = tmp_path / "out"
    assert cli.main(["import-jekyll", str(site), str(out)]) == 0
    printed = capsys.readouterr().out
    assert "6 pages converted" in printed and "fr: " in printed
    before = (out / "community.md").read_text(encoding="utf-8")
    assert cli.main(["import-jekyll", str(site), str(out)]) == 2
    assert "is not empty" in capsys.readouterr().err
    assert (out / "community.md").read_text(encoding="utf-8") == before
    assert cli.main(["import-jekyll", str(tmp_path / "nowhere"), str(tmp_path / "x")]) == 2
    (tmp_path / "a-file").write_text("x")
    assert cli.main(["import-jekyll", str(site), str(tmp_path / "a-file")]) == 2
    assert "is a file" in capsys.readouterr().err

    # Importing again (--force) keeps what translators changed since, and never touches
    # a catalogue it cannot read.
    catalogues = out / "locales" / "fr" / "LC_MESSAGES"
    community = catalogues / "community.po"
    community.write_text(community.read_text(encoding="utf-8").replace(
        'msgstr "Notre paysage"', 'msgstr "Notre paysage, revu"'), encoding="utf-8")
    broken = "msgid \"Only in English\"\nmsgid \"twice\"\nmsgstr \"Seulement\"\n"
    (catalogues / "solo.po").write_text(broken, encoding="utf-8")
    assert cli.main(["import-jekyll", str(site), str(out), "--force"]) == 0
    assert po_messages(community)["Our landscape"] == "Notre paysage, revu"
    assert po_messages(community)["Use data"] == "Utiliser des données"
    assert (catalogues / "solo.po").read_text(encoding="utf-8") == broken
    report = (out / "IMPORT-REPORT.md").read_text(encoding="utf-8")
    assert "`OUT/locales/fr/LC_MESSAGES/solo.po:2`: existing catalogue unreadable" in report
    assert "`OUT/locales/fr/LC_MESSAGES/community.po`: 1 translations already" in report
    # An output folder inside the site is not read back as pages of the site.
    assert cli.main(["import-jekyll", str(site), str(site / "sphinx")]) == 0
    capsys.readouterr()
    assert cli.main(["import-jekyll", str(site), str(site / "sphinx"), "--force"]) == 0
    assert capsys.readouterr().out.startswith("6 pages converted")
    assert "sphinx/" not in (site / "sphinx" / "IMPORT-REPORT.md").read_text(encoding="utf-8")


def test_gbifnode_build_gives_every_language(tmp_path: Path) -> None:
    out = tmp_path / "out"
    import_site(demo_site(tmp_path), out)
    site_html = tmp_path / "html"
    argv = ["build", str(out), str(site_html), "-j", "1", "-D", "gbifnode_offline=1"]
    assert cli.main(argv) == 0
    assert "Our landscape" in text_of((site_html / "en" / "community.html").read_text())
    assert "Notre paysage" in text_of((site_html / "fr" / "community.html").read_text())


# --- the real hosted-portal sites (GBIFNODE_SHARED) -----------------------------------

REAL_SITES = ("gbif+hp-gbif-be", "gbif+hp-france", "gbif+jekyll-hp-base-theme")


def sample_sentences(page: Path, count: int = 3) -> list[str]:
    """A few plain sentences (no markup) from a page's body and hero."""
    text = page.read_text(encoding="utf-8")
    match = re.match(r"^---\n(.*?)\n---[ \t]*(?:\n|$)(.*)$", text, re.S)
    assert match, page
    front, body = match.groups()
    meta = yaml.safe_load(front) or {}
    blocks = [b.get("type") for b in meta.get("composition") or [] if isinstance(b, dict)]
    if blocks and "pageMarkdown" not in blocks:
        body = ""  # the hosted portal never showed this body
    found = []
    for line in [*re.findall(r"^description: (.+)$", front, re.M), *body.splitlines()]:
        line = re.sub(r"!\[[^\]]*\]\([^)]*\)(\{[^}]*\})?", " ", line)
        line = re.sub(r"\[([^\]]*)\]\([^)]*\)(\{[^}]*\})?", r"\1", line)
        line = re.sub(r"[*_`]", "", line).strip()
        if line.startswith(("#", "|", "<", "{", "-", ">", "`")) or "<" in line:
            continue
        words = line.split()
        if len(words) >= 6:
            found.append(" ".join(words[:6]))
        if len(found) == count:
            break
    return found


@pytest.mark.parametrize("name", REAL_SITES)
def test_real_site_imports_and_builds(make_app, tmp_path: Path, shared_dir: Path,
                                      name: str) -> None:
    site = shared_dir / "acceptance" / "hp-pages" / name
    out = tmp_path / "out"
    report = import_site(site, out)
    assert report.pages
    languages = re.search(r"gbifnode_languages = (\[.*\])", (out / "conf.py").read_text())
    assert languages
    docs = {source: docname for source, docname, _twins in report.pages}
    twins = {twin: docs[source] for source, _d, twin_list in report.pages
             for twin in twin_list}
    for language in eval(languages.group(1)):  # our own generated list
        app = build_language(make_app, out, language)
        assert "ERROR" not in app.warning.getvalue()
        assert "[gbifnode.theme]" not in app.warning.getvalue()  # valid menu and footer
        pages = twins if language != eval(languages.group(1))[0] else docs
        checked = 0
        for source, docname in pages.items():
            if (site / source).is_dir():
                continue  # the posts index page the importer adds
            words = text_of(html(app, docname.removesuffix(".md")))
            for sentence in sample_sentences(site / source):
                assert sentence in words, (language, source, sentence)
                checked += 1
        assert checked or len(pages) == 0
    assert cli.main(["i18n", "check", str(out)]) == 0  # no translation breaks markup
    gettext = build_language(make_app, out, eval(languages.group(1))[0], "gettext")
    for language in eval(languages.group(1))[1:]:
        for pot in Path(gettext.outdir).rglob("*.pot"):
            domain = pot.relative_to(gettext.outdir).with_suffix("").as_posix()
            po = out / "locales" / language / "LC_MESSAGES" / f"{domain}.po"
            assert set(po_messages(po)) == set(po_messages(pot)), (language, domain)
