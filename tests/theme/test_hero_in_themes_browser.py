"""The hero's text sits inside the photo, with its padding, in every supported theme.

Measured in a real browser (Debian's headless Chromium): the distance from the banner's
edge to its title, description and buttons. Themes with their own CSS for headings,
paragraphs and sections (furo, pydata-sphinx-theme) once pulled the text onto the
photo's left edge.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from browser import CHROMIUM, Chromium
from helpers import REPO, make_project

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")

THEMES = ["alabaster", "furo", "pydata_sphinx_theme", "sphinx_rtd_theme", "gbifnode"]
ARTIFACTS = REPO / "test-artifacts" / "hero"
#: The hero's padding is 2rem; a theme may change the root font size a little.
MIN_OFFSET = 16

PAGE = """\
# Home

:::{hero} Sharing biodiversity data
:image: _static/hero.png
:alt: A green field
:licence: Photo by a node member, CC BY 4.0
:height: 320px
:cta-primary: Explore the data <https://www.gbif.org/occurrence/search>

Data from our country, open to everyone.
:::

Some text below.
"""


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    built = {}
    for theme in THEMES:
        root = make_project(tmp_path_factory.mktemp(theme) / "src", {"index.md": PAGE},
                            f'html_theme = "{theme}"\ngbifnode_offline = True\n')
        out = root.parent / "out"
        subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", str(root), str(out)],
                       check=True)
        built[theme] = out
    return built


MEASURE = """(() => {
  const hero = document.querySelector('.gbif-hero');
  if (!hero) return null;
  const box = hero.getBoundingClientRect();
  const parts = {};
  for (const [name, selector] of [['title', '.gbif-hero-title'],
      ['text', '.gbif-hero-description p'], ['button', '.gbif-button']]) {
    const element = hero.querySelector(selector);
    if (!element) { parts[name] = null; continue; }
    const range = document.createRange();
    range.selectNodeContents(element);
    const r = range.getBoundingClientRect();
    parts[name] = {left: r.left - box.left, right: box.right - r.right,
                   top: r.top - box.top, bottom: box.bottom - r.bottom};
  }
  return parts;
})()"""


@pytest.mark.parametrize("theme", THEMES)
def test_hero_text_keeps_its_padding(browser: Chromium, sites: dict[str, Path], theme: str) -> None:
    browser.javascript(True)
    browser.viewport(1280, 900)
    browser.navigate((sites[theme] / "index.html").as_uri())
    parts = browser.evaluate(MEASURE)
    browser.screenshot(ARTIFACTS / f"{theme}.png")
    assert parts, "no hero on the page"
    for name, offsets in parts.items():
        assert offsets is not None, f"{theme}: no {name} in the hero"
        assert offsets["left"] >= MIN_OFFSET, f"{theme}: {name} is {offsets['left']:.0f}px from the left edge"
        assert offsets["right"] >= 0 and offsets["top"] >= 0 and offsets["bottom"] >= 0, (
            f"{theme}: {name} is outside the banner: {offsets}"
        )
