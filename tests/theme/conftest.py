"""Browser tests of this folder share one headless Chromium per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser import Chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    chromium = Chromium()
    try:
        yield chromium
    finally:
        chromium.close()
