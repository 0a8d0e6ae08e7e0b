"""The sentence ledger: every prose sentence of the Jekyll site, in every language, is
found in that language's built HTML or named in the import report with its reason.

The imported project is built with ``gbifnode build`` (offline, into a temporary
folder). Each page of the site, in each language, is reduced to its sentences (Liquid,
HTML and Markdown markup stripped); a sentence and a built page are compared as their
words only (case, punctuation, typographic quotes, entities and spacing do not count).
A sentence that is not in the HTML is *accounted for* when the report already says why
(its text or its block is named by an entry of the same file, or the whole file was not
imported), and *lost* otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import io
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..core.errors import CommandError
from ..site import command as site_command
from .jekyll_site import PAGE_SUFFIXES, Page, Site, read_site, split_front_matter
from .report import Entry, Report

#: A report entry that says the whole body after its line is not shown by the site.
_WHOLE_BODY = ("did not show this body", "body kept as a comment")

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_LIQUID = re.compile(r"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}|\{%.*?%\}|\{\{.*?\}\}",
                     re.S)
_HIDDEN = re.compile(r"<(script|style|noscript)\b.*?</\1\s*>", re.S | re.I)
_ATTRIBUTES = re.compile(r"\{:?[^{}\n]*\}(?=\s|$|[.,;:!?)*_])")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]")
_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()\s]|\([^)]*\))*(?:\s+\"[^\"]*\")?\)"
                   r"|\[([^\]]*)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_TAG = re.compile(r"</?[A-Za-z][^>]*>|<!\[CDATA\[|\]\]>")
#: Tags of the built HTML that sit inside a word's letters (``<strong>M</strong>inimum``).
_INLINE_TAG = re.compile(
    r"</?(?:a|abbr|b|bdi|bdo|cite|code|data|dfn|em|i|kbd|mark|q|s|samp|small|span|strong|"
    r"sub|sup|time|u|var|wbr)(?:\s[^>]*)?>", re.I)
_BLOCK_TAG = re.compile(r"</?(p|div|br|li|ul|ol|tr|td|th|table|h[1-6]|section|blockquote)\b[^>]*>",
                        re.I)
_EMPHASIS = re.compile(r"\*+|(?<![\w])_+|_+(?![\w])|`+|~~")
_LINE_MARK = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+|\|)")
_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+")
_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$|^\s*\|?\s*:?-{2,}")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”»)]*\s+(?=[\"'“«(¿¡]?[^\W\d_a-z])")
_WORD = re.compile(r"[^\W_]+")
_LANGUAGE_DIR = re.compile(r"^[a-z]{2,3}(?:[_-][A-Za-z]{2,4})?$")


def words(text: str) -> str:
    """*text* as its words, lower case, one space apart: what the comparison sees."""
    text = unicodedata.normalize("NFKC", html.unescape(text)).casefold()
    return " ".join(_WORD.findall(text))


def plain(markup: str) -> str:
    """The text a reader sees of one line of Markdown/HTML (markup stripped)."""
    text = _IMAGE.sub(" ", markup)
    text = _LINK.sub(lambda m: m.group(1) or m.group(2) or "", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _ATTRIBUTES.sub("", text)  # no space: kramdown renders none
    text = _BLOCK_TAG.sub("\n", text)
    text = _TAG.sub("", text)  # inline tags (<b>, <a>) sit inside words' spacing
    text = _EMPHASIS.sub("", text)
    return html.unescape(text)


@dataclass(frozen=True)
class Sentence:
    """One prose sentence of a page of the site, at its line."""

    path: Path
    line: int
    text: str
    #: the lines of the source block holding it: the run of non-blank lines around it,
    #: which is how far an HTML block of Markdown reaches
    block: tuple[int, int]

    @property
    def key(self) -> str:
        return words(self.text)


def _blank_out(pattern: re.Pattern[str], text: str) -> str:
    # Removed spans keep their newlines, so every later line keeps its number.
    return pattern.sub(lambda m: "\n" * m.group(0).count("\n") + " ", text)


#: Front matter a hosted-portal page shows as text (its hero).
FRONT_TEXT = ("preTitle", "title", "description")


def front_sentences(page: Page) -> list[Sentence]:
    """The sentences the page's hero shows from its front matter (title, description,
    call-to-action buttons), at the line of their key."""
    try:
        lines = page.path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    texts: list[tuple[str, str]] = [(key, page.front[key]) for key in FRONT_TEXT
                                    if isinstance(page.front.get(key), str)]
    buttons = page.front.get("cta")
    if isinstance(buttons, list):
        texts += [("text", button["text"]) for button in buttons
                  if isinstance(button, dict) and isinstance(button.get("text"), str)]
    found = []
    for key, value in texts:
        value = _blank_out(_LIQUID, value)
        line = next((number for number, text in enumerate(lines[:page.body_line], start=1)
                     if re.match(rf"\s*(?:-\s+)?{key}\s*:", text)
                     and words(plain(value))[:20] in words(plain(text))), page.front_line)
        found += _block_sentences(page.path, [(line, part.strip()) for part in
                                              plain(value).split("\n") if part.strip()])
    return found


def prose_sentences(page: Page) -> list[Sentence]:
    """The sentences of *page*'s body: what the site shows as prose (at least two words)."""
    body = page.body
    for pattern in (_COMMENT, _LIQUID, _HIDDEN):
        body = _blank_out(pattern, body)
    sentences: list[Sentence] = []
    block: list[tuple[int, str]] = []
    fenced = False

    runs = _runs(page.body, page.body_line)

    def flush() -> None:
        if block:
            sentences.extend(_block_sentences(page.path, block, runs.get(block[0][0])))
            block.clear()

    for number, raw in enumerate(body.splitlines(), start=page.body_line):
        stripped = raw.strip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
            flush()
            continue
        if fenced or not stripped or _RULE.match(raw) or _REFERENCE.match(raw):
            flush()
            continue
        if _LINE_MARK.match(raw) or stripped.startswith("<"):
            flush()  # a heading, list item, quote or table row starts a block
        for part in plain(_LINE_MARK.sub("", raw)).split("\n"):
            cells = part.split("|")
            for cell in cells:
                if cell.strip():
                    block.append((number, cell.strip()))
                if len(cells) > 1:
                    flush()  # table cells are blocks of their own
    flush()
    return sentences


def _runs(body: str, first_line: int) -> dict[int, tuple[int, int]]:
    """Line -> (first, last) line of the run of non-blank lines holding it."""
    runs: dict[int, tuple[int, int]] = {}
    current: list[int] = []
    for number, line in enumerate([*body.splitlines(), ""], start=first_line):
        if line.strip():
            current.append(number)
            continue
        runs.update({n: (current[0], current[-1]) for n in current})
        current = []
    return runs


def _block_sentences(path: Path, block: list[tuple[int, str]],
                     run: tuple[int, int] | None = None) -> list[Sentence]:
    span = run or (block[0][0], block[-1][0])
    text = " ".join(part for _line, part in block)
    found: list[Sentence] = []
    for piece in _SENTENCE_END.split(" ".join(text.split())):
        if len(words(piece).split()) < 2:
            continue
        first = words(piece).split()[:2]
        # The line where the sentence starts: at or after the previous sentence's.
        after = found[-1].line if found else 0
        line = next((number for number, part in block if number >= after and (
                     " ".join(first) in words(part) or first[0] in words(part).split())),
                    after or block[0][0])
        found.append(Sentence(path, line, piece, span))
    return found


@dataclass
class Totals:
    """One language's ledger."""

    sentences: int = 0
    found: int = 0
    accounted: int = 0
    lost: int = 0


@dataclass
class Ledger:
    """Totals per language, and every sentence not found with its reason (or none)."""

    totals: dict[str, Totals] = field(default_factory=dict)
    #: (language, sentence, reason): reason is None for a lost sentence
    missing: list[tuple[str, Sentence, str | None]] = field(default_factory=list)
    build_problem: str | None = None

    @property
    def lost(self) -> int:
        return sum(total.lost for total in self.totals.values())


def build_html(out: Path, html_dir: Path) -> tuple[int, str]:
    """``gbifnode build OUT HTML_DIR -D gbifnode_offline=1``: its status and output."""
    parser = argparse.ArgumentParser(prog="gbifnode build")
    site_command.add_arguments(parser)
    args = parser.parse_args([str(out), str(html_dir), "-D", "gbifnode_offline=1", "-q"])
    output = io.StringIO()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        try:
            status = site_command.run(args)
        except CommandError as exc:
            return 1, str(exc)
    return status, output.getvalue()


def page_words(path: Path) -> str:
    """The words of the main content of a built HTML page ("" when it is not there)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    start = text.find("<main")
    end = text.rfind("</main>")
    if start >= 0 and end > start:
        text = text[start:end]
    text = _HIDDEN.sub(" ", text)
    text = _INLINE_TAG.sub("", text)
    return " " + words(_TAG.sub(" ", text)) + " "


def check(site_root: Path, out: Path, report: Report, **read_options: Any) -> Ledger:
    """Build *out* (the imported project of *site_root*) and compute the ledger; the
    totals and every sentence not found go into *report*. *read_options* are those the
    import read the site with (:func:`~.jekyll_site.read_site`)."""
    ledger = Ledger()
    site = read_site(site_root.resolve(), Report(site_root.resolve()), skip=out.resolve(),
                     **read_options)
    with tempfile.TemporaryDirectory(prefix="gbifnode-check-") as temporary:
        html_dir = Path(temporary) / "html"
        status, output = build_html(out, html_dir)
        if status:
            ledger.build_problem = " ".join(output.split())[-300:]
        converted: dict[Path, tuple[str, str]] = {}
        for group in site.groups:
            converted[group.root.path] = (site.root_language, group.docname)
            for language, twin in group.twins.items():
                converted[twin.path] = (language, group.docname)
        every_page: dict[str, str] = {}
        for language in site.languages:
            folder = html_dir / language
            every_page[language] = "".join(page_words(p) for p in sorted(folder.rglob("*.html"))
                                           ) if folder.is_dir() else ""
        for page in _site_pages(site, site_root.resolve(), out.resolve()):
            language, docname = converted.get(page.path, (page.language, None))
            here = page_words(html_dir / language / f"{docname}.html") if docname else ""
            totals = ledger.totals.setdefault(language, Totals())
            unpublished = None if docname else site.unpublished.get(page.path)
            for sentence in [*front_sentences(page), *prose_sentences(page)]:
                totals.sentences += 1
                key = f" {sentence.key} "
                if key in here or key in every_page.get(language, ""):
                    totals.found += 1
                    continue
                reason = _reason(sentence, report, imported=docname is not None) or (
                    unpublished and f"not published by the site: {unpublished}")
                if reason is None:
                    totals.lost += 1
                else:
                    totals.accounted += 1
                ledger.missing.append((language, sentence, reason))
    report.ledger = {lang: (t.sentences, t.found, t.accounted, t.lost)
                     for lang, t in ledger.totals.items()}
    for language, sentence, reason in ledger.missing:
        where = report.relative(sentence.path) + f":{sentence.line}"
        report.sentences.append((language, where, sentence.text, reason))
    if ledger.build_problem:
        report.add("error", out, None, f"the imported project did not build: "
                   f"{ledger.build_problem}")
    return ledger


def _site_pages(site: Site, site_root: Path, out: Path) -> list[Page]:
    """Every page of the site with front matter (imported or not), as Jekyll reads it:
    what a reader of the old site could see, in its language."""
    pages = {group.root.path: group.root for group in site.groups}
    for group in site.groups:
        pages.update({twin.path: twin for twin in group.twins.values()})
    for path in sorted(site_root.rglob("*")):
        if (path.suffix.lower() not in PAGE_SUFFIXES or path in pages or not path.is_file()
                or path.resolve().is_relative_to(out)):
            continue
        rel = path.relative_to(site_root)
        if any(part.startswith((".", "_")) and part not in ("_posts", "_drafts")
               for part in rel.parts[:-1]) or rel.parts[0] in ("node_modules", "vendor"):
            continue
        page = _unread_page(path, site_root, site.languages)
        if page is not None:
            pages[path] = page
    return sorted(pages.values(), key=lambda page: page.rel)


def _unread_page(path: Path, site_root: Path, languages: list[str]) -> Page | None:
    # A page the importer did not convert: its text in any encoding, so its sentences
    # are still counted (and must be named in the report).
    try:
        data = path.read_bytes()
    except OSError:
        return None  # Jekyll could not read it either; the importer reports it
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    for encoding in ("utf-16",) if utf16 else ("utf-8", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return None
    parts = split_front_matter(text.lstrip("\ufeff"))
    if parts is None:
        return None  # Jekyll copies it as a file: not a page of the site
    rel = path.relative_to(site_root).as_posix()
    folders = [part for part in rel.split("/")[:-1] if part != "_posts"]
    # A language the site keeps out (``exclude: [nl]``) is still the page's language.
    language = next((lang for lang in languages if lang in folders), None) or next(
        (part for part in folders[:1] if _LANGUAGE_DIR.match(part)), languages[0])
    lang_match = re.search(r"^lang:\s*['\"]?([\w-]+)", parts[0], re.M)
    if lang_match:
        language = lang_match.group(1)
    try:
        front = yaml.safe_load(parts[0])
    except yaml.YAMLError:
        front = None  # its hero is not counted: the report says why the page is not read
    return Page(path, rel, language, front if isinstance(front, dict) else {}, parts[1],
                parts[2])


def _reason(sentence: Sentence, report: Report, imported: bool) -> str | None:
    """Why the report says *sentence* is not in the HTML, or None (lost)."""
    rel = report.relative(sentence.path)
    same_file = [entry for entry in report.entries if _file_of(entry) == rel]
    if not imported:
        for entry in same_file:
            return f"page not imported: {entry.message}"
        return None
    key = f" {sentence.key} "
    for entry in same_file:
        if key in f" {words(plain(entry.message))} ":
            return _short(entry)
    first, last = sentence.block
    for entry in same_file:
        line = _line_of(entry)
        if line is None or entry.kind == "converted":
            continue  # a conversion note (a link moved) does not explain missing words
        if first <= line <= last or (line <= sentence.line
                                     and any(w in entry.message for w in _WHOLE_BODY)):
            return _short(entry)
    return None


def _file_of(entry: Entry) -> str:
    return re.sub(r":\d+$", "", entry.where)


def _line_of(entry: Entry) -> int | None:
    match = re.search(r":(\d+)$", entry.where)
    return int(match.group(1)) if match else None


def _short(entry: Entry) -> str:
    message = " ".join(entry.message.split())
    head = message.split(":")[0] if len(message) > 90 else message
    return f"{entry.kind} at {entry.where}: {head}"
