"""``gbifnode i18n update`` / ``stat``: translators' work kept, counts reported."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po
from helpers import copy_root

from sphinx_gbifnode.cli import main


def gbifnode(*argv: str | Path) -> int:
    return main([str(arg) for arg in argv])


def catalog(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def row(output: str, language: str) -> list[int]:
    numbers = r"\s+(\d+)" * 6
    match = re.search(rf"^{language}{numbers}$", output, re.M)
    assert match, output
    return [int(n) for n in match.groups()]


def test_update_keeps_translations_and_marks_changes(tmp_path: Path, capsys) -> None:
    srcdir = copy_root("multilang", tmp_path / "src")
    fr = srcdir / "locales" / "fr" / "LC_MESSAGES"
    assert gbifnode("i18n", "update", srcdir) == 0
    capsys.readouterr()

    edit(srcdir / "guide" / "intro.md", "Read this first.", "Read this first, please.")
    edit(srcdir / "guide" / "intro.md", "Then read this.\n", "")
    edit(srcdir / "index.md", "We share biodiversity data.\n",
         "We share biodiversity data.\n\nA brand new paragraph.\n")
    assert gbifnode("i18n", "update", srcdir) == 0
    out = capsys.readouterr().out
    # created, updated, unchanged, new, changed, obsolete
    assert row(out, "fr") == [0, 2, 0, 1, 1, 1]

    intro = catalog(fr / "guide" / "intro.po")
    changed = intro.get("Read this first, please.")
    assert changed.fuzzy and changed.string == "Lisez ceci d'abord."
    assert '#| msgid "Read this first."' in (fr / "guide" / "intro.po").read_text()
    assert "Then read this." in intro.obsolete
    assert intro.get("Introduction").string == "Introduction"
    index = catalog(fr / "index.po")
    assert index.get("Welcome").string == "Bienvenue"
    assert index.get("A brand new paragraph.").string == ""
    assert index.get("Welcome").locations == [("index.md", 1)]

    # Nothing changed since: no file is rewritten.
    mtimes = {p: p.stat().st_mtime_ns for p in fr.rglob("*.po")}
    assert gbifnode("i18n", "update", srcdir) == 0
    assert row(capsys.readouterr().out, "fr") == [0, 0, 2, 0, 0, 0]
    assert {p: p.stat().st_mtime_ns for p in fr.rglob("*.po")} == mtimes


def test_update_creates_catalogues_for_a_new_language(tmp_path: Path, capsys) -> None:
    srcdir = copy_root("multilang", tmp_path / "src")
    edit(srcdir / "conf.py", '["en", "fr"]', '["en", "fr", "nl"]')
    assert gbifnode("i18n", "update", srcdir, "--languages", "nl") == 0
    assert row(capsys.readouterr().out, "nl") == [2, 0, 0, 5, 0, 0]
    nl = srcdir / "locales" / "nl" / "LC_MESSAGES"
    assert sorted(p.relative_to(nl).as_posix() for p in nl.rglob("*.po")) == [
        "guide/intro.po", "index.po"
    ]
    assert catalog(nl / "index.po").locale_identifier == "nl"


def test_broken_po_is_never_overwritten(tmp_path: Path, capsys) -> None:
    srcdir = copy_root("multilang", tmp_path / "src")
    po = srcdir / "locales" / "fr" / "LC_MESSAGES" / "index.po"
    po.write_text(po.read_text(encoding="utf-8") + 'msgid "Oops\n', encoding="utf-8")
    before = po.read_bytes()
    assert gbifnode("i18n", "update", srcdir) == 1
    captured = capsys.readouterr()
    assert f"{po}:11: broken .po file" in captured.err and "left unchanged" in captured.err
    assert "Traceback" not in captured.err
    assert po.read_bytes() == before
    assert row(captured.out, "fr")[1] == 1  # guide/intro.po was still updated


def test_stat_table_and_minimum(tmp_path: Path, capsys) -> None:
    srcdir = copy_root("multilang", tmp_path / "src")
    po = srcdir / "locales" / "fr" / "LC_MESSAGES" / "guide" / "intro.po"
    edit(po, 'msgid "Introduction"', '#, fuzzy\nmsgid "Introduction"')
    assert gbifnode("i18n", "stat", srcdir) == 0
    out = capsys.readouterr().out
    assert re.search(r"guide/intro\s+1\s+1\s+1\s+33\.3", out)
    assert re.search(r"index\s+2\s+0\s+0\s+100\.0", out)
    assert re.search(r"total\s+3\s+1\s+1\s+60\.0", out)
    assert gbifnode("i18n", "stat", srcdir, "--min", "60") == 0
    capsys.readouterr()
    assert gbifnode("i18n", "stat", srcdir, "--min", "75") == 1
    assert "under 75 % translated: fr (60.0 %)" in capsys.readouterr().err


def test_plain_sphinx_intl_project(tmp_path: Path, capsys) -> None:
    """gettext_compact = True (guide/*.rst share guide.po), sphinx.po kept."""
    srcdir = copy_root("intl", tmp_path / "src")
    fr = srcdir / "locale" / "fr" / "LC_MESSAGES"
    edit(srcdir / "guide" / "intro.rst", "Read this first.", "Read this first!")
    assert gbifnode("i18n", "update", srcdir) == 0
    guide = catalog(fr / "guide.po")
    assert guide.get("Read this first!").fuzzy
    assert catalog(fr / "sphinx.po").get("Search").string == "Chercher"
    capsys.readouterr()
    assert gbifnode("i18n", "stat", srcdir) == 0
    assert re.search(r"^  about\s+2\s+0\s+1\s+66\.7$", capsys.readouterr().out, re.M)


def test_single_language_site(tmp_path: Path, capsys) -> None:
    (tmp_path / "conf.py").write_text('language = "en"\n')
    assert gbifnode("i18n", "update", tmp_path) == 2
    assert "has only one language (en)" in capsys.readouterr().err


def test_files_wrapped_by_other_tools_are_not_reformatted(tmp_path: Path, capsys) -> None:
    """Poedit and Weblate wrap lines their own way: same meaning, file left alone."""
    import io

    from babel.messages.pofile import write_po

    srcdir = copy_root("multilang", tmp_path / "src")
    assert gbifnode("i18n", "update", srcdir) == 0
    po = srcdir / "locales" / "fr" / "LC_MESSAGES" / "index.po"
    buffer = io.BytesIO()
    write_po(buffer, catalog(po), width=0, omit_header=False)
    rewrapped = buffer.getvalue().replace(b"# Translations template", b"# Edited in Poedit")
    po.write_bytes(rewrapped)
    capsys.readouterr()
    assert gbifnode("i18n", "update", srcdir) == 0
    assert row(capsys.readouterr().out, "fr") == [0, 0, 2, 0, 0, 0]
    assert po.read_bytes() == rewrapped
