"""The checks of ``gbifnode i18n check``: one translation against its source.

A catalogue can be 100 % translated and still wreck the translated site: a translator or a
machine-translation tool turns ``![Map](map.png)`` into ``! [Carte] (carte.png)``, changes
a link target, drops a role's backquote or slips in a zero-width space. Sphinx then prints
the broken markup as text, usually without a warning. :func:`check_message` compares a
``msgstr`` with its ``msgid`` and reports what the translation lost or broke; the markup
of each is found by :mod:`.markup`, whole catalogues are checked by :mod:`.catalogue`.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections import Counter
from typing import NamedTuple

from .links import accept_localised_links, renames_named_references, same_addresses
from .markup import MYST, ROLE_SEPARATOR, RST, TEXT, Markup, analyse


class Finding(NamedTuple):
    """What :func:`check_message` reports: a kind, what is wrong, and whether it is only
    a warning."""

    kind: str
    detail: str
    warning: bool = False


_LABELS = {
    "image": ("image", "images"),
    "link": ("link target", "link targets"),
    "role": ("role", "roles"),
    "literal": ("inline literal", "inline literals"),
    "substitution": ("substitution", "substitutions"),
    "placeholder": ("placeholder", "placeholders"),
    "footnote": ("footnote or citation reference", "footnote or citation references"),
}


def _show(key: str, kind: str, syntax: str = MYST) -> str:
    """A feature as the translator would write it in the message's syntax."""
    if key.endswith(" (plain URL)"):
        return f"`{key[:-12]}` (plain URL)"
    if kind == "role":
        name, _sep, target = key.partition(ROLE_SEPARATOR)
        if not name:
            return "`default-role text`"
        written = f":{name}:" if syntax == RST else f"{{{name}}}"
        return f"{written}`{target}`" if target else written
    return f"`{key}`"


_NONE: Counter[str] = Counter()


def _compare(
    kind: str, source: Counter[str], translation: Counter[str], syntax: str = MYST
) -> str | None:
    if source == translation:
        return None
    missing = source - translation
    extra = translation - source
    if not missing and not extra:
        return None
    singular, plural = _LABELS[kind]
    lost = ", ".join(_show(k, kind, syntax) for k in sorted(missing.elements()))
    added = ", ".join(_show(k, kind, syntax) for k in sorted(extra.elements()))
    counts = f"(msgid has {sum(source.values())}, msgstr has {sum(translation.values())})"
    if missing and extra:
        return f"{plural} changed: {lost} became {added} {counts}"
    if missing:
        noun = singular if sum(missing.values()) == 1 else plural
        return f"{noun} {lost} missing from the translation {counts}"
    noun = singular if sum(extra.values()) == 1 else plural
    return f"{noun} {added} not in the original {counts}"


def _is_punct(char: str) -> bool:
    return char in string.punctuation or unicodedata.category(char)[0] in "PS"


_DELIMITER = {MYST: re.compile(r"\*+|_+"), RST: re.compile(r"\*+")}


def emphasis_balance(remainder: str, syntax: str) -> tuple[int, int]:
    """(delimiter characters that open or close nothing, runs surrounded by spaces).

    CommonMark's flanking rules, which docutils' inline-markup rules resemble: ``**x``
    opens and never closes; ``** x **`` is two runs a space keeps from their text.
    """
    unbalanced = spaced = 0
    stack: list[tuple[str, int]] = []
    for match in _DELIMITER[syntax].finditer(remainder):
        run = match.group()
        before = remainder[match.start() - 1] if match.start() else " "
        after = remainder[match.end()] if match.end() < len(remainder) else " "
        left = not after.isspace() and (
            not _is_punct(after) or before.isspace() or _is_punct(before)
        )
        right = not before.isspace() and (
            not _is_punct(before) or after.isspace() or _is_punct(after)
        )
        if not left and not right:
            # At the very start it is a list bullet (reported as ``block``).
            if match.start() and before.isspace() and after.isspace():
                spaced += 1
            continue
        if run[0] == "_":  # intraword underscores (snake_case) are plain text
            can_open = left and (not right or _is_punct(before))
            can_close = right and (not left or _is_punct(after))
        else:
            can_open, can_close = left, right
        if can_close and stack and stack[-1][0] == run[0]:
            unbalanced += abs(stack.pop()[1] - len(run))
        elif can_open:
            stack.append((run[0], len(run)))
        elif can_close and run[0] == "*":
            # A lone closing ``_`` is ordinary text (``../_ static``); ``*`` is not.
            unbalanced += len(run)
    unbalanced += sum(length for _char, length in stack)
    return unbalanced, spaced
#: Markup a space has split, so that it is printed as text. Looked for in what the
#: recognised constructs leave (what is still there did not parse), except a role's
#: split backquote, whose backquoted part parses as something else.
_SPLITS: dict[str, list[tuple[re.Pattern[str], str, bool]]] = {
    MYST: [
        (re.compile(r"!\s+\["), "`! [`: an image split by a space", False),
        (re.compile(r"\]\s+\("), "`] (`: a link or image split by a space", False),
        (re.compile(r"\]\s+\[(?!\^)"), "`] [`: a reference link split by a space", False),
        (re.compile(r"\{[\w.:+-]+\}\s+`"), "`{role} `: a role split from its backquote", True),
        (re.compile(r"\[\s+\^|\[\^\s"), "`[ ^`: a footnote reference split by a space", False),
    ],
    RST: [
        (
            re.compile(r"(?<![\w\\]):[A-Za-z][\w.:+-]*:\s+`"),
            "`:role: `: a role split from its backquote",
            True,
        ),
        (re.compile(r"`\s+__?(?!\w)"), "`` ` _``: a link split from its underscore", False),
        (re.compile(r"\]\s+_(?!\w)"), "`] _`: a footnote reference split by a space", False),
        (re.compile(r"``"), "``` `` ```: an inline literal that does not close", False),
    ],
}

_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f"
    "\u202a-\u202e\u2028\u2029\u2060-\u2064\u2066-\u206f\u3164\ufeff\ufff9-\ufffb"
    "\U000e0000-\U000e007f]"
)

_BLOCK_START = {
    MYST: re.compile(r"^(?:[-*+][ \t]|\d{1,9}[.)][ \t]|#{1,6}(?:[ \t]|$)|>|`{3,}|~{3,}|:{3,}|"
                     r"\([\w-]+\)=|(?:-{3,}|\*{3,}|_{3,})\s*$)"),
    RST: re.compile(
        r"^(?:\.\.(?:[ \t]|$)|[-*+•][ \t]|(?:\d{1,9}|#)[.)][ \t]|\(\d{1,9}\)[ \t]|::|"
        r"\|[ \t]|:[^:\s`][^:`]*:(?:[ \t]|$))"  # line block, field list
    ),
}


def _leading(text: str) -> str:
    return text[: len(text) - len(text.lstrip())]


def _trailing(text: str) -> str:
    return text[len(text.rstrip()):]


def _char_name(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'control character')}"


def check_message(
    msgid: str,
    msgstr: str,
    syntax: str,
    plural: bool = False,
    language: str | None = None,
    placeholders: bool | None = None,
) -> list[Finding]:
    """Compare one translation with its source; return what is wrong with it.

    *plural*: a plural form, which may leave out the number placeholder (``one dataset``).
    *placeholders*: compare ``%s``/``{name}`` placeholders (default: for template and
    code strings only; Sphinx never formats a page's text, where ``%-style`` is prose).
    *language*: the catalogue's language, which a link may add to its URL to point to
    the translated page (see :func:`accept_localised_links`).
    """
    if msgid == msgstr:
        return []  # names, numbers and code kept as they are cannot break anything
    source, translation = analyse(msgid, syntax), analyse(msgstr, syntax)
    if placeholders is None:
        placeholders = syntax == TEXT
    problems = _compare_markup(source, translation, syntax, plural, language, placeholders)
    if syntax != TEXT:
        problems += _broken_inline_markup(source, translation, syntax)
    problems += _invisible_characters(msgid, msgstr, language)
    problems += _whitespace(msgid, msgstr, syntax)
    if syntax != TEXT:
        block = _BLOCK_START[syntax].match(msgstr)
        if block and not _BLOCK_START[syntax].match(msgid):
            detail = (
                f"the translation starts with {block.group(0).strip()!r}: Sphinx reads it "
                "as a list, heading or comment and silently keeps the original text"
            )
            problems.append(Finding("block", detail))
        stray_src = source.remainder.count("`") + source.remainder.count("](")
        stray_tr = translation.remainder.count("`") + translation.remainder.count("](")
        if stray_tr > stray_src and all(f.warning for f in problems):
            detail = "unpaired backquote or bracket: printed as text"
            problems.append(Finding("stray-markup", detail))
    return problems


def _compare_markup(
    source: Markup,
    translation: Markup,
    syntax: str,
    plural: bool,
    language: str | None,
    placeholders: bool,
) -> list[Finding]:
    """Images, links, roles, literals, substitutions, footnotes and placeholders."""
    problems: list[Finding] = []
    for kind in ("image", "link", "role", "substitution", "footnote"):
        before, after = source.features.get(kind, _NONE), translation.features.get(kind, _NONE)
        if kind == "link" and language:
            after = accept_localised_links(before, after, language)
        detail = _compare(kind, before, after, syntax)
        if detail:
            # An image, link or reference the translator added breaks nothing: a warning.
            warning = kind in ("image", "link", "role") and not before - after
            if kind == "link" and same_addresses(before, after):
                warning = True
                detail += "; the same address written differently (https, www., case)"
            # In Markdown an unknown ``[text][label]`` is printed as is: an error there.
            if kind == "link" and syntax == RST and renames_named_references(before, after):
                warning = True
                detail += (
                    "; a renamed reference works only if the translated page has a target "
                    "of that name, such as a translated section title (Sphinx warns if not)"
                )
            problems.append(Finding(kind, detail, warning))
    # Inline code and formatting roles (``kbd``, ``sup``, ``abbr``...) break nothing when
    # they change: translators add them (``1\ :sup:`er```) as they add emphasis, and
    # documentation may translate a metasyntactic `Label <url>`. Losing one is a warning.
    for kind, shown in (("literal", "literal"), ("formatting", "role")):
        before, after = source.features.get(kind, _NONE), translation.features.get(kind, _NONE)
        lost = before - after
        if lost:
            one, several = _LABELS[shown]
            noun = one if sum(lost.values()) == 1 else several
            items = ", ".join(_show(k, shown, syntax) for k in sorted(lost.elements()))
            detail = (
                f"{noun} {items} not in the translation (msgid has {sum(before.values())}, "
                f"msgstr has {sum(after.values())}); formatting only, nothing breaks"
            )
            problems.append(Finding(shown, detail, warning=True))
    # Placeholders (``%s``, ``%(name)s``, ``{name}``) only where the source has some:
    # a brace in prose, or a role that lost its backquote, is not a placeholder.
    for group in ("placeholder", "brace") if placeholders else ():
        src, tr = source.features.get(group, _NONE), translation.features.get(group, _NONE)
        if not src:
            continue
        if plural:
            tr = tr - src  # a plural form may drop one; it may not invent one
            src = Counter()
        detail = _compare("placeholder", src, tr)
        if detail:
            problems.append(Finding("placeholder", detail))
    return problems


def _broken_inline_markup(source: Markup, translation: Markup, syntax: str) -> list[Finding]:
    """Emphasis that does not close, and markup split by inserted spaces."""
    problems: list[Finding] = []
    src_unbalanced, src_spaced = emphasis_balance(source.remainder, syntax)
    tr_unbalanced, tr_spaced = emphasis_balance(translation.remainder, syntax)
    if tr_unbalanced > src_unbalanced:
        detail = "emphasis (`*`, `**` or `_`) opens but does not close: printed as text"
        problems.append(Finding("emphasis", detail))
    splits = [
        label
        for regex, label, raw in _SPLITS[syntax]
        if len(regex.findall(translation.text if raw else translation.remainder))
        > len(regex.findall(source.text if raw else source.remainder))
    ]
    if tr_spaced > src_spaced:
        splits.append("`** text **`: emphasis markers split from their text by spaces")
    if splits:
        problems.append(Finding("split", "; ".join(splits) + " (printed as text)"))
    return problems


#: Languages written right to left, whose translations need direction marks (LRM, RLM,
#: ALM) around left-to-right words, and the zero-width (non-)joiner.
_RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "ckb", "yi", "ug", "sd", "dv"})


def _invisible_characters(msgid: str, msgstr: str, language: str | None) -> list[Finding]:
    extra = Counter(_INVISIBLE.findall(msgstr)) - Counter(_INVISIBLE.findall(msgid))
    if not extra:
        return []
    rtl = bool(language) and re.split(r"[_@-]", language or "")[0] in _RTL_LANGUAGES
    for char in list(extra):
        if rtl and char in "\u200c\u200d\u200e\u200f\u061c":
            del extra[char]
        # Indic scripts and emoji need ZWNJ/ZWJ between letters: keep those.
        elif char in "\u200c\u200d" and all(
            _joins_letters(msgstr, m.start()) for m in re.finditer(char, msgstr)
        ):
            del extra[char]
    if not extra:
        return []
    names = ", ".join(_char_name(c) for c in sorted(extra))
    column = min(msgstr.index(c) for c in extra) + 1
    return [Finding("invisible", f"invisible character {names} at character {column}")]


def _whitespace(msgid: str, msgstr: str, syntax: str) -> list[Finding]:
    """Leading whitespace turns a paragraph into a quotation or code; a lost trailing
    space or line break glues a message to what a program prints after it."""
    lead_src, lead_tr = _leading(msgid), _leading(msgstr)
    trail_src, trail_tr = _trailing(msgid), _trailing(msgstr)
    if (
        bool(lead_src) == bool(lead_tr)
        and ("\n" in trail_src) == ("\n" in trail_tr)
        and (bool(trail_tr) or not trail_src)
    ):
        return []
    detail = (
        f"leading/trailing whitespace differs: msgid {lead_src!r}…{trail_src!r}, "
        f"msgstr {lead_tr!r}…{trail_tr!r}"
    )
    # In template and program strings a space too many or too few is cosmetic.
    return [Finding("whitespace", detail, syntax == TEXT)]


def _joins_letters(text: str, index: int) -> bool:
    before = text[index - 1] if index else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    return bool(before) and bool(after) and not before.isascii() and not after.isascii() and (
        before.isalpha() or unicodedata.category(before)[0] in "MS"
    ) and (after.isalpha() or unicodedata.category(after)[0] in "MS")
