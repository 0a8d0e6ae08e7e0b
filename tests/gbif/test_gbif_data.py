"""GBIF data at build time, over real HTTP to the local test server (tests/gbif_server.py)."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from gbif_server import load
from helpers import REPO, build, build_gbif_site, gbif_site, html, translate_project

from sphinx_gbifnode.gbif.client import Query
from sphinx_gbifnode.gbif.snapshots import SnapshotStore

ORGANIZATIONS = "organization_country-BE.json"
FACETS = "occurrence-search_facet-publishingOrg_facetLimit-10000_limit-0_publishingCountry-BE.json"
PUBLISHERS_ONLY = "# Publishers\n\n:::{gbif-publishers}\n:country: BE\n:logos:\n:::\n"


site = gbif_site
build_site = build_gbif_site


def snapshot(srcdir: Path, name: str = ORGANIZATIONS) -> Path:
    return srcdir / "_data" / "gbif" / name


def closed_port_url() -> str:
    """An API URL nobody listens on (connection refused at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def test_cold_build_pages_through_the_list(make_app, tmp_path: Path, gbif_server) -> None:
    gbif_server.page_cap = 4  # 9 publishers -> 3 pages, as 2,500 would take 3 at 1,000
    srcdir = site(tmp_path)
    app = build_site(make_app, srcdir, gbif_server)
    assert app.warning.getvalue() == ""
    organizations = [p for p in gbif_server.requests if p[0] == "organization"]
    assert len(organizations) == math.ceil(9 / 4)
    assert [p["offset"] for _path, p in organizations] == ["0", "4", "8"]
    assert all(p["limit"] == "1000" for _path, p in organizations)
    facet_requests = [p for path, p in gbif_server.requests if p.get("facet") == "publishingOrg"]
    assert len(facet_requests) == 1
    assert all(ua.startswith("sphinx-gbifnode/0.1.0 ") for ua in gbif_server.user_agents)

    page = html(app)
    assert page.count('class="gbif-publisher"') == 9
    assert 'href="https://www.gbif.org/publisher/1cd669d0-80ea-11de-a9d0-f1765f95f18b"' in page
    # Accent-aware order: "Université" before "University", not after as code points say.
    assert page.index("Université Libre de Bruxelles") < page.index("University of Liège")
    # Logos through the image resizer, the URL encoded exactly once.
    assert "fit-in/x80/http%3A%2F%2Fi.imgur.com%2FVZOi0Av.jpg" in page
    assert "%253A" not in page
    # No logo: initials instead.
    assert '<span class="gbif-publisher-initials" aria-hidden="true">RB</span>' in page
    assert "Occurrences: 39,123,456" in page
    assert '<span class="gbif-count">63,251,879</span>' in page

    stored = json.loads(snapshot(srcdir).read_text(encoding="utf-8"))
    assert stored["request"] == "organization?country=BE"
    assert len(stored["data"]["results"]) == 9
    assert set(stored["data"]["results"][0]) <= {
        "key", "title", "city", "country", "logoUrl", "numPublishedDatasets", "created",
        "endorsingNodeKey",
    }


def test_cold_build_request_count_for_2500_endorsed_publishers(
    make_app, tmp_path: Path, gbif_server
) -> None:
    """ceil(2500 / 1000) = 3 list pages, + 1 node resolution, + 1 occurrence facet."""
    node = "fb11cfe1-ebc3-45af-9159-17d9fddbcdac"
    gbif_server.collections["organization"] = [
        {"key": f"{i:08x}-1111-4000-8000-000000000000", "title": f"Organisation {i:04d}",
         "country": "BE", "endorsingNodeKey": node, "numPublishedDatasets": i % 7}
        for i in range(2500)
    ]
    srcdir = site(tmp_path, "# All\n\n:::{gbif-publishers}\n:country: BE\n"
                  ":endorsed-by-node:\n:occurrences:\n:layout: list\n:::\n")
    app = build_site(make_app, srcdir, gbif_server)
    assert app.warning.getvalue() == ""
    assert gbif_server.paths() == ["node/country/BE"] + [f"node/{node}/organization"] * 3 + [
        "occurrence/search"]
    assert html(app).count('class="gbif-publisher"') == 2500


def test_warm_build_makes_zero_requests(make_app, tmp_path: Path, gbif_server) -> None:
    srcdir = site(tmp_path)
    build_site(make_app, srcdir, gbif_server)
    before = len(gbif_server.requests)
    assert before == 3  # list, facets, count: one page each
    app = build_site(make_app, srcdir, gbif_server)
    assert len(gbif_server.requests) == before
    assert "Research Institute for Nature and Forest (INBO)" in html(app)


def test_endorsed_by_node_lists_the_node_organisations(
    make_app, tmp_path: Path, gbif_server
) -> None:
    srcdir = site(tmp_path, "# Endorsed\n\n:::{gbif-publishers}\n:country: BE\n"
                  ":endorsed-by-node:\n:layout: table\n:sort: datasets\n:::\n")
    app = build_site(make_app, srcdir, gbif_server)
    assert app.warning.getvalue() == ""
    assert gbif_server.paths() == [
        "node/country/BE", "node/fb11cfe1-ebc3-45af-9159-17d9fddbcdac/organization",
    ]
    page = html(app)
    assert "ILVO" not in page  # Belgian address, endorsed by the OBIS node
    assert page.count("<tr><td>") == 8
    # Sorted by datasets: Flanders Marine Institute (198) first, INBO (94) second.
    assert page.index("Flanders Marine Institute") < page.index("(INBO)") < page.index("Natagora")


def test_options_filter_sort_and_limit(make_app, tmp_path: Path, gbif_server) -> None:
    srcdir = site(tmp_path, "# Big\n\n:::{gbif-publishers}\n:country: BE\n:min-datasets: 10\n"
                  ":sort: created\n:limit: 3\n:layout: list\n:::\n\n"
                  ":::{gbif-publishers}\n:country: BE\n:q: flanders\n:layout: list\n:::\n")
    app = build_site(make_app, srcdir, gbif_server)
    assert app.warning.getvalue() == ""
    first, second = html(app).split('class="gbif-publisher-list"')[1:]
    # >= 10 datasets, newest first: ILVO (2017), Natuurpunt (2015), Meise (2014).
    names = re.findall(r'class="gbif-publisher-name">([^<]+)<', first)
    assert names == [
        "Flanders Research Institute for Agriculture, Fisheries and Food (ILVO)",
        "Natuurpunt", "Meise Botanic Garden",
    ]
    assert ("organization", {"country": "BE", "q": "flanders", "offset": "0", "limit": "1000"}) \
        in gbif_server.requests
    assert re.findall(r'class="gbif-publisher-name">([^<]+)<', second) == [
        "Flanders Marine Institute",
        "Flanders Research Institute for Agriculture, Fisheries and Food (ILVO)",
    ]


def test_french_build_formats_numbers_and_translates_labels(
    make_app, tmp_path: Path, gbif_server
) -> None:
    srcdir = site(tmp_path)
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(f"gbifnode_api_url = {gbif_server.url!r}\n")  # for the gettext build too
    extracted = translate_project(make_app, srcdir, lambda msgid: f"FR[{msgid}]")
    assert "Data publishers in Belgium" in extracted["index"]
    # API data is not for translators: names change with every refresh.
    assert not any("Natuurpunt" in msgid for msgid in extracted["index"])
    app = build_site(make_app, srcdir, gbif_server, language="fr")
    page = html(app)
    assert "FR[Data publishers in Belgium]" in page
    assert '<span class="gbif-count">63\u202f251\u202f879</span>' in page
    assert "Occurrences\u00a0: 39\u202f123\u202f456" in page
    assert "Jeux de données\u00a0: 198" in page
    assert 'aria-label="Éditeurs de données"' in page
    assert "Données\u00a0: GBIF.org, " in page


def test_429_then_success_honours_retry_after(make_app, tmp_path: Path, gbif_server) -> None:
    srcdir = site(tmp_path, PUBLISHERS_ONLY)
    gbif_server.faults = ["429:1"]
    started = time.monotonic()
    app = build_site(make_app, srcdir, gbif_server)
    assert time.monotonic() - started >= 1.0  # waited as Retry-After asked, not the 0.01 s backoff
    assert app.warning.getvalue() == ""
    assert gbif_server.paths() == ["organization", "organization"]
    assert "Natuurpunt" in html(app)


def test_500s_until_retries_run_out_keep_the_stale_snapshot(
    make_app, tmp_path: Path, gbif_server
) -> None:
    srcdir = site(tmp_path, PUBLISHERS_ONLY)
    build_site(make_app, srcdir, gbif_server)
    before = snapshot(srcdir).read_bytes()
    gbif_server.requests.clear()
    gbif_server.always = "500"
    app = build_site(make_app, srcdir, gbif_server, gbifnode_max_age=0)
    assert len(gbif_server.requests) == 3  # 1 + gbifnode_retries
    warnings = app.warning.getvalue()
    assert "index.md:3" in warnings
    assert "HTTP 500 Internal Server Error (3 attempts); using the snapshot of" in warnings
    assert snapshot(srcdir).read_bytes() == before
    assert "Natuurpunt" in html(app)


def test_hanging_server_build_finishes_in_bounded_time(
    make_app, tmp_path: Path, gbif_server
) -> None:
    srcdir = site(tmp_path, PUBLISHERS_ONLY)
    gbif_server.always = "hang"
    started = time.monotonic()
    app = build_site(make_app, srcdir, gbif_server, gbifnode_retries=1)
    assert time.monotonic() - started < 10  # 2 attempts x 0.5 s timeout, plus the build
    assert "no answer within 0.5 s (2 attempts)" in app.warning.getvalue()
    assert "No data available from GBIF" in html(app)
    assert not snapshot(srcdir).exists()


@pytest.mark.parametrize("fault", ["html", "truncated"])
def test_malformed_answer_leaves_the_snapshot_byte_for_byte(
    make_app, tmp_path: Path, gbif_server, fault: str
) -> None:
    srcdir = site(tmp_path, PUBLISHERS_ONLY)
    build_site(make_app, srcdir, gbif_server)
    before = snapshot(srcdir).read_bytes()
    gbif_server.always = fault
    app = build_site(make_app, srcdir, gbif_server, gbifnode_max_age=0)
    assert "the answer is not valid JSON" in app.warning.getvalue()
    assert "Traceback" not in app.warning.getvalue()
    assert snapshot(srcdir).read_bytes() == before
    assert "Natuurpunt" in html(app)


def test_no_snapshot_and_no_network_shows_a_notice(make_app, tmp_path: Path) -> None:
    srcdir = site(tmp_path)
    app = build_site(make_app, srcdir, closed_port_url(), gbifnode_retries=0)
    warnings = app.warning.getvalue()
    assert "index.md:5: WARNING: gbif-publishers: GBIF request organization?country=BE " \
           "failed: connection failed" in warnings
    assert "no snapshot to fall back on" in warnings
    assert "index.md:3: WARNING: gbif-count" in warnings
    assert "Traceback" not in warnings
    page = html(app)
    assert '<p class="gbif-notice">No data available from GBIF at the time of this build.</p>' \
        in page
    assert '<span class="gbif-count">—</span>' in page


def test_offline_mode_sends_no_request(make_app, tmp_path: Path, gbif_server) -> None:
    srcdir = site(tmp_path, PUBLISHERS_ONLY)
    app = build_site(make_app, srcdir, gbif_server, gbifnode_offline=True)
    assert gbif_server.requests == []
    assert "gbifnode_offline is True" in app.warning.getvalue()
    assert "No data available from GBIF" in html(app)
    # With a snapshot, even an old one, offline renders it and still asks nothing.
    build_site(make_app, srcdir, gbif_server)
    gbif_server.requests.clear()
    app = build_site(make_app, srcdir, gbif_server, gbifnode_offline=True, gbifnode_max_age=0)
    assert gbif_server.requests == []
    assert app.warning.getvalue() == ""
    assert "Natuurpunt" in html(app)


KILLED_WRITER = """
import sys
from pathlib import Path
from sphinx_gbifnode.gbif.client import Query
from sphinx_gbifnode.gbif.snapshots import SnapshotStore
store = SnapshotStore(Path(sys.argv[1]))
records = [{"key": f"k{i}", "title": "x" * 200, "tags": list(range(50))} for i in range(200_000)]
store.write(Query("organization", (("country", "BE"),)), {"count": 0, "results": records})
"""


def test_process_killed_mid_write_leaves_the_old_snapshot(tmp_path: Path) -> None:
    data_dir = tmp_path / "gbif"
    data_dir.mkdir()
    old = data_dir / ORGANIZATIONS
    old.write_text('{"format": 1, "request": "organization?country=BE", '
                   '"fetched": "2026-01-01T00:00:00+00:00", "data": {"count": 0, "results": []}}\n')
    before = old.read_bytes()
    writer = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(data_dir)])
    deadline = time.monotonic() + 60
    temp_files: list[Path] = []
    while not temp_files and time.monotonic() < deadline and writer.poll() is None:
        temp_files = [p for p in data_dir.glob(".*.tmp") if p.stat().st_size > 0]
        time.sleep(0.005)
    writer.kill()
    writer.wait()
    assert temp_files, "the writer never started writing"
    assert writer.returncode == -9
    assert old.read_bytes() == before  # the half-written temp file never replaced it
    assert [p.name for p in data_dir.glob("*.json")] == [ORGANIZATIONS]
    # The next successful write clears the leftover once it is old enough to be one.
    for leftover in temp_files:
        os.utime(leftover, (0, 0))
    SnapshotStore(data_dir).write(Query("organization", (("country", "BE"),)),
                                  {"count": 0, "results": []})
    assert list(data_dir.glob(".*.tmp")) == []
    assert json.loads(old.read_text(encoding="utf-8"))["request"] == "organization?country=BE"


def test_two_builds_at_once_fetch_once_and_write_one_whole_snapshot(
    tmp_path: Path, gbif_server
) -> None:
    srcdir = site(tmp_path, PUBLISHERS_ONLY)
    gbif_server.delay = 1.0  # a slow API: the two builds overlap while fetching
    command = [sys.executable, "-m", "sphinx", "-q", "-b", "html",
               "-D", f"gbifnode_api_url={gbif_server.url}", "-D", "gbifnode_timeout=10",
               str(srcdir)]
    # Two languages at once, as ``gbifnode build`` runs them.
    builds = [subprocess.Popen([*command, "-D", f"language={language}",
                                str(tmp_path / f"out{i}")],
                               stderr=subprocess.PIPE, text=True)
              for i, language in ((1, "en"), (2, "fr"))]
    for process in builds:
        _out, errors = process.communicate(timeout=60)
        assert process.returncode == 0, errors
        assert errors == ""
    assert gbif_server.paths() == ["organization"]  # the second build waited, then reused it
    stored = json.loads(snapshot(srcdir).read_text(encoding="utf-8"))
    assert len(stored["data"]["results"]) == 9
    for i in (1, 2):
        assert "Natuurpunt" in (tmp_path / f"out{i}" / "index.html").read_text(encoding="utf-8")


def test_parallel_read_fetches_each_query_once(tmp_path: Path, gbif_server) -> None:
    """``sphinx-build -j 2``: forked readers share the snapshot through the lock."""
    pages = [f"p{i}" for i in range(8)]  # Sphinx reads in parallel above 5 documents
    srcdir = site(tmp_path, "# Site\n\n```{toctree}\n" + "\n".join(pages) + "\n```\n")
    for name in pages:
        (srcdir / f"{name}.md").write_text(f"# {name}\n\n" + PUBLISHERS_ONLY.split("\n", 2)[2]
                                           + "\n{gbif-count}`occurrences?country=BE`\n",
                                           encoding="utf-8")
    gbif_server.delay = 0.3
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-j", "2", "-b", "html",
         "-D", f"gbifnode_api_url={gbif_server.url}", "-D", "gbifnode_timeout=10",
         str(srcdir), str(tmp_path / "out")],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert sorted(gbif_server.paths()) == ["occurrence/search", "organization"]
    for name in pages:
        page = (tmp_path / "out" / f"{name}.html").read_text(encoding="utf-8")
        assert "Natuurpunt" in page and "63,251,879" in page


def test_untrusted_api_text_is_escaped_and_bad_urls_dropped(
    make_app, tmp_path: Path, gbif_server
) -> None:
    gbif_server.collections["organization"] = [{
        "key": "4e1b6a0a-0000-4000-8000-000000000bad",
        "title": '<script>alert("title")</script> Museum',
        "city": '"><img src=x onerror=alert(1)>',
        "country": "BE",
        "logoUrl": "javascript:alert(1)",
        "numPublishedDatasets": 1,
    }, {
        "key": "javascript:alert(2)",
        "title": "Bad key",
        "country": "BE",
        "logoUrl": "data:image/png;base64,AAAA",
    }]
    srcdir = site(tmp_path, PUBLISHERS_ONLY)
    app = build_site(make_app, srcdir, gbif_server)
    page = html(app)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; Museum" in page
    assert "<img src=x" not in page
    assert "javascript:" not in page
    assert "data:image" not in page
    assert page.count('class="gbif-publisher-initials"') == 2
    assert '<span class="gbif-publisher-link"><span class="gbif-publisher-initials" ' \
           'aria-hidden="true">BK</span><span class="gbif-publisher-name">Bad key</span>' in page
    assert app.warning.getvalue() == ""


def test_datasets_and_literature(make_app, tmp_path: Path, gbif_server) -> None:
    srcdir = site(tmp_path, "# Data\n\n:::{gbif-datasets}\n:country: BE\n:sort: records\n"
                  ":layout: table\n:::\n\n:::{gbif-datasets}\n"
                  ":publisher: 147d711e-8a02-4b67-b4ce-918abd7dbb76\n:::\n\n"
                  ":::{gbif-literature}\n:country: BE\n:::\n")
    app = build_site(make_app, srcdir, gbif_server)
    assert app.warning.getvalue() == ""
    page = html(app)
    table = page.split('<table class="gbif-table')[1].split("</table>")[0]
    assert "<th>Dataset</th>" in table and ">Records</th>" in table
    assert table.index("Inventory of vascular plants") < table.index("Watervogels")
    assert '<td class="gbif-number">1,234,567</td>' in table
    listing = page.split('<ul class="gbif-dataset-list">')[1].split("</ul>")[0]
    assert listing.count("<li>") == 1 and "Échantillonnage des papillons" in listing
    literature = page.split('<ol class="gbif-literature-list">')[1].split("</ol>")[0]
    years = re.findall(r'class="gbif-year">\((\d{4})\)', literature)
    assert years == ["2024", "2021", "2019"]
    assert 'href="https://doi.org/10.3897/neobiota.example.2024"' in literature
    assert "Janssens J., Maes L., Claes S. et al." in literature
    assert ("literature/search", {"countriesOfResearcher": "BE", "peerReview": "true",
                                  "offset": "0", "limit": "1000"}) in gbif_server.requests


def test_bad_input_warns_at_the_right_line(make_app, tmp_path: Path, gbif_server) -> None:
    srcdir = site(tmp_path, "# Bad\n\nCount: {gbif-count}`species?q=x`.\n\n"
                  ":::{gbif-publishers}\n:::\n\n:::{gbif-publishers}\n:country: Belgium\n:::\n\n"
                  ":::{gbif-datasets}\n:::\n")
    app = build_site(make_app, srcdir, gbif_server)
    warnings = app.warning.getvalue()
    assert "index.md:3: WARNING: gbif-count: 'species' is not one of occurrences" in warnings
    assert "index.md:5: WARNING: gbif-publishers: the :country: option is required" in warnings
    assert "index.md:8" in warnings and "two-letter ISO country code" in warnings
    assert "index.md:12: WARNING: gbif-datasets: give :country: or :publisher:" in warnings
    assert "Traceback" not in warnings
    assert gbif_server.requests == []


@pytest.mark.shared
def test_real_belgian_registry_answer(make_app, tmp_path: Path, gbif_server, shared_dir) -> None:
    """The 25 organisations GBIF returned for Belgium (2023), messy logo URLs included."""
    recorded = json.loads((shared_dir / "fixtures" / "gbif-api" / "organization_country_BE.json")
                          .read_text(encoding="utf-8"))
    for record in recorded["results"]:
        record.setdefault("country", "BE")
    gbif_server.collections["organization"] = recorded["results"]
    srcdir = site(tmp_path, "# BE\n\n:::{gbif-publishers}\n:country: BE\n:logos:\n:::\n\n"
                  ":::{gbif-publishers}\n:country: BE\n:endorsed-by-node:\n:layout: list\n:::\n")
    app = build_site(make_app, srcdir, gbif_server)
    assert app.warning.getvalue() == ""
    grid, endorsed = html(app).split('class="gbif-publisher-list"')
    assert grid.count('class="gbif-publisher"') == 25
    assert endorsed.count('class="gbif-publisher"') == 24  # ILVO is the OBIS node's
    for url in re.findall(r'(?:href|src)="([^"]+)"', grid.split("gbif-publisher-grid")[1]):
        assert url.startswith(("https://www.gbif.org/publisher/",
                               "https://api.gbif.org/v1/image/unsafe/fit-in/x80/http"))
    names = re.findall(r'class="gbif-publisher-name">([^<]+)<', grid)
    assert names.index("Université de Namur Département de Biologie") \
        < names.index("Université Libre de Bruxelles (ULB)") \
        < names.index("University of Liège") < names.index("University of Mons-Hainaut")
    assert any(n.startswith("Service Public de Wallonie – Département d’Etude") for n in names)


def test_fixtures_are_in_the_api_shape() -> None:
    """Guards the hand-written fixtures: the fields the directives read are present."""
    for record in load("organizations.json"):
        assert {"key", "title", "city", "country", "numPublishedDatasets", "created"} <= set(record)


def test_docs_publishers_page_builds_offline_in_french(make_app, tmp_path: Path) -> None:
    """The demo page: the committed Belgian snapshot, the French .po, no network."""
    docs = REPO / "docs"
    srcdir = tmp_path / "docs"
    shutil.copytree(docs, srcdir, ignore=shutil.ignore_patterns("_build"))
    shutil.copytree(docs.parent / "locales", tmp_path / "locales")
    app = build(make_app, srcdir, confoverrides={"language": "fr"})
    assert app.warning.getvalue() == ""
    page = html(app, "publishers")
    assert "<h1>Éditeurs de données" in page
    assert "Données\u00a0: GBIF.org, 13 février 2023" in page
    assert page.index("Université Libre de Bruxelles") < page.index("University of Liège")


def test_raw_logo_urls_without_proxy(make_app, tmp_path: Path, gbif_server) -> None:
    srcdir = site(tmp_path, PUBLISHERS_ONLY)
    app = build_site(make_app, srcdir, gbif_server, gbifnode_image_proxy=None)
    page = html(app)
    assert 'src="http://i.imgur.com/VZOi0Av.jpg"' in page
    assert "api.gbif.org/v1/image" not in page


def test_bad_image_proxy_setting_warns_and_falls_back(
    make_app, tmp_path: Path, gbif_server
) -> None:
    srcdir = site(tmp_path, PUBLISHERS_ONLY)
    app = build_site(make_app, srcdir, gbif_server,
                     gbifnode_image_proxy="javascript:alert('{url}')")
    assert "gbifnode_image_proxy must be an http(s) URL containing {url}" \
        in app.warning.getvalue()
    assert 'src="http://i.imgur.com/VZOi0Av.jpg"' in html(app)
    assert "javascript:" not in html(app)


def test_unreadable_snapshot_is_reported_and_replaced_by_a_good_fetch(
    make_app, tmp_path: Path, gbif_server
) -> None:
    srcdir = site(tmp_path, PUBLISHERS_ONLY)
    snapshot(srcdir).parent.mkdir(parents=True)
    snapshot(srcdir).write_text('{"data": {"results": [', encoding="utf-8")
    app = build_site(make_app, srcdir, gbif_server, gbifnode_offline=True)
    assert f"{ORGANIZATIONS} is unreadable (JSONDecodeError)" in app.warning.getvalue()
    assert "No data available from GBIF" in html(app)
    app = build_site(make_app, srcdir, gbif_server)  # online: a good answer replaces it
    assert "Natuurpunt" in html(app)
    assert json.loads(snapshot(srcdir).read_text(encoding="utf-8"))["data"]["count"] == 9


def test_snapshot_that_cannot_be_saved_is_still_shown(
    make_app, tmp_path: Path, gbif_server
) -> None:
    srcdir = site(tmp_path, PUBLISHERS_ONLY)
    # A data folder inside a file: even root cannot create it.
    app = build_site(make_app, srcdir, gbif_server, gbifnode_data_dir="conf.py/gbif")
    assert "index.md:3: WARNING: gbif-publishers: cannot save" in app.warning.getvalue()
    assert "Traceback" not in app.warning.getvalue()
    assert "Natuurpunt" in html(app)


def test_empty_selection_says_so(make_app, tmp_path: Path, gbif_server) -> None:
    srcdir = site(tmp_path, "# None\n\n:::{gbif-datasets}\n:country: LU\n:::\n")
    app = build_site(make_app, srcdir, gbif_server)
    assert app.warning.getvalue() == ""
    assert '<p class="gbif-empty">GBIF lists nothing for this selection.</p>' in html(app)
