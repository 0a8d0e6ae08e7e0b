"""Images of the directives (hero photos, partner logos) through Sphinx's image handling.

The directives put real :class:`docutils.nodes.image` nodes in the doctree, so Sphinx
copies local files into ``_images/``, applies ``figure_language_filename`` (the French
build picks ``hero.fr.jpg`` when it exists) and extracts ``alt`` text for translation.
The HTML visitors then write the ``<img>`` themselves to control ``loading``, classes
and the intrinsic ``width``/``height``.
"""

from __future__ import annotations

import posixpath
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.images import get_image_size

from .core.logs import warn
from .core.urls import is_remote, safe_url

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator


def make_image(
    env: BuildEnvironment,
    uri: str,
    alt: str,
    *,
    option: str,
    location: tuple[str, int] | str,
    classes: list[str],
) -> nodes.image | None:
    """Return an image node for *uri*, or ``None`` (with a warning) when the URI is not
    allowed (not http(s) nor a local path) or the local file does not exist."""
    checked = safe_url(uri)
    if checked is None:
        warn(
            "%s %r is not allowed: only http(s) URLs and local paths can be images",
            option,
            uri,
            location=location,
            subtype="url",
        )
        return None
    if not is_remote(checked):
        docname = env.docname
        _rel, absolute = env.relfn2path(checked, docname)
        if not _image_exists(env, absolute):
            warn(
                "%s: image file not found: %s",
                option,
                checked,
                location=location,
                subtype="image",
            )
            return None
    node = nodes.image(uri=checked, alt=alt, classes=classes)
    return node


def _image_exists(env: BuildEnvironment, absolute: str) -> bool:
    path = Path(absolute)
    if path.is_file():
        return True
    # ``figure_language_filename`` may provide only a localised file (``hero.fr.jpg``).
    stem, suffix = path.stem, path.suffix
    return any(path.parent.glob(f"{stem}.*{suffix}"))


def image_src(translator: HTML5Translator, node: nodes.image) -> str | None:
    """The ``src`` to write for *node*: the copied file under ``_images/`` for a local
    image, the URL itself for a remote one, ``None`` when Sphinx found no file."""
    uri: str = node["uri"]
    if is_remote(uri):
        return uri
    images = translator.builder.images
    if uri in images:
        return posixpath.join(translator.builder.imgpath, urllib.parse.quote(images[uri]))
    return None


def intrinsic_size(translator: HTML5Translator, node: nodes.image) -> tuple[int, int] | None:
    """Width and height of a local image file, read from its header (cheap)."""
    uri = node["uri"]
    if is_remote(uri):
        return None
    candidates: dict[str, str] = node.get("candidates") or {}
    candidate = candidates.get("*", uri)
    try:
        size = get_image_size(translator.builder.srcdir / candidate)
    except Exception:  # a broken image header must not stop the build
        return None
    if size is None:
        return None
    return int(size[0]), int(size[1])


def img_tag(translator: HTML5Translator, node: nodes.image, *, lazy: bool, extra_class: str) -> str:
    """An ``<img>`` start tag with escaped attributes, or ``""`` when there is no file."""
    src = image_src(translator, node)
    if src is None:
        return ""
    attributes: dict[str, str] = {"src": src, "alt": node.get("alt", "")}
    size = intrinsic_size(translator, node)
    if size is not None:
        attributes["width"], attributes["height"] = str(size[0]), str(size[1])
    attributes["loading"] = "lazy" if lazy else "eager"
    attributes["decoding"] = "async"
    # ``emptytag`` escapes every attribute value.
    return translator.emptytag(node, "img", "", CLASS=extra_class, **attributes)

