"""Catalogues that would lose translations without a word.

Refused before a build (``gbifnode build``), warned about by the extension (plain
``sphinx-build``) and reported by ``gbifnode i18n check``, each with its file and line:
a charset Sphinx cannot read, a ``Plural-Forms`` header gettext cannot load, a msgid
given twice. ``gbifnode i18n update`` reads any declared charset and writes UTF-8, keeps
both sides of a duplicate, and never rewrites a read-only ``.po``.
"""

from __future__ import annotations

import contextlib
import io
import stat
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from faultkit import Built, build_once, line_of
from helpers import make_project

from sphinx_gbifnode.cli import main

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset={charset}\\n"\n'


def catalogue(charset: str, entries: str, extra_header: str = "") -> bytes:
    text = HEADER.format(charset=charset) + extra_header + "\n" + entries
    return text.encode("utf-8")


#: test id -> (page, its .po as bytes, text unique to the faulty line, what is said)
REFUSED = {
    "latin1": ("latin", catalogue("ISO-8859-1", 'msgid "Coffee."\nmsgstr "Café."\n')
               .replace("é".encode(), b"\xe9"), 'msgstr "Caf',
               "this catalogue is ISO-8859-1 text, and Sphinx reads catalogues as UTF-8"),
    "windows1252": ("windows", catalogue("windows-1252", 'msgid "Coffee."\nmsgstr "€ Café."\n')
                    .replace("é".encode(), b"\xe9").replace("€".encode(), b"\x80"), "Caf",
                    "this catalogue is windows-1252 text"),
    "plural-expression": ("plural", catalogue(
        "UTF-8", 'msgid "Birds."\nmsgstr "Oiseaux."\n',
        '"Plural-Forms: nplurals=2; plural=(n > 1 ? ;\\n"\n'), "Plural-Forms",
        "malformed Plural-Forms header ('nplurals=2; plural=(n > 1 ?;', ValueError"),
    "plural-count": ("nplurals", catalogue(
        "UTF-8", 'msgid "Birds."\nmsgstr "Oiseaux."\n',
        '"Plural-Forms: nplurals=two; plural=(n > 1);\\n"\n'), "Plural-Forms",
        "malformed Plural-Forms header (invalid literal for int() with base 10: 'two')"),
    "plural-missing-expression": ("noexpr", catalogue(
        "UTF-8", 'msgid "Birds."\nmsgstr "Oiseaux."\n',
        '"Plural-Forms: nplurals=2; plural=;\\n"\n'), "Plural-Forms",
        "malformed Plural-Forms header"),
    "charset-too-small": ("lying", catalogue(
        "ISO-8859-1", 'msgid "Coffee."\nmsgstr "Café."\n\nmsgid "China."\nmsgstr "中国."\n'),
        "中国", "the header's charset=ISO-8859-1 cannot hold this text"),
    "unknown-charset": ("unknown", catalogue("KLINGON-1", 'msgid "Coffee."\nmsgstr "Café."\n'),
                        "charset=KLINGON-1", "unknown charset 'KLINGON-1'"),
}
#: Valid catalogues in the same project: still used.
ACCEPTED = {
    "ascii": ("ascii", catalogue("ISO-8859-1", 'msgid "Coffee."\nmsgstr "Cafe au lait."\n'),
              "Cafe au lait."),
    "utf8": ("good", catalogue("UTF-8", 'msgid "Coffee."\nmsgstr "Café crème."\n'),
             "Café crème."),
}
DUPLICATE = catalogue("UTF-8", 'msgid "Members."\nmsgstr "Membres."\n\n'
                      'msgid "Members."\nmsgstr "Adhérents."\n')


@pytest.fixture(scope="module")
def refused_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pages = {"index.md": "# Home\n\n```{toctree}\n" + "\n".join(
        page for page, *_rest in [*REFUSED.values(), *ACCEPTED.values(), ("dup",)]) + "\n```\n"}
    for page, *_rest in [*REFUSED.values(), *ACCEPTED.values(), ("dup",)]:
        pages[f"{page}.md"] = f"# {page.title()}\n\nCoffee.\n\nBirds.\n\nChina.\n\nMembers.\n"
    srcdir = make_project(tmp_path_factory.mktemp("catalogues") / "src", pages,
                          'language = "en"\ngbifnode_languages = ["en", "fr"]\n')
    messages = srcdir / "locales" / "fr" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    for page, data, *_rest in [*REFUSED.values(), *ACCEPTED.values(), ("dup", DUPLICATE)]:
        (messages / f"{page}.po").write_bytes(data)
    return srcdir


def _run(*argv: str | Path) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        status = main([str(arg) for arg in argv])
    return status, out.getvalue()


@pytest.fixture(scope="module")
def gbifnode_build(refused_site: Path) -> tuple[int, str, Path]:
    out = refused_site.parent / "out"
    status, output = _run("build", refused_site, out, "-q")
    return status, output, out


@pytest.fixture(scope="module")
def sphinx_build(refused_site: Path) -> Built:
    return build_once(refused_site, confoverrides={"language": "fr"})


@pytest.fixture(scope="module")
def i18n_check(refused_site: Path) -> tuple[int, str]:
    return _run("i18n", "check", refused_site)


def _po(srcdir: Path, page: str) -> Path:
    return srcdir / "locales" / "fr" / "LC_MESSAGES" / f"{page}.po"


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_gbifnode_build_refuses_the_catalogue(refused_site, gbifnode_build, case: str) -> None:
    status, output, _out = gbifnode_build
    page, _data, marker, message = REFUSED[case]
    po = _po(refused_site, page)
    assert f"{po}:{line_of(po, marker)}: " in output and message in output, output
    assert status != 0 and "fr not built: fix the .po file(s) above" in output


def test_gbifnode_build_still_builds_the_default_language(gbifnode_build) -> None:
    _status, output, out = gbifnode_build
    assert (out / "en" / "latin.html").is_file() and not (out / "fr" / "latin.html").exists()
    assert "Traceback" not in output


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_sphinx_build_warns_at_the_line(refused_site, sphinx_build: Built, case: str) -> None:
    page, _data, marker, message = REFUSED[case]
    po = _po(refused_site, page)
    assert f"{po}:{line_of(po, marker)}: WARNING: " in sphinx_build.warnings
    assert message in sphinx_build.warnings and "[gbifnode.catalogue]" in sphinx_build.warnings


@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_valid_catalogues_are_used(sphinx_build: Built, case: str) -> None:
    page, _data, translation = ACCEPTED[case]
    assert translation in sphinx_build.page(page)
    assert f"LC_MESSAGES/{page}.po" not in sphinx_build.warnings


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_i18n_check_reports_the_catalogue(refused_site, i18n_check, case: str) -> None:
    status, output = i18n_check
    page, _data, marker, message = REFUSED[case]
    po = _po(refused_site, page)
    assert status == 1
    assert f"{po.name}:{line_of(po, marker)}: error [catalogue] " in output and message in output


def test_i18n_check_reports_a_duplicate_msgid(refused_site, i18n_check) -> None:
    _status, output = i18n_check
    po = _po(refused_site, "dup")
    line = line_of(po, 'msgstr "Adhérents."')
    assert (f"dup.po:{line}: error [catalogue] msgid 'Members.' is also at line {line - 3}: "
            "Sphinx uses the first translation and silently drops this one") in output


# --- gbifnode i18n update -------------------------------------------------------------


@pytest.fixture(scope="module")
def updated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str, dict[str, bytes]]:
    """A site whose catalogues are, in turn: in ISO-8859-1, with a duplicate msgid (two
    translations; an empty one first), read-only with work waiting, read-only and up to
    date, and group-readable only; ``gbifnode i18n update`` runs once over all of them."""
    pages = ["conv", "dup", "dupfirst", "ro", "rocurrent", "mode"]
    srcdir = make_project(
        tmp_path_factory.mktemp("update") / "src",
        {"index.md": "# Home\n\n```{toctree}\n" + "\n".join(pages) + "\n```\n",
         **{f"{page}.md": f"# {page.title()}\n\nCoffee.\n\nMembers.\n" for page in pages}},
        'language = "en"\ngbifnode_languages = ["en", "fr"]\n',
    )
    assert _run("i18n", "update", srcdir)[0] == 0  # every catalogue created
    for page in ("ro", "rocurrent"):
        po = _po(srcdir, page)
        po.write_text(po.read_text(encoding="utf-8").replace(
            'msgid "Coffee."\nmsgstr ""', 'msgid "Coffee."\nmsgstr "Café."'), encoding="utf-8")
        po.chmod(0o444)
    with (srcdir / "ro.md").open("a", encoding="utf-8") as page_file:
        page_file.write("\nA new paragraph waits for its translation.\n")
    _po(srcdir, "mode").chmod(0o640)
    (srcdir / "mode.md").write_text("# Mode\n\nCoffee.\n\nMembers.\n\nMore.\n", encoding="utf-8")
    _po(srcdir, "conv").write_bytes(
        catalogue("ISO-8859-1", '#: conv.md:3\nmsgid "Coffee."\nmsgstr "Café."\n',
                  '"Language: fr\\n"\n').replace("é".encode(), b"\xe9")
        .replace(b'"Content-Type', b'"Last-Translator: Ren\xe9e\\n"\n"Content-Type'))
    _po(srcdir, "dup").write_bytes(catalogue(
        "UTF-8", '#: dup.md:5\nmsgid "Members."\nmsgstr "Membres."\n\n'
        '#: dup.md:5\nmsgid "Members."\nmsgstr "Adhérents."\n'))
    _po(srcdir, "dupfirst").write_bytes(catalogue(
        "UTF-8", '#: dupfirst.md:5\nmsgid "Members."\nmsgstr ""\n\n'
        '#: dupfirst.md:5\nmsgid "Members."\nmsgstr "Partenaires."\n'))
    before = {page: _po(srcdir, page).read_bytes() for page in pages}
    status, output = _run("i18n", "update", srcdir)
    return srcdir, status, output, before


def _catalog(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def test_update_converts_another_charset_to_utf8(updated) -> None:
    srcdir, _status, output, _before = updated
    po = _po(srcdir, "conv")
    text = po.read_bytes().decode("utf-8")  # UTF-8 now
    assert "charset=utf-8" in text.lower() and "Renée" in text
    assert _catalog(po).get("Coffee.").string == "Café."
    assert f"{po}: written in UTF-8 (its header said ISO-8859-1)" in output
    # And Sphinx uses it.
    assert "Café." in build_once(srcdir, confoverrides={"language": "fr"}).page("conv")


def test_update_keeps_both_sides_of_a_duplicate(updated) -> None:
    srcdir, _status, output, _before = updated
    po = _po(srcdir, "dup")
    message = _catalog(po).get("Members.")
    assert message.fuzzy
    assert message.string == ("#-#-#-#-#  dup.po:7  #-#-#-#-#\nMembres.\n"
                              "#-#-#-#-#  dup.po:11  #-#-#-#-#\nAdhérents.")
    assert (f"{po}:11: msgid 'Members.' also at line 7: two translations, both kept in one "
            "fuzzy entry") in output


def test_update_keeps_the_translated_side_of_a_duplicate(updated) -> None:
    srcdir, _status, output, _before = updated
    message = _catalog(_po(srcdir, "dupfirst")).get("Members.")
    assert message.string == "Partenaires." and not message.fuzzy
    assert "the translated one kept" in output


def test_update_never_rewrites_a_read_only_catalogue(updated) -> None:
    srcdir, status, output, before = updated
    po = _po(srcdir, "ro")
    assert po.read_bytes() == before["ro"]
    assert stat.S_IMODE(po.stat().st_mode) == 0o444
    assert f"{po}: read-only, so not updated (1 new, 0 changed, 0 obsolete waiting)" in output
    assert status == 1


def test_update_leaves_a_read_only_catalogue_with_nothing_to_do(updated) -> None:
    srcdir, _status, output, before = updated
    po = _po(srcdir, "rocurrent")
    assert po.read_bytes() == before["rocurrent"] and f"{po}:" not in output


def test_update_keeps_the_permissions_of_a_file(updated) -> None:
    srcdir, _status, _output, before = updated
    po = _po(srcdir, "mode")
    assert po.read_bytes() != before["mode"] and "More." in po.read_text(encoding="utf-8")
    assert stat.S_IMODE(po.stat().st_mode) == 0o640


@pytest.mark.parametrize("command", ["check", "stat"])
def test_reading_commands_leave_read_only_catalogues_alone(updated, command: str) -> None:
    srcdir, _status, _output, before = updated
    _run("i18n", command, srcdir)
    for page in ("ro", "rocurrent"):
        po = _po(srcdir, page)
        assert po.read_bytes() == before[page]
        assert stat.S_IMODE(po.stat().st_mode) == 0o444
