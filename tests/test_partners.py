"""The ``partner-grid`` directive: YAML body or data file, logos, captions, translation."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import (
    ONE_LANGUAGE_OF_SITE,
    build,
    copy_root,
    html,
    make_project,
    translate_project,
    warnings_of,
)


def grids(page: str) -> list[str]:
    return re.findall(r'<ul aria-label="[^"]*" class="gbif-partner-grid.*?</ul>', page, re.S)


def test_grid_from_body(make_app, tmp_path: Path) -> None:
    app = build(make_app, copy_root("basic", tmp_path / "src"))
    assert warnings_of(app) == ""
    grid = grids(html(app, "community"))[0]
    assert "--gbif-columns: 3" in grid and "--gbif-logo-height: 50px" in grid
    assert "gbif-partner-grid--fixed" in grid
    rbins = re.search(r'<a class="gbif-partner-link" href="https://www.naturalsciences.be/en">'
                      r'(<img [^>]*>)</a>', grid)
    assert rbins is not None
    img = rbins.group(1)
    assert 'alt="RBINS logo"' in img and 'src="_images/rbins.png"' in img
    assert 'width="90"' in img and 'height="30"' in img and 'loading="lazy"' in img
    assert (Path(app.outdir) / "_images" / "rbins.png").is_file()
    # no alt given, no captions: the name is the alt text
    assert 'alt="Meise Botanic Garden"' in grid
    # no logo: the name as text, still linked
    assert ('href="https://www.catalogueoflife.org/"><span class="gbif-partner-name">'
            "Catalogue of Life</span></a>") in grid


def test_grid_from_data_file_with_captions(make_app, tmp_path: Path) -> None:
    app = build(make_app, copy_root("basic", tmp_path / "src"))
    grid = grids(html(app, "community"))[1]
    assert "gbif-partner-grid--fixed" not in grid  # default: as many columns as fit
    # remote https logo allowed; with captions the name is shown and the alt is empty
    assert 'src="https://www.gbif.org/img/logo/GBIF-2015.png"' in grid
    assert '<span class="gbif-partner-name">GBIF</span>' in grid
    assert '<span class="gbif-partner-name">TDWG</span>' in grid


def test_data_file_is_a_dependency(make_app, tmp_path: Path) -> None:
    srcdir = copy_root("basic", tmp_path / "src")
    build(make_app, srcdir)
    data = srcdir / "_data" / "partners.yml"
    data.write_text(data.read_text(encoding="utf-8").replace("TDWG", "TDWG standards"))
    app = build(make_app, srcdir)
    assert "TDWG standards" in html(app, "community")


def test_rst_grid(make_app, tmp_path: Path) -> None:
    app = build(make_app, copy_root("basic", tmp_path / "src"))
    grid = grids(html(app, "restructured"))[0]
    assert 'href="https://www.vlaanderen.be/inbo/home/"' in grid and 'alt="INBO"' in grid


def test_partner_names_and_alt_texts_are_translated(make_app, tmp_path: Path) -> None:
    srcdir = copy_root("basic", tmp_path / "src")
    french = {
        "RBINS logo": "Logo de l'IRSNB",
        "Meise Botanic Garden": "Jardin botanique de Meise",
        "Catalogue of Life": "Catalogue de la vie",
        "TDWG": "TDWG (normes)",
    }
    extracted = translate_project(make_app, srcdir, french.get)
    assert set(french) <= set(extracted["community"])
    app = build(make_app, srcdir, confoverrides=ONE_LANGUAGE_OF_SITE)
    assert warnings_of(app) == ""
    page = html(app, "community")
    assert "alt=\"Logo de l&#x27;IRSNB\"" in page or "alt=\"Logo de l'IRSNB\"" in page
    assert 'alt="Jardin botanique de Meise"' in page
    assert ">Catalogue de la vie</span>" in page
    assert ">TDWG (normes)</span>" in page
    assert 'aria-label="Partenaires"' in page  # the extension's own label


def test_grid_in_text_builder(make_app, tmp_path: Path) -> None:
    app = build(make_app, copy_root("basic", tmp_path / "src"), "text")
    text = (Path(app.outdir) / "community.txt").read_text(encoding="utf-8")
    assert "* Natural Sciences.be (RBINS)" not in text  # alt is used when there is no caption
    assert "RBINS logo" in text and "Catalogue of Life" in text


def test_columns_and_logo_height_defaults(make_app, tmp_path: Path) -> None:
    srcdir = make_project(tmp_path / "src", {"index.md": (
        "# T\n\n:::{partner-grid}\n- name: A\n:::\n"
    )})
    app = build(make_app, srcdir)
    grid = grids(html(app))[0]
    assert "--gbif-logo-height: 60px" in grid and "--gbif-columns" not in grid
