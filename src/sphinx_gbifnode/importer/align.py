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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from docutils import nodes

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
    """``paragraph@list_item``, ``title``, ``hero_title``...: what a message is and where."""
    name = type(node).__name__
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


def _anchors(text: str, languages: set[str]) -> set[str]:
    found = set()
    for link, code, number in _ANCHOR.findall(text):
        if link:
            # /fr/community and /community, gbif.org/fr/x and gbif.org/x are the same place
            parts = [p for p in link.split("/") if p not in languages]
            found.add("/".join(parts))
        elif code:
            found.add(f"`{code}`")
        elif len(number.strip(".,")) > 1:
            found.add(number.strip(".,"))
    return found


def pair_score(root: Message, twin: Message, languages: set[str]) -> float | None:
    """How well *twin* translates *root* (``None``: they cannot be the same message)."""
    if root.kind != twin.kind:
        return None
    score = 1.0
    if root.text == twin.text:
        score += 1.0
    a, b = _anchors(root.text, languages), _anchors(twin.text, languages)
    if a or b:
        shared = len(a & b) / len(a | b)
        score += 2 * shared - (0.5 if not shared else 0)
    score -= 0.6 * abs(math.log((len(root.text) + 10) / (len(twin.text) + 10)))
    return score if score > 0.15 else None


def align(root: list[Message], twin: list[Message], languages: set[str]
          ) -> list[tuple[int, int]]:
    """Pairs (root index, twin index), in order, maximising the total score."""
    n, m = len(root), len(twin)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]
    scores: dict[tuple[int, int], float] = {}
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            options = [(best[i + 1][j], 1), (best[i][j + 1], 2)]
            score = pair_score(root[i], twin[j], languages)
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
    return pairs + _moved(root, twin, pairs, languages)


def _moved(root: list[Message], twin: list[Message], pairs: list[tuple[int, int]],
           languages: set[str]) -> list[tuple[int, int]]:
    """Pairs for messages a translator moved (two list items swapped): same kind and
    exactly the same links, images and numbers, found outside the in-order alignment."""
    free_twin = set(range(len(twin))) - {j for _i, j in pairs}
    found = []
    for i in sorted(set(range(len(root))) - {i for i, _j in pairs}):
        anchors = _anchors(root[i].text, languages)
        if not anchors:
            continue
        for j in sorted(free_twin):
            if twin[j].kind == root[i].kind and _anchors(twin[j].text, languages) == anchors:
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


def page_alignment(root: list[Message], twin: list[Message], languages: set[str]
               ) -> PageAlignment:
    """msgid -> msgstr for one page, and what could not be aligned."""
    pairs = align(root, twin, languages)
    joined = _joined_splits(root, twin, pairs)
    translations: dict[str, str] = {}
    conflicts = []
    for i, j in pairs:
        msgid, msgstr = root[i].text, joined.get(j, twin[j].text)
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
    return PageAlignment(translations, unaligned_root, unaligned_twin, conflicts,
                         [twin[j + 1] for j in joined])


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
        if abs(math.log((both + 10) / (target + 10))) < abs(math.log((alone + 10) /
                                                                      (target + 10))):
            joined[j] = f"{twin[j].text} {twin[after].text}"
            paired.add(after)
    return joined


class ExistingCatalogError(Exception):
    """A ``.po`` already in the project cannot be read: it is left as it is."""


def existing_translations(target: Path) -> dict[str, str]:
    """msgid -> msgstr already in *target* (a translator's work, kept on a new import)."""
    if not target.exists():
        return {}
    try:
        with target.open("rb") as handle:
            catalog = read_po(handle, abort_invalid=True)
    except Exception as exc:  # Babel raises several kinds of error on a broken file
        raise ExistingCatalogError(f"{target}: {exc}") from exc
    return {str(m.id): str(m.string) for m in catalog
            if m.id and isinstance(m.string, str) and m.string and not m.fuzzy}


def write_catalog(pot: Path, target: Path, language: str,
                  translate: Callable[[str], str | None], project_dir: Path,
                  pot_root: Path) -> tuple[int, int, int]:
    """Write *target* (a ``.po``) from the template *pot*, msgstr from *translate*.

    Translations already in *target* win over *translate*: importing again never
    replaces a translator's work (an unreadable *target* raises
    :class:`ExistingCatalogError` and is not touched). Locations, which Sphinx writes
    relative to the gettext output folder *pot_root*, are made relative to
    *project_dir*. Returns (messages translated, messages, translations kept from
    *target*)."""
    previous = existing_translations(target)
    with pot.open("rb") as handle:
        template = read_po(handle)
    catalog = Catalog(locale=language, project=template.project, fuzzy=False)
    project_dir = project_dir.resolve()

    def relocate(location: tuple[str, int]) -> tuple[str, int]:
        path = (pot_root / location[0]).resolve()
        if path.is_relative_to(project_dir):
            return path.relative_to(project_dir).as_posix(), location[1]
        return location

    done = total = kept = 0
    for message in template:
        if not message.id:
            continue
        total += 1
        imported = translate(str(message.id)) or ""
        msgstr = previous.get(str(message.id)) or imported
        kept += bool(previous.get(str(message.id))) and msgstr != imported
        done += bool(msgstr)
        catalog.add(message.id, msgstr, locations=[relocate(loc) for loc in message.locations],
                    flags=message.flags, auto_comments=message.auto_comments)
    _replace(target, catalog)
    return done, total, kept


def write_mapping(target: Path, language: str, translations: dict[str, str]) -> None:
    """Write a ``.po`` from a msgid -> msgstr mapping (menu labels, footer texts);
    translations already in *target* win, as in :func:`write_catalog`."""
    previous = existing_translations(target)
    catalog = Catalog(locale=language, fuzzy=False)
    for msgid, msgstr in translations.items():
        catalog.add(msgid, previous.get(msgid) or msgstr)
    _replace(target, catalog)


def _replace(target: Path, catalog: Catalog) -> None:
    # Written beside, then renamed: an interrupted import never leaves half a catalogue.
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".po.tmp")
    with temporary.open("wb") as handle:
        write_po(handle, catalog, width=0)
    temporary.replace(target)
