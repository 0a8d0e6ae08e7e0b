"""Translated MyST builds without a wasted docutils set-up per message.

Sphinx's i18n transform parses every ``msgstr`` on its own. For each parse, MyST's
renderer evaluates ``options.get("document", make_document())``: the default is built
even though a document is always given, and building it means computing docutils'
default settings from scratch (an ``OptionParser`` over every settings spec). On a
120-page French site that was over a quarter of the whole build. The defaults never
change within a process, so they are computed once per parser class and each new
document gets its own copy. Nothing else about MyST changes; when MyST no longer has
this function, nothing is patched.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from docutils import nodes
from docutils.frontend import Values, get_default_settings
from docutils.utils import new_document


@cache
def _default_settings(parser_class: type) -> Values:
    return get_default_settings(parser_class)


def make_document(source_path: str = "notset", parser_cls: Any = None) -> nodes.document:
    """Same as ``myst_parser.mdit_to_docutils.base.make_document``, with the default
    settings computed once (each document still gets a settings object of its own)."""
    from myst_parser.mdit_to_docutils import base

    settings = _default_settings(parser_cls or base.RSTParser).copy()
    return new_document(source_path, settings=settings)


def setup(app: Any) -> None:
    try:
        from myst_parser.mdit_to_docutils import base
    except ImportError:  # MyST not installed: nothing to speed up
        return
    if callable(getattr(base, "make_document", None)) and hasattr(base, "RSTParser"):
        base.make_document = make_document
