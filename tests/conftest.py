"""Test set-up: real Sphinx projects from ``tests/roots/test-*`` (sphinx.testing)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest_plugins = ("sphinx.testing.fixtures", "gbif_server")

ROOTS = Path(__file__).parent / "roots"


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` (real GBIF responses, real hosted-portal sites): skip when unset."""
    value = os.environ.get("GBIFNODE_SHARED")
    if not value:
        pytest.skip("GBIFNODE_SHARED is not set (real-corpus tests need ../shared)")
    path = Path(value)
    if not path.is_dir():
        pytest.skip(f"GBIFNODE_SHARED={value} is not a directory")
    return path
