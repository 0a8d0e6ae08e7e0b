"""The ``hero`` directive and the front-matter hero: HTML, options, translation."""

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


def hero_section(page: str, index: int = 0) -> str:
    sections = re.findall(r'<section class="gbif-hero.*?</section>', page, re.S)
    assert len(sections) > index, "no hero in page"
    return sections[index]


def test_myst_hero_renders_every_option(make_app, tmp_path: Path) -> None:
    app = build(make_app, copy_root("basic", tmp_path / "src"))
    hero = hero_section(html(app))
    assert "gbif-hero--center" in hero and "gbif-hero--shadow" in hero
    assert "--gbif-hero-height: 70vh" in hero and "--gbif-hero-overlay: #00000055" in hero
    # the photo goes through Sphinx's image handling: copied to _images, intrinsic size
    assert re.search(r'<img alt="A burnet moth on a flower" [^>]*src="_images/hero.png"', hero)
    assert 'width="64"' in hero and 'height="32"' in hero
    assert (Path(app.outdir) / "_images" / "hero.png").is_file()
    assert '<h2 class="gbif-hero-title">Sharing <em>biodiversity</em> data</h2>' in hero
    assert "<p>Belgium shares its <em>biodiversity</em> data with the world.</p>" in hero
    assert (
        '<a class="gbif-button gbif-button--primary" '
        'href="https://www.gbif.org/occurrence/search">Explore the data</a>'
    ) in hero
    # a relative button link naming a document points at that document's page
    assert '<a class="gbif-button gbif-button--secondary" href="community.html">' in hero
    licence = re.search(r'<p class="gbif-hero-licence">(.*?)</p>', hero, re.S)
    assert licence is not None
    assert "Image:" in licence.group(1)
    assert "Zygaena carniolica by C. Moning" in licence.group(1)
    assert 'href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>' in licence.group(1)
    assert "<script" not in hero


def test_restructuredtext_hero(make_app, tmp_path: Path) -> None:
    app = build(make_app, copy_root("basic", tmp_path / "src"))
    hero = hero_section(html(app, "restructured"))
    assert "A hero in reStructuredText" in hero
    assert "<p>Description in <em>rST</em>.</p>" in hero
    assert 'href="https://creativecommons.org/licenses/by-sa/4.0/">CC BY-SA 4.0</a>' in hero
    assert "gbif-hero--left" in hero and "--gbif-hero-height: 50vh" in hero  # defaults


def test_front_matter_hero(make_app, tmp_path: Path) -> None:
    app = build(make_app, copy_root("basic", tmp_path / "src"))
    hero = hero_section(html(app, "frontmatter"))
    assert "gbif-hero--front-matter" in hero and "gbif-hero--shadow" in hero
    assert "--gbif-hero-height: 60vh" in hero and "--gbif-hero-overlay: #00000080" in hero
    assert '<img alt="Moss on a rock"' in hero
    assert '<h1 class="gbif-hero-title">Open biodiversity data community</h1>' in hero
    assert "Discover who shares <strong>data</strong> in our country." in hero
    assert 'gbif-button--primary" href="https://www.gbif.org/become-a-publisher">' in hero
    assert 'gbif-button--secondary" href="index.html">Back home</a>' in hero
    assert 'href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>' in hero


def test_front_matter_hero_can_be_switched_off(make_app, tmp_path: Path) -> None:
    srcdir = copy_root("basic", tmp_path / "src")
    app = build(make_app, srcdir, confoverrides={"gbifnode_front_matter_hero": False})
    assert "gbif-hero" not in html(app, "frontmatter").split("<body", 1)[1]


def test_license_is_an_alias_of_licence(make_app, tmp_path: Path) -> None:
    srcdir = make_project(tmp_path / "src", {"index.md": (
        "# T\n\n:::{hero} Title\n:image: _static/hero.png\n"
        ":license: Photo by Someone, CC0\n:::\n"
    )})
    app = build(make_app, srcdir)
    assert warnings_of(app) == ""
    assert "Photo by Someone, CC0" in hero_section(html(app))


def test_remote_https_image(make_app, tmp_path: Path) -> None:
    srcdir = make_project(tmp_path / "src", {"index.md": (
        "# T\n\n:::{hero} Title\n:image: https://images.example.org/moth.jpg\n"
        ":licence: CC0\n:::\n"
    )})
    app = build(make_app, srcdir)
    assert warnings_of(app) == ""
    assert 'src="https://images.example.org/moth.jpg"' in hero_section(html(app))


def test_every_hero_string_is_translated(make_app, tmp_path: Path) -> None:
    """Titles, descriptions, licence lines with their links, alt texts, button labels:
    all in the .pot, all replaced in the French build; the French photo is picked."""
    srcdir = copy_root("basic", tmp_path / "src")
    french = {
        "Sharing *biodiversity* data": "Partager les données de *biodiversité*",
        "A burnet moth on a flower": "Une zygène sur une fleur",
        "Zygaena carniolica by C. Moning, [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)":
            "Zygaena carniolica par C. Moning, [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/deed.fr)",
        "Belgium shares its *biodiversity* data with the world.":
            "La Belgique partage ses données de *biodiversité* avec le monde.",
        "Explore the data": "Explorer les données",
        "Our community": "Notre communauté",
        "Open biodiversity data community": "Communauté des données ouvertes",
        "Discover who shares **data** in our country.":
            "Découvrez qui partage des **données** dans notre pays.",
        "Moss on a rock": "Mousse sur un rocher",
        "Photo by A. Author, [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)":
            "Photo de A. Auteur, [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/deed.fr)",
        "Become a publisher": "Devenir éditeur de données",
        "Back home": "Retour à l'accueil",
        "A hero in reStructuredText": "Une bannière en reStructuredText",
        "Hero alt in rST": "Texte alternatif en rST",
        "Photo by R. Author, `CC BY-SA 4.0 <https://creativecommons.org/licenses/by-sa/4.0/>`_":
            "Photo de R. Auteur, `CC BY-SA 4.0 <https://creativecommons.org/licenses/by-sa/4.0/deed.fr>`_",
        "Read more": "En savoir plus",
        "Description in *rST*.": "Description en *rST*.",
    }
    extracted = translate_project(make_app, srcdir, french.get)
    pot = {m for msgs in extracted.values() for m in msgs}
    missing = set(french) - pot
    assert not missing, f"not extracted to .pot: {missing}"

    app = build(make_app, srcdir, confoverrides=ONE_LANGUAGE_OF_SITE)
    assert warnings_of(app) == ""
    home = hero_section(html(app))
    assert "Partager les données de <em>biodiversité</em>" in home
    assert 'alt="Une zygène sur une fleur"' in home
    assert 'src="_images/hero.fr.png"' in home  # figure_language_filename
    assert "Zygaena carniolica par C. Moning" in home
    assert 'href="https://creativecommons.org/licenses/by/4.0/deed.fr"' in home
    assert "La Belgique partage ses données" in home
    assert ">Explorer les données</a>" in home and ">Notre communauté</a>" in home
    assert "Image :" in home  # the extension's own label, from its catalogue

    front = hero_section(html(app, "frontmatter"))
    for text in ("Communauté des données ouvertes", "Découvrez qui partage des <strong>",
                 'alt="Mousse sur un rocher"', "Photo de A. Auteur", "Devenir éditeur de données",
                 "Retour à l"):
        assert text in front, text
    rst = hero_section(html(app, "restructured"))
    for text in ("Une bannière en reStructuredText", 'alt="Texte alternatif en rST"',
                 "Photo de R. Auteur", "deed.fr", "En savoir plus", "Description en <em>rST</em>"):
        assert text in rst, text


def test_hero_in_other_builders(make_app, tmp_path: Path) -> None:
    app = build(make_app, copy_root("basic", tmp_path / "src"), "text")
    text = (Path(app.outdir) / "index.txt").read_text(encoding="utf-8")
    assert "Sharing *biodiversity* data" in text and "Explore the data" in text
    assert "Zygaena carniolica by C. Moning" in text


def test_button_links_to_documents_from_a_subfolder(make_app, tmp_path: Path) -> None:
    srcdir = make_project(tmp_path / "src", {
        "index.md": "# Home\n\n```{toctree}\nabout\nguide/page\n```\n",
        "about.md": "# About\n\n(team)=\n## Team\n",
        "guide/page.md": (
            "# Guide\n\n:::{hero} Title\n:image: ../_static/hero.png\n:licence: CC0\n"
            ":cta: Up <../about>\n:cta-primary: Root <about#team>\n:::\n\n"
            ":::{hero} Second\n:image: ../_static/hero.png\n:licence: CC0\n"
            ":cta: Same folder <about/>\n:cta-primary: Home <index.html>\n:::\n\n"
            ":::{hero} Third\n:image: ../_static/hero.png\n:licence: CC0\n"
            ":cta: Unknown <elsewhere.pdf>\n:cta-primary: Site root </about>\n:::\n"
        ),
    })
    (srcdir / "guide" / "about.md").write_text("# Guide about\n", encoding="utf-8")
    (srcdir / "index.md").write_text(
        "# Home\n\n```{toctree}\nabout\nguide/page\nguide/about\n```\n", encoding="utf-8"
    )
    app = build(make_app, srcdir)
    assert warnings_of(app) == ""
    page = html(app, "guide/page")
    assert 'gbif-button--secondary" href="../about.html">Up</a>' in page
    # a name without ../ is read from the page's own folder
    assert 'gbif-button--primary" href="about.html#team">Root</a>' in page
    assert 'gbif-button--secondary" href="about.html">Same folder</a>' in page
    assert 'gbif-button--primary" href="../about.html">Site root</a>' in page
    # no guide/index page: the link is left as written
    assert 'gbif-button--primary" href="index.html">Home</a>' in page
    assert 'gbif-button--secondary" href="elsewhere.pdf">Unknown</a>' in page
