"""``gbif-chart`` and ``gbif-stats``: real Sphinx builds from recorded facet answers served
over HTTP by the local test server (tests/gbif_server.py); the SVG is parsed as XML."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from helpers import build, build_gbif_site, gbif_site, html, translate_project, warnings_of

SVG = "{http://www.w3.org/2000/svg}"
YEARS = "occurrence-search_country-BE_facet-year_facetLimit-1000_limit-0.json"
BASIS = "occurrence-search_country-BE_facet-basisOfRecord_facetLimit-5_limit-0.json"
YEAR_CHART = """# Belgium

:::{gbif-chart} Occurrences in Belgium by year
:query: occurrences?country=BE
:facet: year
:from: 1996

Every record GBIF holds for Belgium, by the year it was made.
:::
"""
BASIS_CHART = """# Belgium

:::{gbif-chart} What kinds of records
:query: occurrences?country=BE
:facet: basisOfRecord
:limit: 5
:::
"""


site = gbif_site
build_site = build_gbif_site


def figures(page: str) -> list[ET.Element]:
    """Every chart of the page, parsed as XML: the figure markup must be well formed."""
    found = re.findall(r'<figure class="gbif-chart[^"]*".*?</figure>', page, flags=re.S)
    return [ET.fromstring(figure) for figure in found]


def svg_of(figure: ET.Element) -> ET.Element:
    svg = figure.find(f"{SVG}svg")
    assert svg is not None
    return svg


def texts(element: ET.Element, css_class: str) -> list[str]:
    group = next(g for g in element.iter(f"{SVG}g") if g.get("class") == css_class)
    return [t.text or "" for t in group.iter(f"{SVG}text")]


def table_rows(figure: ET.Element) -> list[tuple[str, str]]:
    rows = figure.findall("./details/table/tbody/tr")
    return [("".join(row[0].itertext()), row[1].text or "") for row in rows]


def snapshot(srcdir: Path, name: str) -> Path:
    return srcdir / "_data" / "gbif" / name


# --- drawing from recorded answers -----------------------------------------------------------


def test_year_chart_is_an_accessible_line_of_thirty_years(
    make_app, tmp_path: Path, gbif_server
) -> None:
    srcdir = site(tmp_path, YEAR_CHART)
    app = build_site(make_app, srcdir, gbif_server)
    assert warnings_of(app) == ""
    assert gbif_server.requests == [("occurrence/search", {
        "country": "BE", "facet": "year", "facetLimit": "1000", "limit": "0"})]
    assert json.loads(snapshot(srcdir, YEARS).read_text(encoding="utf-8"))["request"] == \
        "occurrence/search?country=BE&facet=year&facetLimit=1000&limit=0"

    page = html(app)
    [figure] = figures(page)
    assert figure.get("class") == "gbif-chart gbif-chart--line"
    caption = figure.find("figcaption")
    assert caption is not None
    assert "".join(caption.itertext()).startswith("Occurrences in Belgium by year")
    svg = svg_of(figure)
    assert svg.get("role") == "img" and svg.get("viewBox") == "0 0 640 300"
    assert svg.get("width") is None  # sized by viewBox: it scales with the page
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert svg.get("aria-labelledby") == title.get("id")
    assert svg.get("aria-describedby") == desc.get("id")
    assert title.text == "Occurrences in Belgium by year"
    assert desc.text == ("Line chart: occurrences by year, from 1996 to 2025. Largest values: "
                         "2022 (4,649,076), 2024 (4,572,207), and 2021 (4,533,286).")
    # 30 years, 1996-2025, one dot and one tooltip each; round years on the axis.
    dots = [c.find(f"{SVG}title") for c in svg.iter(f"{SVG}circle")]
    assert len(dots) == 30
    assert dots[0] is not None and dots[0].text == "1996: 332,027"
    assert texts(svg, "gbif-chart-labels") == ["2000", "2005", "2010", "2015", "2020", "2025"]
    assert texts(svg, "gbif-chart-ticks") == ["0", "1M", "2M", "3M", "4M", "5M"]
    # Direct labels: the largest year and the last one.
    assert texts(svg, "gbif-chart-values") == ["4.6M", "2.2M"]
    svg_text = re.search(r"<svg.*?</svg>", page, flags=re.S)
    assert svg_text is not None and len(svg_text.group(0).encode("utf-8")) < 8 * 1024

    summary = figure.find("./details/summary")
    assert summary is not None and summary.text == "Show the numbers"
    headings = [th.text for th in figure.findall("./details/table/thead/tr/th")]
    assert headings == ["Year", "Occurrences"]
    rows = table_rows(figure)
    assert len(rows) == 30 and rows[0] == ("1996", "332,027") and rows[-1] == ("2025", "2,188,179")
    source = figure.find("./p[@class='gbif-source']")
    assert source is not None and (source.text or "").startswith("Data: GBIF.org, ")


def test_basis_of_record_bars_top_five_and_the_rest_hatched(
    make_app, tmp_path: Path, gbif_server
) -> None:
    srcdir = site(tmp_path, BASIS_CHART)
    app = build_site(make_app, srcdir, gbif_server)
    assert warnings_of(app) == ""
    [figure] = figures(html(app))
    svg = svg_of(figure)
    labels = texts(svg, "gbif-chart-labels")
    assert labels == ["Human observation", "Occurrence", "Preserved specimen",
                      "Material sample", "Machine observation", "Other"]
    stored = json.loads(snapshot(srcdir, BASIS).read_text(encoding="utf-8"))["data"]
    shown = sum(c["count"] for c in stored["facets"][0]["counts"])
    rows = dict(table_rows(figure))
    assert rows["Other"] == f"{stored['count'] - shown:,}"
    # Each bar is labelled with its value; the rest is hatched, not just another colour.
    values = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "gbif-chart-value"]
    assert values == [rows[label] for label in labels]
    marks = [r for r in svg.iter(f"{SVG}rect") if r.get("class") in
             ("gbif-chart-mark", "gbif-chart-other")]
    assert [r.get("class") for r in marks] == ["gbif-chart-mark"] * 5 + ["gbif-chart-other"]
    pattern = svg.find(f"{SVG}defs/{SVG}pattern")
    assert pattern is not None
    assert marks[-1].get("fill") == f"url(#{pattern.get('id')})"
    # Longest bar for the largest value.
    widths = [float(r.get("width", 0)) for r in marks]
    assert widths[0] == max(widths)


def test_publishers_come_from_the_registry_and_their_html_is_escaped(
    make_app, tmp_path: Path, gbif_server
) -> None:
    natagora = next(r for r in gbif_server.collections["organization"]
                    if r["title"] == "Natagora")
    natagora["title"] = 'Natagora <script>alert("x")</script> & co'
    srcdir = site(tmp_path, "Belgium\n=======\n\n"
                  ".. gbif-chart:: Who shares the records\n"
                  "   :query: occurrences?country=BE\n"
                  "   :facet: publishingOrg\n"
                  "   :limit: 3\n")
    (srcdir / "index.md").rename(srcdir / "index.rst")
    app = build_site(make_app, srcdir, gbif_server)
    assert warnings_of(app) == ""
    assert gbif_server.paths() == ["occurrence/search"] + [
        f"organization/{key}" for key in ("4d3ceea8-5699-439d-a899-decac9cbbdac",
                                           "147d711e-8a02-4b67-b4ce-918abd7dbb76",
                                           "1cd669d0-80ea-11de-a9d0-f1765f95f18b")]
    page = html(app)
    chart = page[page.index('<figure class="gbif-chart'):page.index("</figure>")]
    assert "<script>" not in chart
    assert "Natagora &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in chart
    [figure] = figures(page)  # parses: the name cannot open a tag in the SVG or the table
    labels = texts(svg_of(figure), "gbif-chart-labels")
    assert labels[0] == "Natuurpunt" and labels[1].startswith('Natagora <script>alert("x")')
    link = figure.find("./details/table/tbody/tr/th/a")
    assert link is not None
    assert link.get("href") == "https://www.gbif.org/publisher/4d3ceea8-5699-439d-a899-decac9cbbdac"
    rows = table_rows(figure)
    assert rows[1][0] == 'Natagora <script>alert("x")</script> & co'
    assert rows[-1][0] == "Other"


def test_month_kingdom_and_dataset_type_columns(make_app, tmp_path: Path, gbif_server) -> None:
    srcdir = site(tmp_path, "# Belgium\n\n"
                  ":::{gbif-chart}\n:query: occurrences?country=BE\n:facet: month\n:::\n\n"
                  ":::{gbif-chart} Kingdoms in *Belgium*\n:query: occurrences?country=BE\n"
                  ":facet: kingdomKey\n"
                  ":kind: column\n:::\n\n"
                  ":::{gbif-chart} Datasets\n:query: datasets?publishingCountry=BE\n:facet: type\n"
                  ":::\n")
    app = build_site(make_app, srcdir, gbif_server)
    assert warnings_of(app) == ""
    months, kingdoms, datasets = figures(html(app))
    assert months.get("class") == "gbif-chart gbif-chart--column"
    # Without a title, the chart names itself from the catalogue.
    assert svg_of(months).findtext(f"{SVG}title") == "Occurrences by month"
    assert texts(svg_of(months), "gbif-chart-labels")[:3] == ["Jan", "Feb", "Mar"]
    assert len(texts(svg_of(months), "gbif-chart-values")) == 12
    # Markup in the title is markup in the caption, plain text in the image.
    assert kingdoms.find("./figcaption/p/em") is not None
    assert svg_of(kingdoms).findtext(f"{SVG}title") == "Kingdoms in Belgium"
    rows = table_rows(kingdoms)
    assert [label for label, _count in rows[:3]] == ["Animals", "Plants", "Fungi"]
    assert "Not classified" in dict(rows)
    assert table_rows(datasets) == [("Occurrences", "2"), ("Checklist", "1"),
                                    ("Sampling event", "1")]
    assert datasets.findall("./details/table/thead/tr/th")[1].text == "Datasets"


def test_french_build_translates_titles_labels_and_numbers(
    make_app, tmp_path: Path, gbif_server
) -> None:
    srcdir = site(tmp_path, YEAR_CHART + "\n" + BASIS_CHART.split("\n", 2)[2])
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(f"gbifnode_api_url = {gbif_server.url!r}\n")  # the gettext build too
    extracted = translate_project(make_app, srcdir, lambda msgid: f"FR[{msgid}]")
    assert "Occurrences in Belgium by year" in extracted["index"]
    assert "Every record GBIF holds for Belgium, by the year it was made." in extracted["index"]
    assert not any("Human observation" in msgid for msgid in extracted["index"])
    app = build_site(make_app, srcdir, gbif_server, language="fr")
    assert warnings_of(app) == ""
    years, basis = figures(html(app))
    svg = svg_of(years)
    assert svg.findtext(f"{SVG}title") == "FR[Occurrences in Belgium by year]"
    caption = "".join(years.find("figcaption").itertext())  # type: ignore[union-attr]
    assert "FR[Every record GBIF holds for Belgium, by the year it was made.]" in caption
    assert svg.findtext(f"{SVG}desc", "") == (
        "Graphique en courbe\u00a0: occurrences par année, de 1996 à 2025. Valeurs les plus "
        "élevées\u00a0: 2022 (4\u202f649\u202f076), 2024 (4\u202f572\u202f207) et 2021 "
        "(4\u202f533\u202f286).")
    assert texts(svg, "gbif-chart-ticks")[1] == "1\u00a0M"
    assert table_rows(years)[0] == ("1996", "332\u202f027")
    assert years.findtext("./details/summary") == "Afficher les chiffres"
    assert [th.text for th in years.findall("./details/table/thead/tr/th")] == [
        "Année", "Occurrences"]
    labels = texts(svg_of(basis), "gbif-chart-labels")
    assert labels[0] == "Observation humaine" and labels[-1] == "Autres"
    assert "Spécimen conservé" in labels
    assert (basis.findtext("./p[@class='gbif-source']") or "").startswith("Données\u00a0: GBIF.org")


def test_chinese_years_and_numbers_follow_the_locale(make_app, tmp_path: Path, gbif_server
                                                     ) -> None:
    srcdir = site(tmp_path, YEAR_CHART)
    app = build_site(make_app, srcdir, gbif_server, language="zh_CN")
    [figure] = figures(html(app))
    assert table_rows(figure)[0] == ("1996年", "332,027")
    assert texts(svg_of(figure), "gbif-chart-ticks")[1] == "100万"
    assert figure.findtext("./details/summary") == "显示数据"
    assert svg_of(figure).findtext(f"{SVG}desc") == (
        "折线图：按年份统计的出现记录，1996年至2025年。最大值：2022年（4,649,076）、"
        "2024年（4,572,207）和2021年（4,533,286）。")


def test_text_builder_lists_the_values(make_app, tmp_path: Path, gbif_server) -> None:
    srcdir = site(tmp_path, BASIS_CHART)
    app = build(make_app, srcdir, "text", confoverrides={"gbifnode_api_url": gbif_server.url})
    text = (Path(app.outdir) / "index.txt").read_text(encoding="utf-8")
    assert "**What kinds of records**" in text
    assert "* Human observation: 60,283,313" in text


# --- faults ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("bad", "problem"), [
    (-5, "YEAR 2022: count -5"),
    ("4649076", "YEAR 2022: count '4649076'"),
    (None, "YEAR 2022: count None"),
])
def test_malformed_facet_answer_keeps_the_last_good_snapshot(
    make_app, tmp_path: Path, gbif_server, bad: Any, problem: str
) -> None:
    srcdir = site(tmp_path, YEAR_CHART)
    build_site(make_app, srcdir, gbif_server)
    before = snapshot(srcdir, YEARS).read_bytes()
    fixture = gbif_server.country_facets["BE"]
    year_counts = next(f for f in fixture["facets"] if f["field"] == "YEAR")["counts"]
    if bad is None:
        del year_counts[0]["count"]
    else:
        year_counts[0]["count"] = bad
    app = build_site(make_app, srcdir, gbif_server, gbifnode_max_age=0)
    warnings = warnings_of(app)
    assert f"index.md:3: WARNING: gbif-chart: GBIF request occurrence/search?country=BE&" \
           f"facet=year&facetLimit=1000&limit=0 failed: unexpected answer: {problem}; " \
           f"using the snapshot of" in warnings
    assert snapshot(srcdir, YEARS).read_bytes() == before
    [figure] = figures(html(app))
    assert table_rows(figure)[26] == ("2022", "4,649,076")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_without_a_snapshot_a_translated_notice(
    make_app, tmp_path: Path, gbif_server, language: str
) -> None:
    srcdir = site(tmp_path, YEAR_CHART)
    gbif_server.always = "500"
    app = build_site(make_app, srcdir, gbif_server, language=language)
    assert "index.md:3: WARNING: gbif-chart: GBIF request" in warnings_of(app)
    assert "no snapshot to fall back on" in warnings_of(app)
    page = html(app)
    notice = {"en": "No data available from GBIF at the time of this build.",
              "fr": "Aucune donnée du GBIF n’était disponible lors de la construction de "
                    "cette page."}[language]
    assert f'<p class="gbif-notice">{notice}</p>' in page
    assert "<svg" not in page and "gbif-source" not in page
    assert not snapshot(srcdir, YEARS).exists()


def test_hand_edited_snapshot_with_bad_counts_leaves_them_out(
    make_app, tmp_path: Path, gbif_server
) -> None:
    srcdir = site(tmp_path, BASIS_CHART)
    path = snapshot(srcdir, BASIS)
    path.parent.mkdir(parents=True)
    data = {"count": 1000, "facets": [{"field": "BASIS_OF_RECORD", "counts": [
        {"name": "HUMAN_OBSERVATION", "count": 700}, {"name": "PRESERVED_SPECIMEN", "count": -3},
        {"name": "MATERIAL_SAMPLE", "count": "12"}, {"count": 5}, "junk",
        {"name": "<b>NEW_KIND</b>", "count": 100}]}]}
    path.write_text(json.dumps({"format": 1, "request": "x", "fetched": "2026-01-01T00:00:00+00:00",
                                "data": data}), encoding="utf-8")
    app = build_site(make_app, srcdir, gbif_server, gbifnode_offline=True)
    assert "index.md:3: WARNING: gbif-chart: 4 basisOfRecord value(s) of occurrence/search?" \
           in warnings_of(app)
    page = html(app)
    assert "<b>" not in page
    [figure] = figures(page)
    assert table_rows(figure) == [("Human observation", "700"), ("<b>NEW_KIND</b>", "100"),
                                  ("Not given", "200")]


# --- bad input -----------------------------------------------------------------------------------


def test_bad_options_are_located_warnings_and_the_rest_builds(
    make_app, tmp_path: Path, gbif_server
) -> None:
    body = "\n".join([
        "# Bad",
        "",
        ":::{gbif-chart} A\n:query: occurrences?country=BE\n:facet: colour\n:::",  # 3
        ":::{gbif-chart} B\n:query: species?country=BE\n:facet: year\n:::",  # 7
        ":::{gbif-chart} C\n:query: occurrences?country=BE\n:facet: basisOfRecord\n"
        ":limit: 0\n:kind: pie\n:::",  # 11
        ":::{gbif-chart} D\n:query: occurrences?country=BE\n:facet: kingdomKey\n"
        ":limit: 5000\n:kind: line\n:from: 1990\n:::",  # 17
        ":::{gbif-chart} E\n:query: occurrences?country=BE\n:facet: year\n:from: 2090\n"
        ":limit: 3\n:::",  # 24
        ":::{gbif-chart} F\n:facet: year\n:::",  # 30
        ":::{gbif-chart} G\n:query: occurrences?country=BE\n:facet: year\n:from: 19x0\n:::",  # 33
        "",
        "Still here.",
    ])
    srcdir = site(tmp_path, body)
    app = build_site(make_app, srcdir, gbif_server)
    warnings = warnings_of(app)
    expected = [
        "index.md:3: WARNING: gbif-chart: 'colour' is not a facet of occurrences searches; "
        "use one of year, month, basisOfRecord",
        "index.md:7: WARNING: gbif-chart: a chart draws occurrences or datasets searches, "
        "not 'species'; chart skipped",
        "index.md:11: WARNING: gbif-chart: :limit: '0' is not a whole number from 1 to 50; "
        "using 10",
        "index.md:11: WARNING: gbif-chart: :kind: 'pie' is not one of bar, column, line; "
        "drawn as bar",
        "index.md:17: WARNING: gbif-chart: :limit: 5000 is more bars than anyone can read; "
        "using 50",
        "index.md:17: WARNING: gbif-chart: a line joins years or months, not kingdomKey "
        "values; drawn as bars",
        "index.md:17: WARNING: gbif-chart: :from: applies to year charts only; ignored",
        "index.md:24: WARNING: gbif-chart: :limit: does not apply to a year chart",
        "index.md:24: WARNING: gbif-chart: no occurrences from 2090 on in occurrence/search?",
        "index.md:30: WARNING: gbif-chart: :query: and :facet: are required",
        "index.md:33: WARNING: gbif-chart: :from: '19x0' is not a year such as 1990; ignored",
    ]
    for line in expected:
        assert line in warnings, line
    assert warnings.count("WARNING") == len(expected)
    assert all("[gbifnode.option]" in w or "[gbifnode.gbif]" in w
               for w in warnings.splitlines() if "WARNING" in w)
    assert "Traceback" not in warnings
    page = html(app)
    assert "Still here." in page
    classes = [f.get("class") for f in figures(page)]
    assert classes == ["gbif-chart gbif-chart--bar", "gbif-chart gbif-chart--bar",
                       "gbif-chart gbif-chart--line", "gbif-chart gbif-chart--line"]
    assert '<p class="gbif-empty">GBIF lists nothing for this selection.</p>' in page
