"""sphinx-gbifnode: Sphinx extension and tools for multilingual GBIF node websites."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
#: Raise it when a node class saved in doctrees moves or changes: Sphinx then reads every
#: page again instead of loading doctrees an earlier version wrote. 1: the package's
#: modules moved into subpackages (``embeds`` -> ``gbif.html``, ``multilang`` ->
#: ``i18n.notice``, ...).
ENV_VERSION = 1

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directives, transforms, config values and message catalogue."""
    from .extension import setup_extension

    setup_extension(app)
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
