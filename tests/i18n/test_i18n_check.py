"""``gbifnode i18n check``: labelled fixture catalogues, the command, and built pages."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FIXTURES, REPO, build, copy_root, png_bytes, translate_project

from sphinx_gbifnode.cli import main
from sphinx_gbifnode.i18n.check.catalogue import KINDS, check_catalogue
from sphinx_gbifnode.i18n.check.rules import check_message
from sphinx_gbifnode.i18n.po_files import read_catalogue

LABELLED_DIR = FIXTURES / "i18n-check"
LABELLED = sorted(LABELLED_DIR.rglob("*.po"))
ROOT = REPO


def expected_problems(path: Path) -> dict[int, set[str]]:
    """``# expect: kind ...`` of every entry, by the line problems are reported at
    (``~kind``: reported as a warning)."""
    expected: dict[int, set[str]] = {}
    for entry in read_catalogue(path):
        labels = [c[len("expect:"):].split() for c in entry.comments if c.startswith("expect:")]
        if entry.msgid:
            assert labels, f"{path}:{entry.line}: entry without an `# expect:` label"
            expected[entry.line] = {k for k in labels[0] if k != "ok"}
    return expected


def score(paths: list[Path]) -> tuple[int, int, int, list[str]]:
    """(true positives, false positives, false negatives, mismatches) over (entry, kind)."""
    tp = fp = fn = 0
    mismatches = []
    for path in paths:
        expected = expected_problems(path)
        found: dict[int, set[str]] = {line: set() for line in expected}
        for problem in check_catalogue(path).problems:
            label = f"~{problem.kind}" if problem.warning else problem.kind
            found.setdefault(problem.line, set()).add(label)
        for line in found:
            want, got = expected.get(line, set()), found[line]
            tp += len(want & got)
            fp += len(got - want)
            fn += len(want - got)
            if want != got:
                mismatches.append(f"{path.name}:{line}: expected {sorted(want)}, got {sorted(got)}")
    return tp, fp, fn, mismatches


def test_fixture_set_has_both_syntaxes_and_every_kind() -> None:
    assert {p.parts[-4] for p in LABELLED} == {"myst", "rst"}
    for path in LABELLED:
        kinds = {k.lstrip("~") for k in set().union(*expected_problems(path).values())}
        # Every kind of breakage in both syntaxes (``catalogue`` is tested below).
        assert kinds >= set(KINDS) - {"catalogue", "stray-markup"}, (path, set(KINDS) - kinds)
        assert sum(1 for k in expected_problems(path).values() if not k) >= 12, "too few good ones"


@pytest.mark.parametrize("path", LABELLED, ids=lambda p: p.parts[-4])
def test_precision_and_recall_are_100_percent(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tp, fp, fn, mismatches = score([path])
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    with capsys.disabled():
        print(f"\n{path.parts[-4]}: precision {precision:.0%}, recall {recall:.0%} ({tp} problems found)")
    assert not mismatches, "\n".join(mismatches)
    assert tp >= 25


def test_correct_translations_are_not_flagged() -> None:
    good = [
        ("See [the map](a.html) and [the list](b.html).", "Voir [la liste](b.html) et [la carte](a.html).", "myst"),
        ("A **bold** claim.", "Une affirmation **audacieuse** et *emphatique*.", "myst"),
        ("Visit `GBIF <https://www.gbif.org>`_.", "Visitez `le site du GBIF <https://www.gbif.org>`_.", "rst"),
        ("Lisez *ceci*.", "Read *this*, **now**.", "rst"),
        ("Data", "داده\u200cها", "myst"),  # Persian needs the zero-width non-joiner
        ("See `GBIF <https://www.gbif.org/what-is-gbif>`_.", "Voir `GBIF <https://www.gbif.org/fr/what-is-gbif>`_.", "rst"),
    ]
    for msgid, msgstr, syntax in good:
        assert check_message(msgid, msgstr, syntax, language="fr") == [], msgstr
    # A link may go to the page in the catalogue's language, not in another one.
    localised = ("[GBIF](https://www.gbif.org/)", "[GBIF](https://www.gbif.org/de/)", "myst")
    assert [f.kind for f in check_message(*localised, language="fr")] == ["link"]
    # Links, images, code and formatting roles the translator added break nothing.
    added = check_message("Data", "Données ([GBIF](https://www.gbif.org)), `x`, {sup}`er`", "myst")
    assert [(f.kind, f.warning) for f in added] == [("link", True)]
    # Placeholders matter in program strings, not in a page's prose.
    assert check_message("%-style and {x}", "Le style %", "rst") == []
    assert [f.kind for f in check_message("%-style and {x}", "Le style %", "text")] == [
        "placeholder", "placeholder",
    ]
    # Padding and format specs may change; the field may not.
    assert check_message("%5d of {count:,}", "{count:n} sur %d", "text") == []
    # A field list or line block at the start of a reStructuredText translation.
    assert [f.kind for f in check_message("Name: x", ":Nom: x", "rst")] == ["block"]
    assert [f.kind for f in check_message("Line", "| Ligne", "rst")] == ["block"]


def test_changed_literal_is_a_warning_and_does_not_fail(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    po = write_catalogue(tmp_path / "fr" / "LC_MESSAGES" / "x.po", [
        ("One `Label <url>` per line", "Un `Libellé <url>` par ligne"),
    ])
    assert main(["i18n", "check", str(po)]) == 0
    out = capsys.readouterr().out
    assert "x.po:7: warning [literal]" in out
    assert "fr: 0 errors, 1 warning in 1 of 1 catalogue" in out
    assert out.rstrip().endswith("0 errors, 1 warning found.")


def test_fuzzy_and_untranslated_entries_are_not_errors(tmp_path: Path) -> None:
    po = write_po(
        tmp_path / "fr" / "LC_MESSAGES" / "page.po",
        '#, fuzzy\nmsgid "See ![Map](m.png)."\nmsgstr "Voir ! [Carte] (m.png)."\n\n'
        'msgid "Untranslated"\nmsgstr ""\n\n'
        '#~ msgid "Obsolete ![x](y.png)"\n#~ msgstr "Obsolète"\n',
    )
    report = check_catalogue(po)
    assert (report.checked, report.fuzzy, report.untranslated, report.problems) == (0, 1, 1, [])


def test_reader_handles_multiline_escapes_context_and_plurals(tmp_path: Path) -> None:
    po = tmp_path / "x.po"
    po.write_text(
        '# translator note\n#: ../../a.md:3 ../../b.md:9\n#, python-format\nmsgctxt "menu"\n'
        'msgid ""\n"Line one \\"quoted\\"\\n"\n"line two"\nmsgstr ""\n"Ligne un\\n"\n"ligne deux"\n\n'
        'msgid "%(n)s dataset"\nmsgid_plural "%(n)s datasets"\nmsgstr[0] "un jeu"\n'
        'msgstr[1] "%(n)s jeux"\n',
        encoding="utf-8",
    )
    first, second = read_catalogue(po)
    assert first.msgid == 'Line one "quoted"\nline two'
    assert first.msgstr == ["Ligne un\nligne deux"]
    assert (first.msgctxt, first.msgid_line, first.line) == ("menu", 5, 8)
    assert first.locations == ["../../a.md:3", "../../b.md:9"]
    assert first.flags == {"python-format"} and first.comments == ["translator note"]
    assert second.msgid_plural == "%(n)s datasets" and second.msgstr == ["un jeu", "%(n)s jeux"]
    # A plural form may drop the number ("un jeu"), and the entry is otherwise fine.
    assert check_catalogue(po).problems == []
    po.write_text(po.read_text(encoding="utf-8").replace('"%(n)s jeux"', '"%(nombre)s jeux"'))
    [problem] = check_catalogue(po).problems
    assert (problem.line, problem.kind) == (14, "placeholder")
    assert problem.detail.startswith("msgstr[1]: placeholder `%(nombre)s` not in the original")


def write_po(path: Path, entries: str) -> Path:
    """A catalogue with an empty header and the given entries (.po text)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'msgid ""\nmsgstr ""\n\n{entries}', encoding="utf-8")
    return path


def write_catalogue(path: Path, entries: list[tuple[str, str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(
        f'#: ../../index.md:{n}\nmsgid "{a}"\nmsgstr "{b}"\n\n' for n, (a, b) in enumerate(entries, 1)
    )
    path.write_text(f'msgid ""\nmsgstr ""\n"Language: {path.parts[-3]}\\n"\n\n{body}', encoding="utf-8")
    return path


def test_command_reports_file_line_msgid_and_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    locales = tmp_path / "locales"
    write_catalogue(locales / "fr" / "LC_MESSAGES" / "index.po", [
        ("Hello", "Bonjour"),
        ("See ![Map](map.png).", "Voir ! [Carte] (map.png)."),
    ])
    write_catalogue(locales / "fr" / "LC_MESSAGES" / "about.po", [("About", "À propos")])
    write_catalogue(locales / "de" / "LC_MESSAGES" / "index.po", [("Hello", "Hallo")])
    assert main(["i18n", "check", str(locales)]) == 1
    out = capsys.readouterr().out
    assert "index.po:11: error [image] \"See ![Map](map.png).\": image `map.png` missing" in out
    assert "index.po:11: error [split]" in out
    assert "  de: 0 errors in 0 of 1 catalogue (1 entries checked" in out
    assert "  fr: 2 errors in 1 of 2 catalogues (3 entries checked" in out
    assert "fr/LC_MESSAGES/index.po: 1 image, 1 split" in out
    assert out.rstrip().endswith("2 errors found.")
    # Only German: clean, exit 0 (so CI can gate per language).
    assert main(["i18n", "check", str(locales), "--languages", "de"]) == 0
    assert "No problems found." in capsys.readouterr().out


def test_broken_catalogue_is_reported_with_its_line_and_the_rest_is_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    messages = tmp_path / "fr" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / "broken.po").write_text(
        'msgid ""\nmsgstr ""\n\nmsgid "Hello"\nmsgstr "Bonjour\n', encoding="utf-8"
    )
    (messages / "latin1.po").write_bytes(b'msgid ""\nmsgstr ""\n\nmsgid "Caf\xe9"\nmsgstr "x"\n')
    (messages / "declared.po").write_bytes(
        b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=ISO-8859-1\\n"\n\n'
        b'msgid "Caf\xe9 `x`"\nmsgstr "Caf\xe9 `x`"\n'
    )
    write_catalogue(messages / "good.po", [("Read `make`.", "Lisez `make`.")])
    assert main(["i18n", "check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "broken.po:5: error [catalogue] unterminated or malformed string" in out
    assert "latin1.po:4: error [catalogue] not UTF-8 text" in out
    assert "2 errors in 2 of 4 catalogues (2 entries checked" in out
    assert "Traceback" not in out


def test_shipped_catalogues_pass_the_check() -> None:
    catalogues = sorted((ROOT / "src" / "sphinx_gbifnode" / "locale").rglob("*.po"))
    catalogues += sorted((ROOT / "locales").rglob("*.po"))
    assert catalogues
    for path in catalogues:
        report = check_catalogue(path)
        errors = [p for p in report.problems if not p.warning]
        assert errors == [], [str(p) for p in errors]


def sphinx_intl_project(tmp_path: Path, make_app) -> Path:
    """The test root with real French catalogues from a gettext build; the image of the
    index page is broken the way machine translation breaks it."""
    srcdir = copy_root("i18ncheck", tmp_path / "src")
    (srcdir / "map.png").write_bytes(png_bytes(8, 8))

    def translate(msgid: str) -> str:
        if msgid.startswith("![Map"):
            return "! [Carte des régions] (carte.png)"
        if msgid == "Visit [GBIF](https://www.gbif.org).":
            # The French home page of the same site: allowed, in the .po and the HTML.
            return "Visitez le [GBIF](https://www.gbif.org/fr/)."
        if "publishing guide" in msgid:
            return msgid.replace("Read [the publishing guide]", "Lisez [le guide de publication]")
        return f"FR {msgid}"

    translate_project(make_app, srcdir, translate)
    return srcdir


def test_project_without_gbifnode_languages_is_checked(
    tmp_path: Path, make_app, capsys: pytest.CaptureFixture[str]
) -> None:
    srcdir = sphinx_intl_project(tmp_path, make_app)
    assert main(["i18n", "check", str(srcdir)]) == 1
    out = capsys.readouterr().out
    assert "locales/fr/LC_MESSAGES/index.po:" in out
    assert "error [image] \"![Map of the regions](map.png)\"" in out
    assert "fr: 2 errors in 1 of 2 catalogues" in out
    assert main(["i18n", "check", str(srcdir), "--languages", "de"]) == 2
    assert "no catalogues for de (languages found: en, fr)" in capsys.readouterr().err


def test_built_pages_that_lost_an_image_are_reported(
    tmp_path: Path, make_app, capsys: pytest.CaptureFixture[str]
) -> None:
    srcdir = sphinx_intl_project(tmp_path, make_app)
    out = tmp_path / "site"
    for language in ("en", "fr"):
        app = build(make_app, srcdir, confoverrides={"language": language})
        shutil.copytree(app.outdir, out / language)
    assert "! [Carte des régions]" in (out / "fr" / "index.html").read_text(encoding="utf-8")
    assert main(["i18n", "check", str(srcdir), "--built", str(out)]) == 1
    printed = capsys.readouterr().out
    lost = [line for line in printed.splitlines() if "[built " in line]
    assert lost == [
        f"{out / 'fr' / 'index.html'}: [built image] 1 image(s) lost (1 in the default "
        "language, 0 here): _images/map.png",
        f"{out / 'fr' / 'index.html'}: [built markup] 1 piece(s) of markup printed as "
        "text: “…versity data ¶ ! [Carte des régions] (carte.png) Lisez le guide…”",
    ]
    assert "  fr/: 2 problems in built pages" in printed

    # Mend the translation: the pages match again and the command passes.
    po = srcdir / "locales" / "fr" / "LC_MESSAGES" / "index.po"
    po.write_text(
        po.read_text(encoding="utf-8").replace(
            "! [Carte des régions] (carte.png)", "![Carte des régions](map.png)"
        ),
        encoding="utf-8",
    )
    # A new process, as `gbifnode build` runs one per language: gettext caches the
    # catalogues it has read for the life of a process.
    shutil.rmtree(out / "fr")
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", "-D", "language=fr",
         str(srcdir), str(out / "fr")],
        check=True,
    )
    assert main(["i18n", "check", str(srcdir), "--built", str(out)]) == 0
    assert "No problems found." in capsys.readouterr().out


def test_built_without_default_language_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "site").mkdir()
    write_catalogue(tmp_path / "locales" / "fr" / "LC_MESSAGES" / "index.po", [("A", "B")])
    code = main(["i18n", "check", str(tmp_path / "locales"), "--built", str(tmp_path / "site")])
    assert code == 2
    assert "site: no language folder with HTML pages (the layout of `gbifnode build` is OUT/<lang>/)" in capsys.readouterr().err


def test_template_strings_are_checked_for_placeholders_only(tmp_path: Path) -> None:
    """``sphinx.po`` (template strings) and program messages are plain text: a ``>``
    or ``[x] (y)`` in them is not page markup, but a renamed placeholder still breaks."""
    po = write_po(
        tmp_path / "fi" / "LC_MESSAGES" / "sphinx.po",
        '#: sphinx/themes/basic/relations.html:12\nmsgid "Next topic"\nmsgstr "> Seuraava"\n\n'
        '#: sphinx/config.py:80\nmsgid "Sections other than [theme] (see docs)"\n'
        'msgstr "Muut kuin [theme] (katso)"\n\n'
        '#: sphinx/config.py:90\nmsgid "building [%s]: "\nmsgstr "rakennetaan [%s]:"\n\n'
        '#: sphinx/config.py:99\nmsgid "%b %d, %Y"\nmsgstr "%-d. %b %Y"\n\n'
        '#: sphinx/config.py:120\nmsgid "The value `{name}` has type `{current.__name__}`"\n'
        'msgstr "Arvon `{name}` tyyppi on `{current__name__}`"\n',
    )
    problems = check_catalogue(po).problems
    assert [(p.line, p.kind, p.warning) for p in problems] == [
        (14, "whitespace", True),  # cosmetic in a program message
        (22, "placeholder", False),
    ]
    assert "`{current.__name__}` became `{current__name__}`" in problems[1].detail


def test_right_to_left_languages_may_use_direction_marks(tmp_path: Path) -> None:
    entries = [("Module %s", "ماژول\u200e %s\u200f"), ("Data", "داده\u200c\u200cها")]
    assert check_catalogue(write_catalogue(tmp_path / "fa" / "LC_MESSAGES" / "x.po", entries)).problems == []
    french = check_catalogue(write_catalogue(tmp_path / "fr" / "LC_MESSAGES" / "x.po", entries))
    assert [p.kind for p in french.problems] == ["invisible", "invisible"]


def test_compact_sphinx_intl_project_with_sphinx_po_and_committed_mo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """gettext_compact = True (one catalogue per folder), no gbifnode_languages, a
    ``sphinx.po`` for templates, a language with only committed ``.mo`` files."""
    src = tmp_path / "project"
    src.mkdir()
    (src / "conf.py").write_text('project = "x"\nlanguage = "en"\n', encoding="utf-8")
    write_catalogue(src / "locales" / "de" / "LC_MESSAGES" / "index.po", [("Hello", "Hallo")])
    write_catalogue(src / "locales" / "de" / "LC_MESSAGES" / "guide.po", [
        ("See ![Map](map.png).", "Siehe ![Karte](karte.png)."),
    ])
    write_po(
        src / "locales" / "de" / "LC_MESSAGES" / "sphinx.po",
        '#: layout.html:3\nmsgid "Search"\nmsgstr "Suche"\n',
    )
    (src / "locales" / "nl" / "LC_MESSAGES").mkdir(parents=True)
    (src / "locales" / "nl" / "LC_MESSAGES" / "index.mo").write_bytes(b"")
    assert main(["i18n", "check", str(src)]) == 1
    out = capsys.readouterr().out
    assert "locales/de/LC_MESSAGES/guide.po:7: error [image]" in out
    assert "  de: 1 error in 1 of 3 catalogues (3 entries checked" in out
    assert "  nl: no .po catalogues (only compiled .mo files): nothing to check" in out


def test_built_comparison_reads_only_the_main_content(tmp_path: Path) -> None:
    """Navigation and the language switcher differ by language and are not compared;
    a localised image (``figure_language_filename``) counts as the same image."""
    from sphinx_gbifnode.i18n.check.built import compare_built

    def page(nav: str, body: str) -> str:
        return (
            f"<html><body><nav><a href='../fr/index.html' hreflang='fr'>FR</a>{nav}</nav>"
            f"<div class='body' role='main'>{body}<br><img src='x.png'/></div>"
            "<footer><a href='https://example.org/legal'>legal</a></footer></body></html>"
        )

    english = ("<h1>Title</h1><h2>Part</h2><img src='_images/map.png'>"
               "<p><a href='https://www.gbif.org/guide'>guide</a> <a href='#part'>¶</a></p>")
    french_ok = ("<h1>Titre</h1><h2>Partie</h2><img src='_images/map.fr.png'>"
                 "<p><a href='https://www.gbif.org/guide'>guide</a> <a href='#partie'>¶</a></p>"
                 "<pre>![a](b) **kwargs</pre><p><code>:ref:`x`</code></p>")
    french_broken = "<h1>Titre</h1><p>! [Carte] (map.png) [guide] (https://www.gbif.org/guide)</p>"
    for language, pages in {
        "en": {"index.html": english, "about.html": english, "sub/deep.html": english},
        "fr": {"index.html": french_ok, "about.html": french_broken},
    }.items():
        for name, body in pages.items():
            path = tmp_path / language / name
            path.parent.mkdir(parents=True, exist_ok=True)
            nav = "<a href='extra.html'>only in French nav</a>" if language == "fr" else ""
            path.write_text(page(nav, body), encoding="utf-8")
    (tmp_path / "fr" / "_static").mkdir()

    problems, summary = compare_built(tmp_path, None)
    assert [(p.language, p.page, p.kind) for p in problems] == [
        ("fr", "about.html", "image"),
        ("fr", "about.html", "link"),
        ("fr", "about.html", "heading"),
        ("fr", "about.html", "markup"),
        ("fr", "sub/deep.html", "page"),
    ]
    assert problems[0].detail == (
        "1 image(s) lost (2 in the default language, 1 here): _images/map.png"
    )
    assert problems[2].detail == "1 heading(s) lost (2 in the default language, 1 here): h2"
    assert problems[3].detail.startswith("2 piece(s) of markup printed as text: “…Titre ! [Carte]")
    assert summary == [
        "  built pages: 3 per language, compared with en/",
        "  fr/: 5 problems in built pages",
    ]
