"""``gbifnode serve`` in a real browser: a page reloads itself after a save, at the place
the reader was, and shows the problems of a failed build over the last good page.
Needs Debian's headless Chromium (``/usr/bin/chromium``); skipped otherwise."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from browser import CHROMIUM, BrowserError, Chromium
from helpers import copy_root
from serving import replace_in, serving

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")


def wait_until(browser: Chromium, expression: str, timeout: float = 30) -> object:
    """Like ``browser.wait_until``, across the page reloading itself meanwhile."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = browser.evaluate(expression)
        except BrowserError:  # the page was being replaced
            value = None
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"still false after {timeout} s: {expression}")


def test_reload_keeps_the_place_and_failures_show_over_the_page(tmp_path: Path) -> None:
    srcdir = copy_root("multilang", tmp_path / "src")
    page = srcdir / "guide" / "intro.md"
    page.write_text(page.read_text(encoding="utf-8") + "".join(
        f"\nParagraph {n} of a long page.\n" for n in range(120)), encoding="utf-8")
    po = srcdir / "locales" / "fr" / "LC_MESSAGES" / "guide" / "intro.po"
    with serving(srcdir) as preview:
        browser = Chromium()
        try:
            browser.viewport(900, 600)
            browser.navigate(preview.url + "fr/guide/intro.html")
            wait_until(browser, "document.documentElement.dataset.gbifnodePreview === 'live'")
            assert browser.evaluate("window.scrollTo(0, 1800); window.readBefore = true; "
                                    "window.scrollY") == 1800

            # The translator saves: the page reloads by itself, at the same place.
            replace_in(po, "Lisez ceci d'abord.", "Lisez ceci en premier.")
            wait_until(browser, "!window.readBefore && "
                                "document.body.textContent.includes('Lisez ceci en premier.')")
            wait_until(browser, "document.readyState === 'complete'")
            assert browser.evaluate("window.scrollY") == 1800

            # A broken save: the problem over the page, in French, with file and line;
            # the page underneath is the last good one.
            replace_in(po, 'msgstr "Lisez ceci en premier."', 'msgstr "Lisez ceci')
            panel = wait_until(browser, "(() => { const p = document.querySelector("
                                        "'.gbifnode-preview-problems'); "
                                        "return p && p.textContent; })()")
            assert "L'aperçu n'a pas pu être mis à jour" in str(panel)
            assert f"{po}:10" in str(panel), panel
            assert browser.evaluate("document.body.textContent.includes('Lisez ceci en premier.')")

            # Fixed: the page reloads without the panel.
            replace_in(po, 'msgstr "Lisez ceci\n', 'msgstr "Lisez ceci enfin."\n')
            wait_until(browser, "document.body.textContent.includes('Lisez ceci enfin.') && "
                                "!document.querySelector('.gbifnode-preview-problems')")
        finally:
            browser.close()
