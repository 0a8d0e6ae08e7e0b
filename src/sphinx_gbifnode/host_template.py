"""A hosted site takes its look from its host's shared template, at build time.

A host (a Clearing-House serving several countries, see ``gbifnode host``) keeps one
template folder: a ``conf.py`` with the settings every site shares (theme, colours, menu,
footer, partner logos) and the files they name (``_static/``, ``_data/``). A site's own
``conf.py`` says ``gbifnode_template = "../../template"``; when it is read, every setting
of the template that the site does not set itself is taken from the template, so a change
to the template reaches every site at its next build. A site overrides any of them by
setting it; for ``html_theme_options`` a site's keys replace the template's one by one.

Paths in the template are relative to the template folder: its ``_static`` joins the
site's static folders (the site's own files win), and files the theme options name
(``logo``, partner logos) are found there. ``partner-grid :data:`` files not in the site
are looked up in the template too.
"""

from __future__ import annotations

import types
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .core.logs import warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

CONFIG_NAME = "gbifnode_template"
TEMPLATE_CONF = "conf.py"
#: Settings a template cannot give: they are read before any extension runs, or they
#: are what makes each site its own.
NOT_SHARED = frozenset({
    "extensions", "language", "project", "gbifnode_languages", "gbifnode_template",
    "gbifnode_data_dir", "root_doc", "master_doc", "exclude_patterns", "locale_dirs",
    "needs_sphinx", "needs_extensions",
})
#: Settings whose values are folders or files relative to the conf.py that sets them.
PATH_LISTS = ("html_static_path", "html_extra_path", "templates_path")


def template_dir(config: Config, confdir: str | Path = "") -> Path | None:
    """The template folder a site names, resolved from its conf.py folder (*confdir*),
    or None. Once the configuration is read, the setting holds the resolved path."""
    value = getattr(config, CONFIG_NAME, None)
    if not value:
        return None
    return (Path(confdir) / str(value)).resolve()


def read_template(conf_path: Path) -> dict[str, Any]:
    """The settings a template's ``conf.py`` defines (run as Sphinx runs a conf.py)."""
    from sphinx.config import eval_config_file
    from sphinx.util.tags import Tags

    namespace = eval_config_file(conf_path, Tags())
    return {
        name: value for name, value in namespace.items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
        and not callable(value)
    }


def _apply_template(app: Sphinx, config: Config) -> None:
    folder = template_dir(config, app.confdir)
    if folder is None:
        return
    # Absolute from now on: directives read it without knowing the conf.py folder.
    config[CONFIG_NAME] = str(folder)
    conf_path = folder / TEMPLATE_CONF
    site_conf = Path(app.confdir, "conf.py")
    if not conf_path.is_file():
        warn("gbifnode_template: %s has no conf.py; the site is built without its host's "
             "template", str(folder), subtype="template", location=_line(site_conf, CONFIG_NAME))
        return
    try:
        shared = read_template(conf_path)
    except Exception as exc:  # a template the host broke must not stop every site
        warn("the template's conf.py cannot be read (%s); the site is built without it",
             exc, subtype="template", location=f"{conf_path}:1")
        return
    own: dict[str, Any] = getattr(config, "_raw_config", {})
    for name, value in shared.items():
        if name in NOT_SHARED or name not in config.values:
            continue
        if name in PATH_LISTS:
            # The template's folders first: Sphinx copies in order, the site's files win.
            theirs = [str(folder / path) for path in value]
            config[name] = theirs + [p for p in (own.get(name) or []) if p not in theirs]
        elif name == "html_theme_options" and isinstance(value, dict):
            mine = own.get(name)
            config[name] = {**value, **mine} if isinstance(mine, dict) else dict(value)
        elif name not in own:
            config[name] = value


def _line(conf_path: Path, name: str) -> str:
    try:
        for number, text in enumerate(conf_path.read_text(encoding="utf-8").splitlines(), 1):
            if text.lstrip().startswith(name):
                return f"{conf_path}:{number}"
    except OSError:
        pass
    return f"{conf_path}:1"


def options_source(app: Sphinx) -> Path | None:
    """The ``conf.py`` the theme options come from: the template's when the site sets
    none of its own (so a warning names the template file and line)."""
    folder = template_dir(app.config)
    own: dict[str, Any] = getattr(app.config, "_raw_config", {})
    if folder is not None and "html_theme_options" not in own:
        conf_path = folder / TEMPLATE_CONF
        if conf_path.is_file():
            return conf_path
    return Path(app.confdir, "conf.py") if app.confdir else None


def shared_file(config: Config, relative: str) -> Path | None:
    """*relative* (a path from the source folder) in the template folder, when the site
    has a template and the file is there; None otherwise."""
    folder = template_dir(config)
    if folder is None:
        return None
    candidate = (folder / relative.lstrip("/")).resolve()
    if folder in candidate.parents and candidate.is_file():
        return candidate
    return None


def setup(app: Sphinx) -> None:
    app.add_config_value(CONFIG_NAME, None, "env", (str, type(None)))
    # Before every other reader of the configuration (the theme, the GBIF settings).
    app.connect("config-inited", _apply_template, priority=100)
