"""Wrong types in ``html_theme_options``: each is a warning at the ``conf.py`` line that
holds it, never a traceback, and the rest of the site and of the menu still builds."""

from __future__ import annotations

from pathlib import Path

import pytest
from faultkit import Built, build_once, line_of
from helpers import copy_root, png_bytes

#: One project holds every wrong entry, each on a line of its own:
#: (test id, text unique to the line, what the warning says).
ENTRY_FAULTS = [
    ("children-int", '"Kids five"', "navbar_links[1].children must be a list, got 5 (int)"),
    ("children-str", '"Kids text"', "navbar_links[2].children must be a list, got 'about' (str)"),
    ("children-dict", '"Kids dict"', "navbar_links[3].children must be a list, got {"),
    ("title-int", '"title": 5, "url": "index"}', "navbar_links[4]: 'title' must be a non-empty "
     "string, got 5 (int)"),
    ("url-int", '"Url five"', "navbar_links[5].url: a URL must be a string, got 5 (int)"),
    ("url-list", '"Url list"', "navbar_links[6].url: a URL must be a string, got ['index'] (list)"),
    ("url-set", '"Url set"', "navbar_links[7].url: a URL must be a string, got {'index'} (set)"),
    ("unknown-key", '"titel"', "navbar_links[8]: unknown key 'titel' (allowed: title, url, "
     "children); ignored"),
    ("entry-str", '"Just a string",', "navbar_links[9] must be a dict, got 'Just a string' (str)"),
    ("grandchildren", '"Grandchild"', "navbar_links[10].children[0]: menus have one level"),
    ("child-not-dict", '"Child string"', "navbar_links[11].children[0] must be a dict"),
    ("column-title-int", '{"title": 5},', "footer_columns[0]: 'title' must be a non-empty "
     "string, got 5 (int)"),
    ("column-links-int", '"links": 5', "footer_columns[1].links must be a list, got 5 (int)"),
    ("column-partners-str", '"partners": "Meise"', "footer_columns[2].partners must be a list, "
     "got 'Meise' (str)"),
    ("partner-name-int", '"name": 7', "footer_columns[3].partners[0]: 'name' must be a non-empty "
     "string, got 7 (int)"),
    ("partner-logo-int", '"Logo int"', "footer_columns[4].partners[0].logo: a URL must be a "
     "string, got 5 (int)"),
    ("partner-url-bool", '"Url bool"', "footer_columns[5].partners[0].url: a URL must be a "
     "string, got True (bool)"),
    ("column-text-list", '"text": ["a", "b"]', "footer_columns[6]: 'text' must be a non-empty "
     "string, got ['a', 'b'] (list)"),
    ("column-str", '"Contact only"', "footer_columns[7] must be a dict, got 'Contact only' (str)"),
    ("social-name-int", '"name": 9', "social_links[0]: 'name' must be a non-empty string, "
     "got 9 (int)"),
    ("logo-int", '"logo": 5,', "logo: a URL must be a string, got 5 (int)"),
    ("primary-int", '"primary_color": 5', "primary_color must be a CSS colour written as a "
     "string, got 5 (int)"),
    ("link-colour-list", '"link_color": [', "link_color must be a CSS colour written as a "
     "string, got ['#fff'] (list)"),
    ("page-toc-str", '"page_toc": "yes"', "page_toc must be True or False, got 'yes' (str)"),
]

ENTRY_CONF = '''
html_theme_options = {
    "navbar_links": [
        {"title": "Home", "url": "index"},
        {"title": "Kids five", "url": "index", "children": 5},
        {"title": "Kids text", "url": "index", "children": "about"},
        {"title": "Kids dict", "url": "index", "children": {"title": "x"}},
        {"title": 5, "url": "index"},
        {"title": "Url five", "url": 5},
        {"title": "Url list", "url": ["index"]},
        {"title": "Url set", "url": {"index"}},
        {"titel": "Typo", "title": "Typo", "url": "index"},
        "Just a string",
        {"title": "Grand", "url": "index", "children": [
            {"title": "Grandchild", "url": "index", "children": [{"title": "Z", "url": "c"}]}]},
        {"title": "Kids", "url": "index", "children": [
            "Child string"]},
    ],
    "footer_columns": [
        {"title": 5},
        {"title": "Links", "links": 5},
        {"title": "Partners", "partners": "Meise"},
        {"title": "P3", "partners": [
            {"name": 7}]},
        {"title": "P4", "partners": [
            {"name": "Logo int", "logo": 5}]},
        {"title": "P5", "partners": [
            {"name": "Url bool", "url": True}]},
        {"title": "P6", "text": ["a", "b"]},
        "Contact only",
    ],
    "social_links": [
        {"name": 9, "url": "https://mastodon.social/@gbif"}],
    "logo": 5,
    "primary_color": 5,
    "link_color": [
        "#fff"],
    "page_toc": "yes",
}
'''

#: Lists that are not lists, in a project of their own (each option has one value).
SHAPE_FAULTS = [
    ("navbar-dict", '"navbar_links": {"title"', "navbar_links must be a list, got {"),
    ("footer-str", '"footer_columns": "Contact"', "footer_columns must be a list, got "
     "'Contact' (str)"),
    ("social-int", '["social_links"] = 5', "social_links must be a list, got 5 (int)"),
]

SHAPE_CONF = '''
html_theme_options = dict(
    logo="_static/logo.png",
)
html_theme_options.update({
    "navbar_links": {"title": "Home", "url": "index"},
    "footer_columns": "Contact",
})
html_theme_options["social_links"] = 5
'''

#: ``html_theme_options`` itself of the wrong type: Sphinx's own theme code would stop.
WHOLE_FAULTS = {
    "options-list": ('html_theme_options = [{"logo": "x.png"}]',
                     "html_theme_options must be a dict, got [{...}] (list)"),
    "options-str": ('html_theme_options = "dark"',
                    "html_theme_options must be a dict, got 'dark' (str)"),
}


def _project(root: Path, options: str) -> Path:
    srcdir = copy_root("theme", root)
    static = srcdir / "_static"
    static.mkdir(exist_ok=True)
    (static / "logo.png").write_bytes(png_bytes(120, 40))
    (static / "hero.png").write_bytes(png_bytes(64, 32))
    conf = srcdir / "conf.py"
    text = conf.read_text(encoding="utf-8")
    # Replace the root's options with the faulty ones (everything from the assignment on).
    conf.write_text(text[: text.index("html_theme_options")] + options, encoding="utf-8")
    return srcdir


@pytest.fixture(scope="module")
def entry_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Built]:
    srcdir = _project(tmp_path_factory.mktemp("entries"), ENTRY_CONF)
    return srcdir, build_once(srcdir)


@pytest.fixture(scope="module")
def shape_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Built]:
    srcdir = _project(tmp_path_factory.mktemp("shapes"), SHAPE_CONF)
    return srcdir, build_once(srcdir)


def _assert_located(srcdir: Path, built: Built, marker: str, message: str) -> None:
    line = line_of(srcdir / "conf.py", marker)
    expected = f"conf.py:{line}: WARNING: html_theme_options: {message}"
    assert expected in built.warnings, built.warnings
    assert "Traceback" not in built.warnings and "Exception occurred" not in built.warnings


@pytest.mark.parametrize(("marker", "message"), [case[1:] for case in ENTRY_FAULTS],
                         ids=[case[0] for case in ENTRY_FAULTS])
def test_wrong_entry_is_a_located_warning(entry_build, marker: str, message: str) -> None:
    _assert_located(*entry_build, marker, message)


@pytest.mark.parametrize(("marker", "message"), [case[1:] for case in SHAPE_FAULTS],
                         ids=[case[0] for case in SHAPE_FAULTS])
def test_wrong_list_is_a_located_warning(shape_build, marker: str, message: str) -> None:
    _assert_located(*shape_build, marker, message)


def test_good_entries_still_make_the_menu(entry_build) -> None:
    _srcdir, built = entry_build
    page = built.page()
    nav = page[page.index("<nav"):page.index("</nav>")]
    for kept in ("Home", "Kids five", "Typo", "Grand"):
        assert f">{kept}<" in nav, kept
    # Entries whose URL is not a string are left out, not guessed.
    assert ">Url five<" not in nav and ">Url list<" not in nav
    assert "Home page text." in page and "<footer" in page


@pytest.mark.parametrize("case", sorted(WHOLE_FAULTS))
def test_options_of_the_wrong_type(tmp_path: Path, case: str) -> None:
    assignment, message = WHOLE_FAULTS[case]
    srcdir = _project(tmp_path / "src", assignment + "\n")
    built = build_once(srcdir)
    _assert_located(srcdir, built, "html_theme_options =", message)
    page = built.page()
    assert "Home page text." in page and "<footer" in page  # the theme's defaults
