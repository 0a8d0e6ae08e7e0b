"""Shared set-up of the fault-and-attack suite: one real Sphinx build per group of cases.

A group (every payload in one surface, every wrong theme option...) is written into one
project and built once per module; each case is then its own test id asserting on that
build's HTML and warnings, so the counts stay meaningful and the suite stays fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

from helpers import build
from sphinx.testing.util import SphinxTestApp


def make_app(*args: Any, **kwargs: Any) -> SphinxTestApp:
    """``make_app`` for module-scoped builds (the sphinx.testing fixture is per test)."""
    kwargs.setdefault("status", StringIO())
    kwargs.setdefault("warning", StringIO())
    return SphinxTestApp(*args, **kwargs)


@dataclass
class Built:
    """One finished build: its output folder and its warnings (colours removed)."""

    outdir: Path
    warnings: str

    def page(self, docname: str = "index") -> str:
        return (self.outdir / f"{docname}.html").read_text(encoding="utf-8")


def build_once(srcdir: Path, builder: str = "html", **kwargs: Any) -> Built:
    """Build *srcdir* with a fresh Sphinx application (``language`` through
    ``confoverrides``) and return its output and warnings."""
    app = build(make_app, srcdir, builder, **kwargs)
    warnings = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    return Built(Path(app.outdir), warnings)


def line_of(path: Path, marker: str) -> int:
    """The 1-based line of *path* holding *marker* (exactly one must)."""
    text = path.read_bytes().decode("utf-8", errors="replace")  # also other charsets
    found = [n for n, line in enumerate(text.splitlines(), 1) if marker in line]
    assert len(found) == 1, (marker, found)
    return found[0]
