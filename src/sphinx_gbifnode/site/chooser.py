"""``OUT/index.html``: the page at the root of a multilingual site, which sends a visitor
to their language.

Plain links work without JavaScript; a small script picks the first of the browser's
languages the site has. The HTML is ``templates/chooser.html`` (Jinja2, escaping on).
"""

from __future__ import annotations

import gettext
import json
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from ..core.locale import LOCALE_DIR, MESSAGE_CATALOG, hreflang, language_name
from ..i18n.project import Project

TEMPLATES = Path(__file__).parent / "templates"

_ENVIRONMENT = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    keep_trailing_newline=True,
)


def choose_your_language(code: str) -> str:
    """The page's heading in language *code*, from the package's own catalogue."""
    translation = gettext.translation(
        MESSAGE_CATALOG, str(LOCALE_DIR), languages=[code], fallback=True
    )
    return translation.gettext("Choose your language")


def language_chooser(project: Project, root_targets: dict[str, str]) -> str:
    """``OUT/index.html``: plain links (no JavaScript needed) plus a script that picks
    the first of the browser's languages the site has. Only languages present in OUT
    (*root_targets*: language -> its home page) are offered."""
    choices = [
        {
            "hreflang": hreflang(code),
            "target": f"{code}/{root_targets[code]}",
            "name": language_name(code),
            "heading": choose_your_language(code),
        }
        for code in project.languages
        if code in root_targets
    ]
    targets = {choice["hreflang"].lower(): choice["target"] for choice in choices}
    # JSON inside <script>: nothing in the data may close the element.
    targets_json = Markup(json.dumps(targets).replace("</", "<\\/"))
    return _ENVIRONMENT.get_template("chooser.html").render(
        default_language=hreflang(project.default_language),
        title=project.name or "",
        choices=choices,
        targets_json=targets_json,
    )
