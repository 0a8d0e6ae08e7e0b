"""``gbifnode init``: a new node site that ``gbifnode build`` builds at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from sphinx_gbifnode.cli import main


def gbifnode(*argv: str | Path) -> int:
    return main([str(arg) for arg in argv])


def test_new_site_builds_in_every_language(tmp_path: Path, capsys, gbif_server) -> None:
    """Zero warnings in every language; the publishers page gets its data from the GBIF
    API (here the local test server) when the site is first built."""
    site = tmp_path / "site"
    assert gbifnode("init", site, "--country", "be", "--languages", "en,fr,nl") == 0
    assert "gbifnode: fr: 3 catalogues" in capsys.readouterr().out
    for language in ("fr", "nl"):
        folder = site / "locales" / language / "LC_MESSAGES"
        assert sorted(p.name for p in folder.glob("*.po")) == [
            "community.po", "index.po", "publishers.po"
        ]
    assert (site / "_static" / "hero.png").read_bytes().startswith(b"\x89PNG")

    out = tmp_path / "out"
    api = f"gbifnode_api_url={gbif_server.url}"
    assert gbifnode("build", site, out, "-W", "--keep-going", "-D", api) == 0
    captured = capsys.readouterr()
    assert "WARNING" not in captured.err
    home = (out / "nl" / "index.html").read_text(encoding="utf-8")
    assert '<section class="gbif-hero' in home and "Biodiversity data from Belgium" in home
    assert 'src="_images/hero.png"' in home or "hero.png" in home
    assert 'hreflang="fr"' in home and "Nederlands" in home
    assert "gbif-translation-notice" in home  # nothing translated yet, and it says so
    community = (out / "fr" / "community.html").read_text(encoding="utf-8")
    assert "gbif-partner-grid" in community and "https://www.gbif.org/" in community
    publishers = (out / "en" / "publishers.html").read_text(encoding="utf-8")
    assert "https://www.gbif.org/publisher/" in publishers
    assert list((site / "_data" / "gbif").glob("organization*.json"))
    assert 'href="nl/index.html"' in (out / "index.html").read_text(encoding="utf-8")


def test_publishers_page_uses_the_directive(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert gbifnode("init", site, "--country", "BE", "--languages", "en") == 0
    text = (site / "publishers.md").read_text(encoding="utf-8")
    assert ":::{gbif-publishers}\n:country: BE\n:::" in text


def test_first_language_is_the_default(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert gbifnode("init", site, "--country", "FR", "--languages", "fr,en") == 0
    conf = (site / "conf.py").read_text(encoding="utf-8")
    assert "gbifnode_languages = ['fr', 'en']" in conf and "language = 'fr'" in conf


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--country", "XX"], "'XX' is not an ISO 3166-1 alpha-2 country code"),
        (["--country", "Belgium"], "not an ISO 3166-1 alpha-2"),
        (["--country", "BE", "--languages", "en,klingon"], "'klingon' is not a language code"),
    ],
)
def test_bad_arguments(tmp_path: Path, capsys, argv: list[str], message: str) -> None:
    assert gbifnode("init", tmp_path / "site", *argv) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def test_never_writes_into_a_folder_in_use(tmp_path: Path, capsys) -> None:
    (tmp_path / "index.md").write_text("# Mine\n")
    assert gbifnode("init", tmp_path, "--country", "BE") == 2
    assert "already exists and is not empty" in capsys.readouterr().err
    assert (tmp_path / "index.md").read_text() == "# Mine\n"
