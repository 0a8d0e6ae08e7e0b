"""The ``gbifnode`` theme: every option, escaping, bad input, translation, search."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from helpers import PACKAGE, build, copy_root, html, png_bytes, translate_project

THEME_DIR = PACKAGE / "theme"


def theme_root(tmp_path: Path, conf_extra: str = "") -> Path:
    """The ``theme`` test root with its images, plus *conf_extra* appended to conf.py."""
    srcdir = copy_root("theme", tmp_path / "src")
    static = srcdir / "_static"
    static.mkdir(exist_ok=True)
    (static / "logo.png").write_bytes(png_bytes(120, 40))
    (static / "meise.png").write_bytes(png_bytes(60, 30, (200, 200, 200)))
    (static / "hero.png").write_bytes(png_bytes(64, 32))
    if conf_extra:
        with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
            conf.write("\n" + conf_extra)
    return srcdir


def conf_line(srcdir: Path, needle: str) -> int:
    lines = (srcdir / "conf.py").read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)


def test_page_has_navbar_hero_and_footer(make_app, tmp_path: Path) -> None:
    app = build(make_app, theme_root(tmp_path))
    assert app.warning.getvalue() == ""
    page = html(app)
    # Landmarks and the skip link, in reading order.
    order = [page.index(tag) for tag in (
        'class="gbif-skip-link" href="#main-content"', "<header", "<nav", '<main id="main-content"',
        "<footer",
    )]
    assert order == sorted(order)
    # Logo copied into the output, with its size so the navbar does not jump.
    assert re.search(r'<img class="gbif-brand-logo" src="_static/gbifnode-theme/_static/logo.png" '
                     r'alt="Test node documentation"\s+width="120" height="40">', page)
    assert (Path(app.outdir) / "_static/gbifnode-theme/_static/logo.png").is_file()
    # Menu: the current page is marked, a dropdown is a native <details>.
    assert '<a href="#" aria-current="page">Home</a>' in page or \
        '<a href="index.html" aria-current="page">Home</a>' in page
    assert "<summary>About us</summary>" in page
    assert '<a href="about/team.html">Our team</a>' in page
    assert '<a href="https://www.gbif.org/country/BE">Data portal</a>' in page
    # Colours from the options; white text reads better on #123456.
    assert "--gbif-primary: #123456; --gbif-on-primary: #ffffff; --gbif-link: #0b5394;" in page
    # The hero comes first in the body: it sits right under the navbar.
    assert '<body class="gbif-theme gbif-page--hero">' in page
    main = page[page.index("<main"):]
    assert main.index('<section class="gbif-hero') < main.index("<h1>Welcome")
    # Footer: columns, partner logo (lazy, sized) and name, social links.
    footer = page[page.index("<footer"):]
    assert "<h2>Contact us</h2>" in footer
    assert "<p>Avenue Louise 231, Brussels</p>" in footer
    assert re.search(r'<a href="https://www.plantentuinmeise.be">\s*<img src="_static/gbifnode-'
                     r'theme/_static/meise.png" alt="Botanic Garden Meise" loading="lazy" '
                     r'decoding="async" width="60" height="30">', footer)
    assert '<span class="gbif-footer-partner-name">A partner without logo</span>' in footer
    assert '<a href="https://mastodon.social/@gbif" rel="me">Mastodon</a>' in footer
    assert "&#169; 2026, Test node" in footer
    # Sphinx's toctree caption gets the aria-level its heading role needs.
    assert '<p class="caption" role="heading" aria-level="2">' in page
    # Search box pointing at Sphinx's search page.
    assert '<form class="gbif-search" role="search" action="search.html" method="get">' in page


def test_inner_page_links_and_plain_header(make_app, tmp_path: Path) -> None:
    app = build(make_app, theme_root(tmp_path))
    page = html(app, "about/team")
    assert '<body class="gbif-theme">' in page  # no hero: plain header
    # Links from the options are relative to this page.
    assert '<a href="../index.html">Home</a>' in page
    assert '<a href="#" aria-current="page">Our team</a>' in page or \
        '<a href="team.html" aria-current="page">Our team</a>' in page
    assert 'class="gbif-nav-item gbif-nav-item--active"' in page
    assert '<a href="../_static/gbifnode-theme/_static/logo.png"' not in page
    assert 'src="../_static/gbifnode-theme/_static/logo.png"' in page
    # Breadcrumb and previous page: O(1) per page, no global table of contents.
    assert 'class="gbif-breadcrumb"' in page and '<a href="index.html">About us</a>' in page
    assert 'rel="prev" href="index.html"' in page
    assert "sphinxsidebar" not in page and "toctree-l1" not in page
    assert '<nav class="gbif-pager" aria-label="Previous and next page">' in page
    # Code blocks scroll sideways: keyboard users can focus them; colours read on white.
    assert '<div class="highlight"><pre tabindex="0">' in page
    pygments = (Path(app.outdir) / "_static" / "pygments.css").read_text()
    assert "#836C28" in pygments  # Pygments "xcode"


def test_hero_after_the_page_title_moves_under_the_navbar(make_app, tmp_path: Path) -> None:
    app = build(make_app, theme_root(tmp_path))
    assert app.warning.getvalue() == ""
    page = html(app, "about/index")
    assert '<body class="gbif-theme gbif-page--hero">' in page
    body = page[page.index('<div class="gbif-article body">'):]
    hero, title = body.index('<section class="gbif-hero'), body.index("<h1>About us")
    assert hero < title < body.index("Who we are.</p>")
    assert body.count("<h2 class=\"gbif-hero-title\">Who we are</h2>") == 1
    assert "gbif-breadcrumb" not in page  # the banner is the page's header


def test_navigation_never_renders_a_global_toctree() -> None:
    """Templates render the navbar from options only (the per-page cost stays flat)."""
    templates = list((THEME_DIR / "gbifnode").glob("*.html"))
    assert templates
    for template in templates:
        text = template.read_text(encoding="utf-8")
        assert "toctree(" not in text and "globaltoc" not in text, template


def test_assets_are_local_and_small(make_app, tmp_path: Path) -> None:
    css = THEME_DIR / "gbifnode" / "static" / "gbifnode-theme.css"
    js = THEME_DIR / "gbifnode" / "static" / "gbifnode-theme.js"
    assert css.stat().st_size <= 30 * 1024
    assert js.stat().st_size <= 5 * 1024
    for asset in (css, js):
        assert "@import" not in asset.read_text() and "url(http" not in asset.read_text()
    page = html(build(make_app, theme_root(tmp_path)))
    for src in re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page):
        assert "://" not in src, src
    assert '<script src="_static/gbifnode-theme.js" defer></script>' in page


def test_options_are_escaped_and_urls_checked(make_app, tmp_path: Path) -> None:
    srcdir = theme_root(tmp_path, """
html_theme_options["navbar_links"].append(
    {"title": "<script>alert(1)</script>", "url": "https://example.org/?a=1&b=2"})
html_theme_options["navbar_links"].append({"title": "Evil", "url": "javascript:alert(1)"})
html_theme_options["social_links"].append({"name": "Data", "url": "data:text/html,x"})
""")
    app = build(make_app, srcdir)
    page = html(app)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="https://example.org/?a=1&amp;b=2"' in page
    assert "javascript:" not in page and "data:text" not in page and ">Evil<" not in page
    warnings = app.warning.getvalue()
    assert f"conf.py:{conf_line(srcdir, 'javascript:alert')}: WARNING" in warnings
    assert "'javascript:alert(1)' is not allowed" in warnings
    assert "'data:text/html,x' is not allowed" in warnings
    assert "Traceback" not in warnings


BAD_OPTIONS = [
    ('html_theme_options["navbar_links"] = "Home"',
     "navbar_links must be a list"),
    ('html_theme_options["navbar_links"] = [{"url": "index"}]',
     "navbar_links[0]: 'title' must be a non-empty string"),
    ('html_theme_options["navbar_links"] = [{"title": "X", "url": "a", '
     '"children": [{"title": "Y", "url": "b", "children": [{"title": "Z", "url": "c"}]}]}]',
     "one level of dropdowns"),
    ('html_theme_options["footer_columns"] = ["Contact"]',
     "footer_columns[0] must be a dict"),
    ('html_theme_options["primary_color"] = "red;}body{display:none"',
     "primary_color: 'red;}body{display:none' is not a CSS colour"),
    ('html_theme_options["link_color"] = "#9fc5e8"',
     "link_color #9fc5e8: contrast 1.81:1"),
    ('html_theme_options["logo"] = "_static/missing.png"',
     "image file not found: _static/missing.png"),
    ('html_theme_options["logo"] = "../../etc/passwd"',
     "is outside the source directory"),
    ('html_theme_options["social_links"] = [{"name": "Typo", "url": "abuot/team"}]',
     "link 'abuot/team' names no page of the site and no file"),
]


@pytest.mark.parametrize(("conf_extra", "message"), BAD_OPTIONS)
def test_bad_options_warn_and_the_site_still_builds(
    make_app, tmp_path: Path, conf_extra: str, message: str
) -> None:
    srcdir = theme_root(tmp_path, conf_extra)
    app = build(make_app, srcdir)
    warnings = app.warning.getvalue()
    assert message in warnings
    # The warning points at the line that sets the bad value.
    assert f"conf.py:{len((srcdir / 'conf.py').read_text().splitlines())}: WARNING" in warnings
    assert "Traceback" not in warnings
    page = html(app)
    assert "<footer" in page and "Home page text." in page
    assert "display:none" not in page


def test_links_to_special_pages_and_files(make_app, tmp_path: Path) -> None:
    srcdir = theme_root(tmp_path, """
html_static_path = ["_static"]
html_theme_options["social_links"] = [
    {"name": "Search", "url": "search"},
    {"name": "Index", "url": "genindex.html"},
    {"name": "Logo file", "url": "_static/logo.png"},
    {"name": "Team section", "url": "/about/team.md#top"},
    {"name": "About", "url": "about/"},
    {"name": "Find moths", "url": "/search.html?q=moth#results"},
]
""")
    app = build(make_app, srcdir)
    assert app.warning.getvalue() == ""
    footer = html(app, "about/team")
    footer = footer[footer.index("<footer"):]
    for href, title in [("../search.html", "Search"), ("../genindex.html", "Index"),
                        ("../_static/logo.png", "Logo file"), ("#top", "Team section"),
                        ("index.html", "About"),
                        ("../search.html?q=moth#results", "Find moths")]:
        assert f'<a href="{href}" rel="me">{title}</a>' in footer, title


def test_light_primary_colour_gets_dark_navbar_text(make_app, tmp_path: Path) -> None:
    srcdir = theme_root(tmp_path, 'html_theme_options["primary_color"] = "#ffdd57"')
    app = build(make_app, srcdir)
    assert app.warning.getvalue() == ""
    assert "--gbif-primary: #ffdd57; --gbif-on-primary: #111111;" in html(app)


def test_language_links_render_as_switcher(make_app, tmp_path: Path) -> None:
    """The multilingual module hands the theme ``gbifnode_language_links``; without
    them (a one-language site) the navbar has no switcher."""
    app = build(make_app, theme_root(tmp_path / "one"))
    assert "gbif-languages" not in html(app)

    srcdir = theme_root(tmp_path / "two", """
def _links(app, pagename, templatename, context, doctree):
    up = "../" * (pagename.count("/") + 1)
    context["gbifnode_language_links"] = [
        {"code": "en", "name": "English", "url": f"{up}en/{pagename}.html", "current": True},
        {"code": "zh_CN", "name": "中文 <b>", "url": f"{up}zh_CN/{pagename}.html",
         "current": False},
    ]

def setup(app):
    app.connect("html-page-context", _links, priority=500)
""")
    page = html(build(make_app, srcdir), "about/team")
    switcher = page[page.index('<nav class="gbif-languages"'):]
    switcher = switcher[: switcher.index("</nav>")]
    assert 'aria-label="Language"' in switcher
    assert '<span lang="en" aria-current="page">English</span>' in switcher
    assert ('<a href="../../zh_CN/about/team.html" hreflang="zh-CN" lang="zh-CN" '
            'rel="alternate">中文 &lt;b&gt;</a>') in switcher


def test_theme_works_from_its_entry_point_alone(make_app, tmp_path: Path) -> None:
    """``html_theme = "gbifnode"`` without the extension: Sphinx finds the theme through
    the ``sphinx.html_themes`` entry point (installed package metadata)."""
    srcdir = theme_root(tmp_path)
    app = build(make_app, srcdir, confoverrides={"extensions": "myst_parser", "language": "fr"})
    page = html(app, "about/team")
    assert '<header class="gbif-header">' in page
    assert '<a href="../index.html">Home</a>' in page
    assert "Aller au contenu principal" in page  # the package's labels, in French


def test_sphinx_html_logo_is_used_without_the_logo_option(make_app, tmp_path: Path) -> None:
    srcdir = theme_root(tmp_path, """
del html_theme_options["logo"]
html_logo = "_static/meise.png"
""")
    app = build(make_app, srcdir)
    assert app.warning.getvalue() == ""
    assert '<img class="gbif-brand-logo" src="_static/meise.png" alt="Test node documentation">' \
        in html(app)


def test_labels_are_extracted_and_translated(make_app, tmp_path: Path) -> None:
    srcdir = theme_root(tmp_path)
    extracted = translate_project(make_app, srcdir, lambda msgid: f"FR[{msgid}]")
    labels = ["Home", "About us", "Our team", "Data portal", "Publishers", "Contact us",
              "Avenue Louise 231, Brussels", "Our partners", "Botanic Garden Meise",
              "A partner without logo", "Mastodon"]
    assert set(labels) <= set(extracted["sphinx"])
    # Each label points translators at the conf.py line it comes from.
    pot = Path(srcdir.parent / f"_build-{srcdir.name}-gettext-default" / "gettext" / "sphinx.pot")
    with pot.open("rb") as handle:
        catalog = read_po(handle)
    locations = catalog["Data portal"].locations
    assert locations and locations[0][0].endswith("conf.py")
    assert locations[0][1] == conf_line(srcdir, '"Data portal"')

    app = build(make_app, srcdir, confoverrides={"language": "fr"})
    assert "[gbifnode." not in app.warning.getvalue()
    page = html(app)
    for label in labels:
        assert f"FR[{label}]" in page, label
    # The theme's fixed labels come from the package catalogue, Sphinx's from Sphinx's.
    assert "Aller au contenu principal" in page
    assert 'placeholder="Recherche"' in page or 'placeholder="Rechercher"' in page


def test_search_page_works_in_the_page_language(make_app, tmp_path: Path) -> None:
    srcdir = theme_root(tmp_path)
    app = build(make_app, srcdir, confoverrides={"language": "fr"})
    search = html(app, "search")
    assert '<html lang="fr"' in search
    assert 'id="search-results"' in search and "searchtools.js" in search
    assert "gbif-search" not in search  # the page has its own form
    assert "<header" in search and "<footer" in search
    options = (Path(app.outdir) / "_static" / "documentation_options.js").read_text()
    assert "LANGUAGE: 'fr'" in options
    index = (Path(app.outdir) / "searchindex.js").read_text(encoding="utf-8")
    assert "about/team" in index
    assert (Path(app.outdir) / "_static" / "french-stemmer.js").is_file()


def test_hero_text_contrast_holds_over_a_white_photo() -> None:
    """White hero text sits on the theme's 60 % black panel: over the worst photo (pure
    white), whatever overlay the page sets, the contrast stays above 4.5:1."""
    from sphinx_gbifnode.theme.options import blend, contrast

    css = (THEME_DIR / "gbifnode" / "static" / "gbifnode-theme.css").read_text()
    rule = css[css.index("body.gbif-theme .gbif-hero > .gbif-hero-content.container {"):]
    rule = rule[: rule.index("}")]
    assert "background: rgb(0 0 0 / .6);" in rule
    white, black = (255, 255, 255), (0, 0, 0)
    worst = blend(black, 0.6, white)
    assert contrast(white, worst) >= 4.5
    assert round(contrast(white, worst), 1) == 5.7  # the figure docs/theme.md gives


@pytest.mark.parametrize("between", ["", '<div class="gbif-translation-notice" role="note">'
                                         "Partly translated.</div>\n"])
def test_hero_to_top_moves_only_an_opening_hero(between: str) -> None:
    from sphinx_gbifnode.theme import hero_to_top

    hero = '<section class="gbif-hero gbif-hero--left" style="--h: 1">\n<p>Banner</p></section>\n'
    title = '<section id="t">\n<h1>Title<a class="headerlink" href="#t">¶</a></h1>\n' + between
    body, first = hero_to_top(title + hero + "<p>Text</p>\n</section>")
    assert first and body == hero + title + "<p>Text</p>\n</section>"
    # A hero further down the page stays where the author put it.
    later = title + "<p>Intro</p>\n" + hero + "</section>"
    assert hero_to_top(later) == (later, False)


def test_hero_to_top_leaves_a_hero_of_a_later_section() -> None:
    from sphinx_gbifnode.theme import hero_to_top

    body = ('<section id="a">\n<h1>A</h1>\n<p>Intro</p>\n</section>\n<section id="b">\n'
            '<h1>B</h1>\n<section class="gbif-hero" style="">\n<p>x</p></section>\n</section>')
    assert hero_to_top(body) == (body, False)
