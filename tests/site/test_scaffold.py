"""``gbifnode init``: a new node site, in the node's language, that ``gbifnode build``
builds at once; bad input refused before anything is written."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from sphinx_gbifnode.cli import main
from sphinx_gbifnode.core.errors import CommandError
from sphinx_gbifnode.i18n.project import load_project
from sphinx_gbifnode.site.scaffold import create_site, normalise_language
from sphinx_gbifnode.site.starter import STARTER_DIR, shipped_languages, table_keys


def gbifnode(*argv: str | Path) -> int:
    return main([str(arg) for arg in argv])


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def messages(path: Path) -> dict[str, str]:
    with path.open("rb") as handle:
        return {str(m.id): str(m.string) for m in read_po(handle) if m.id}


def test_new_site_builds_in_every_language(tmp_path: Path, capsys, gbif_server) -> None:
    """Zero warnings in every language; the publishers page gets its data from the GBIF
    API (here the local test server) when the site is first built; the other languages
    are translated already."""
    site = tmp_path / "site"
    assert gbifnode("init", site, "--country", "be", "--languages", "nl,fr,en") == 0
    out = capsys.readouterr().out
    assert "gbifnode: fr: 4 catalogues, " in out and "strings translated" in out
    assert not (site / "locales" / "nl").exists()  # no catalogue for the default language
    for language in ("fr", "en"):
        folder = site / "locales" / language / "LC_MESSAGES"
        assert sorted(p.name for p in folder.glob("*.po")) == [
            "community.po", "index.po", "publishers.po", "sphinx.po"
        ]
        for po in folder.glob("*.po"):
            assert all(messages(po).values()), f"{po}: an empty msgstr"
    assert (site / "_static" / "hero.png").read_bytes().startswith(b"\x89PNG")
    assert (site / "_static" / "logos" / "placeholder-gbif.png").read_bytes().startswith(b"\x89PNG")

    build_out = tmp_path / "out"
    api = f"gbifnode_api_url={gbif_server.url}"
    assert gbifnode("build", site, build_out, "-W", "--keep-going", "-D", api) == 0
    assert "WARNING" not in capsys.readouterr().err
    home = read(build_out / "nl" / "index.html")
    assert '<section class="gbif-hero' in home
    assert "Biodiversiteitsgegevens, open voor iedereen" in home
    assert '<span class="gbif-brand-text">GBIF België</span>' in home
    assert 'hreflang="fr"' in home and "Nederlands" in home
    french = read(build_out / "fr" / "index.html")
    assert "<title>GBIF Belgique &#8212; GBIF Belgique</title>" in french
    assert "Les données sur la biodiversité, ouvertes à tous" in french
    assert "gbif-translation-notice" not in french  # translated in full
    community = read(build_out / "en" / "community.html")
    assert "gbif-partner-grid" in community and "https://www.gbif.org/" in community
    assert "GBIF, the Global Biodiversity Information Facility" in community
    assert 'class="gbif-footer-partners"' in community and "logos/placeholder-node.png" in community
    publishers = read(build_out / "fr" / "publishers.html")
    assert "https://www.gbif.org/publisher/" in publishers
    assert list((site / "_data" / "gbif").glob("organization*.json"))
    assert 'href="nl/index.html"' in read(build_out / "index.html")


def test_conf_and_pages_parse_whatever_the_name(tmp_path: Path) -> None:
    """A name with a colon, quotes, a hash and Markdown characters (issue 11): conf.py
    runs, the partner grid's YAML parses, the page shows the name as written."""
    name = 'GBIF: "Belgium" #1 *BE* [x]'
    site = create_site(tmp_path / "site", country="BE", languages=["fr"], name=name)
    conf = load_project(site)
    assert conf.name == name
    community = read(site / "community.md")
    grid = community.split(":::{partner-grid}\n:captions:\n", 1)[1].split(":::", 1)[0]
    assert [entry["name"] for entry in yaml.safe_load(grid)][1] == name
    assert read(site / "index.md").startswith("# GBIF: \"Belgium\" #1 \\*BE\\* \\[x\\]\n")
    ast.parse(read(site / "conf.py"))  # valid Python, whatever the name


def test_name_with_markup_builds_and_shows_as_written(tmp_path: Path, capsys) -> None:
    name = "GBIF: Belgium *test* <b>"
    assert gbifnode("init", tmp_path / "site", "--country", "BE", "--languages", "fr",
                    "--name", name) == 0
    out = tmp_path / "out"
    assert gbifnode("build", tmp_path / "site", out, "-q", "-D", "gbifnode_offline=1") == 0
    page = read(out / "fr" / "index.html")
    assert "GBIF: Belgium *test* &lt;b&gt;" in page and "<b>" not in page


def test_one_language_site_goes_straight_to_it(tmp_path: Path, capsys) -> None:
    site = create_site(tmp_path / "site", country="ES", languages=["es"])
    assert not (site / "locales").exists()
    out = tmp_path / "out"
    assert gbifnode("build", site, out, "-q", "-D", "gbifnode_offline=1",
                    "-D", "html_baseurl=https://www.gbif.es/") == 0
    root = read(out / "index.html")
    assert '<meta http-equiv="refresh" content="0; url=es/index.html">' in root
    assert '<link rel="canonical" href="https://www.gbif.es/es/index.html">' in root
    assert "Choose your language" not in root and "gbif-language-choice" not in root
    assert '<a href="es/index.html" hreflang="es">GBIF España</a>' in root
    home = read(out / "es" / "index.html")
    assert "gbif-languages" not in home and 'hreflang="en"' not in home


def test_theme_options_given_replace_the_starter_ones(tmp_path: Path) -> None:
    site = create_site(
        tmp_path / "site", country="FR", languages=["fr", "en"],
        theme_options={"primary_color": "#123456", "navbar_links": []},
    )
    options = load_project_options(site)
    assert options["primary_color"] == "#123456" and options["navbar_links"] == []
    assert [column["title"] for column in options["footer_columns"]] == [
        "GBIF France", "Liens", "Partenaires"
    ]


def load_project_options(site: Path) -> dict:
    from sphinx_gbifnode.i18n.project import read_conf

    return read_conf(site)["html_theme_options"]


def test_theme_options_that_are_not_data_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="is not text, a number, a list or a dict"):
        create_site(tmp_path / "site", country="FR", languages=["fr"],
                    theme_options={"logo": Path("x.png")})
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("zh-CN", "zh_CN"), ("zh_cn", "zh_CN"), ("ZH-cn", "zh_CN"), ("zh", "zh_CN"),
        ("zh-Hans", "zh_CN"), ("zh-TW", "zh_TW"), ("pt-BR", "pt_BR"), ("pt_br", "pt_BR"),
        ("FR", "fr"), (" nl ", "nl"), ("es-419", "es_419"), ("sr-Latn", "sr_Latn"),
    ],
)
def test_language_codes_are_normalised(given: str, expected: str) -> None:
    assert normalise_language(given) == expected


def test_normalised_codes_are_written_and_folded(tmp_path: Path, capsys) -> None:
    site = tmp_path / "site"
    assert gbifnode("init", site, "--country", "CN", "--languages", "zh-CN,EN,zh_cn") == 0
    out = capsys.readouterr().out
    assert "gbifnode_languages = ['zh_CN', 'en']" in read(site / "conf.py")
    assert "language = 'zh_CN'" in read(site / "conf.py")
    assert 'pip install "sphinx-gbifnode[zh]"' in out
    assert (site / "locales" / "en" / "LC_MESSAGES" / "index.po").is_file()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--country", "XX"], "'XX' is not an ISO 3166-1 alpha-2 country code"),
        (["--country", "EU"], "'EU' is not an ISO 3166-1 alpha-2 country code"),
        (["--country", "Belgium"], "not an ISO 3166-1 alpha-2"),
        (["--country", "BE", "--languages", "en,klingon"], "'klingon' is not a language code"),
        (["--country", "BE", "--languages", "fr,xx"], "'xx' is not a language code"),
        (["--country", "BE", "--languages", "fr;en"], "'fr;en' is not a language code"),
        (["--country", "BE", "--languages", "../fr"], "'../fr' is not a language code"),
        (["--country", "BE", "--languages", ", ,"], "--languages is empty"),
        (["--country", "BE", "--name", "  "], "--name is empty"),
    ],
)
def test_bad_arguments(tmp_path: Path, capsys, argv: list[str], message: str) -> None:
    assert gbifnode("init", tmp_path / "new" / "site", *argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("gbifnode: error: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err  # one line
    assert not (tmp_path / "new").exists()  # nothing written, not even the parent


def test_never_writes_into_a_folder_in_use(tmp_path: Path, capsys) -> None:
    (tmp_path / "index.md").write_text("# Mine\n")
    assert gbifnode("init", tmp_path, "--country", "BE") == 2
    err = capsys.readouterr().err
    assert f"{tmp_path} is not empty (it holds index.md)" in err
    assert "nothing was written" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.md"]
    assert read(tmp_path / "index.md") == "# Mine\n"


def test_into_an_empty_folder(tmp_path: Path, capsys) -> None:
    site = tmp_path / "site"
    site.mkdir()
    assert gbifnode("init", site, "--country", "BE", "--languages", "de") == 0
    assert (site / "conf.py").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no staging folder left


def test_a_failure_half_way_leaves_nothing(tmp_path: Path, capsys) -> None:
    """A theme option the theme refuses makes the catalogues' extraction warn, after
    the pages are written: the error is reported, and neither the site nor its staging
    folder (nor the parent folder init made) remains."""
    with pytest.raises(CommandError, match="extracting the messages of the new site"):
        create_site(tmp_path / "new" / "site", country="FR", languages=["fr", "en"],
                    theme_options={"navbar_links": [{"title": "x", "url": "javascript:x()"}]})
    assert "is not allowed" in capsys.readouterr().err
    assert not (tmp_path / "new").exists()


def test_second_run_after_a_failure_works(tmp_path: Path, capsys) -> None:
    site = tmp_path / "site"
    assert gbifnode("init", site, "--country", "CN", "--languages", "en,zh-Klingon") == 2
    assert not site.exists()
    assert gbifnode("init", site, "--country", "CN", "--languages", "en,zh-CN") == 0


def test_readme_is_in_the_default_language(tmp_path: Path) -> None:
    fr = create_site(tmp_path / "fr", country="FR", languages=["fr", "en"])
    assert read(fr / "README.md").startswith("# GBIF France\n\nLe site web de GBIF France")
    zh = create_site(tmp_path / "zh", country="CN", languages=["zh_CN", "en"])
    readme = read(zh / "README.md")
    assert readme.startswith("# GBIF 中国\n\nGBIF 中国的网站")
    assert 'pip install "sphinx-gbifnode[zh]"' in readme


def test_unshipped_default_language_says_so(tmp_path: Path, capsys) -> None:
    """Babel knows Brazilian Portuguese, the extension has no starter texts in it: the
    pages are in English, the site name in Portuguese, and the maintainer is told."""
    site = tmp_path / "site"
    assert gbifnode("init", site, "--country", "BR", "--languages", "pt-BR,es") == 0
    out = capsys.readouterr().out
    assert "no starter texts in" in out and "(pt_BR)" in out
    assert read(site / "index.md").startswith("# GBIF Brasil\n")
    assert "Biodiversity data, open to all" in read(site / "index.md")
    # Spanish is shipped: its catalogue translates the English starter texts.
    index = messages(site / "locales" / "es" / "LC_MESSAGES" / "index.po")
    assert index["Biodiversity data, open to all"] == "Datos sobre biodiversidad, abiertos a todos"


def test_every_starter_table_has_the_same_texts() -> None:
    """Each language's table has every key and the same placeholders as English."""
    import re

    assert set(shipped_languages()) == {"en", "fr", "nl", "de", "es", "zh_CN"}
    english = yaml.safe_load(read(STARTER_DIR / "en.yml"))
    for language in shipped_languages():
        assert table_keys(language) == set(english), language
        table = yaml.safe_load(read(STARTER_DIR / f"{language}.yml"))
        for key, text in table.items():
            assert set(re.findall(r"\{(\w+)\}", text)) == set(
                re.findall(r"\{(\w+)\}", english[key])
            ), (language, key)
