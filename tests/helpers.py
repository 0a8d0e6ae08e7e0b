"""Helpers for tests: copy a test root, build it, translate it through a real ``.po``."""

from __future__ import annotations

import gettext
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po, write_po

from sphinx_gbifnode.core.png import encode_png

TESTS = Path(__file__).resolve().parent
#: The repository (docs/, locales/, src/ ...).
REPO = TESTS.parent
#: The package's source folder.
PACKAGE = REPO / "src" / "sphinx_gbifnode"
FIXTURES = TESTS / "fixtures"
ROOTS = TESTS / "roots"
#: Overrides that build the French pages of a multilingual site on their own, as
#: sphinx.testing does (into ``<builddir>/html``, not ``OUT/fr/``): the build is told the
#: other languages are beside it, so it links to them without warning.
ONE_LANGUAGE_OF_SITE = {"language": "fr", "gbifnode_language_folders": True}


def copy_root(name: str, destination: Path) -> Path:
    """Copy ``tests/roots/test-<name>`` to *destination* and return it."""
    shutil.copytree(ROOTS / f"test-{name}", destination, dirs_exist_ok=True)
    return destination


def png_bytes(width: int, height: int, rgb: tuple[int, int, int] = (40, 120, 60)) -> bytes:
    """A valid solid-colour PNG of the given size (for logos and hero photos)."""
    return encode_png(width, height, [bytes(rgb) * width] * height)


def build(make_app: Callable[..., Any], srcdir: Path, builder: str = "html", **kwargs: Any) -> Any:
    """Build *srcdir* with a fresh Sphinx app; return the app (``app.outdir``,
    ``app.warning.getvalue()``).

    Each builder and language gets its own build directory beside *srcdir*, as
    ``sphinx-build`` users keep them apart."""
    language = kwargs.get("confoverrides", {}).get("language", "default")
    kwargs.setdefault("builddir", srcdir.parent / f"_build-{srcdir.name}-{builder}-{language}")
    # gettext keeps every .mo it has read, by path, for the life of the process: a
    # test that edits a catalogue and builds again must find the new one, as a new
    # ``sphinx-build`` process would (and as ``gbifnode serve`` makes sure).
    gettext._translations.clear()  # type: ignore[attr-defined]
    app = make_app(builder, srcdir=srcdir, **kwargs)
    try:
        app.build()
    finally:
        # Unregister this app's docutils nodes and directives, so that a second build
        # in the same test starts as clean as a new ``sphinx-build`` process.
        app.cleanup()
    return app


def translate_project(
    make_app: Callable[..., Any],
    srcdir: Path,
    translate: Callable[[str], str | None],
    language: str = "fr",
) -> dict[str, list[str]]:
    """Extract messages with the real gettext builder, fill ``msgstr`` with
    ``translate(msgid)`` and write ``locales/<language>/LC_MESSAGES/*.po``.

    Returns the extracted msgids per catalogue (the ``.pot`` contents)."""
    app = build(make_app, srcdir, "gettext")
    extracted: dict[str, list[str]] = {}
    for pot in sorted(Path(app.outdir).rglob("*.pot")):
        with pot.open("rb") as handle:
            catalog = read_po(handle)
        domain = pot.relative_to(app.outdir).with_suffix("").as_posix()
        extracted[domain] = [m.id for m in catalog if m.id]
        catalog.locale = language  # type: ignore[assignment]
        for message in catalog:
            if message.id:
                message.string = translate(str(message.id)) or ""
        target = srcdir / "locales" / language / "LC_MESSAGES" / f"{domain}.po"
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as handle:
            write_po(handle, catalog)
    return extracted


def html(app: Any, docname: str = "index") -> str:
    return (Path(app.outdir) / f"{docname}.html").read_text(encoding="utf-8")


def make_project(destination: Path, pages: dict[str, str], conf_extra: str = "") -> Path:
    """A project with the ``basic`` root's conf.py and images, and the given pages
    (``{"index.md": "..."}``); pages not in the toctree are marked orphan by the test."""
    destination.mkdir(parents=True, exist_ok=True)
    basic = ROOTS / "test-basic"
    shutil.copytree(basic / "_static", destination / "_static", dirs_exist_ok=True)
    conf = (basic / "conf.py").read_text(encoding="utf-8")
    (destination / "conf.py").write_text(conf + "\n" + conf_extra, encoding="utf-8")
    for name, text in pages.items():
        path = destination / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return destination


def warnings_of(app: Any) -> str:
    """The build's warnings, with ANSI colours removed."""
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())


def gbif_site(tmp_path: Path, index: str | None = None) -> Path:
    """A copy of the ``gbif`` root (conf.py for the test server) with *index* as its page."""
    srcdir = copy_root("gbif", tmp_path / "src")
    if index is not None:
        (srcdir / "index.md").write_text(index, encoding="utf-8")
    return srcdir


def build_gbif_site(make_app: Callable[..., Any], srcdir: Path, api: Any, **conf: Any) -> Any:
    """A fresh HTML build of *srcdir* asking *api* (a test server or a URL) for GBIF data;
    *conf* overrides settings."""
    url = api if isinstance(api, str) else api.url
    app = build(make_app, srcdir, confoverrides={"gbifnode_api_url": url, **conf},
                freshenv=True)
    app.cleanup()  # several apps per test: unregister this one's nodes before the next
    return app


@dataclass
class Element:
    """An HTML element as parsed: its tag, attributes, text and the classes of the
    elements around it."""

    tag: str
    attrs: dict[str, str]
    text: str = ""
    within: set[str] = field(default_factory=set)


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
         "source", "track", "wbr"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Element] = []
        self.open: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = set().union(*(e.attrs.get("class", "").split() for e in self.open))
        element = Element(tag, {k: v or "" for k, v in attrs}, within=classes)
        self.found.append(element)
        if tag not in _VOID:
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index].tag == tag:
                del self.open[index:]
                break

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element.text += data


def elements(page: str, tag: str, *, within: str | None = None, **attrs: str) -> list[Element]:
    """The *tag* elements of *page* that have the given attribute values (``class_`` for
    ``class``) and, with *within*, sit inside an element of that class. Assertions on
    them cannot pass by a lucky substring elsewhere in the page."""
    collector = _Collector()
    collector.feed(page)
    collector.close()
    wanted = {name.rstrip("_").replace("_", "-"): value for name, value in attrs.items()}
    return [
        element
        for element in collector.found
        if element.tag == tag
        and all(element.attrs.get(name) == value for name, value in wanted.items())
        and (within is None or within in element.within)
    ]
