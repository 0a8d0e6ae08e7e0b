"""The front-matter ``title`` as the page's title, for pages written the hosted-portal way.

A Jekyll layout prints the front-matter ``title`` as the page heading, so hosted-portal
pages start their body at ``##``. MyST would make each ``##`` a top-level section (one
``myst.header`` warning each) and the page would have no title of its own. For a MyST
page whose front matter has a ``title`` and whose body has no level-1 heading, the page
is read with MyST's ``title_to_header``: the title becomes the page's heading (its
``<title>``, its entry in the navigation, a message of its ``.po``) and the ``##``
headings its sections. Pages with a level-1 heading are read as written.
"""

from __future__ import annotations

import dataclasses
import re
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from docutils import nodes
from sphinx.transforms import SphinxTransform

from .core.logs import warn
from .core.sanitize import sanitize_untrusted

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Set in ``env.temp_data`` while a page whose title comes from its front matter is read.
TITLE_FROM_FRONT_MATTER = "gbifnode_title_from_front_matter"
#: The build's MyST settings while such a page is read (given back when it is read).
_BUILD_CONFIG = "gbifnode_build_myst_config"

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,}|:{3,})")
_ATX_H1 = re.compile(r"^ {0,3}#(?:[ \t]|$)")
_SETEXT_H1 = re.compile(r"^ {0,3}=+[ \t]*$")
_TITLE_KEY = re.compile(r"^title\s*:")


#: libyaml's loader where PyYAML has it: front matter is read once more per page here.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def front_matter(lines: list[str]) -> tuple[dict[str, Any], int] | None:
    """The front matter of a MyST page (its lines) and the number of lines it takes,
    when it has a ``title`` key; else None (also for YAML MyST reports itself)."""
    if not lines or lines[0].rstrip() != "---":
        return None
    for end in range(1, len(lines)):
        if lines[end].rstrip() == "---":
            break
    else:
        return None
    if not any(_TITLE_KEY.match(line) for line in lines[1:end]):
        return None  # most pages: no YAML to read
    try:
        data = yaml.load("\n".join(lines[1:end]), Loader=_LOADER)
    except yaml.YAMLError:
        return None
    return (data, end + 1) if isinstance(data, dict) else None


def level_one_heading(lines: list[str], start: int) -> int | None:
    """The line number (from 1) of the first level-1 heading (``# Title`` or a title
    underlined with ``===``) from line index *start* on, outside code and directive
    fences; None when there is none."""
    fence = ""
    previous = ""
    for index in range(start, len(lines)):
        line = lines[index]
        opening = _FENCE.match(line)
        if fence:
            if opening and opening[1][0] == fence[0] and len(opening[1]) >= len(fence) \
                    and not line.strip()[len(opening[1]):].strip():
                fence = ""
            previous = ""
            continue
        if opening:
            fence, previous = opening[1], ""
            continue
        if _ATX_H1.match(line):
            return index + 1
        if previous.strip() and _SETEXT_H1.match(line) and not _ATX_H1.match(previous):
            return index
        previous = line
    return None


def _title_line(lines: list[str], end: int) -> int:
    for index in range(1, end):
        if _TITLE_KEY.match(lines[index]):
            return index + 1
    return 1


def _is_myst(app: Sphinx, docname: str) -> bool:
    suffix = Path(app.env.doc2path(docname)).suffix
    return app.config.source_suffix.get(suffix) == "markdown" and hasattr(app.env, "myst_config")


_TITLE_CONFIGS: weakref.WeakKeyDictionary[Sphinx, tuple[Any, Any]] = (
    weakref.WeakKeyDictionary()
)


def _with_title_to_header(app: Sphinx, config: Any) -> Any:
    """The build's MyST settings with ``title_to_header``: one object per build, so MyST
    parsers made for it are reused (i18n/myst_speed.py)."""
    made = _TITLE_CONFIGS.get(app)
    if made is None or made[0] is not config:
        made = (config, dataclasses.replace(config, title_to_header=True))
        _TITLE_CONFIGS[app] = made
    return made[1]


def _source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    env: Any = app.env  # MyST adds ``myst_config`` to it
    if not _is_myst(app, docname) or env.myst_config.title_to_header:
        return
    lines = source[0].splitlines()
    found = front_matter(lines)
    if found is None:
        return
    data, end = found
    title = data.get("title")
    if not isinstance(title, str | int | float) or not str(title).strip():
        return
    heading = level_one_heading(lines, end)
    if heading is None:
        if "\n" in str(title).strip():
            return  # MyST would make the second line a paragraph, not part of the title
        env.temp_data[_BUILD_CONFIG] = env.myst_config
        env.temp_data[TITLE_FROM_FRONT_MATTER] = True
        env.myst_config = _with_title_to_header(app, env.myst_config)
        return
    # A front-matter hero shows the title on its banner (hero.py): no title is lost.
    if "background" in data and app.config.gbifnode_front_matter_hero:
        return
    warn(
        "front matter title %r is not shown: the page's title is its level-1 heading "
        "(line %d); remove one of them", str(title).strip(), heading,
        location=(docname, _title_line(lines, end)), subtype="front-matter",
    )


def _doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    _give_back(app.env)


def _give_back(env: Any) -> None:
    build_config = env.temp_data.pop(_BUILD_CONFIG, None)
    if build_config is not None:
        env.myst_config = build_config


def title_section(document: nodes.document) -> nodes.section | None:
    """The page's top section when its title comes from the front matter, else None."""
    env = getattr(document.settings, "env", None)
    if env is None or not env.temp_data.get(TITLE_FROM_FRONT_MATTER):
        return None
    for child in document.children:
        if isinstance(child, nodes.section):
            return child
    return None


class SanitizeFrontMatterTitle(SphinxTransform):
    """What comes from front matter is text: raw HTML in the title MyST made from it is
    shown as written, an unsafe link is unwrapped (before the title is extracted or
    translated; a translation is checked on its own, i18n/translated_markup.py)."""

    default_priority = 10

    def apply(self, **kwargs: Any) -> None:
        section = title_section(self.document)
        if section is not None and section.children and isinstance(section[0], nodes.title):
            sanitize_untrusted(section[0])


def setup(app: Sphinx) -> None:
    """Read hosted-portal pages with their front-matter title as the page title."""
    app.connect("source-read", _source_read)
    app.add_transform(SanitizeFrontMatterTitle)
    # First, before anything else reads a page's settings after it is parsed.
    app.connect("doctree-read", _doctree_read, priority=1)
