"""The "On this page" list in a real browser (Debian's headless Chromium): beside the
text on a 1280 px screen, folded at the top on a 390 px phone, readable without script.
Screenshots are kept in ``test-artifacts/theme/``."""

from __future__ import annotations

import subprocess
import sys

import pytest
from browser import CHROMIUM, Chromium
from helpers import REPO, make_project

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")

ARTIFACTS = REPO / "test-artifacts" / "theme"
PARAGRAPH = "Shared data are seen, used and cited by researchers across the world. " * 6
PAGE = "---\ntitle: Sharing your data\ntoc: true\n---\n" + "".join(
    f"## Part {n}\n\n{PARAGRAPH}\n\n{PARAGRAPH}\n\n" for n in range(1, 7)
)

#: Where the list and the text are, and which of its two forms shows.
BOXES = """(() => {
  const box = s => { const e = document.querySelector(s); if (!e) return null;
    const r = e.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, width: r.width, height: r.height}; };
  return {side: box('.gbif-page-toc-side'), fold: box('.gbif-page-toc-fold'),
          text: box('#part-1 > p'), title: box('h1'), viewport: window.innerWidth,
          open: document.querySelector('.gbif-page-toc-fold').open,
          link: box('.gbif-page-toc-fold a[href="#part-6"]'),
          linkShown: document.querySelector('.gbif-page-toc-fold a[href="#part-6"]')
            .checkVisibility()};
})()"""


@pytest.fixture(scope="module")
def page_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("toc")
    srcdir = make_project(root / "src", {"index.md": PAGE}, "html_theme = 'gbifnode'\n")
    subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", str(srcdir),
                    str(root / "out")], check=True)
    return (root / "out" / "index.html").as_uri()


def test_beside_the_text_on_a_wide_screen(browser: Chromium, page_url: str) -> None:
    browser.javascript(False)
    browser.viewport(1280, 900)
    browser.navigate(page_url)
    boxes = browser.evaluate(BOXES)
    browser.screenshot(ARTIFACTS / "desktop-page-toc.png")
    side, text = boxes["side"], boxes["text"]
    assert boxes["fold"]["width"] == 0  # the folded form is hidden
    assert side["width"] > 150 and side["height"] > 100
    # In the right margin: beside the text, not over it, inside the window.
    assert side["left"] >= text["right"] + 16
    assert side["right"] <= boxes["viewport"]
    assert side["top"] < text["top"] + 100  # level with the top of the page


def test_folded_at_the_top_on_a_phone(browser: Chromium, page_url: str) -> None:
    browser.javascript(False)
    browser.viewport(390, 844, mobile=True)
    browser.navigate(page_url)
    boxes = browser.evaluate(BOXES)
    fold = boxes["fold"]
    assert boxes["side"]["width"] == 0 and not boxes["open"] and not boxes["linkShown"]
    assert fold["width"] > 300 and fold["right"] <= boxes["viewport"]
    assert boxes["title"]["top"] < fold["top"] < boxes["text"]["top"] < 844
    browser.click(".gbif-page-toc-fold > summary")
    opened = browser.evaluate(BOXES)
    browser.screenshot(ARTIFACTS / "phone-page-toc-open.png")
    assert opened["open"] and opened["linkShown"] and opened["link"]["height"] > 0
    assert opened["link"]["right"] <= opened["viewport"]
