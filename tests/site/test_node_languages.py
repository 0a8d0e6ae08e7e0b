"""Every kind of node gets a site in its own language from ``gbifnode init``: French
first (fr,en), Spanish (es,en), Chinese (zh_CN,en) and multilingual (nl,fr,de). Each
builds offline with no warning but the GBIF data ones (no snapshot yet), and the pages
of its default language hold no English: no English starter sentence, no English label
(the built HTML is parsed: text, ``<title>``, alt, title, aria-label, placeholder)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sphinx

from sphinx_gbifnode.cli import main
from sphinx_gbifnode.site.scaffold import create_site
from sphinx_gbifnode.site.starter import table_keys, wording

#: The pages of a new site, and Sphinx's own pages that come with it.
PAGES = ("index", "community", "publishers", "search", "genindex")
#: Texts that read the same in English and in the language: proper names, symbols,
#: and words the language writes as English does (the language's own catalogues say
#: so: Sphinx's French "Index", "Navigation", the Dutch "Menu", "Partners").
SAME_IN_BOTH = {"GBIF", "GBIF.org", "Sphinx", "¶", f"{sphinx.__display_version__}."}
SAME_WORDS = {
    "fr": {"Menu", "Index", "Navigation"},
    "es": set(),
    "zh_CN": set(),
    "nl": {"Menu", "Index", "Partners"},
}
#: Starter texts that are not sentences on a page.
NOT_ON_PAGES = {"readme", "site_name"}


class VisibleText(HTMLParser):
    """The strings a reader sees or hears in a page: text outside scripts and styles,
    the ``<title>``, and the attributes shown or read aloud."""

    ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.strings: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        values = dict(attrs)
        for name in self.ATTRIBUTES:
            if values.get(name):
                self.strings.append(str(values[name]).strip())
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.strings.append(str(values["value"]).strip())

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self._hidden:
            self.strings.append(text)


def visible_strings(html_file: Path) -> list[str]:
    parser = VisibleText()
    parser.feed(html_file.read_text(encoding="utf-8"))
    return [text for text in parser.strings if text]


def build_site(site: Path, out: Path, capsys) -> str:
    """Build offline; return the build's stderr."""
    capsys.readouterr()
    status = main(["build", str(site), str(out), "-D", "gbifnode_offline=1",
                   "-D", "html_baseurl=https://node.example.org/"])
    err = capsys.readouterr().err
    assert status == 0, err
    return err


@pytest.fixture(scope="module")
def english_labels(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The English labels of a new site's pages: what an English site shows that is not
    one of its starter texts."""
    import contextlib
    import io

    root = tmp_path_factory.mktemp("english")
    site = create_site(root / "site", country="BE", languages=["en"])
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(["build", str(site), str(root / "out"), "-q",
                     "-D", "gbifnode_offline=1"]) == 0
    english = wording("en", "BE")
    starter = [english.plain(key) for key in table_keys("en") - NOT_ON_PAGES] + [english.name]
    labels = set()
    for page in PAGES:
        for text in visible_strings(root / "out" / "en" / f"{page}.html"):
            if not any(text in sentence or sentence in text for sentence in starter):
                labels.add(text)
    # A reference that caught nothing would make the test below pass for nothing.
    assert {"Skip to main content", "Search", "Link to this heading"} <= labels
    return labels


@pytest.mark.parametrize(
    ("country", "languages"),
    [("FR", "fr,en"), ("ES", "es,en"), ("CN", "zh_CN,en"), ("BE", "nl,fr,de")],
)
def test_default_language_pages_hold_no_english(
    tmp_path: Path, capsys, english_labels: set[str], country: str, languages: str
) -> None:
    site = tmp_path / "site"
    assert main(["init", str(site), "--country", country, "--languages", languages]) == 0
    codes = languages.split(",")
    default = codes[0]
    assert not (site / "locales" / default).exists()

    err = build_site(site, tmp_path / "out", capsys)
    warnings = [line for line in err.splitlines() if "WARNING" in line]
    assert warnings, "the publishers page should say it has no GBIF data yet"
    assert all(line.endswith("[gbifnode.gbif]") for line in warnings), warnings

    mine = wording(default, country)
    english = wording("en", country, name=mine.name)
    allowed = SAME_IN_BOTH | SAME_WORDS[default] | {mine.name}
    english_sentences = {
        english.plain(key) for key in table_keys("en") - NOT_ON_PAGES
    } - allowed
    for page in PAGES:
        strings = visible_strings(tmp_path / "out" / default / f"{page}.html")
        text = "\n".join(strings)
        assert mine.name in text
        leaked = [s for s in english_sentences if s in text]
        assert not leaked, f"{default}/{page}.html: English starter text {leaked}"
        english_left = sorted({s for s in strings if s in english_labels} - allowed)
        assert not english_left, f"{default}/{page}.html: English labels {english_left}"
        # And the texts of the language are there: the page is not merely empty.
    home = "\n".join(visible_strings(tmp_path / "out" / default / "index.html"))
    assert mine.plain("hero_title") in home and mine.plain("menu_publishers") in home

    # The other languages read their own language, translated in full.
    for language in codes[1:]:
        page = (tmp_path / "out" / language / "index.html").read_text(encoding="utf-8")
        assert "gbif-translation-notice" not in page
        assert wording(language, country).plain("hero_title") in page
        assert re.search(rf'<html lang="{language.replace("_", "-")}"', page)


def test_chinese_site_english_pages_name_the_site_in_english(tmp_path: Path, capsys) -> None:
    """The site name is translated: "GBIF 中国" in Chinese, "GBIF China" on the English
    pages (navbar, title, footer)."""
    site = create_site(tmp_path / "site", country="CN", languages=["zh_CN", "en"])
    build_site(site, tmp_path / "out", capsys)
    chinese = (tmp_path / "out" / "zh_CN" / "community.html").read_text(encoding="utf-8")
    assert "<title>合作网络 &#8212; GBIF 中国</title>" in chinese
    english = (tmp_path / "out" / "en" / "community.html").read_text(encoding="utf-8")
    assert "<title>Community &#8212; GBIF China</title>" in english
    assert '<span class="gbif-brand-text">GBIF China</span>' in english
    assert "<h2>GBIF China</h2>" in english  # the footer's first column
    assert "中国" not in english.split('<nav class="gbif-languages"')[0]
