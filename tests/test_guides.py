"""The maintainer's and translator's guides: built by ``gbifnode build`` as ``make demo``
does, in English and French, with zero warnings and no untranslated passage."""

from __future__ import annotations

from pathlib import Path

from sphinx_gbifnode.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_guides_build_in_both_languages(tmp_path: Path, capsys) -> None:
    out = tmp_path / "html"
    status = main([
        "build", str(ROOT / "docs"), str(out), "-W", "--keep-going", "-q",
        "-D", "html_baseurl=http://localhost:8000/",
    ])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert captured.err == ""
    maintainers = (out / "fr" / "maintainers.html").read_text(encoding="utf-8")
    assert "Maintenir un site multilingue" in maintainers
    assert "Read the Docs en plusieurs langues" in maintainers
    assert "GitLab CI et GitLab Pages" in maintainers
    translating = (out / "fr" / "translating.html").read_text(encoding="utf-8")
    assert "Tenir les fichiers à jour" in translating and "Poedit" in translating
    assert 'href="../en/translating.html" hreflang="en"' in translating
    for page in (out / "fr").glob("*.html"):
        assert "gbif-translation-notice" not in page.read_text(encoding="utf-8"), page.name
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>http://localhost:8000/fr/maintainers.html</loc>" in sitemap
