"""``gbifnode build``: every language in parallel processes, incremental, with the
language chooser, the sitemap, and clear failures for bad input."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from helpers import copy_root, elements

from sphinx_gbifnode.cli import main


def gbifnode(*argv: str | Path) -> int:
    return main([str(arg) for arg in argv])


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_builds_every_language_with_chooser_and_sitemap(tmp_path: Path, capsys) -> None:
    srcdir = copy_root("multilang", tmp_path / "src")
    out = tmp_path / "out"
    assert gbifnode("build", srcdir, out, "-W") == 0
    captured = capsys.readouterr()
    assert "gbifnode: en: built" in captured.out and "gbifnode: fr: built" in captured.out
    assert captured.err == ""

    assert "We share biodiversity data." in read(out / "en" / "index.html")
    french = read(out / "fr" / "index.html")
    assert "Nous partageons des données de biodiversité." in french
    assert "../en/index.html" in {a.attrs["href"] for a in elements(french, "a", hreflang="en")}

    chooser = read(out / "index.html")
    choices = [
        (a.attrs["href"], a.attrs["hreflang"], a.attrs["lang"], a.text)
        for a in elements(chooser, "a", within="gbif-language-choice")
    ]
    assert choices == [
        ("en/index.html", "en", "en", "English"),
        ("fr/index.html", "fr", "fr", "Français"),
    ]
    assert [span.text for span in elements(chooser, "span", lang="fr")] == [
        "Choisissez votre langue"
    ]
    assert "navigator.languages" in elements(chooser, "script")[0].text

    site = read(out / "sitemap.xml")
    urls = re.findall(r"<loc>(.*?)</loc>", site)
    assert sorted(urls) == sorted(
        f"https://node.example.org/{lang}/{page}.html"
        for lang in ("en", "fr")
        for page in ("index", "guide/intro")
    )
    assert (
        '<xhtml:link rel="alternate" hreflang="fr" '
        'href="https://node.example.org/fr/guide/intro.html"/>'
    ) in site
    assert site.count('hreflang="x-default"') == 4


def test_rebuild_after_editing_one_msgstr(tmp_path: Path, capsys) -> None:
    srcdir = copy_root("multilang", tmp_path / "src")
    out = tmp_path / "out"
    assert gbifnode("build", srcdir, out) == 0
    pages = {
        path: path.stat().st_mtime_ns
        for path in (out / "en" / "index.html", out / "fr" / "index.html",
                     out / "fr" / "guide" / "intro.html")
    }
    po = srcdir / "locales" / "fr" / "LC_MESSAGES" / "guide" / "intro.po"
    po.write_text(
        read(po).replace('msgid "Then read this."\nmsgstr ""', 'msgid "Then read this."\n'
                         'msgstr "Puis lisez cela."'),
        encoding="utf-8",
    )
    capsys.readouterr()
    assert gbifnode("build", srcdir, out, "-v") == 0
    log = capsys.readouterr().out
    assert "[fr] updating environment: 0 added, 1 changed, 0 removed" in log
    assert "[en] updating environment: 0 added, 0 changed, 0 removed" in log
    intro = read(out / "fr" / "guide" / "intro.html")
    assert "Puis lisez cela." in intro
    assert "gbif-translation-notice" not in intro  # now fully translated
    changed = {path for path, mtime in pages.items() if path.stat().st_mtime_ns != mtime}
    # The page only: its parent's table of contents shows the same title as before.
    assert changed == {out / "fr" / "guide" / "intro.html"}
    # ... and the parent left as it was is what a full build writes now.
    assert gbifnode("build", srcdir, tmp_path / "full") == 0
    for page in ("index.html", "guide/intro.html"):
        assert read(out / "fr" / page) == read(tmp_path / "full" / "fr" / page), page


@pytest.mark.parametrize(("msgid", "msgstr", "shown"), [
    ("Introduction", "Présentation", "Présentation"),  # the page's title
    ("Then read this.", "Puis lisez cela.", None),  # a sentence: the parent stays
])
def test_the_parent_is_written_again_when_its_table_of_contents_changes(
    tmp_path: Path, msgid: str, msgstr: str, shown: str | None
) -> None:
    srcdir = copy_root("multilang", tmp_path / "src")
    out = tmp_path / "out"
    assert gbifnode("build", srcdir, out, "-q") == 0
    index = out / "fr" / "index.html"
    before = index.stat().st_mtime_ns
    po = srcdir / "locales" / "fr" / "LC_MESSAGES" / "guide" / "intro.po"
    text, count = re.subn(f'msgid "{msgid}"\nmsgstr "[^"]*"',
                          f'msgid "{msgid}"\nmsgstr "{msgstr}"', read(po))
    assert count == 1
    po.write_text(text, encoding="utf-8")
    assert gbifnode("build", srcdir, out, "-q") == 0
    assert (index.stat().st_mtime_ns != before) == (shown is not None)
    if shown is not None:
        assert shown in read(index)
    # Either way, the parent is what a full build writes.
    assert gbifnode("build", srcdir, tmp_path / "full", "-q") == 0
    assert read(index) == read(tmp_path / "full" / "fr" / "index.html")


def test_broken_po_names_file_and_line_and_other_languages_build(
    tmp_path: Path, capsys
) -> None:
    srcdir = copy_root("multilang", tmp_path / "src")
    (srcdir / "conf.py").write_text(
        read(srcdir / "conf.py").replace('["en", "fr"]', '["en", "fr", "nl"]'),
        encoding="utf-8",
    )
    nl = srcdir / "locales" / "nl" / "LC_MESSAGES"
    nl.mkdir(parents=True)
    (nl / "index.po").write_text('msgid "Welcome"\nmsgstr "Welkom"\n', encoding="utf-8")
    po = srcdir / "locales" / "fr" / "LC_MESSAGES" / "index.po"
    po.write_text(read(po) + '\nmsgid "Broken\nmsgstr "Cassé"\n', encoding="utf-8")
    out = tmp_path / "out"
    assert gbifnode("build", srcdir, out) == 1
    err = capsys.readouterr().err
    assert f"[fr] {po}:12: broken .po file: unterminated or malformed string" in err
    assert "gbifnode: fr: FAILED" in err
    assert "Traceback" not in err
    assert (out / "en" / "index.html").is_file()
    assert "Welkom" in read(out / "nl" / "index.html")
    assert not (out / "fr" / "index.html").exists()


def test_plain_sphinx_intl_project(tmp_path: Path, capsys) -> None:
    """conf.py never mentions sphinx-gbifnode: languages and the extension are added."""
    srcdir = copy_root("intl", tmp_path / "src")
    # Dutch is shipped as a committed .mo only, without its .po.
    catalog = Catalog(locale="nl")
    catalog.add("Welcome to a plain project.", "Welkom bij een eenvoudig project.")
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    (srcdir / "locale" / "nl" / "LC_MESSAGES").mkdir(parents=True)
    (srcdir / "locale" / "nl" / "LC_MESSAGES" / "index.mo").write_bytes(buffer.getvalue())
    out = tmp_path / "out"
    assert gbifnode("build", srcdir, out, "-W") == 0
    assert "Welkom bij een eenvoudig project." in read(out / "nl" / "index.html")
    assert 'hreflang="nl"' in read(out / "en" / "about.html")
    about = read(out / "fr" / "about.html")
    assert "Nous comptons les oiseaux." in about
    assert 'hreflang="en" href="https://intl.example.org/en/about.html"' in about
    assert '<nav class="gbif-language-switcher"' in about
    assert "Chercher" in about  # sphinx.po: template strings
    assert "https://intl.example.org/fr/guide/intro.html" in read(out / "sitemap.xml")
    assert read(srcdir / "conf.py").count("sphinx_gbifnode") == 0


def test_languages_option_and_warnings_as_errors(tmp_path: Path, capsys) -> None:
    srcdir = copy_root("multilang", tmp_path / "src")
    (srcdir / "guide" / "intro.md").write_text(
        read(srcdir / "guide" / "intro.md") + "\n{doc}`missing-page`\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    # --sphinx-jobs: Sphinx starts processes of its own inside the language's process.
    assert gbifnode(
        "build", srcdir, out, "--languages", "fr", "-W", "--keep-going", "--sphinx-jobs", "2"
    ) == 1
    err = capsys.readouterr().err
    assert re.search(r"\[fr\] .*intro\.md:\d+: WARNING: unknown document", err)
    assert not (out / "en").exists()
    assert gbifnode("build", srcdir, out, "--languages", "en") == 0
    assert "WARNING: unknown document" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--languages", "en,de"], "language(s) de not configured"),
        (["-D", "language=fr"], "-D language=... cannot be given"),
        (["-D", "nonsense"], "write -D name=value"),
    ],
)
def test_bad_arguments(tmp_path: Path, capsys, argv: list[str], message: str) -> None:
    srcdir = copy_root("multilang", tmp_path / "src")
    assert gbifnode("build", srcdir, tmp_path / "out", *argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("gbifnode: error: ") and message in err
    assert not (tmp_path / "out").exists()


def test_source_without_conf_py(tmp_path: Path, capsys) -> None:
    assert gbifnode("build", tmp_path, tmp_path / "out") == 2
    assert f"{tmp_path.resolve()} has no conf.py" in capsys.readouterr().err


def test_missing_locale_folder(tmp_path: Path, capsys) -> None:
    srcdir = copy_root("multilang", tmp_path / "src")
    (srcdir / "conf.py").write_text(
        read(srcdir / "conf.py").replace('["en", "fr"]', '["en", "fr", "de"]'),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert gbifnode("build", srcdir, out) == 1
    err = capsys.readouterr().err
    assert "[de] no locale folder for 'de'" in err and "gbifnode i18n update" in err
    assert (out / "fr" / "index.html").is_file() and (out / "en" / "index.html").is_file()
    chooser = read(out / "index.html")
    assert 'hreflang="fr"' in chooser and 'hreflang="de"' not in chooser  # no broken link


def test_no_baseurl_warns_and_skips_sitemap(tmp_path: Path, capsys) -> None:
    srcdir = copy_root("multilang", tmp_path / "src")
    out = tmp_path / "out"
    assert gbifnode("build", srcdir, out, "-D", "html_baseurl=", "-q") == 0
    assert "html_baseurl is not set" in capsys.readouterr().err
    assert not (out / "sitemap.xml").exists()
    assert (out / "index.html").is_file()


def test_module_entry_point_and_help() -> None:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    done = subprocess.run(
        [sys.executable, "-m", "sphinx_gbifnode", "build", "--help"],
        capture_output=True, text=True, env=env, check=False,
    )
    assert done.returncode == 0
    assert "usage: gbifnode build" in done.stdout and "--languages" in done.stdout


def test_one_language_goes_straight_to_it(tmp_path: Path, capsys) -> None:
    """A site with one language gets no chooser with one link: OUT/index.html sends
    the visitor on, also without JavaScript."""
    srcdir = copy_root("multilang", tmp_path / "src")
    (srcdir / "conf.py").write_text(
        read(srcdir / "conf.py").replace('["en", "fr"]', '["en"]'), encoding="utf-8"
    )
    out = tmp_path / "out"
    assert gbifnode("build", srcdir, out, "-q") == 0
    root = read(out / "index.html")
    assert '<meta http-equiv="refresh" content="0; url=en/index.html">' in root
    assert '<link rel="canonical" href="https://node.example.org/en/index.html">' in root
    assert '<a href="en/index.html" hreflang="en">Multilingual node</a>' in root
    assert "Choose your language" not in root and "navigator.languages" not in root
