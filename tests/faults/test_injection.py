"""Injection surfaces x payloads: nothing a translator, a YAML file, front matter or the
GBIF API writes becomes an element, an attribute or a live link on the page.

Every surface a translation reaches (paragraph, title, list item, table cell,
admonition, hero title / licence / button, partner name, front-matter hero title, a
reStructuredText paragraph) gets every payload in its ``msgstr``; the French build shows
each as text, warns at the ``.po`` line, and ``gbifnode i18n check`` reports it. The
surfaces fed from the source (front matter, a partner-grid body, a ``:data:`` file, the
GBIF API) get the same payloads in the English build. One page per (surface, payload),
one build per group, one test id per case.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from faultkit import Built, build_once
from gbif_server import GbifTestServer
from helpers import copy_root, make_project

from sphinx_gbifnode.cli import main
from sphinx_gbifnode.core.urls import safe_url
from sphinx_gbifnode.i18n.check.rules import check_message
from sphinx_gbifnode.i18n.po_files import read_catalogue

#: payload id -> (kind, text). ``html`` payloads are written as they are; ``url``
#: payloads as the target of a link (or a URL field).
PAYLOADS = {
    "img-onerror": ("html", "<img src=x onerror=alert(1)>"),
    "script": ("html", "<script>alert(1)</script>"),
    "a-javascript": ("html", '<a href="javascript:alert(1)">lien</a>'),
    "mixed-case-scheme": ("url", "JaVaScRiPt:alert(1)"),
    "entity-scheme": ("url", "&#106;avascript:alert(1)"),
    "data-html": ("url", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="),
    "vbscript": ("url", "vbscript:msgbox(1)"),
    "slash-backslash": ("url", "/\\evil.example/x"),
    "protocol-relative": ("url", "//evil.example/x"),
    "double-backslash": ("url", "\\\\evil.example/x"),
}

# --- what must never be in a page -------------------------------------------------------

#: Elements no page of ours has (the theme's own ``<script>`` and search ``<form>`` are
#: checked apart: a script is injected when it runs a payload's ``alert``).
_ACTIVE_TAGS = {"iframe", "object", "embed", "frame", "svg", "math", "base"}
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "poster", "xlink:href"}


def dangerous_url(value: str) -> bool:
    """A link or image source that runs script or leaves for another host (the
    attribute value as the browser reads it: character references decoded)."""
    squeezed = re.sub(r"[\x00-\x20\x7f]+", "", value).lower()
    return (
        squeezed.startswith(("javascript:", "vbscript:", "data:text", "//", "/\\", "\\"))
        or "\\" in value or "evil.example" in urlsplit(squeezed).netloc
    )


class _Injections(HTMLParser):
    """Every element and attribute a payload could have smuggled in."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.text: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_script = tag == "script"
        if tag in _ACTIVE_TAGS:
            self.found.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{name} attribute on <{tag}>")
            if name in _URL_ATTRIBUTES and value and dangerous_url(value):
                self.found.append(f"{name}={value!r} on <{tag}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.found.append("<img src=x>")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script:
            if "alert(" in data or "msgbox(" in data:
                self.found.append(f"<script> running {data[:40]!r}")
            return
        self.text.append(data)


def injections(page: str) -> tuple[list[str], str]:
    """(what was injected, the text a reader sees) of a page's body."""
    parser = _Injections()
    parser.feed(page.split("<body", 1)[1])
    parser.close()
    return parser.found, " ".join("".join(parser.text).split())


def _unquoted(text: str) -> str:
    """French typography turns quotes into « » with spaces: compare without them."""
    return re.sub(r"[\"'«»“”\u00a0\u202f ]", "", text)


def assert_shown_as_text(page: str, kind: str, payload: str, link_text: str = "lien") -> None:
    found, text = injections(page)
    assert not found, found
    if kind == "html":
        assert _unquoted(payload) in _unquoted(text), text
    else:
        assert link_text in text, text


# --- translated surfaces ----------------------------------------------------------------


def _embed(kind: str, payload: str, syntax: str = "myst") -> str:
    if kind == "html":
        return payload
    return f"`lien <{payload}>`_" if syntax == "rst" else f"[lien]({payload})"


#: surface -> (page source, msgid, msgstr made from the embedded payload, file suffix)
TRANSLATED: dict[str, tuple[str, str, Callable[[str], str], str]] = {
    "paragraph": ("# Case\n\nSource paragraph text.\n", "Source paragraph text.",
                  lambda p: f"Texte {p} fin.", ".md"),
    "title": ("# Source title\n\nBody.\n", "Source title", lambda p: f"Titre {p}", ".md"),
    "list-item": ("# Case\n\n- Source item\n- Other item\n", "Source item",
                  lambda p: f"Élément {p}", ".md"),
    "table-cell": ("# Case\n\n| Head | Other |\n|---|---|\n| Source cell | x |\n",
                   "Source cell", lambda p: f"Cellule {p}", ".md"),
    "admonition": ("# Case\n\n:::{note}\nSource note.\n:::\n", "Source note.",
                   lambda p: f"Note {p}", ".md"),
    "admonition-title": ("# Case\n\n:::{admonition} Source heading\nBody.\n:::\n",
                         "Source heading", lambda p: f"En-tête {p}", ".md"),
    "hero-title": (":::{hero} Source hero\n:image: _static/hero.png\n:licence: CC0\n:::\n\n"
                   "# Case\n", "Source hero", lambda p: f"Bannière {p}", ".md"),
    "hero-licence": ("# Case\n\n:::{hero} Hero\n:image: _static/hero.png\n"
                     ":licence: Photo by A. Author, CC0\n:::\n", "Photo by A. Author, CC0",
                     lambda p: f"Photo {p}", ".md"),
    "hero-button": ("# Case\n\n:::{hero} Hero\n:image: _static/hero.png\n:licence: CC0\n"
                    ":cta: Source button <https://www.gbif.org>\n:::\n", "Source button",
                    lambda p: f"Bouton {p}", ".md"),
    "partner-name": ("# Case\n\n:::{partner-grid}\n:captions:\n- name: Source partner\n"
                     "  url: https://partner.example\n:::\n", "Source partner",
                     lambda p: f"Partenaire {p}", ".md"),
    "front-matter-title": ("---\nbackground: _static/hero.png\ntitle: Source banner\n"
                           "imageLicense: CC0\n---\n# Case\n", "Source banner",
                           lambda p: f"Bannière {p}", ".md"),
    "rst-paragraph": ("Case\n====\n\nSource paragraph text.\n", "Source paragraph text.",
                      lambda p: f"Texte {p} fin.", ".rst"),
}
TRANSLATED_CASES = [(surface, pid) for surface in TRANSLATED for pid in PAYLOADS]


def _docname(surface: str, pid: str) -> str:
    return f"{surface}--{pid}"


def _write_po(path: Path, msgid: str, msgstr: str, source: str = "index.md") -> None:
    """A catalogue as ``gbifnode i18n update`` writes it: the message's source file is
    its location (which tells ``i18n check`` the message's syntax)."""
    catalog = Catalog(locale="fr")
    catalog.add(msgid, msgstr, locations=[(source, 3)])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog)


@pytest.fixture(scope="module")
def translated_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pages: dict[str, str] = {}
    for surface, pid in TRANSLATED_CASES:
        source, _msgid, _msgstr, suffix = TRANSLATED[surface]
        marker = ":orphan:\n\n" if suffix == ".rst" else "---\norphan: true\n---\n"
        if source.startswith("---\n"):
            source = "---\norphan: true\n" + source[4:]
        else:
            source = marker + source
        pages[_docname(surface, pid) + suffix] = source
    titles = "\n".join(_docname("title", pid) for pid in PAYLOADS)
    pages["index.md"] = f"# Cases\n\n```{{toctree}}\n{titles}\n```\n"
    srcdir = make_project(tmp_path_factory.mktemp("translated") / "src", pages)
    for surface, pid in TRANSLATED_CASES:
        _source, msgid, msgstr, suffix = TRANSLATED[surface]
        kind, payload = PAYLOADS[pid]
        text = msgstr(_embed(kind, payload, "rst" if suffix == ".rst" else "myst"))
        _write_po(_po(srcdir, surface, pid), msgid, text, _docname(surface, pid) + suffix)
    return srcdir


def _po(srcdir: Path, surface: str, pid: str) -> Path:
    return srcdir / "locales" / "fr" / "LC_MESSAGES" / f"{_docname(surface, pid)}.po"


@pytest.fixture(scope="module")
def french(translated_site: Path) -> Built:
    return build_once(translated_site, confoverrides={"language": "fr"})


@pytest.fixture(scope="module")
def i18n_check(translated_site: Path) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["i18n", "check", str(translated_site)]) == 1
    return out.getvalue()


def _msgstr_line(po: Path) -> int:
    (entry,) = [e for e in read_catalogue(po) if e.msgid]
    return entry.line


#: Where the build itself has something to turn into text (and says so at the .po
#: line): raw HTML in MyST, and links reStructuredText makes from any target. (MyST
#: refuses ``javascript:`` links itself and leaves the others as links to this page; in
#: reStructuredText ``/\evil`` is the path ``/evil``; HTML is printed as text there.)
def _build_acts(surface: str, kind: str, pid: str) -> bool:
    if surface == "rst-paragraph":
        return kind == "url" and pid != "slash-backslash"
    return kind == "html"


@pytest.mark.parametrize(("surface", "pid"), TRANSLATED_CASES,
                         ids=[f"{s}-{p}" for s, p in TRANSLATED_CASES])
def test_translation_is_shown_as_text(translated_site, french, surface: str, pid: str) -> None:
    kind, payload = PAYLOADS[pid]
    page = french.page(_docname(surface, pid))
    assert_shown_as_text(page, kind, payload)
    po = _po(translated_site, surface, pid)
    warning = f"{po}:{_msgstr_line(po)}: WARNING: the translation of "
    if _build_acts(surface, kind, pid):
        assert warning in french.warnings and "[gbifnode.translation]" in french.warnings
    assert "Traceback" not in french.warnings


@pytest.mark.parametrize(("surface", "pid"), TRANSLATED_CASES,
                         ids=[f"{s}-{p}" for s, p in TRANSLATED_CASES])
def test_i18n_check_reports_it(translated_site, i18n_check, surface: str, pid: str) -> None:
    kind, _payload = PAYLOADS[pid]
    po = _po(translated_site, surface, pid)
    expected = "raw-html" if kind == "html" else "unsafe-url"
    assert f"{po.name}:{_msgstr_line(po)}: error [{expected}]" in i18n_check, i18n_check


def test_no_page_of_the_french_site_carries_a_payload(french) -> None:
    """Titles travel: into the toctree, previous/next links and ``<title>``."""
    pages = sorted(french.outdir.rglob("*.html"))
    assert len(pages) > len(TRANSLATED_CASES)
    for path in pages:
        found, _text = injections(path.read_text(encoding="utf-8"))
        assert not found, (path.name, found)
        head = path.read_text(encoding="utf-8").split("<body", 1)[0]
        assert "<img src=x" not in head and "<script>alert" not in head, path.name


def test_the_original_markup_of_a_message_is_kept(tmp_path: Path) -> None:
    """The author's own HTML and links stay as they are in the translation, an e-mail
    autolink included; only what the translation adds is text."""
    source = "Line one<br>two, <b>bold</b>, [mail](mailto:a@node.example) or <b@node.example>."
    srcdir = make_project(tmp_path / "src", {"index.md": f"# Page\n\n{source}\n"})
    _write_po(srcdir / "locales" / "fr" / "LC_MESSAGES" / "index.po", source,
              "Ligne un<br>deux, <b>gras</b> <i>ajouté</i>, [courriel](mailto:a@node.example) "
              "ou <b@node.example>.")
    built = build_once(srcdir, confoverrides={"language": "fr"})
    page = built.page()
    assert "Ligne un<br>deux, <b>gras</b> &lt;i&gt;ajouté&lt;/i&gt;," in page
    # (Sphinx writes e-mail addresses with character references.)
    assert page.count('<a class="reference external" href="mailto:') == 2
    assert ">courriel</a>" in page
    assert "adds raw HTML '<i>', raw HTML '</i>': shown as text" in built.warnings
    assert "a link to" not in built.warnings


def test_the_authors_substitutions_stay_html(tmp_path: Path) -> None:
    """HTML a message brings in through the author's ``myst_substitutions`` is the
    author's, not the translator's."""
    srcdir = make_project(
        tmp_path / "src", {"index.md": "# Page\n\nFlag {{ flag }} here.\n"},
        'myst_enable_extensions = ["colon_fence", "substitution"]\n'
        'myst_substitutions = {"flag": \'<span class="flag">BE</span>\'}\n',
    )
    _write_po(srcdir / "locales" / "fr" / "LC_MESSAGES" / "index.po",
              "Flag {{ flag }} here.", "Drapeau {{ flag }} ici.")
    built = build_once(srcdir, confoverrides={"language": "fr"})
    assert 'Drapeau <span class="flag">BE</span> ici.' in built.page()
    assert "gbifnode.translation" not in built.warnings


# --- surfaces fed from the source -------------------------------------------------------

SOURCE_SURFACES = ["front-matter", "front-matter-title", "partner-body", "data-file",
                   "gbif-api"]
SOURCE_CASES = [(surface, pid) for surface in SOURCE_SURFACES for pid in PAYLOADS]


def _source_page(surface: str, pid: str) -> tuple[str, dict[str, str]]:
    """The page of a case and the extra files it needs."""
    kind, payload = PAYLOADS[pid]
    text = payload if kind == "html" else "Text"
    url = payload if kind == "url" else "https://ok.example"
    name = f"{surface}--{pid}"
    if surface == "front-matter":
        description = text if kind == "html" else f"[lien]({payload})"
        cta = json.dumps([{"text": "Go", "href": url}])
        return (f"---\norphan: true\nbackground: _static/hero.png\ntitle: {json.dumps(text)}\n"
                f"description: {json.dumps(description)}\nimageLicense: {json.dumps(text)}\n"
                f"cta: {cta}\n---\n# Case\n"), {}
    if surface == "front-matter-title":
        # No level-1 heading and no banner: the front-matter title is the page's title.
        title = text if kind == "html" else f"[lien]({payload})"
        return f"---\norphan: true\ntitle: {json.dumps(title)}\n---\n## Part\n\nText.\n", {}
    partner = f"- name: {json.dumps(text)}\n  url: {json.dumps(url)}\n  logo: {json.dumps(url)}\n"
    if surface == "partner-body":
        return f"---\norphan: true\n---\n# Case\n\n:::{{partner-grid}}\n:captions:\n{partner}:::\n", {}
    if surface == "data-file":
        return (f"---\norphan: true\n---\n# Case\n\n:::{{partner-grid}}\n:captions:\n"
                f":data: {name}.yml\n:::\n", {f"{name}.yml": partner})
    return (f"---\norphan: true\n---\n# Case\n\n:::{{gbif-publishers}}\n:country: BE\n"
            f":q: case-{pid}\n:logos:\n:::\n"), {}


def _api_records() -> list[dict[str, object]]:
    records = []
    for number, (pid, (kind, payload)) in enumerate(PAYLOADS.items()):
        records.append({
            "key": f"4e1b6a0a-0000-4000-8000-{number:012d}",
            "title": f"case-{pid} " + (payload if kind == "html" else "Text"),
            "city": payload if kind == "html" else "Brussels",
            "country": "BE",
            "homepage": [payload if kind == "url" else "https://ok.example"],
            "logoUrl": payload if kind == "url" else "https://ok.example/logo.png",
            "numPublishedDatasets": 1,
        })
    return records


@pytest.fixture(scope="module")
def source_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    server = GbifTestServer()
    server.collections["organization"] = _api_records()
    server.start()
    try:
        srcdir = copy_root("basic", tmp_path_factory.mktemp("sources") / "src")
        for surface, pid in SOURCE_CASES:
            page, files = _source_page(surface, pid)
            (srcdir / f"{surface}--{pid}.md").write_text(page, encoding="utf-8")
            for name, text in files.items():
                (srcdir / name).write_text(text, encoding="utf-8")
        return build_once(srcdir, confoverrides={"gbifnode_api_url": server.url,
                                                 "gbifnode_timeout": 5})
    finally:
        server.stop()


@pytest.mark.parametrize(("surface", "pid"), SOURCE_CASES,
                         ids=[f"{s}-{p}" for s, p in SOURCE_CASES])
def test_source_text_is_escaped_and_urls_checked(source_build, surface: str, pid: str) -> None:
    kind, payload = PAYLOADS[pid]
    page = source_build.page(f"{surface}--{pid}")
    shown = {"front-matter": "lien", "front-matter-title": "lien",
             "gbif-api": f"case-{pid}"}.get(surface, "Text")
    assert_shown_as_text(page, kind, payload, link_text=shown)
    if kind == "url" and surface in ("partner-body", "data-file"):
        assert f"url {payload!r} is not allowed" in source_build.warnings
    if kind == "url" and surface == "front-matter":
        assert f"hero button 'Go': URL {payload!r} is not allowed" in source_build.warnings
    assert "Traceback" not in source_build.warnings


# --- the URL check itself ---------------------------------------------------------------

REFUSED_URLS = [
    *(payload for kind, payload in PAYLOADS.values() if kind == "url"),
    "javascript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "java\nscript:alert(1)", "\x01javascript:alert(1)", "&#x6A;avascript:alert(1)",
    "&#106&#97&#118&#97&#115&#99&#114&#105&#112&#116&#58alert(1)", "data:image/svg+xml,x",
    "https:/\\evil.example", "https:\\\\evil.example", "https:evil.example",
    "https:/evil.example", "http:///evil.example", "/\\/evil.example", "\\/evil.example",
    "/%2F/evil.example", "/%5Cevil.example", "%2F%2Fevil.example", "https://ok.example\\@evil",
    "file:///etc/passwd", "mailto:someone@example.org", "ftp://example.org",
]
KEPT_URLS = ["https://www.gbif.org/", "HTTP://GBIF.ORG", "about/team", "/about/", "#top",
             "?q=1", "../index.html", "https://example.org/?a=1&b=2", "a/b%2Fc"]


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_safe_url_refuses(url: str) -> None:
    assert safe_url(url) is None


@pytest.mark.parametrize("url", KEPT_URLS)
def test_safe_url_keeps(url: str) -> None:
    assert safe_url(url) == url


#: Links a translation adds, spelled to slip past a simple check (MyST and rST).
LINK_TRICKS = {
    "tab-inside-scheme": ("myst", "[lien](<java\tscript:alert(1)>)"),
    "tab-reference": ("myst", '<a href="java&#9;script:alert(1)">lien</a>'),
    "newline-reference": ("myst", '<a href="java&#10;script:alert(1)">lien</a>'),
    "hex-reference": ("myst", "[lien](&#x6A;avascript:alert(1))"),
    "leading-space": ("myst", '<a href=" javascript:alert(1)">lien</a>'),
    "upper-vbscript": ("rst", "`lien <VBSCRIPT:msgbox(1)>`_"),
    "upper-data": ("rst", "`lien <DATA:text/html,x>`_"),
    "image-data": ("myst", "![logo](data:text/html,x)"),
    "https-slash-backslash": ("myst", "[lien](https:/\\evil.example)"),
    "backslash-slash": ("rst", "`lien <\\/evil.example>`_"),
    "encoded-slashes": ("myst", "[lien](/%2F/evil.example)"),
}


@pytest.mark.parametrize("case", sorted(LINK_TRICKS))
def test_i18n_check_sees_through_link_tricks(case: str) -> None:
    syntax, msgstr = LINK_TRICKS[case]
    found = check_message("Read the guide.", f"Lisez {msgstr}.", syntax)
    assert [f.kind for f in found if not f.warning and f.kind == "unsafe-url"], found
