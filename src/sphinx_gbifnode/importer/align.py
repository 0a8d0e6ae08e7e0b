"""Align each page with its translation, message by message, into ``.po`` catalogues.

Both the root-language project and a copy holding the converted twin pages go through
Sphinx's own ``gettext`` builder, so the msgids are exactly what ``sphinx-build -b
gettext`` extracts and the msgstrs are in the same markup. The two message lists of a
page are then aligned in order (a small dynamic programme): only messages of the same
kind (heading, paragraph, list item, table cell, ...) pair up, preferring pairs that share
links, images, numbers and code and have similar lengths. What does not pair is reported.
"""

from __future__ import annotations

import io
import math
import re
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from docutils import nodes

from ..core.files import is_read_only
from ..i18n.po_files import CatalogueError, catalogue_faults, open_catalog

#: Containers that give a message its kind, innermost first.
_KIND_CONTAINERS = ("list_item", "entry", "block_quote", "partner", "hero", "footnote",
                    "admonition", "container")
_ANCHOR = re.compile(r"\]\(([^)\s]+)|`([^`]+)`|(\d[\d.,]*)")


@dataclass(frozen=True)
class Message:
    """One translatable message of a page, as the gettext builder sees it."""

    kind: str
    text: str
    line: int


def message_kind(node: nodes.Node) -> str:
    """``paragraph@list_item``, ``title2``, ``hero_title``...: what a message is and
    where; a section title carries its level, so headings pair level with level."""
    name = type(node).__name__
    if isinstance(node, nodes.title) and isinstance(node.parent, nodes.section):
        level = 0
        section: nodes.Node | None = node.parent
        while isinstance(section, nodes.section):
            level, section = level + 1, section.parent
        return f"title{level}"
    parent = node.parent
    while parent is not None:
        parent_name = type(parent).__name__
        if parent_name in _KIND_CONTAINERS or parent_name.startswith("partner"):
            return f"{name}@{parent_name}"
        parent = parent.parent
    return name


def extract(srcdir: Path, workdir: Path, confoverrides: dict[str, Any] | None = None
            ) -> tuple[dict[str, list[Message]], Path, str]:
    """Run the gettext builder on *srcdir*.

    Returns the messages of every document (in page order, with their kind), the folder
    of the ``.pot`` files, and Sphinx's warnings."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils
    from sphinx.util.nodes import extract_messages

    outdir = workdir / "gettext"
    shutil.rmtree(workdir, ignore_errors=True)
    messages: dict[str, list[Message]] = {}

    def collect(app: Any, doctree: nodes.document, docname: str) -> None:
        found = messages.setdefault(docname, [])
        for node, text in extract_messages(doctree):
            found.append(Message(message_kind(node), text, node.line or 0))

    warnings = io.StringIO()
    # Messages do not depend on GBIF data: never wait for the network while extracting
    # them (an unknown setting is only ignored by Sphinx builds without the data layer).
    overrides = {"gbifnode_offline": True, **(confoverrides or {})}
    # As sphinx-build does: the nodes, roles and directives an app registers in docutils
    # are forgotten afterwards, so later builds in this process start clean.
    with patch_docutils(str(srcdir)), docutils_namespace():
        app = Sphinx(str(srcdir), str(srcdir), str(outdir), str(workdir / "doctrees"),
                     "gettext", confoverrides=overrides, status=None,
                     warning=warnings, freshenv=True, keep_going=True)
        app.connect("doctree-resolved", collect)
        app.build()
    return messages, outdir, warnings.getvalue()


#: Query parameters that only choose the language of a page (``?lang=fr``).
_LANGUAGE_PARAMETERS = {"lang", "language", "locale", "request_locale", "hl", "lng", "lc"}


def link_key(link: str, languages: set[str], slugs: dict[str, str] | None = None) -> str:
    """Where *link* leads, whatever the language it asks for: ``/fr/community``,
    ``/community?lang=fr``, ``x.jsp?request_locale=fr``, ``../community.md`` and a twin
    page's translated slug (``/fr/communaute``, when *slugs*, from the site's page
    groups, maps it to ``community``) all give one key."""
    address, _hash, fragment = link.partition("#")
    path, _q, query = address.partition("?")
    kept = [pair for pair in query.split("&") if pair and not (
        pair.partition("=")[0].lower() in _LANGUAGE_PARAMETERS
        or pair.partition("=")[2] in languages)]
    scheme, sep, rest = path.partition("://")
    host, _slash, tail = rest.partition("/") if sep else ("", "", path)
    parts = [p for p in tail.split("/") if p and p not in languages and p not in (".", "..")]
    tail = re.sub(r"(?:^|/)index\.html?$|\.(?:md|html?)$", "", "/".join(parts))
    key = f"{scheme}{sep}{host}" + (f"/{tail}" if tail else "") if sep else tail
    key = (slugs or {}).get(key, key)
    return key + ("?" + "&".join(kept) if kept else "") + (f"#{fragment}" if fragment else "")


def _anchors(text: str, languages: set[str], slugs: dict[str, str] | None = None
             ) -> set[str]:
    found = set()
    for link, code, number in _ANCHOR.findall(text):
        if link:
            found.add(link_key(link, languages, slugs))
        elif code:
            found.add(f"`{code}`")
        elif len(number.strip(".,")) > 1:
            found.add(number.strip(".,"))
    return found


def similarity(root: Message, twin: Message, languages: set[str],
               slugs: dict[str, str] | None = None) -> float:
    """How much *twin* looks like a translation of *root*, whatever their kinds."""
    score = 1.0
    if root.text == twin.text:
        score += 1.0
    a, b = _anchors(root.text, languages, slugs), _anchors(twin.text, languages, slugs)
    if a or b:
        shared = len(a & b) / len(a | b)
        score += 2 * shared - (0.5 if not shared else 0)
    # Names and cognates a translation keeps ("licences", "portal"/"portail",
    # "Biodiversity") tell two candidates of the same shape apart.
    c, d = _stems(root.text), _stems(twin.text)
    if c and d:
        score += 0.6 * len(c & d) / len(c | d)
    return score - 0.6 * abs(math.log((len(root.text) + 10) / (len(twin.text) + 10)))


def _stems(text: str) -> set[str]:
    """The first four letters of each long word, accents and link targets left out."""
    plain = unicodedata.normalize("NFKD", re.sub(r"\]\([^)]*\)", "]", text).casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return {word[:4] for word in re.findall(r"[^\W\d_]{5,}", plain)}


def pair_score(root: Message, twin: Message, languages: set[str],
               slugs: dict[str, str] | None = None) -> float | None:
    """How well *twin* translates *root* (``None``: they cannot be the same message)."""
    if root.kind != twin.kind:
        return None
    score = similarity(root, twin, languages, slugs)
    if root.kind.startswith("title"):
        # Headings of one level pair by position even when their words differ in length
        # ("Our values" / "Les valeurs qui nous guident").
        score = max(score, 0.8)
    return score if score > 0.15 else None


def align(root: list[Message], twin: list[Message], languages: set[str],
          slugs: dict[str, str] | None = None) -> list[tuple[int, int]]:
    """Pairs (root index, twin index), in order, maximising the total score."""
    n, m = len(root), len(twin)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]
    scores: dict[tuple[int, int], float] = {}
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            options = [(best[i + 1][j], 1), (best[i][j + 1], 2)]
            score = pair_score(root[i], twin[j], languages, slugs)
            if score is not None:
                scores[(i, j)] = score
                options.append((best[i + 1][j + 1] + score, 3))
            best[i][j], move[i][j] = max(options)
    for i in range(n - 1, -1, -1):
        move[i][m] = 1
    for j in range(m - 1, -1, -1):
        move[n][j] = 2
    pairs = []
    i = j = 0
    while i < n and j < m:
        if move[i][j] == 3:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif move[i][j] == 1:
            i += 1
        else:
            j += 1
    pairs = _headings_with_their_sections(root, twin, pairs)
    return pairs + _moved(root, twin, pairs, languages, slugs)


def _headings_with_their_sections(root: list[Message], twin: list[Message],
                                  pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A twin heading goes with the root heading whose section it opens: when the text
    after a paired heading is not paired with the text after its twin, but the text after
    an unpaired root heading of the same level is, that heading is the pair (a section
    the translation lacks comes before the one it has)."""
    paired = set(pairs)
    free = set(range(len(root))) - {i for i, _j in pairs}
    moved = []
    for i, j in pairs:
        if root[i].kind.startswith("title") and (i + 1, j + 1) not in paired:
            better = next((k for k in sorted(free) if root[k].kind == root[i].kind
                           and (k + 1, j + 1) in paired), None)
            if better is not None:
                free.discard(better)
                free.add(i)
                moved.append((better, j))
                continue
        moved.append((i, j))
    return sorted(moved)


def _moved(root: list[Message], twin: list[Message], pairs: list[tuple[int, int]],
           languages: set[str], slugs: dict[str, str] | None) -> list[tuple[int, int]]:
    """Pairs for messages a translator moved (two list items swapped): same kind and
    exactly the same links, images and numbers, found outside the in-order alignment."""
    free_twin = set(range(len(twin))) - {j for _i, j in pairs}
    found = []
    for i in sorted(set(range(len(root))) - {i for i, _j in pairs}):
        anchors = _anchors(root[i].text, languages, slugs)
        if not anchors:
            continue
        for j in sorted(free_twin):
            if (twin[j].kind == root[i].kind
                    and _anchors(twin[j].text, languages, slugs) == anchors):
                found.append((i, j))
                free_twin.discard(j)
                break
    return found


@dataclass
class PageAlignment:
    """The outcome for one page in one language."""

    translations: dict[str, str]
    unaligned_root: list[Message]
    unaligned_twin: list[Message]
    conflicts: list[tuple[str, str, str]]
    #: second halves of twin paragraphs joined to the paragraph before them
    joined: list[Message]
    #: twin paragraphs that translate two root paragraphs, split at a sentence
    split: list[Message] = field(default_factory=list)
    #: for each of unaligned_root, the twin text closest to it (None: the twin is empty)
    closest: list[Message | None] = field(default_factory=list)


def page_alignment(root: list[Message], twin: list[Message], languages: set[str],
                   slugs: dict[str, str] | None = None) -> PageAlignment:
    """msgid -> msgstr for one page, and what could not be aligned."""
    pairs = align(root, twin, languages, slugs)
    joined = _joined_splits(root, twin, pairs)
    halves = _split_joins(root, twin, pairs, joined)
    pairs += [(i, j) for i, (j, _text) in halves.items()]
    translations: dict[str, str] = {}
    conflicts = []
    for i, j in pairs:
        msgid = root[i].text
        msgstr = halves[i][1] if i in halves else joined.get(j, twin[j].text)
        msgstr = same_links(msgid, msgstr, languages, slugs)
        if msgid in translations and translations[msgid] != msgstr:
            conflicts.append((msgid, translations[msgid], msgstr))
            continue
        translations.setdefault(msgid, msgstr)
    paired_root = {i for i, _j in pairs}
    paired_twin = {j for _i, j in pairs} | {j + 1 for j in joined}
    translated = set(translations)
    unaligned_root = [m for i, m in enumerate(root)
                      if i not in paired_root and m.text not in translated]
    unaligned_twin = [m for j, m in enumerate(twin) if j not in paired_twin]
    closest = [_closest(m, unaligned_twin or twin, languages, slugs) for m in unaligned_root]
    return PageAlignment(translations, unaligned_root, unaligned_twin, conflicts,
                         [twin[j + 1] for j in joined],
                         sorted({twin[j] for j, _t in halves.values()}, key=twin.index),
                         closest)


def _closest(message: Message, candidates: list[Message], languages: set[str],
             slugs: dict[str, str] | None) -> Message | None:
    """The twin text most like *message* (same kind first), for the report."""
    def likeness(twin: Message) -> float:
        return similarity(message, twin, languages, slugs) + (twin.kind == message.kind)
    return max(candidates, key=likeness, default=None)


_SENTENCE = re.compile(r"(?<=[.!?…])\s+")


def _count(text: str) -> int:
    """Sentences in a message (what a translator keeps when splitting a paragraph)."""
    return len(_SENTENCE.split(text.strip()))


def same_links(msgid: str, msgstr: str, languages: set[str],
               slugs: dict[str, str] | None = None) -> str:
    """*msgstr* with each link that leads to the page one of *msgid*'s links leads to
    (``https://old.site/fr/equipe?lang=fr`` for ``team.md``) written as *msgid* writes
    it, so the translated page links inside the new site too."""
    # Only links into the new site: a translator's link to gbif.org/fr/... is their choice.
    targets: dict[str, str] = {link_key(link, languages, slugs): link
               for link, _code, _number in _ANCHOR.findall(msgid)
               if link and "://" not in link and not link.startswith(("#", "mailto:"))}

    def replace(match: re.Match[str]) -> str:
        link = str(match.group(1))
        return "](" + targets.get(link_key(link, languages, slugs), link)

    return re.sub(r"\]\(([^)\s]+)", replace, msgstr) if targets else msgstr


def _split_joins(root: list[Message], twin: list[Message], pairs: list[tuple[int, int]],
                 joined: dict[int, str]) -> dict[int, tuple[int, str]]:
    """Two root paragraphs a translator joined into one: root index -> (twin index, the
    part of the twin paragraph that translates it).

    A paired root paragraph followed by an unpaired one of the same kind takes part of
    its twin when the two together match the twin's length better; the twin paragraph
    is cut at the sentence end that best shares its length as the two root paragraphs
    share theirs."""
    paired = {i for i, _j in pairs}
    halves: dict[int, tuple[int, str]] = {}
    for i, j in sorted(pairs):
        after = i + 1
        if (j in joined or after >= len(root) or after in paired
                or root[after].kind != root[i].kind or not root[i].kind.startswith("paragraph")):
            continue
        first, second, text = len(root[i].text), len(root[after].text), twin[j].text
        sentences = _count(text)
        if abs(math.log((first + second + 11) / (len(text) + 10))) >= abs(
                math.log((first + 10) / (len(text) + 10))) and not (
                sentences > _count(root[i].text)
                and sentences == _count(root[i].text) + _count(root[after].text)):
            continue
        cuts = [m.start() for m in _SENTENCE.finditer(text)]
        if not cuts:
            continue
        share = first / (first + second)
        cut = min(cuts, key=lambda c: abs(c / len(text) - share))
        halves[i] = (j, text[:cut].strip())
        halves[after] = (j, text[cut:].strip())
        paired.add(after)
    return halves


def _joined_splits(root: list[Message], twin: list[Message], pairs: list[tuple[int, int]]
                   ) -> dict[int, str]:
    """Twin paragraphs a translator split in two: twin index -> both parts joined.

    A paired twin paragraph followed by an unpaired one of the same kind is joined with
    it when the two together match the length of the root paragraph better."""
    paired = {j for _i, j in pairs}
    joined = {}
    for i, j in pairs:
        after = j + 1
        if after >= len(twin) or after in paired or twin[after].kind != twin[j].kind:
            continue
        if not twin[j].kind.startswith("paragraph"):
            continue
        alone = len(twin[j].text)
        both = alone + 1 + len(twin[after].text)
        target = len(root[i].text)
        sentences = _count(root[i].text)
        if abs(math.log((both + 10) / (target + 10))) < abs(math.log((alone + 10) /
                                                                      (target + 10))) or (
                sentences > _count(twin[j].text)
                and sentences == _count(twin[j].text) + _count(twin[after].text)):
            joined[j] = f"{twin[j].text} {twin[after].text}"
            paired.add(after)
    return joined


class ExistingCatalogError(Exception):
    """A ``.po`` already in the project cannot be read exactly, or may not be written:
    it is left as it is. ``where`` is ``file:line`` (or the file)."""

    def __init__(self, target: Path, line: int, problem: str) -> None:
        self.target, self.line, self.problem = target, line, problem
        super().__init__(f"{target}:{line}: {problem}" if line else f"{target}: {problem}")


def existing_catalog(target: Path) -> Catalog | None:
    """The ``.po`` already at *target* (a translator's work), or ``None`` without one.

    Raises :class:`ExistingCatalogError` for a file that cannot be read exactly (its
    syntax is checked line by line first: Babel reads an unterminated string as if it
    were closed, and would "repair" it) or that is read-only."""
    if not target.exists():
        return None
    faults = catalogue_faults(target)
    if faults:
        fault = faults[0]
        raise ExistingCatalogError(target, fault.line, fault.message)
    if is_read_only(target):
        raise ExistingCatalogError(target, 0, "read-only")
    try:
        return open_catalog(target)
    except (OSError, ValueError, CatalogueError) as exc:
        raise ExistingCatalogError(target, 0, str(exc)) from exc


def existing_translations(target: Path) -> dict[str, str]:
    """msgid -> msgstr already in *target* (translated and not fuzzy)."""
    catalog = existing_catalog(target)
    if catalog is None:
        return {}
    return {str(m.id): str(m.string) for m in catalog
            if m.id and isinstance(m.string, str) and m.string and not m.fuzzy}


def write_catalog(pot: Path, target: Path, language: str,
                  translate: Callable[[str], str | None], project_dir: Path,
                  pot_root: Path) -> tuple[int, int, list[str]]:
    """Write *target* (a ``.po``) from the template *pot*, msgstr from *translate*.

    What a translator did in *target* wins over *translate*: their msgstr (fuzzy or
    not), their flags and their comments are kept, and messages the template no longer
    has stay as obsolete entries. A *target* that cannot be read exactly or is read-only
    raises :class:`ExistingCatalogError` and is not touched. Locations, which Sphinx
    writes relative to the gettext output folder *pot_root*, are made relative to
    *project_dir*. Returns (messages translated, messages, the imported translations
    not used because *target* already had another)."""
    previous = existing_catalog(target)
    with pot.open("rb") as handle:
        template = read_po(handle)
    catalog = Catalog(locale=language, project=template.project, fuzzy=False)
    project_dir = project_dir.resolve()

    def relocate(location: tuple[str, int]) -> tuple[str, int]:
        path = (pot_root / location[0]).resolve()
        if path.is_relative_to(project_dir):
            return path.relative_to(project_dir).as_posix(), location[1]
        return location

    done = total = 0
    replaced: list[str] = []
    for message in template:
        if not message.id:
            continue
        total += 1
        imported = translate(str(message.id)) or ""
        old = previous.get(message.id, message.context) if previous is not None else None
        msgstr, flags, comments = imported, set(message.flags), []
        if old is not None:
            comments = list(old.user_comments)
            if isinstance(old.string, str) and old.string:
                msgstr = old.string
                flags |= set(old.flags)
                if imported and msgstr != imported:
                    replaced.append(imported)
        done += bool(msgstr)
        catalog.add(message.id, msgstr, locations=[relocate(loc) for loc in message.locations],
                    flags=flags, auto_comments=message.auto_comments, user_comments=comments,
                    context=message.context)
    _keep_obsolete(previous, catalog)
    _replace(target, catalog)
    return done, total, replaced


def _keep_obsolete(previous: Catalog | None, catalog: Catalog) -> None:
    # A translation of a message the page no longer has is still the translator's work:
    # kept as an obsolete entry (#~), as gettext's msgmerge does.
    if previous is None:
        return
    for old in [*previous, *previous.obsolete.values()]:
        if old.id and old.string and catalog.get(old.id, old.context) is None:
            catalog.obsolete[old.id] = old


def write_mapping(target: Path, language: str, translations: dict[str, str]) -> None:
    """Write a ``.po`` from a msgid -> msgstr mapping (menu labels, footer texts);
    what a translator did in *target* wins, as in :func:`write_catalog`."""
    previous = existing_catalog(target)
    catalog = Catalog(locale=language, fuzzy=False)
    for msgid, msgstr in translations.items():
        old = previous.get(msgid) if previous is not None else None
        if old is not None and old.string:
            catalog.add(msgid, old.string, flags=old.flags, user_comments=old.user_comments)
        else:
            catalog.add(msgid, msgstr,
                        user_comments=old.user_comments if old is not None else ())
    _keep_obsolete(previous, catalog)
    _replace(target, catalog)


def _replace(target: Path, catalog: Catalog) -> None:
    # Written beside, then renamed: an interrupted import never leaves half a catalogue.
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".po.tmp")
    with temporary.open("wb") as handle:
        write_po(handle, catalog, width=0)
    temporary.replace(target)
