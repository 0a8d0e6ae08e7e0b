"""Language discovery: gbifnode_languages, or ``language`` plus the locale folders found."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from helpers import copy_root

from sphinx_gbifnode.core.errors import CommandError
from sphinx_gbifnode.i18n.project import load_project


def test_plain_sphinx_intl_project(tmp_path: Path) -> None:
    srcdir = copy_root("intl", tmp_path / "src")
    # A language shipped only as committed .mo files (no .po) counts too.
    mo_dir = srcdir / "locale" / "nl" / "LC_MESSAGES"
    mo_dir.mkdir(parents=True)
    buffer = BytesIO()
    write_mo(buffer, Catalog(locale="nl"))
    (mo_dir / "index.mo").write_bytes(buffer.getvalue())
    # A folder without catalogues is not a language.
    (srcdir / "locale" / "de" / "LC_MESSAGES").mkdir(parents=True)

    project = load_project(srcdir)
    assert project.languages == ["en", "fr", "nl"]
    assert project.default_language == "en"
    assert project.translated_languages == ["fr", "nl"]
    assert project.locale_dirs == [srcdir.resolve() / "locale"]
    assert project.gettext_compact is True
    assert project.uses_extension is False
    assert project.languages_configured is False
    assert project.html_baseurl == "https://intl.example.org/"
    assert project.catalog_dir("fr") == srcdir.resolve() / "locale" / "fr" / "LC_MESSAGES"
    assert [p.name for p in project.catalog_files("fr")] == [
        "about.po", "guide.po", "index.po", "sphinx.po"
    ]


def test_configured_languages_win(tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text(
        'extensions = ["sphinx_gbifnode"]\ngbifnode_languages = ["fr", "en"]\n'
        'gettext_compact = False\nlocale_dirs = ["../locales"]\n'
    )
    project = load_project(tmp_path)
    assert project.languages == ["fr", "en"]
    assert project.default_language == "fr"
    assert project.gettext_compact is False
    assert project.uses_extension is True
    assert project.locale_dirs == [tmp_path.parent.resolve() / "locales"]


def test_language_contradicting_gbifnode_languages(tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text('language = "en"\ngbifnode_languages = ["fr", "en"]\n')
    with pytest.raises(CommandError, match="first of gbifnode_languages"):
        load_project(tmp_path)


def test_folder_without_conf_py(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"has no conf\.py"):
        load_project(tmp_path)


def test_conf_py_that_fails(tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text("import does_not_exist_anywhere\n")
    with pytest.raises(CommandError, match=r"conf\.py"):
        load_project(tmp_path)
