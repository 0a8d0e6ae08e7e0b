"""``gbifnode host``: a Clearing-House serving several countries' sites from one folder.

Real commands on real folders: ``host init``, ``host add`` (which runs ``gbifnode init``),
``host build`` (real Sphinx builds in worker processes), ``host ci`` and ``host status``.
GBIF data come from nowhere here: the template sets ``gbifnode_offline``, which is also how
a template's setting reaches every site.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from sphinx_gbifnode.cli import main

SITES = {"bj": ("BJ", "fr"), "cd": ("CD", "fr,en"), "ec": ("EC", "es,en")}


def gbifnode(*args: str) -> int:
    return main([str(arg) for arg in args])


def set_in_template(hostdir: Path, old: str, new: str) -> None:
    conf = hostdir / "template" / "conf.py"
    text = conf.read_text(encoding="utf-8")
    assert old in text, old
    conf.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Path:
    hostdir = tmp_path_factory.mktemp("host") / "chm"
    assert gbifnode("host", "init", hostdir, "--name", "Clearing-House <Test>", "--credit",
                    "Hosted by the test CHM", "--languages", "fr,en",
                    "--baseurl", "https://chm.example.org/") == 0
    # Offline for every site, from the template: no site sets it itself.
    conf = hostdir / "template" / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + "gbifnode_offline = True\n",
                    encoding="utf-8")
    for name, (country, languages) in SITES.items():
        assert gbifnode("host", "add", hostdir, name, "--country", country,
                        "--languages", languages) == 0
    return hostdir


@pytest.fixture(scope="module")
def built(host: Path) -> Path:
    out = host.parent / "out"
    assert gbifnode("host", "build", host, out, "-q") == 0
    return out


def page(out: Path, site: str, language: str, name: str = "index") -> BeautifulSoup:
    return BeautifulSoup((out / site / language / f"{name}.html").read_text(encoding="utf-8"),
                         "html.parser")


def primary_colour(soup: BeautifulSoup) -> str:
    style = " ".join(tag.get_text() for tag in soup.find_all("style"))
    match = re.search(r"--gbif-primary:\s*(#[0-9a-fA-F]+)", style)
    assert match, "no primary colour on the page"
    return match[1].lower()


def footer_partners(soup: BeautifulSoup) -> list[str]:
    return [img["alt"] for img in soup.select(".gbif-footer-partners img")]


def test_every_site_every_language_is_built(built: Path) -> None:
    for name, (_country, languages) in SITES.items():
        for language in languages.split(","):
            assert (built / name / language / "index.html").is_file(), (name, language)


def test_the_template_gives_every_site_its_look(built: Path) -> None:
    for name, (_country, languages) in SITES.items():
        soup = page(built, name, languages.split(",")[0])
        assert soup.body is not None and "gbif-theme" in soup.body["class"]
        assert primary_colour(soup) == "#1f3b2d"
        assert footer_partners(soup) == ["GBIF", "Clearing-House <Test>"]
        # The shared logo, outside the site's folder, is copied into the site.
        logo = soup.select_one(".gbif-footer-partners img")["src"]
        assert (built / name / languages.split(",")[0] / logo).is_file()


def test_a_template_change_reaches_every_site_at_the_next_build(host: Path, built: Path
                                                                 ) -> None:
    set_in_template(host, '"primary_color": "#1f3b2d"', '"primary_color": "#7a1f2b"')
    set_in_template(host, '{"name": "GBIF", ', '{"name": "GBIF Secretariat", ')
    try:
        assert gbifnode("host", "build", host, built, "-q") == 0
        for name, (_country, languages) in SITES.items():
            for language in languages.split(","):
                soup = page(built, name, language)
                assert primary_colour(soup) == "#7a1f2b", (name, language)
                assert footer_partners(soup)[0] == "GBIF Secretariat", (name, language)
    finally:
        set_in_template(host, '"primary_color": "#7a1f2b"', '"primary_color": "#1f3b2d"')
        set_in_template(host, '{"name": "GBIF Secretariat", ', '{"name": "GBIF", ')


def test_a_site_overrides_a_template_setting(host: Path, tmp_path: Path) -> None:
    conf = host / "sites" / "bj" / "conf.py"
    saved = conf.read_text(encoding="utf-8")
    conf.write_text(saved + 'html_theme_options = {"primary_color": "#114477"}\n',
                    encoding="utf-8")
    try:
        assert gbifnode("host", "build", host, tmp_path / "out", "--sites", "bj", "-q") == 0
        soup = page(tmp_path / "out", "bj", "fr")
        assert primary_colour(soup) == "#114477"
        # Only that key: the footer partners still come from the template.
        assert footer_partners(soup) == ["GBIF", "Clearing-House <Test>"]
    finally:
        conf.write_text(saved, encoding="utf-8")


def test_landing_page_lists_the_sites_in_the_visitors_language(host: Path, built: Path
                                                               ) -> None:
    french = BeautifulSoup((built / "index.html").read_text(encoding="utf-8"), "html.parser")
    english = BeautifulSoup((built / "index.en.html").read_text(encoding="utf-8"),
                            "html.parser")
    assert french.html["lang"] == "fr" and english.html["lang"] == "en"
    assert french.h1.get_text() == "Clearing-House <Test>"  # escaped, shown as text
    assert french.h2.get_text() == "Sites hébergés"
    assert english.h2.get_text() == "Hosted sites"
    links = {a["href"] for a in french.select(".gbif-hosted-sites a")}
    assert links == {"bj/index.html", "cd/index.html", "ec/index.html"}
    countries = [p.get_text() for p in french.select(".gbif-site-country")]
    assert "Bénin" in countries and "Équateur" in countries
    assert "Ecuador" in [p.get_text() for p in english.select(".gbif-site-country")]
    assert "Hosted by the test CHM" in french.footer.get_text()
    for link in links:
        assert (built / link).is_file()


def test_sitemap_index_lists_each_sites_sitemap(built: Path) -> None:
    index = (built / "sitemap.xml").read_text(encoding="utf-8")
    for name in SITES:
        assert f"<loc>https://chm.example.org/{name}/sitemap.xml</loc>" in index
        assert (built / name / "sitemap.xml").is_file()


def test_ci_files_are_valid_yaml_with_one_job_per_site(host: Path) -> None:
    assert gbifnode("host", "ci", host, "--github") == 0
    assert gbifnode("host", "ci", host, "--gitlab") == 0
    github = yaml.safe_load((host / ".github" / "workflows" / "gbifnode-host.yml").read_text())
    assert github["jobs"]["site"]["strategy"]["matrix"]["site"] == list(SITES)
    assert github["jobs"]["publish"]["needs"] == "site"
    gitlab = yaml.safe_load((host / ".gitlab-ci.yml").read_text())
    assert gitlab["site"]["parallel"]["matrix"] == [{"SITE": list(SITES)}]
    assert gitlab["pages"]["stage"] == "publish"


def test_status_table(host: Path, built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert gbifnode("host", "status", host) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["site", "languages", "pages"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert set(rows) == set(SITES)
    assert "fr,en" in rows["cd"] and "en " in rows["cd"] and " ok " in rows["cd"] + " "
    assert rows["bj"].split()[2] == "3"  # its three starter pages


# --- bad input -----------------------------------------------------------------------------


def test_two_sites_with_the_same_name(host: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert gbifnode("host", "add", host, "cd", "--country", "CD", "--languages", "fr") == 2
    assert "already named 'cd'" in capsys.readouterr().err


def test_same_name_twice_in_the_hosting_file(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    hostdir = tmp_path / "h"
    assert gbifnode("host", "init", hostdir) == 0
    (hostdir / "gbifnode-hosting.toml").write_text(
        (hostdir / "gbifnode-hosting.toml").read_text()
        + '\n[[site]]\nname = "cd"\ncountry = "CD"\nlanguages = ["fr"]\n'
        + '\n[[site]]\nname = "cd"\ncountry = "CD"\nlanguages = ["en"]\n'
    )
    assert gbifnode("host", "status", hostdir) == 2
    err = capsys.readouterr().err
    assert "gbifnode-hosting.toml:16: two sites are named 'cd' (the first at line 11)" in err
    assert "Traceback" not in err


def test_a_missing_or_broken_site_does_not_stop_the_others(
    host: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hosting = host / "gbifnode-hosting.toml"
    saved = hosting.read_text()
    hosting.write_text(saved + '\n[[site]]\nname = "zz"\ncountry = "ZW"\nlanguages = ["en"]\n')
    broken = host / "sites" / "ec" / "conf.py"
    saved_conf = broken.read_text()
    broken.write_text(saved_conf + "html_theme_options = {'navbar_links': 5}\n")
    try:
        status = gbifnode("host", "build", host, tmp_path / "out", "-q")
    finally:
        hosting.write_text(saved)
        broken.write_text(saved_conf)
    err = capsys.readouterr().err
    assert status == 1
    assert "zz: " in err and "does not exist" in err and "failed: zz" in err
    # A wrong type in a site's override is a warning at its line, not a failure.
    assert re.search(r"sites/ec/conf\.py:\d+: WARNING: html_theme_options", err)
    assert (tmp_path / "out" / "bj" / "fr" / "index.html").is_file()
    assert (tmp_path / "out" / "ec" / "es" / "index.html").is_file()
    assert "Traceback" not in err


def test_a_template_logo_that_is_not_an_image(host: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    logo = host / "template" / "_static" / "logos" / "gbif.png"
    saved = logo.read_bytes()
    logo.write_text("not a picture")
    try:
        assert gbifnode("host", "build", host, tmp_path / "out", "--sites", "bj", "-q") == 0
    finally:
        logo.write_bytes(saved)
    err = capsys.readouterr().err
    line = next(n for n, text in enumerate(
        (host / "template" / "conf.py").read_text().splitlines(), 1) if "gbif.png" in text)
    assert f"template/conf.py:{line}: WARNING: html_theme_options: _static/logos/gbif.png " \
           "is not an image" in err


def test_a_hanging_site_is_stopped_and_reported(host: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    conf = host / "sites" / "bj" / "conf.py"
    saved = conf.read_text()
    conf.write_text(saved + "import time\ntime.sleep(120)\n")
    try:
        status = gbifnode("host", "build", host, tmp_path / "out", "--timeout", "8", "-q")
    finally:
        conf.write_text(saved)
    err = capsys.readouterr().err
    assert status == 1
    assert "[bj/fr] stopped after 8 s" in err and "bj: FAILED (fr)" in err
    assert (tmp_path / "out" / "cd" / "fr" / "index.html").is_file()


def test_init_refuses_a_non_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                         ) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "x").write_text("x")
    assert gbifnode("host", "init", tmp_path / "busy") == 2
    assert "not empty" in capsys.readouterr().err


def test_bad_site_name_and_country_leave_nothing(host: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    before = sorted(p.name for p in (host / "sites").iterdir())
    assert gbifnode("host", "add", host, "Bad Name", "--country", "CD", "--languages",
                    "fr") == 2
    assert gbifnode("host", "add", host, "xx", "--country", "QQ", "--languages", "fr") == 2
    assert sorted(p.name for p in (host / "sites").iterdir()) == before
    assert "Bad Name" in capsys.readouterr().err


def test_commands_are_listed_in_help() -> None:
    result = subprocess.run([sys.executable, "-m", "sphinx_gbifnode", "host", "--help"],
                            capture_output=True, text=True, check=False)
    for word in ("init", "add", "build", "ci", "status"):
        assert word in result.stdout
