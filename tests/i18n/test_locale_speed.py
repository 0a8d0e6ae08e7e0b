"""Plain messages skip the parser only when the parser would have made the same node;
each message is parsed once per page; translated doctrees no longer carry the build
environment."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from docutils import nodes
from docutils.frontend import get_default_settings
from helpers import REPO, ROOTS, build, copy_root
from myst_parser.parsers.sphinx_ import MystParser
from sphinx.parsers import RSTParser
from sphinx.transforms import i18n

from sphinx_gbifnode.i18n import inline_messages, locale_speed

PLAIN = [
    "Une phrase simple sur les données de biodiversité.",
    "Page 12",
    "2020 was a good year, with 1,500 records (and more).",
    "Un deux-points au milieu\u202f: toujours simple.",
    "Des espaces\u00a0insécables dans la traduction\u202f!",
    "« Une phrase citée. »",
    "Une ligne qui finit par :",
    "L’équipe du nœud publie 100 % de ses données ; merci !",
    "What is GBIF?",
    "ÉCRIRE en capitales",
    "数据共享",
]
NOT_PLAIN = [
    "",
    " leading space",
    "trailing space ",
    "two\nlines",
    "a\ttab",
    "with *emphasis*",
    "with **strong**",
    "snake_case_word",
    "a `literal`",
    "a [link](https://www.gbif.org)",
    "a {role}`target`",
    "an <b>HTML</b> tag",
    "AT&T",
    "a |substitution|",
    "back\\slash",
    "node@example.org",
    "visit https://www.gbif.org",
    "mailto:node@example.org",
    "a literal block follows::",
    "10:30 in the morning",
    "1. First",
    "2) Second",
    "a. lettered",
    "iv. roman",
    "Mr. Smith",
    "- a bullet",
    "* a bullet",
    "+ a bullet",
    "# a heading",
    "> a quote",
    "(label)=",
    "% a comment",
    ": a field",
    ".. a comment",
    "| a line block",
    "=====",
    "$x$ math",
    "~strike~",
    "a footnote^",
    "zero\u200bwidth",
    "soft\u00adhyphen",
    "line\u2028separator",
]


@pytest.mark.parametrize("text", PLAIN)
def test_plain_messages(text: str) -> None:
    assert locale_speed.plain_text(text)


@pytest.mark.parametrize("text", NOT_PLAIN)
def test_messages_that_may_hold_markup(text: str) -> None:
    assert not locale_speed.plain_text(text)


class Config:
    """The MyST settings :func:`locale_speed.myst_syntax` reads."""

    def __init__(self, **values: Any) -> None:
        self.gfm_only = False
        self.enable_extensions: set[str] = set()
        self.sub_delimiters = ("{", "}")
        self.heading_anchors = 0
        self.words_per_minute = 200
        self.__dict__.update(values)


def test_myst_extensions_that_read_plain_text_their_own_way() -> None:
    quotes = locale_speed.myst_syntax(Config(enable_extensions={"smartquotes"}))
    assert quotes is not None and not quotes.plain("l'occurrence") and quotes.plain("Page")
    replaced = locale_speed.myst_syntax(Config(enable_extensions={"replacements"}))
    assert replaced is not None
    assert not replaced.plain("Wait... (c) 2026") and replaced.plain("Wait for 2026")
    links = locale_speed.myst_syntax(Config(enable_extensions={"linkify"}))
    assert links is not None and not links.plain("See www.gbif.org") and links.plain("See")
    brackets = locale_speed.myst_syntax(
        Config(enable_extensions={"substitution"}, sub_delimiters=("(", ")")))
    assert brackets is not None and not brackets.plain("A (b) c")
    assert locale_speed.myst_syntax(Config(enable_extensions={"section_ref"})) is None
    assert locale_speed.myst_syntax(Config(gfm_only=True)) is None
    anchors = locale_speed.myst_syntax(Config(heading_anchors=2))
    assert anchors is not None and not anchors.titles


def test_rst_epilog_only_skipped_when_it_defines_substitutions() -> None:
    class RstConfig:
        rst_epilog = "\n.. |node| replace:: GBIF Belgium\n.. |logo| image:: logo.png\n   :alt: x\n"

    assert locale_speed.rst_syntax(RstConfig, None) is not None
    RstConfig.rst_epilog = ".. note:: Every page ends with this note."
    assert locale_speed.rst_syntax(RstConfig, None) is None


def corpus() -> list[str]:
    """Every French msgstr of the docs and of the test root, plus the lists above."""
    texts = set(PLAIN) | set(NOT_PLAIN)
    for po_path in [*(REPO / "locales" / "fr" / "LC_MESSAGES").glob("*.po"),
                    *(ROOTS / "test-i18nfast").rglob("*.po")]:
        with po_path.open("rb") as handle:
            texts |= {str(m.string) for m in read_po(handle) if m.id and m.string}
    return sorted(texts)


def publish(app: Any, text: str, source: str, parser: type) -> nodes.Element:
    """What Sphinx's own i18n function makes of *text* (Sphinx 8 and 9 signatures)."""
    settings = get_default_settings(parser)
    settings.env = app.env
    if "_publish_msgstr" in locale_speed._ORIGINALS:
        return locale_speed._ORIGINALS["_publish_msgstr"](
            text, source, 1, config=app.config, env=app.env, registry=app.registry,
            settings=settings)
    return locale_speed._ORIGINALS["publish_msgstr"](app, text, source, 1, app.config, settings)


def test_the_shortcut_makes_what_the_parsers_make(make_app: Any, tmp_path: Path) -> None:
    """For every message the shortcut accepts, in MyST and in reStructuredText, as a
    paragraph and in the title form, Sphinx's own parse gives the same node."""
    srcdir = copy_root("i18nfast", tmp_path / "src")
    app = build(make_app, srcdir, confoverrides={"language": "fr"})
    checked = 0
    for source, parser in (("index.rst", RSTParser), ("markdown.md", MystParser)):
        syntax = (locale_speed.rst_syntax(app.config, get_default_settings(parser))
                  if parser is RSTParser else locale_speed.myst_syntax(app.env.myst_config))
        assert syntax is not None
        for text in corpus():
            if not syntax.plain(text):
                continue
            for title in (False, True):
                message = f"{text}\n{'=' * 2 * len(text)}" if title else text
                parsed = publish(app, message, str(srcdir / source), parser)
                assert locale_speed.outline(parsed) == locale_speed.outline(
                    locale_speed.shortcut(text, title)), (parser, message)
                checked += 1
    assert checked > 200


def test_each_message_is_parsed_once_and_plain_ones_not_at_all(
    make_app: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counts = {"shortcuts": 0, "parses": 0}
    shortcut, parse = locale_speed.shortcut, MystParser.parse

    def counting_shortcut(text: str, title: bool) -> nodes.Element:
        counts["shortcuts"] += 1
        return shortcut(text, title)

    def counting_parse(self: MystParser, text: str, document: nodes.document) -> None:
        counts["parses"] += 1
        parse(self, text, document)

    monkeypatch.setattr(locale_speed, "shortcut", counting_shortcut)
    monkeypatch.setattr(MystParser, "parse", counting_parse)
    srcdir = copy_root("i18nfast", tmp_path / "src")
    asked: list[object] = []
    name = "_publish_msgstr" if hasattr(i18n, "_publish_msgstr") else "publish_msgstr"
    publish = getattr(i18n, name)
    monkeypatch.setattr(i18n, name, lambda *a, **k: asked.append(a) or publish(*a, **k))
    app = build(make_app, srcdir, confoverrides={"language": "fr"})
    page = (Path(app.outdir) / "markdown.html").read_text(encoding="utf-8")
    assert "Une phrase simple en Markdown." in page
    with (srcdir / "locales" / "fr" / "LC_MESSAGES" / "markdown.po").open("rb") as handle:
        markup = [m for m in read_po(handle) if m.id and m.string and m.string != m.id
                  and not locale_speed.plain_text(str(m.string))]
    assert counts["shortcuts"] > 10
    # Sphinx asks for each message with markup twice; it is parsed once, besides the
    # page itself and the first plain message of a kind (checked against the shortcut).
    assert len(asked) >= 2 * len(markup) > 4
    assert counts["parses"] <= 1 + len(markup) + 2


def test_translated_doctrees_do_not_carry_the_environment(
    make_app: Any, tmp_path: Path
) -> None:
    srcdir = copy_root("i18nfast", tmp_path / "src")
    sizes = {}
    for language in ("en", "fr"):
        app = build(make_app, srcdir, confoverrides={"language": language})
        doctree_path = Path(app.doctreedir) / "index.doctree"
        sizes[language] = doctree_path.stat().st_size
        doctree = pickle.loads(doctree_path.read_bytes())
        foreign = [node for node in doctree.findall()
                   if node.__dict__.get("_document") not in (None, doctree)]
        assert not foreign, foreign[:3]
    assert "Raccourcis de traduction" in (Path(app.outdir) / "index.html").read_text("utf-8")
    # The French doctree holds about the same nodes as the English one, not a copy of
    # the environment with each translated message.
    assert sizes["fr"] < 1.5 * sizes["en"], sizes


def test_outside_the_locale_transform_nothing_changes(
    make_app: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another caller of Sphinx's function (no page being translated) gets a real parse,
    even of a plain message."""
    srcdir = copy_root("i18nfast", tmp_path / "src")
    app = build(make_app, srcdir, confoverrides={"language": "fr"})
    parses = []
    parse = RSTParser.parse
    monkeypatch.setattr(RSTParser, "parse", lambda *args: parses.append(args) or parse(*args))
    settings = get_default_settings(RSTParser)
    settings.env = app.env
    function = getattr(i18n, "_publish_msgstr", None)
    if function is None:
        patch = i18n.publish_msgstr(app, "Plain words", str(srcdir / "index.rst"), 1,
                                    app.config, settings)
    else:
        patch = function("Plain words", str(srcdir / "index.rst"), 1, config=app.config,
                         env=app.env, registry=app.registry, settings=settings)
    assert len(parses) == 1 and patch.astext() == "Plain words"


INLINE = [
    "Une phrase avec *emphase* et **texte fort**.",
    "Lancez `gbifnode build` puis lisez [le guide](https://www.gbif.org/what-is-gbif).",
    "Des mots (*entre parenthèses*) et un [lien](https://www.gbif.org/a%20b?x=1#top) !",
    "Le code `a*b <c>` reste du code.",
    "Voir [le site](http://www.gbif.org).",
]
NOT_INLINE = [
    "*Emphase* au début",  # a start that may open a list
    "**Fort** au début.",
    "Collé*emphase*",  # an emphasis inside a word
    "Une *emphase*suivie",
    "Une * étoile seule",
    "Une *emphase à la fin *",
    "Une image ![logo](https://www.gbif.org/logo.png)",
    "Un [courriel](mailto:node@example.org)",
    "Un [lien local](index.md)",
    "Un [lien *marqué*](https://www.gbif.org)",
    "Un [lien](https://www.gbif.org/a(b))",
    "Un `code ` avec espace",
    "Une *emphase* et un {role}`cible`",
    "Une *emphase* et AT&T",
    "Une *emphase*\net deux lignes",
    "Une phrase simple",
]


def inline(text: str, syntax: locale_speed.Syntax) -> list[inline_messages.Part] | None:
    """The parts of *text* when the i18n transform would make it without the parser."""
    assert syntax.links is not None
    if not text or text != text.strip() or not locale_speed.paragraph_line(text):
        return None
    return inline_messages.inline_parts(text, syntax.markup, syntax.rewritten, syntax.links)


@pytest.mark.parametrize("text", INLINE)
def test_messages_with_simple_inline_markup(text: str) -> None:
    syntax = locale_speed.myst_syntax(Config(url_schemes={"http": None, "https": None},
                                             links_external_new_tab=False))
    assert syntax is not None and syntax.links == {"http", "https"}
    assert inline(text, syntax)


@pytest.mark.parametrize("text", NOT_INLINE)
def test_messages_left_to_the_parser(text: str) -> None:
    syntax = locale_speed.myst_syntax(Config(url_schemes={"http": None, "https": None},
                                             links_external_new_tab=False))
    assert syntax is not None
    assert inline(text, syntax) is None


def test_no_inline_shortcut_where_myst_would_change_links() -> None:
    new_tab = locale_speed.myst_syntax(Config(url_schemes={"https": None},
                                              links_external_new_tab=True))
    assert new_tab is not None and new_tab.links == frozenset()
    converted = locale_speed.myst_syntax(Config(url_schemes={"https": {"url": "x"}},
                                                links_external_new_tab=False))
    assert converted is not None and converted.links == frozenset()
    stars = locale_speed.myst_syntax(Config(enable_extensions={"substitution"},
                                            sub_delimiters=("*", "*")))
    assert stars is not None and stars.links is None


def test_inline_messages_made_as_myst_parses_them(make_app: Any, tmp_path: Path) -> None:
    """Every message (docs, test root, the list above) read as simple inline markup
    gives, node for node (classes, attributes, text, line, source), what Sphinx's own
    parse with MyST gives."""
    srcdir = copy_root("i18nfast", tmp_path / "src")
    app = build(make_app, srcdir, confoverrides={"language": "fr"})
    syntax = locale_speed.myst_syntax(app.env.myst_config)
    assert syntax is not None and syntax.links is not None
    source = str(srcdir / "markdown.md")
    checked = set()
    for text in sorted(set(corpus()) | set(INLINE)):
        parts = inline(text, syntax)
        if parts is None:
            continue
        parsed = publish(app, text, source, MystParser)
        made = inline_messages.paragraph(text, parts, f"{source}:1:<translated>")
        assert made is not None
        assert inline_messages.outline(made) == inline_messages.outline(parsed), text
        checked.add(inline_messages.shape(parts))
    assert len(checked) >= 5, checked


def test_title_walks_only_on_pages_with_named_targets(
    make_app: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Translating a section title, Sphinx searches the page for targets by the old
    title's name: skipped on a page without any named target, kept on one that has
    (the reST page names its renamed section through an indirect target)."""
    seen: dict[str, set[bool]] = {}
    named_targets = locale_speed._named_targets

    def spying(document: nodes.Node) -> bool:
        found = named_targets(document)
        seen.setdefault(Path(document["source"]).stem, set()).add(found)
        return found

    monkeypatch.setattr(locale_speed, "_named_targets", spying)
    srcdir = copy_root("i18nfast", tmp_path / "src")
    app = build(make_app, srcdir, confoverrides={"language": "fr"})
    assert seen == {"index": {True}, "markdown": {False}}, seen
    page = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert "Une section au nom traduit" in page
    assert 'href="#a-section-renamed-in-french">renamed</a>' in page
