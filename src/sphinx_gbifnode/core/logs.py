"""The extension's logger, and its warnings, all of Sphinx warning type ``gbifnode``.

A user silences one kind with ``suppress_warnings = ["gbifnode.<subtype>"]`` in
``conf.py`` (``gbifnode.url``, ``gbifnode.gbif``, ...).
"""

from __future__ import annotations

from typing import Any

from sphinx.util import logging

logger = logging.getLogger("sphinx_gbifnode")


def warn(message: str, *args: Any, subtype: str, location: Any = None) -> None:
    """Warn as ``gbifnode.<subtype>``, at *location* (a node, ``(docname, line)`` or a
    ``"path:line"`` string) when given."""
    logger.warning(message, *args, location=location, type="gbifnode", subtype=subtype)
