"""``gbif-stats``: a row of big numbers from counts served over HTTP by the local test
server (tests/gbif_server.py), in English and French."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import build, build_gbif_site, gbif_site, html, translate_project, warnings_of

site = gbif_site
build_site = build_gbif_site


def stat_items(page: str) -> list[tuple[str, str, str]]:
    """(number, label, link) of every big number of the page."""
    return re.findall(r'<li class="gbif-stat-item">(?:<a class="gbif-stat-link" href="([^"]*)">)?'
                      r'<span class="gbif-stat-number">([^<]*)</span> '
                      r'<span class="gbif-stat-label">([^<]*)</span>', page)


def test_stats_row_for_a_country(make_app, tmp_path: Path, gbif_server) -> None:
    srcdir = site(tmp_path, "# Belgium\n\n:::{gbif-stats}\n:country: BE\n:::\n")
    app = build_site(make_app, srcdir, gbif_server)
    assert warnings_of(app) == ""
    assert sorted(gbif_server.paths()) == ["dataset/search", "literature/search",
                                           "occurrence/search", "occurrence/search",
                                           "organization"]
    page = html(app)
    assert '<ul class="gbif-stats-list" aria-label="GBIF data: Belgium">' in page
    assert stat_items(page) == [
        ("https://www.gbif.org/occurrence/search?country=BE", "63,251,879",
         "occurrences in the country"),
        ("https://www.gbif.org/occurrence/search?publishing_country=BE", "63,251,879",
         "occurrences shared by the country’s publishers"),
        ("https://www.gbif.org/dataset/search?publishing_country=BE", "4", "datasets"),
        ("https://www.gbif.org/publisher/search?country=BE", "9", "data publishers"),
        ("https://www.gbif.org/resource/search?contentType=literature&amp;"
         "countriesOfResearcher=BE&amp;peerReview=true", "3",
         "peer-reviewed articles using GBIF data"),
    ]
    french = build_site(make_app, srcdir, gbif_server, language="fr")
    items = stat_items(html(french))
    assert items[0][1:] == ("63\u202f251\u202f879", "occurrences dans le pays")
    assert items[3][2] == "éditeurs de données"
    assert 'aria-label="Données du GBIF\u00a0: Belgique"' in html(french)


def test_stats_from_the_body_have_translatable_labels(
    make_app, tmp_path: Path, gbif_server
) -> None:
    srcdir = site(tmp_path, "# Belgium\n\n:::{gbif-stats}\n"
                  "- count: occurrences?publishingCountry=BE\n"
                  "  label: Records shared by Belgian institutions\n"
                  "  link: https://www.gbif.org/occurrence/search?publishing_country=BE\n"
                  "- count: datasets?publishingCountry=BE\n"
                  "  label: Datasets\n"
                  "  link: javascript:alert(1)\n"
                  "  colour: red\n"
                  "- count: species?country=BE\n"
                  "  label: Species\n"
                  ":::\n")
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(f"gbifnode_api_url = {gbif_server.url!r}\n")
    extracted = translate_project(make_app, srcdir, lambda msgid: f"FR[{msgid}]")
    assert "Records shared by Belgian institutions" in extracted["index"]
    app = build_site(make_app, srcdir, gbif_server, language="fr")
    warnings = warnings_of(app)
    assert "index.md:7: WARNING: gbif-stats: link 'javascript:alert(1)' is not allowed" \
        in warnings
    assert "index.md:7: WARNING: gbif-stats: unknown key 'colour'" in warnings
    assert "index.md:11: WARNING: gbif-stats: Species: 'species' is not one of" in warnings
    page = html(app)
    assert "javascript:" not in page
    assert stat_items(page) == [
        ("https://www.gbif.org/occurrence/search?publishing_country=BE", "63\u202f251\u202f879",
         "FR[Records shared by Belgian institutions]"),
        ("", "4", "FR[Datasets]"),
    ]


def test_stats_without_any_data_is_a_notice(make_app, tmp_path: Path, gbif_server) -> None:
    srcdir = site(tmp_path, "# Belgium\n\n:::{gbif-stats}\n:country: BE\n:::\n\n"
                  ":::{gbif-stats}\n:::\n")
    gbif_server.always = "500"
    app = build_site(make_app, srcdir, gbif_server, language="fr")
    warnings = warnings_of(app)
    assert warnings.count("index.md:3: WARNING: gbif-stats: GBIF request") == 5
    assert "index.md:7: WARNING: gbif-stats: give :country:" in warnings
    page = html(app)
    assert page.count('<p class="gbif-notice">Aucune donnée du GBIF') == 1
    assert "gbif-stats-list" not in page


def test_text_builder_lists_the_numbers(make_app, tmp_path: Path, gbif_server) -> None:
    srcdir = site(tmp_path, "# Belgium\n\n:::{gbif-stats}\n:country: BE\n:::\n")
    app = build(make_app, srcdir, "text", confoverrides={"gbifnode_api_url": gbif_server.url})
    text = (Path(app.outdir) / "index.txt").read_text(encoding="utf-8")
    assert "* **9** data publishers" in text
    assert "* **63,251,879** occurrences in the country" in text


def test_html_in_a_label_or_its_translation_stays_text(
    make_app, tmp_path: Path, gbif_server
) -> None:
    srcdir = site(tmp_path, "# Belgium\n\n:::{gbif-stats}\n"
                  "- count: datasets?publishingCountry=BE\n"
                  "  label: <i>Datasets</i>\n"
                  "- count: publishers?country=BE\n"
                  "  label: Publishers\n"
                  ":::\n")
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(f"gbifnode_api_url = {gbif_server.url!r}\n")
    translate_project(make_app, srcdir, lambda msgid: {
        "Publishers": 'Éditeurs <script>alert("x")</script>'}.get(msgid))
    app = build_gbif_site(make_app, srcdir, gbif_server, language="fr")
    page = html(app)
    row = page[page.index('<ul class="gbif-stats-list"'):page.index("</ul>", page.index(
        '<ul class="gbif-stats-list"'))]
    assert "<script>" not in row and "<i>" not in row
    assert stat_items(page) == [
        ("", "4", "&lt;i&gt;Datasets&lt;/i&gt;"),
        # Raw HTML from the msgstr became text (French quotes by Sphinx's smartquotes).
        ("", "9", "Éditeurs &lt;script&gt;alert(«\u00a0x\u00a0»)&lt;/script&gt;"),
    ]
