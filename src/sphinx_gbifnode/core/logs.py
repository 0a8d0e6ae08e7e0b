"""The extension's logger, and its warnings, all of Sphinx warning type ``gbifnode``.

A user silences one kind with ``suppress_warnings = ["gbifnode.<subtype>"]`` in
``conf.py`` (``gbifnode.url``, ``gbifnode.gbif``, ...).
"""

from __future__ import annotations

import reprlib
from typing import Any

from sphinx.util import logging

logger = logging.getLogger("sphinx_gbifnode")

#: Wrong values quoted in warnings stay short, however large the list they hold.
_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother = 1, 60, 40
_SHORT.maxlist = _SHORT.maxdict = _SHORT.maxtuple = 4


def warn(message: str, *args: Any, subtype: str, location: Any = None) -> None:
    """Warn as ``gbifnode.<subtype>``, at *location* (a node, ``(docname, line)`` or a
    ``"path:line"`` string) when given."""
    logger.warning(message, *args, location=location, type="gbifnode", subtype=subtype)


def shown(value: Any) -> str:
    """A wrong value as a warning quotes it: a short ``repr`` and its type
    (``'ten' (str)``, ``[{...}, {...}] (list)``)."""
    return f"{_SHORT.repr(value)} ({type(value).__name__})"
