"""``gbifnode i18n check --built OUT``: compare the built pages of each language.

A translation that breaks markup shows in the built site as a page with fewer images,
links or headings than the same page in the default language. This module reads the
HTML that ``gbifnode build`` wrote (``OUT/<lang>/...``) and reports, page by page, what
each translated page lost. Only the main content is compared (``role="main"`` or
``<main>``), so navigation, sidebars and the language switcher do not count.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from ...core.errors import CommandError
from .links import accept_localised_links

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
         "source", "track", "wbr"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


@dataclass
class PageContent:
    """The images, links and headings of a page's main content, and its text outside
    code (where markup that did not parse shows)."""

    images: Counter[str] = field(default_factory=Counter)
    links: Counter[str] = field(default_factory=Counter)
    headings: Counter[str] = field(default_factory=Counter)
    text: list[str] = field(default_factory=list)


#: Markup printed as text: what a broken translation leaves on the page.
_LEAKED_MARKUP = re.compile(
    r"(?P<image>!\s*\[[^\]\n]*\]\s*\()"
    r"|(?P<link>\]\s*\((?=[\w./#]))"
    r"|(?P<role>(?:\{[\w:.+-]+\}|:[\w:.+-]+:)\s*`)"
    r"|(?P<reference>`\s*__?(?!\w))"
    r"|(?P<literal>``)"
    r"|(?P<emphasis>\*\*)"
)
_CODE = {"code", "pre", "kbd", "samp", "tt", "script", "style", "textarea"}


class _PageParser(HTMLParser):
    """Collects the whole page and the main region separately; the main region wins
    when the theme marks one."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.whole = PageContent()
        self.main = PageContent()
        self.found_main = False
        self._depth = 0  # open elements inside the main region (0: outside)
        self._code = 0  # open code elements, whose text is meant to show markup

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in _CODE:
            self._code += 1
        if self._depth:
            if tag not in _VOID:
                self._depth += 1
        elif not self.found_main and (tag == "main" or attributes.get("role") == "main"):
            self.found_main = True
            self._depth = 1
        targets = [self.whole, self.main] if self._depth else [self.whole]
        for content in targets:
            _collect(content, tag, attributes)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for content in [self.whole, self.main] if self._depth else [self.whole]:
            _collect(content, tag, dict(attrs))

    def handle_endtag(self, tag: str) -> None:
        if tag in _CODE and self._code:
            self._code -= 1
        if self._depth and tag not in _VOID:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._code:
            return
        self.whole.text.append(data)
        if self._depth:
            self.main.text.append(data)


def _collect(content: PageContent, tag: str, attributes: dict[str, str | None]) -> None:
    if tag == "img" and attributes.get("src"):
        content.images[_language_neutral(attributes["src"] or "")] += 1
    elif tag == "a" and attributes.get("href") and "hreflang" not in attributes:
        # Anchors are made from translated titles, so they differ by language: compare
        # the page a link goes to, not the fragment.
        target = (attributes["href"] or "").split("#", 1)[0]
        if target:
            content.links[target] += 1
    elif tag in _HEADINGS:
        content.headings[tag] += 1


_LANGUAGE_SUFFIX = re.compile(r"\.[a-z]{2,3}(?:[_-][A-Za-z]{2,4})?(?=\.[A-Za-z0-9]+$)")


def _language_neutral(src: str) -> str:
    """``map.fr.png`` -> ``map.png``: ``figure_language_filename`` may localise images."""
    return _LANGUAGE_SUFFIX.sub("", src)


def leaked_markup(content: PageContent) -> list[tuple[str, str]]:
    """(kind, excerpt) of each piece of markup printed as text on the page."""
    text = " ".join(" ".join(content.text).split())
    found = []
    for match in _LEAKED_MARKUP.finditer(text):
        start = max(0, match.start() - 15)
        found.append((str(match.lastgroup), text[start : match.end() + 25].strip()))
    return found


def read_page(path: Path) -> PageContent:
    """The images, links and headings of the main content of the HTML page at *path*."""
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser.main if parser.found_main else parser.whole


@dataclass(frozen=True)
class BuiltProblem:
    """A translated page that lost something the default language's page has."""

    language: str
    page: str  # path relative to OUT/<lang>/
    kind: str  # image, link, heading, markup or page
    detail: str
    path: Path


def _lost(kind: str, source: Counter[str], translation: Counter[str]) -> str | None:
    missing = source - translation
    if not missing:
        return None
    items = ", ".join(sorted(missing.elements()))
    have, now = sum(source.values()), sum(translation.values())
    lost = sum(missing.values())
    return f"{lost} {kind}(s) lost ({have} in the default language, {now} here): {items}"


def compare_built(
    out: Path, default: str | None, languages: list[str] | None = None
) -> tuple[list[BuiltProblem], list[str]]:
    """Compare every page of ``OUT/<lang>/`` with ``OUT/<default>/``.

    *default* None: the folder with ``index.html`` that sorts first among ``en`` and the
    others (``en`` when present). Returns the problems and summary lines.
    """
    if not out.is_dir():
        raise CommandError(f"--built {out}: no such folder (build the site first)")
    folders = sorted(p.name for p in out.iterdir() if p.is_dir() and any(p.glob("*.html")))
    if default is None:
        default = "en" if "en" in folders else (folders[0] if folders else None)
    if default not in folders:
        missing = f"no {default}/ folder" if default else "no language folder"
        raise CommandError(
            f"--built {out}: {missing} with HTML pages (the layout of `gbifnode build` "
            "is OUT/<lang>/)"
        )
    others = [lang for lang in folders if lang != default and (not languages or lang in languages)]
    pages = sorted(
        p.relative_to(out / default).as_posix()
        for p in (out / default).rglob("*.html")
        if not {"_static", "_sources", "_images"} & set(p.relative_to(out / default).parts)
    )
    reference = {page: read_page(out / default / page) for page in pages}
    problems: list[BuiltProblem] = []
    summary = [f"  built pages: {len(pages)} per language, compared with {default}/"]
    for language in others:
        found = 0
        for page in pages:
            path = out / language / page
            if not path.is_file():
                problems.append(BuiltProblem(language, page, "page", "page missing", path))
                found += 1
                continue
            content = read_page(path)
            source = reference[page]
            # As in catalogues, a link may go to the same site's page in this language.
            links = accept_localised_links(source.links, content.links, language)
            for kind, before, after in (
                ("image", source.images, content.images),
                ("link", source.links, links),
                ("heading", source.headings, content.headings),
            ):
                detail = _lost(kind, before, after)
                if detail:
                    problems.append(BuiltProblem(language, page, kind, detail, path))
                    found += 1
            leaked = leaked_markup(content)
            extra = len(leaked) - len(leaked_markup(source))
            if extra > 0:
                excerpts = "; ".join(f"“…{excerpt}…”" for _kind, excerpt in leaked[:3])
                detail = f"{extra} piece(s) of markup printed as text: {excerpts}"
                problems.append(BuiltProblem(language, page, "markup", detail, path))
                found += 1
        summary.append(
            f"  {language}/: {found} problem{'s' if found != 1 else ''} in built pages"
        )
    return problems, summary


def format_built_problem(problem: BuiltProblem) -> str:
    """``OUT/fr/index.html: [built image] ...`` (one line)."""
    return f"{problem.path}: [built {problem.kind}] {problem.detail}"
