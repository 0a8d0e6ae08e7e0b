"""Private stand-in for ``project.load_project`` until the multilingual work reaches main.

Same shape as the shared helper: the languages of a Sphinx project are
``gbifnode_languages`` when conf.py sets it, else ``language`` plus the locale folders
found in ``locale_dirs`` (Sphinx's default ``locales``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .cli import CommandError


@dataclass
class Project:
    """A Sphinx project's multilingual layout (paths are absolute)."""

    srcdir: Path
    confdir: Path
    default_language: str
    languages: list[str]
    locale_dirs: list[Path]
    gettext_compact: bool | str

    @property
    def translated_languages(self) -> list[str]:
        """Every language but the default one."""
        return [lang for lang in self.languages if lang != self.default_language]

    def catalog_files(self, language: str) -> list[Path]:
        """Every ``.po`` of *language* in every locale dir."""
        found: list[Path] = []
        for locale_dir in self.locale_dirs:
            folder = locale_dir / language / "LC_MESSAGES"
            if folder.is_dir():
                found.extend(sorted(folder.rglob("*.po")))
        return found


def load_project(srcdir: str | Path) -> Project:
    """Read conf.py in *srcdir* as Sphinx does and return the project's languages."""
    from sphinx.config import eval_config_file
    from sphinx.errors import ConfigError
    from sphinx.util.tags import Tags

    source = Path(srcdir).resolve()
    conf_py = source / "conf.py"
    if not conf_py.is_file():
        raise CommandError(f"{srcdir}: no conf.py (give the source folder of a Sphinx project)")
    try:
        namespace = eval_config_file(conf_py, Tags())
    except ConfigError as exc:
        raise CommandError(f"{conf_py}: {exc}") from None
    default = str(namespace.get("language") or "en")
    raw_dirs = namespace.get("locale_dirs", ["locales"])
    if isinstance(raw_dirs, str):
        raw_dirs = [raw_dirs]
    locale_dirs = [(source / str(d)).resolve() for d in raw_dirs]
    configured = [str(lang) for lang in namespace.get("gbifnode_languages") or []]
    if configured:
        default, languages = configured[0], configured
    else:
        found = {
            child.name
            for d in locale_dirs if d.is_dir()
            for child in d.iterdir() if (child / "LC_MESSAGES").is_dir()
        }
        languages = [default, *sorted(found - {default})]
    compact = namespace.get("gettext_compact", True)
    return Project(
        srcdir=source,
        confdir=source,
        default_language=default,
        languages=languages,
        locale_dirs=locale_dirs,
        gettext_compact=compact if isinstance(compact, str) else bool(compact),
    )
