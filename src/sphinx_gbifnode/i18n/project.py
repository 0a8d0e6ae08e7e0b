"""What a Sphinx project is made of, as the ``gbifnode`` commands need it.

:func:`load_project` reads ``conf.py`` the way Sphinx does and answers: which languages
does this site have, where are their catalogues, how are pages grouped into catalogues.
It works on any sphinx-intl project, including one whose ``conf.py`` never mentions
sphinx-gbifnode: then the languages are ``language`` plus the locale folders found.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import CommandError
from ..core.locale import split_languages

#: Extension module name, as written in ``extensions``.
EXTENSION = "sphinx_gbifnode"
#: Sphinx's defaults, used when conf.py does not set the value.
DEFAULT_LANGUAGE = "en"
DEFAULT_LOCALE_DIRS = ("locales",)


@dataclass
class Project:
    """A Sphinx project's multilingual layout (paths are absolute)."""

    srcdir: Path
    confdir: Path
    default_language: str
    #: Every language of the site, the default first.
    languages: list[str]
    #: ``locale_dirs`` resolved against the source directory, as Sphinx does.
    locale_dirs: list[Path]
    #: ``gettext_compact``: True (one catalogue per top folder), False (one per page) or
    #: a string (one catalogue of that name for the whole site).
    gettext_compact: bool | str
    #: ``extensions`` as conf.py lists them.
    extensions: list[str] = field(default_factory=list)
    #: Whether conf.py itself loads sphinx-gbifnode (else ``gbifnode build`` adds it).
    uses_extension: bool = False
    #: ``html_baseurl`` (empty when unset).
    html_baseurl: str = ""
    #: ``project`` (the site's name).
    name: str = ""
    #: Whether the languages were given by ``gbifnode_languages`` (else discovered).
    languages_configured: bool = False

    @property
    def translated_languages(self) -> list[str]:
        """Every language but the default one: those that have catalogues."""
        return [lang for lang in self.languages if lang != self.default_language]

    def catalog_dir(self, language: str) -> Path:
        """``<locale dir>/<language>/LC_MESSAGES`` where the catalogues of *language* live:
        the first locale dir that has that language, else the first locale dir."""
        for locale_dir in self.locale_dirs:
            candidate = locale_dir / language / "LC_MESSAGES"
            if candidate.is_dir():
                return candidate
        base = self.locale_dirs[0] if self.locale_dirs else self.srcdir / "locales"
        return base / language / "LC_MESSAGES"

    def catalog_files(self, language: str, suffix: str = ".po") -> list[Path]:
        """Every catalogue file of *language* (``.po`` by default) in every locale dir."""
        found: list[Path] = []
        for locale_dir in self.locale_dirs:
            folder = locale_dir / language / "LC_MESSAGES"
            if folder.is_dir():
                found.extend(sorted(folder.rglob(f"*{suffix}")))
        return found

    def has_locale_folder(self, language: str) -> bool:
        """Whether any locale dir has ``<language>/LC_MESSAGES``."""
        return any((d / language / "LC_MESSAGES").is_dir() for d in self.locale_dirs)


def discover_languages(
    default_language: str, locale_dirs: Iterable[Path]
) -> list[str]:
    """``language`` first, then every folder of the locale dirs that holds catalogues
    (``<lang>/LC_MESSAGES/*.po`` or committed ``*.mo``), sorted."""
    found: set[str] = set()
    for locale_dir in locale_dirs:
        if not locale_dir.is_dir():
            continue
        for child in locale_dir.iterdir():
            messages = child / "LC_MESSAGES"
            if not messages.is_dir():
                continue
            if any(messages.rglob("*.po")) or any(messages.rglob("*.mo")):
                found.add(child.name)
    found.discard(default_language)
    return [default_language, *sorted(found)]


def conf_py_of(confdir: Path) -> Path:
    """``confdir/conf.py``; a clear error when the folder has none."""
    conf_py = confdir / "conf.py"
    if not conf_py.is_file():
        raise CommandError(
            f"{confdir} has no conf.py: give the source folder of a Sphinx project "
            "(the folder with conf.py), or create one with `gbifnode init`"
        )
    return conf_py


def read_conf(confdir: Path) -> dict[str, Any]:
    """Run ``conf.py`` as Sphinx does and return its namespace."""
    from sphinx.config import eval_config_file
    from sphinx.errors import ConfigError
    from sphinx.util.tags import Tags

    conf_py = conf_py_of(confdir)
    try:
        return eval_config_file(conf_py, Tags())
    except ConfigError as exc:
        raise CommandError(f"{conf_py}: {exc}") from None


def load_project(srcdir: str | Path, confdir: str | Path | None = None) -> Project:
    """Read the project in *srcdir* (``conf.py`` in *confdir*, default *srcdir*).

    Languages: ``gbifnode_languages`` when conf.py sets it (first = default), else
    ``language`` (Sphinx's default ``en``) plus the locale folders found.
    Raises :class:`~sphinx_gbifnode.core.errors.CommandError` for a folder without conf.py or
    a conf.py that does not run.
    """
    source = Path(srcdir).resolve()
    if not source.is_dir():
        raise CommandError(f"{srcdir}: no such folder")
    config_folder = Path(confdir).resolve() if confdir is not None else source
    namespace = read_conf(config_folder)

    default_language = str(namespace.get("language") or DEFAULT_LANGUAGE)
    raw_dirs = namespace.get("locale_dirs", list(DEFAULT_LOCALE_DIRS))
    if isinstance(raw_dirs, str):
        raw_dirs = [raw_dirs]
    # Sphinx resolves locale_dirs against the source directory, not conf.py's folder.
    locale_dirs = [(source / str(d)).resolve() for d in raw_dirs]
    compact = namespace.get("gettext_compact", True)
    gettext_compact: bool | str = compact if isinstance(compact, str) else bool(compact)

    configured = split_languages(namespace.get("gbifnode_languages"))
    if configured:
        languages = configured
        if "language" in namespace and languages[0] != default_language:
            raise CommandError(
                f"{config_folder / 'conf.py'}: language = {default_language!r} but "
                f"gbifnode_languages starts with {languages[0]!r}; the first of "
                "gbifnode_languages is the default language"
            )
        default_language = languages[0]
    else:
        languages = discover_languages(default_language, locale_dirs)

    extensions = [str(ext) for ext in namespace.get("extensions", [])]
    return Project(
        srcdir=source,
        confdir=config_folder,
        default_language=default_language,
        languages=languages,
        locale_dirs=locale_dirs,
        gettext_compact=gettext_compact,
        extensions=extensions,
        uses_extension=EXTENSION in extensions,
        html_baseurl=str(namespace.get("html_baseurl") or ""),
        name=str(namespace.get("project") or ""),
        languages_configured=bool(configured),
    )


def select_languages(project: Project, wanted: str | None) -> list[str]:
    """The languages to build, in the site's order; unknown ones are a clear error."""
    if not wanted:
        return list(project.languages)
    requested = split_languages(wanted)
    unknown = [lang for lang in requested if lang not in project.languages]
    if unknown:
        how = (
            "gbifnode_languages in conf.py"
            if project.languages_configured
            else "`language` in conf.py plus the folders of locale_dirs"
        )
        raise CommandError(
            f"language(s) {', '.join(unknown)} not configured for {project.srcdir}; "
            f"the site's languages are {', '.join(project.languages)} (from {how})"
        )
    return [lang for lang in project.languages if lang in requested]


def translated_languages(project: Project, wanted: str | None) -> list[str]:
    """The non-default languages to work on; unknown ones are a clear error."""
    return [
        lang for lang in select_languages(project, wanted) if lang != project.default_language
    ]
