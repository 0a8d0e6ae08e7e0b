"""The built docs in a real browser: Debian's Chromium, headless, with axe-core.

Needs ``/usr/bin/chromium`` and ``tests/.browser/node_modules/axe-core`` (``.ci/run``
installs both: ``apt-get install chromium`` and ``npm ci`` in ``tests/.browser``);
skipped otherwise. Screenshots are kept in ``test-artifacts/theme/``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from browser import CHROMIUM, Chromium
from helpers import REPO

ROOT = REPO
AXE = ROOT / "tests" / ".browser" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts" / "theme"

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
    pytest.mark.skipif(not AXE.exists(), reason="axe-core not installed (npm ci in tests/.browser)"),
]

DESKTOP = (1280, 900)
PHONE = (390, 844)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The docs built in English and French side by side, as ``gbifnode build`` lays
    them out (``OUT/en``, ``OUT/fr``)."""
    out = tmp_path_factory.mktemp("site")
    for language in ("en", "fr"):
        subprocess.run(
            [sys.executable, "-m", "sphinx", "-q", "-b", "html", "-D", f"language={language}",
             "-d", str(out / f".doctrees-{language}"), str(ROOT / "docs"), str(out / language)],
            check=True,
        )
    return out


def url(site: Path, page: str) -> str:
    return (site / page).as_uri()


def axe_violations(browser: Chromium) -> list[dict[str, object]]:
    browser.evaluate(AXE.read_text(encoding="utf-8"))
    return browser.evaluate(
        "axe.run(document).then(r => r.violations.map(v => ({id: v.id, impact: v.impact,"
        " help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))"
    )


def test_no_serious_accessibility_violations(browser: Chromium, site: Path) -> None:
    """axe-core on every page of the docs, in both languages."""
    browser.javascript(True)
    browser.viewport(*DESKTOP)
    pages = sorted(p.relative_to(site).as_posix() for p in site.glob("*/*.html"))
    assert "en/index.html" in pages and "fr/search.html" in pages
    assert "en/charts.html" in pages and "fr/charts.html" in pages  # the chart gallery
    found = {}
    for page in pages:
        browser.navigate(url(site, page))
        serious = [v for v in axe_violations(browser) if v["impact"] in ("serious", "critical")]
        if serious:
            found[page] = serious
    assert not found, json.dumps(found, indent=2)


def test_desktop_and_phone_screenshots(browser: Chromium, site: Path) -> None:
    browser.javascript(True)
    for page in ("index", "theme"):
        browser.viewport(*DESKTOP)
        browser.navigate(url(site, f"en/{page}.html"))
        browser.screenshot(ARTIFACTS / f"desktop-{page}.png")
        # The hero spans the window, right under the navbar.
        if page == "index":
            hero = browser.evaluate(
                "(() => { const h = document.querySelector('.gbif-hero').getBoundingClientRect();"
                " const n = document.querySelector('.gbif-header').getBoundingClientRect();"
                " return {left: h.left, width: h.width, top: h.top, navBottom: n.bottom,"
                " window: document.documentElement.clientWidth}; })()"
            )
            assert hero["left"] == 0 and hero["width"] == hero["window"], hero
            assert hero["top"] == hero["navBottom"], hero
        browser.viewport(*PHONE, mobile=True)
        browser.navigate(url(site, f"en/{page}.html"))
        browser.screenshot(ARTIFACTS / f"phone-{page}.png")
        overflow = browser.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, "the page scrolls sideways on a phone"
    for name in ("desktop-index", "desktop-theme", "phone-index", "phone-theme"):
        assert (ARTIFACTS / f"{name}.png").stat().st_size > 1000


def test_phone_menu_opens_and_closes(browser: Chromium, site: Path) -> None:
    browser.javascript(True)
    browser.viewport(*PHONE, mobile=True)
    browser.navigate(url(site, "en/theme.html"))
    visible = "(() => { const m = document.getElementById('gbif-menu');" \
              " return m.getBoundingClientRect().height > 0; })()"
    assert browser.evaluate(visible) is False
    browser.click(".gbif-menu-toggle")
    assert browser.evaluate(visible) is True
    assert browser.evaluate(
        "document.querySelector('.gbif-menu-toggle').getAttribute('aria-expanded')") == "true"
    browser.screenshot(ARTIFACTS / "phone-menu-open.png")
    # A dropdown of the menu opens with a tap and lists its links.
    browser.click(".gbif-dropdown > summary")
    assert browser.evaluate("document.querySelector('.gbif-dropdown').open") is True
    assert browser.evaluate(
        "document.querySelector('.gbif-dropdown-list a').getBoundingClientRect().height > 0")
    browser.click(".gbif-menu-toggle")
    assert browser.evaluate(visible) is False


def test_pages_are_usable_without_javascript(browser: Chromium, site: Path) -> None:
    browser.javascript(False)  # page scripts off; DevTools can still read the layout
    try:
        browser.viewport(*PHONE, mobile=True)
        browser.navigate(url(site, "en/index.html"))
        browser.screenshot(ARTIFACTS / "phone-index-no-js.png")
        # No script: the menu button stays hidden and the menu is simply open.
        assert browser.evaluate("document.querySelector('.gbif-menu-toggle').hidden") is True
        assert browser.evaluate(
            "document.getElementById('gbif-menu').getBoundingClientRect().height") > 100
        assert browser.evaluate(
            "document.querySelector('.gbif-hero-title').getBoundingClientRect().height") > 0
    finally:
        browser.javascript(True)


def test_print_leaves_out_the_menus(browser: Chromium, site: Path) -> None:
    browser.javascript(True)
    browser.viewport(*DESKTOP)
    browser.navigate(url(site, "en/index.html"))
    browser.send("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        style = browser.evaluate(
            "(() => { const s = q => getComputedStyle(document.querySelector(q));"
            " return {menu: s('.gbif-menu').display, pager: s('.gbif-pager').display,"
            " panel: s('.gbif-hero-content').backgroundColor,"
            " title: s('.gbif-hero-title').color}; })()"
        )
        browser.screenshot(ARTIFACTS / "print-index.png")
    finally:
        browser.send("Emulation.setEmulatedMedia", {"media": ""})
    assert style["menu"] == "none" and style["pager"] == "none", style
    # Black text on the paper, no dark panel.
    assert style["panel"] == "rgba(0, 0, 0, 0)" and style["title"] == "rgb(0, 0, 0)", style


def test_skip_link_is_first_and_visible_on_focus(browser: Chromium, site: Path) -> None:
    browser.javascript(True)
    browser.viewport(*DESKTOP)
    browser.navigate(url(site, "en/index.html"))
    browser.press_tab()
    focused = browser.evaluate(
        "(() => { const e = document.activeElement; const r = e.getBoundingClientRect();"
        " const s = getComputedStyle(e);"
        " return {cls: e.className, top: r.top, outline: s.outlineStyle}; })()"
    )
    assert focused["cls"] == "gbif-skip-link" and focused["top"] >= 0, focused
    assert focused["outline"] != "none", focused
    browser.screenshot(ARTIFACTS / "desktop-skip-link.png")


@pytest.mark.parametrize(("language", "query", "page"), [
    ("en", "community", "community.html"),
    ("fr", "communauté", "community.html"),
])
def test_search_finds_pages_in_the_page_language(
    browser: Chromium, site: Path, language: str, query: str, page: str
) -> None:
    browser.javascript(True)
    browser.viewport(*DESKTOP)
    browser.navigate(url(site, f"{language}/index.html"))
    # Through the navbar's search box, as a visitor would.
    browser.evaluate(f"document.getElementById('gbif-search-input').value = {json.dumps(query)}")
    browser.click(".gbif-search button")
    browser.wait_for_event("Page.loadEventFired")
    assert browser.evaluate("location.pathname").endswith(f"/{language}/search.html")
    # Results arrive one by one; the summary line is written when the search is done.
    browser.wait_until(
        "(document.querySelector('#search-results p.search-summary') || {}).innerText"
    )
    links = browser.evaluate(
        "Array.from(document.querySelectorAll('#search-results li a'))"
        ".map(a => a.getAttribute('href')).join(' ')"
    )
    assert page in links, links
    assert browser.evaluate("document.documentElement.lang") == language


def test_language_switcher_lands_on_the_same_page_in_french(
    browser: Chromium, site: Path
) -> None:
    browser.javascript(True)
    browser.viewport(*DESKTOP)
    browser.navigate(url(site, "en/community.html"))
    if not browser.evaluate("document.querySelector('.gbif-languages a[hreflang=\"fr\"]') !== null"):
        pytest.skip("no language links on the page (the multilingual module is not merged)")
    browser.click('.gbif-languages a[hreflang="fr"]')
    browser.wait_for_event("Page.loadEventFired")
    assert browser.evaluate("location.href") == url(site, "fr/community.html")
    assert browser.evaluate("document.documentElement.lang") == "fr"
    assert browser.evaluate(
        "document.querySelector('.gbif-languages [aria-current]').getAttribute('lang')") == "fr"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_charts_are_named_images_with_their_numbers_at_hand(
    browser: Chromium, site: Path, language: str
) -> None:
    """Each chart is one image whose accessible name is its title and whose description
    names its largest values; the table of numbers opens from the keyboard."""
    browser.javascript(True)
    browser.viewport(*DESKTOP)
    browser.navigate(url(site, f"{language}/charts.html"))
    charts = browser.evaluate(
        "Array.from(document.querySelectorAll('figure.gbif-chart svg[role=img]')).map(s => {"
        " const t = document.getElementById(s.getAttribute('aria-labelledby'));"
        " const d = document.getElementById(s.getAttribute('aria-describedby'));"
        " const r = s.getBoundingClientRect();"
        " return {title: t && t.textContent, desc: d && d.textContent,"
        "   inside: t && t.parentNode === s && d.parentNode === s,"
        "   width: r.width, height: r.height}; })"
    )
    assert len(charts) == 7, charts
    for chart in charts:
        assert chart["title"] and chart["desc"] and chart["inside"], chart
        assert 300 < chart["width"] <= 700 and chart["height"] > 100, chart
    # The browser's own accessibility tree: one image named by the title.
    document = browser.send("DOM.getDocument")
    node = browser.send("DOM.querySelector", {"nodeId": document["root"]["nodeId"],
                                              "selector": "figure.gbif-chart svg"})
    tree = browser.send("Accessibility.getPartialAXTree",
                        {"nodeId": node["nodeId"], "fetchRelatives": False})
    image = tree["nodes"][0]
    assert image["role"]["value"] == "image"
    assert image["name"]["value"] == charts[0]["title"]
    assert image["description"]["value"] == charts[0]["desc"], image
    assert charts[0]["title"] == {"en": "Occurrences in Belgium by year",
                                  "fr": "Occurrences en Belgique par année"}[language]
    # "Show the numbers" opens the table.
    browser.click("figure.gbif-chart details > summary")
    rows = browser.evaluate(
        "(() => { const t = document.querySelector('figure.gbif-chart details table');"
        " return t.getBoundingClientRect().height > 0 ? t.tBodies[0].rows.length : 0; })()"
    )
    assert rows == 36  # 1990 to 2025
    browser.screenshot(ARTIFACTS / f"desktop-charts-{language}.png", full_page=True)
    # A phone: the charts shrink with the column, nothing scrolls sideways.
    browser.viewport(*PHONE, mobile=True)
    browser.navigate(url(site, f"{language}/charts.html"))
    overflow = browser.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, "the chart page scrolls sideways on a phone"
    browser.screenshot(ARTIFACTS / f"phone-charts-{language}.png")
