"""The project's own docs (the demo node site) build in English and French with zero
warnings, and the French catalogues are complete."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
FRENCH = ROOT / "locales" / "fr" / "LC_MESSAGES"


def sphinx_build(tmp_path: Path, language: str) -> Path:
    out = tmp_path / language
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
         "-D", f"language={language}", "-d", str(tmp_path / f"doctrees-{language}"),
         str(DOCS), str(out)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == ""
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("docs")
    return {language: sphinx_build(tmp, language) for language in ("en", "fr")}


def test_french_demo_shows_every_directive_translated(built: dict[str, Path]) -> None:
    home = (built["fr"] / "index.html").read_text(encoding="utf-8")
    assert "Des sites de biodiversité pour les nœuds du GBIF" in home
    assert 'alt="Collines vertes sous un ciel bleu"' in home
    assert ">Commencer</a>" in home and "Image :" in home
    assert "publicdomain/zero/1.0/deed.fr" in home
    community = (built["fr"] / "community.html").read_text(encoding="utf-8")
    assert "Une communauté d’éditeurs de données" in community
    assert ">Devenir éditeur de données</a>" in community
    assert 'alt="Jardin botanique de Meise"' in community
    assert "Normes d’information sur la biodiversité (TDWG)" in community
    english = (built["en"] / "community.html").read_text(encoding="utf-8")
    assert 'alt="Meise Botanic Garden"' in english


def test_french_catalogues_are_complete() -> None:
    for po_path in sorted(FRENCH.glob("*.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle, abort_invalid=True)
        untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
        assert not untranslated, f"{po_path.name}: {untranslated[:3]}"


def test_french_demo_has_the_migration_guide(built: dict[str, Path]) -> None:
    guide = (built["fr"] / "migrating.html").read_text(encoding="utf-8")
    assert "Quitter un portail hébergé" in guide
    assert "un paragraphe que le traducteur a coupé en deux est recollé" in guide
    assert "Moving from a hosted portal" in (built["en"] / "migrating.html").read_text(
        encoding="utf-8")


def test_french_demo_has_the_hosting_guide(built: dict[str, Path]) -> None:
    guide = (built["fr"] / "hosting.html").read_text(encoding="utf-8")
    assert "Héberger les sites de plusieurs pays" in guide
    assert "chaque clé définie par le site remplace la clé du même nom du modèle" in guide
    assert "Ce qu’il faut enseigner aux webmestres des pays" in guide
    assert "Hosting the sites of several countries" in (built["en"] / "hosting.html").read_text(
        encoding="utf-8")


def test_a_page_per_kind_of_node_in_both_languages(built: dict[str, Path]) -> None:
    pages = {
        "french-node": ("A French-first node", "Un nœud d’abord francophone"),
        "chinese-node": ("A Chinese node", "Un nœud chinois"),
        "multilingual-node": ("A multilingual node", "Un nœud multilingue"),
    }
    for page, (english, french) in pages.items():
        assert f"<h1>{english}" in (built["en"] / f"{page}.html").read_text(encoding="utf-8")
        assert f"<h1>{french}" in (built["fr"] / f"{page}.html").read_text(encoding="utf-8")
    chinese = (built["fr"] / "chinese-node.html").read_text(encoding="utf-8")
    assert "La recherche demande l’extra" in chinese
    assert '<span class="pre">sphinx-gbifnode[zh]</span>' in chinese


def test_demo_draws_the_belgian_charts_in_both_languages(built: dict[str, Path]) -> None:
    """A year chart, a basis-of-record chart and a row of big numbers for Belgium, from
    the committed snapshots, translated in the French build."""
    english = (built["en"] / "charts.html").read_text(encoding="utf-8")
    assert '<title id="gbif-chart-0-title">Occurrences in Belgium by year</title>' in english
    assert "Line chart: occurrences by year, from 1990 to 2025." in english
    assert ">Human observation</text>" in english
    assert '<span class="gbif-stat-number">65,075,096</span>' in english
    french = (built["fr"] / "charts.html").read_text(encoding="utf-8")
    assert '<title id="gbif-chart-0-title">Occurrences en Belgique par année</title>' in french
    assert "Graphique en courbe\u00a0: occurrences par année, de 1990 à 2025." in french
    assert ">Observation humaine</text>" in french and ">Autres</text>" in french
    assert "<summary>Afficher les chiffres</summary>" in french
    assert '<span class="gbif-stat-number">65\u202f075\u202f096</span>' in french
    assert '<span class="gbif-stat-label">occurrences dans le pays</span>' in french
    # The world charts come from answers GBIF gave: dated then, countries named by Babel.
    assert ">États-Unis</text>" in french and "13 novembre 2025" in french


def test_french_demo_explains_translated_html_and_refused_catalogues(
    built: dict[str, Path],
) -> None:
    guide = (built["fr"] / "translating.html").read_text(encoding="utf-8")
    assert "HTML et liens dans une traduction" in guide
    assert "Sphinx ne lit les catalogues qu’en UTF-8" in guide
    check = (built["fr"] / "checking-translations.html").read_text(encoding="utf-8")
    assert "Catalogues que Sphinx écarterait" in check
    assert "<dt>raw-html</dt>" in check and "<dt>unsafe-url</dt>" in check


def test_french_demo_explains_build_speed(built: dict[str, Path]) -> None:
    page = (built["fr"] / "maintainers.html").read_text(encoding="utf-8")
    assert "Durée d’une construction" in page
    assert "une phrase balisée n’est analysée qu’une fois" in page
    assert "How long a build takes" in (built["en"] / "maintainers.html").read_text(
        encoding="utf-8")


def test_theme_page_shows_its_list_of_sections_in_both_languages(built: dict[str, Path]) -> None:
    french = (built["fr"] / "theme.html").read_text(encoding="utf-8")
    assert '<nav class="gbif-page-toc" aria-label="Sur cette page">' in french
    assert '<a href="#on-this-page">Sur cette page</a>' in french
    english = (built["en"] / "theme.html").read_text(encoding="utf-8")
    assert '<nav class="gbif-page-toc" aria-label="On this page">' in english
