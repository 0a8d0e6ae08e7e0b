"""``gbifnode i18n check``: find translations that break the markup of a page.

A catalogue can be 100 % translated and still wreck the translated site: a translator or a
machine-translation tool turns ``![Map](map.png)`` into ``! [Carte] (carte.png)``, changes
a link target, drops a role's backquote or slips in a zero-width space. Sphinx then prints
the broken markup as text, usually without a warning. This module compares every
``msgstr`` with its ``msgid`` and reports what the translation lost or broke.

The engine reads ``.po`` files with :func:`po_files.read_catalogue` (no Sphinx start-up,
no Babel), so that checking a catalogue of 10,000 entries takes a fraction of a second and
each problem carries the line of the ``.po`` file to fix. MyST and reStructuredText
messages are told apart by the ``#:`` source locations Sphinx writes (``index.md:12``),
and by their markup otherwise.
"""

from __future__ import annotations

import argparse
import re
import string
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from ..po_files import CatalogueError, Entry, read_catalogue

#: Every kind of problem, in the order the summary lists them.
KINDS = (
    "catalogue",  # the .po file itself cannot be read
    "image",
    "link",
    "role",
    "literal",
    "substitution",
    "placeholder",
    "footnote",
    "emphasis",
    "split",
    "invisible",
    "whitespace",
    "block",
    "stray-markup",
)

MYST, RST, TEXT = "myst", "rst", "text"
_MYST_SUFFIXES = {".md", ".markdown", ".myst", ".ipynb"}
_RST_SUFFIXES = {".rst", ".rest", ".txt"}
#: Where ``sphinx.po`` and extension catalogues take their strings from: templates and
#: code, whose messages are plain text with placeholders, not page markup.
_TEXT_SUFFIXES = {".html", ".jinja", ".j2", ".py", ".js", ".xml", ".txt_t", ".html_t"}

#: Formatting roles whose content is prose that a translator may (must) translate.
TEXT_ROLES = frozenset(
    {
        "", "abbr", "emphasis", "strong", "sub", "sup", "subscript", "superscript",
        "guilabel", "menuselection", "dfn", "term", "title-reference", "title", "t",
    }
)
#: Formatting roles whose content is code or a key that stays as it is.
CODE_ROLES = frozenset(
    {
        "kbd", "file", "samp", "command", "program", "literal", "code", "math",
        "mailheader", "mimetype", "newsgroup", "regexp", "makevar",
    }
)
# Every other role is a cross-reference: its target (the content, or the ``<target>`` of
# ``title <target>``) has to stay as it is, or the link breaks.


# --------------------------------------------------------------------------- markup


def syntax_of(entry: Entry) -> str:
    """``myst``, ``rst`` or ``text`` (template and code strings): from the source files
    Sphinx recorded, else from the markup."""
    text = False
    for location in entry.locations:
        name = location.rsplit(":", 1)[0].rsplit("/", 1)[-1]
        suffix = name[name.rfind("."):].lower() if "." in name else ""
        if suffix in _MYST_SUFFIXES:
            return MYST
        if suffix in _RST_SUFFIXES:
            return RST
        text = text or suffix in _TEXT_SUFFIXES
    return TEXT if text else guess_syntax(entry.msgid)


_RST_HINTS = re.compile(r"``|`_|`__|:[\w.:+-]+:`|\]_|^\.\. |\|\w[^|]*\|", re.MULTILINE)
_MYST_HINTS = re.compile(r"\]\(|\{[\w.:+-]+\}`|\[\^|\{\{")


def guess_syntax(text: str) -> str:
    """Guess the markup of a message that carries no source location."""
    rst = len(_RST_HINTS.findall(text))
    myst = len(_MYST_HINTS.findall(text))
    return RST if rst > myst else MYST


_DEST = r"(?:<[^<>\n]*>|(?:[^()\s]|\((?:[^()\s])*\))+)(?:\s+(?:\"[^\"]*\"|'[^']*'))?"
_BRACKETED = r"(?:[^\[\]\\]|\\.|!?\[[^\[\]]*\](?:\([^()]*\))?)*"
# ASCII punctuation may end a sentence after a URL; other punctuation (« », “ ”) too.
_URL = r"https?://[\w\-.~:/?#@!$&'*+,;=%]*[\w\-~/#@$&+=%]"
# No space flag: "95 % of" is French typography, not ``% o``.
_PERCENT = r"%(?:\((?P<pname>\w+)\))?[-#0+]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"
_BRACE = r"(?<!\{)\{(?P<bname>\w*(?:\.\w+|\[\w*\])*)(?:![rsa])?(?::[^{}`]*)?\}(?!\})"

_MYST_TOKEN = re.compile(
    # The lookahead lets the engine skip plain prose without trying every alternative.
    r"(?=[\\{`!\[<h%])(?:"
    + "|".join(
        [
            r"(?P<escape>\\[!-/:-@\[-`{-~])",
            r"\{(?P<role>[A-Za-z][\w.:+-]*)\}(?P<rticks>`+)(?P<rbody>.+?)(?<!`)(?P=rticks)(?!`)",
            r"(?P<ticks>`+)(?P<code>.+?)(?<!`)(?P=ticks)(?!`)",
            rf"!\[(?P<alt>{_BRACKETED})\](?:\((?P<src>{_DEST})\)|\[(?P<srcref>[^\[\]]*)\])",
            r"\[\^(?P<footnote>[^\]\s]+)\]",
            rf"\[(?P<text>{_BRACKETED})\](?:\((?P<href>{_DEST})?\)|\[(?P<ref>[^\[\]]*)\])",
            r"<(?P<autolink>(?:https?|mailto|ftp):[^<>\s]+)>",
            r"<img\b[^>]*?\bsrc\s*=\s*[\"'](?P<imgsrc>[^\"']*)[\"'][^>]*>",
            r"<a\b[^>]*?\bhref\s*=\s*[\"'](?P<ahref>[^\"']*)[\"'][^>]*>",
            r"\{\{\s*(?P<subst>[^{}]+?)\s*\}\}",
            rf"(?P<url>{_URL})",
            rf"(?P<percent>{_PERCENT})",
            rf"(?P<brace>{_BRACE})",
        ]
    )
    + ")",
    re.DOTALL,
)

_ROLE_NAME = r"[A-Za-z][\w.+-]*(?::[A-Za-z][\w.+-]*)*"
_RST_TOKEN = re.compile(
    r"(?=[\\.`:\[|h%{])(?:"
    + "|".join(
        [
            r"(?P<escape>\\.)",
            r"^\.\. (?:image|figure)::[ \t]*(?P<dirimg>\S+)",
            # ``??``: the shortest literal, not one running to the next literal's end.
            r"``(?P<code>\S(?:.*?\S)??)``(?!\w)",
            rf"(?<![\w\\]):(?P<role>{_ROLE_NAME}):`(?P<rbody>[^`]+?)`(?![`\w])",
            r"`(?P<text>[^`]*?)\s*<(?P<href>[^<>`]+)>`(?P<us>__?)(?!\w)",
            r"`(?P<name>[^`<>]+)`(?P<nus>__?)(?!\w)",
            r"\[(?P<footnote>#[\w.-]*|\*|\d+|[A-Za-z][\w.-]*)\]_(?!\w)",
            # Default-role text; not when a space splits it from a ``_``: that is a
            # broken link, reported as such.
            r"`(?P<interp>[^`\s](?:[^`]*[^`\s])?)`(?![`\w])(?!\s*__?(?!\w))",
            r"(?<![\w|])\|(?P<subst>[^|\s](?:[^|]*[^|\s])?)\|(?:__?)?(?![\w|])",
            rf"(?P<url>{_URL})",
            rf"(?P<percent>{_PERCENT})",
            rf"(?P<brace>{_BRACE})",
        ]
    )
    + ")",
    re.DOTALL | re.MULTILINE,
)
#: ``word_`` references, looked for in what the other constructs leave (a word can
#: start anywhere, so this one would slow the main pattern down tenfold).
_RST_WORD_REFERENCE = re.compile(
    r"(?<![\w`\\/.:-])(?P<wref>[A-Za-z0-9](?:[\w.+-]*[A-Za-z0-9])?)__?(?![\w])"
)

#: Template and code strings: only placeholders matter.
_TEXT_TOKEN = re.compile(rf"(?P<percent>{_PERCENT})|(?P<brace>{_BRACE})")

_TITLE_TARGET = re.compile(r"^(?P<title>.*?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)


def _norm_name(name: str) -> str:
    """Reference names as docutils and CommonMark compare them."""
    return " ".join(name.lower().split())


def _dest(value: str) -> str:
    """A link or image destination without its title and angle brackets."""
    value = value.strip()
    if value.startswith("<"):
        return value[1:value.index(">")] if ">" in value else value[1:]
    return value.split()[0] if value else value


#: Between a role's name (which may hold colons: ``py:func``) and its target in keys.
_SEP = "\x1f"


def _role_target(body: str) -> str:
    match = _TITLE_TARGET.match(body)
    target = match.group("target") if match else body
    return target.strip().lstrip("~!")


@dataclass
class Markup:
    """What a message's markup is made of; ``remainder`` is the text with every
    recognised construct replaced by ``x`` (for emphasis and stray-markup checks)."""

    features: dict[str, Counter[str]]
    remainder: str
    text: str


#: A character every construct of both syntaxes needs (``word_`` needs ``_``).
_MAYBE_MARKUP = re.compile(r"[\\`*_\[\]{}<>|%]|https?:|^\.\. ", re.MULTILINE)


def analyse(text: str, syntax: str) -> Markup:
    """Find the images, links, roles, literals, substitutions, placeholders and footnote
    references of *text* in the given syntax."""
    # Only the kinds a message has get a Counter: most messages are plain prose.
    features: defaultdict[str, Counter[str]] = defaultdict(Counter)
    if not _MAYBE_MARKUP.search(text):
        return Markup(features, text, text)  # plain prose: nothing to scan
    pieces: list[str] = []
    _scan(text, syntax, features, pieces)
    return Markup(features, "".join(pieces), text)


_PATTERNS = {MYST: _MYST_TOKEN, RST: _RST_TOKEN, TEXT: _TEXT_TOKEN}


def _scan(text: str, syntax: str, features: dict[str, Counter[str]], pieces: list[str]) -> None:
    pattern = _PATTERNS[syntax]
    position, start = 0, len(pieces)
    for match in pattern.finditer(text):
        pieces.append(text[position:match.start()])
        position = match.end()
        kind = match.lastgroup
        groups = match.groupdict()
        if groups.get("escape") is not None:
            pieces.append("x")
            continue
        if groups.get("role") is not None:
            name, body = groups["role"], groups["rbody"]
            base = name.rsplit(":", 1)[-1]
            if base in TEXT_ROLES:
                features["formatting"][f"{name}{_SEP}"] += 1
            elif base in CODE_ROLES:
                features["formatting"][f"{name}{_SEP}{body}"] += 1
            else:
                features["role"][f"{name}{_SEP}{_role_target(body)}"] += 1
        elif groups.get("code") is not None:
            code = groups["code"]
            if syntax == MYST and code.startswith(" ") and code.endswith(" ") and code.strip():
                code = code[1:-1]  # CommonMark strips one space on each side
            features["literal"][code] += 1
        elif groups.get("interp") is not None:
            features["formatting"][_SEP] += 1
        elif groups.get("dirimg") is not None:
            features["image"][groups["dirimg"]] += 1
        elif groups.get("src") is not None or groups.get("srcref") is not None:
            src = groups.get("src")
            label = _dest(src) if src is not None else f"[{_norm_name(groups['srcref'])}]"
            features["image"][label] += 1
        elif groups.get("imgsrc") is not None:
            features["image"][groups["imgsrc"]] += 1
        elif groups.get("footnote") is not None:
            features["footnote"][groups["footnote"]] += 1
        elif syntax == MYST and match.group(0).startswith("["):
            inner = groups["text"] or ""
            if groups.get("ref") is not None:
                label = groups["ref"] or inner  # ``[text][]`` uses the text as label
                features["link"][f"[{_norm_name(label)}]"] += 1
            else:
                features["link"][_dest(groups.get("href") or "")] += 1
            # Images, roles and code inside link text count as well.
            _scan(inner, syntax, features, [])
        elif groups.get("href") is not None:  # rST `text <target>`_
            target = groups["href"].strip()
            if target.endswith("_") and not target.endswith("\\_") and "/" not in target:
                target = f"[{_norm_name(target[:-1])}]"  # `text <name_>`_ is `name`_
            features["link"][target] += 1
        elif groups.get("name") is not None:
            # Anonymous references (``__``) go to the next anonymous target in order:
            # their words may change, only their number matters.
            anonymous = groups["nus"] == "__"
            features["link"]["[]__" if anonymous else f"[{_norm_name(groups['name'])}]"] += 1
        elif kind == "autolink" or kind == "ahref":
            features["link"][match.group(kind)] += 1
        elif kind == "url":
            # A URL written out is text (or a link without its own words): a link that
            # lost its markup leaves one behind, which must not count as the same link.
            features["link"][f"{match.group(kind)} (plain URL)"] += 1
        elif kind == "subst":
            features["substitution"][_norm_name(groups["subst"])] += 1
        elif kind == "percent" or groups.get("pname") is not None:
            # Flags and width only pad (``%-d``, ``%5s``): the name and type matter.
            name = groups.get("pname")
            key = f"%({name}){match.group(0)[-1]}" if name else f"%{match.group(0)[-1]}"
            features["placeholder"][key] += 1
        elif groups.get("brace") is not None:
            # The format spec may change (``{n:,}``); the field may not.
            features["brace"][f"{{{groups['bname']}}}"] += 1
        pieces.append("x")
    pieces.append(text[position:])
    if syntax == RST:
        for piece in pieces[start:]:
            if "_" in piece:
                for wref in _RST_WORD_REFERENCE.findall(piece):
                    features["link"][f"[{_norm_name(wref)}]"] += 1


# --------------------------------------------------------------------------- checks


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one entry (or one catalogue)."""

    path: Path
    line: int
    kind: str
    msgid: str
    detail: str
    #: Suspicious but not broken (the markup is intact): reported, not failing.
    warning: bool = False


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
        name, _sep, target = key.partition(_SEP)
        if not name:
            return "`default-role text`"
        written = f":{name}:" if syntax == RST else f"{{{name}}}"
        return f"{written}`{target}`" if target else written
    return f"`{key}`"


_NONE: Counter[str] = Counter()


def _address(key: str) -> str:
    """A URL without what rarely changes the page: scheme, ``www.``, host case, final
    slash."""
    url = key.removesuffix(" (plain URL)")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return key
    host = parts.netloc.lower().removeprefix("www.")
    rest = parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")
    # A link that became a plain URL lost its markup: that stays a difference.
    return host + rest + (f"#{parts.fragment}" if parts.fragment else "") + key[len(url):]


def _same_addresses(source: Counter[str], translation: Counter[str]) -> bool:
    """Whether the links differ only in how the same addresses are written."""
    return Counter(map(_address, source.elements())) == Counter(
        map(_address, translation.elements())
    )


def _renames_named_references(source: Counter[str], translation: Counter[str]) -> bool:
    """Whether the only change is reStructuredText ``name_`` references renamed one for
    one, which is right when they point to section titles the translation renames too."""
    missing, extra = source - translation, translation - source
    named = all(k.startswith("[") and k != "[]__" for k in [*missing, *extra])
    return named and bool(missing) and sum(missing.values()) == sum(extra.values())


def _site_and_rest(url: str, token: re.Pattern[str]) -> tuple[str, bool] | None:
    """(host without a leading language label, whether the URL names the language)."""
    parts = urlsplit(url.removesuffix(" (plain URL)"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    host = parts.netloc.lower()
    first, _dot, rest = host.partition(".")
    if rest.count(".") and len(first) in (2, 3):  # en.wikipedia.org, fr.wikipedia.org
        host = rest
    return host, bool(token.search(url))


def accept_localised_links(
    source: Counter[str], translation: Counter[str], language: str
) -> Counter[str]:
    """*translation* with links to the translated page of the same site counted as the
    original links: ``https://site/guide`` may become ``https://site/fr/guide``,
    ``.../deed.fr`` or ``fr.site``, when the new URL names the language and the old one
    did not. Only the target's site is checked here, not that the page exists (that is
    ``sphinx-build -b linkcheck``'s job)."""
    missing, extra = source - translation, translation - source
    if not missing or not extra:
        return translation
    code = re.split(r"[_-]", language)[0]
    token = re.compile(rf"(?<![A-Za-z0-9]){re.escape(code)}(?![A-Za-z0-9])", re.IGNORECASE)
    adjusted = translation.copy()
    for new in list(extra.elements()):
        new_site = _site_and_rest(new, token)
        if new_site is None or not new_site[1]:
            continue
        for old in list(missing.elements()):
            if old.endswith(" (plain URL)") != new.endswith(" (plain URL)"):
                continue
            if _site_and_rest(old, token) == (new_site[0], False):
                adjusted[new] -= 1
                adjusted[old] += 1
                missing[old] -= 1
                break
    return +adjusted


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


#: Markup a space has split, so that it is printed as text (checked on the raw text).
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
            if kind == "link" and _same_addresses(before, after):
                warning = True
                detail += "; the same address written differently (https, www., case)"
            # In Markdown an unknown ``[text][label]`` is printed as is: an error there.
            if kind == "link" and syntax == RST and _renames_named_references(before, after):
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


# --------------------------------------------------------------------------- catalogues


@dataclass
class CatalogueReport:
    """The outcome of checking one ``.po`` file."""

    path: Path
    language: str
    checked: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    problems: list[Problem] = field(default_factory=list)


def language_of(path: Path) -> str:
    """The language of a catalogue from its ``<lang>/LC_MESSAGES/`` folder."""
    parts = path.parts
    if "LC_MESSAGES" in parts:
        index = len(parts) - 1 - parts[::-1].index("LC_MESSAGES")
        if index >= 1:
            return parts[index - 1]
    return "?"


def check_entries(path: Path, entries: Iterable[Entry], report: CatalogueReport) -> None:
    """Check *entries* of the catalogue at *path*, adding to *report*."""
    for entry in entries:
        if not entry.msgid:
            continue  # the header
        if not entry.translated:
            report.untranslated += 1
            continue
        if entry.fuzzy:
            report.fuzzy += 1
            continue
        report.checked += 1
        syntax = syntax_of(entry)
        for index, msgstr in enumerate(entry.msgstr):
            if not msgstr:
                continue
            plural = entry.msgid_plural is not None
            source = entry.msgid_plural if plural and index > 0 else entry.msgid
            found = check_message(
                source or entry.msgid,
                msgstr,
                syntax,
                plural,
                report.language,
                # Without a source location it may well be a program string.
                placeholders=syntax == TEXT or not entry.locations,
            )
            for kind, detail, warning in found:
                if plural:
                    detail = f"msgstr[{index}]: {detail}"
                report.problems.append(
                    Problem(path, entry.line, kind, entry.msgid, detail, warning)
                )


def check_catalogue(path: Path, language: str | None = None) -> CatalogueReport:
    """Check every translated, non-fuzzy entry of the ``.po`` file at *path*."""
    report = CatalogueReport(path, language or language_of(path))
    try:
        entries = read_catalogue(path)
    except CatalogueError as exc:
        report.problems.append(Problem(path, exc.line, "catalogue", "", exc.message))
        return report
    check_entries(path, entries, report)
    return report


# --------------------------------------------------------------------------- command


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``gbifnode i18n check``."""
    parser.add_argument(
        "src",
        metavar="SRC",
        help="the Sphinx source folder (with conf.py), or .po files or a folder of them",
    )
    parser.add_argument(
        "--languages",
        metavar="LANG[,LANG...]",
        action="append",
        help="only these languages (e.g. --languages fr,de; may be repeated); default: "
        "every translated language",
    )
    parser.add_argument(
        "--built",
        metavar="OUT",
        help="also compare the built pages OUT/<lang>/ with the default language's "
        "(images, links, headings)",
    )


def _catalogues(src: Path, languages: list[str] | None) -> tuple[str | None, dict[str, list[Path]]]:
    """(default language or None, catalogues per language) for SRC."""
    if (src / "conf.py").is_file():
        from ..project import load_project

        project = load_project(src)
        wanted = project.translated_languages
        if languages:
            unknown = [lang for lang in languages if lang not in project.languages]
            if unknown:
                from ...core.errors import CommandError

                raise CommandError(
                    f"{src}: no catalogues for {', '.join(unknown)} (languages found: "
                    f"{', '.join(project.languages)})"
                )
            wanted = [lang for lang in languages if lang != project.default_language]
        return project.default_language, {lang: project.catalog_files(lang) for lang in wanted}
    if src.is_file():
        files = [src]
    elif src.is_dir():
        files = sorted(src.rglob("*.po"))
    else:
        from ...core.errors import CommandError

        raise CommandError(f"{src}: no such file or folder")
    grouped: dict[str, list[Path]] = {}
    for path in files:
        lang = language_of(path)
        if not languages or lang in languages:
            grouped.setdefault(lang, []).append(path)
    return None, grouped


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _short(msgid: str, width: int = 70) -> str:
    text = " ".join(msgid.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def format_problem(problem: Problem) -> str:
    """``file.po:LINE: error [kind] "msgid": detail`` (one line, as compilers print)."""
    where = f"{_display(problem.path)}:{problem.line}"
    severity = "warning" if problem.warning else "error"
    if problem.kind == "catalogue":
        return f"{where}: {severity} [catalogue] {problem.detail}"
    return f'{where}: {severity} [{problem.kind}] "{_short(problem.msgid)}": {problem.detail}'


def _count(errors: int, warnings: int) -> str:
    text = f"{errors} error{'s' if errors != 1 else ''}"
    return text + (f", {warnings} warning{'s' if warnings != 1 else ''}" if warnings else "")


def check_languages(
    catalogues: dict[str, list[Path]],
) -> Iterator[tuple[str, list[CatalogueReport]]]:
    """Check each language's catalogues, in language order."""
    for language in sorted(catalogues):
        yield language, [check_catalogue(path, language) for path in catalogues[language]]


def run(args: argparse.Namespace) -> int:
    """``gbifnode i18n check``: print each problem and a summary; 1 when there are errors."""
    src = Path(args.src)
    languages = [p for value in args.languages or [] for p in value.split(",") if p]
    default, catalogues = _catalogues(src, languages or None)
    if not catalogues:
        print(f"{src}: no catalogues to check (no translated language found)")
    errors = warnings = 0
    summary: list[str] = []
    for language, reports in check_languages(catalogues):
        if not reports:
            summary.append(
                f"  {language}: no .po catalogues (only compiled .mo files): nothing to check"
            )
            continue
        problems = [p for r in reports for p in r.problems]
        for problem in problems:
            print(format_problem(problem))
        language_warnings = sum(p.warning for p in problems)
        errors += len(problems) - language_warnings
        warnings += language_warnings
        checked = sum(r.checked for r in reports)
        skipped = sum(r.fuzzy + r.untranslated for r in reports)
        broken = [r for r in reports if r.problems]
        summary.append(
            f"  {language}: {_count(len(problems) - language_warnings, language_warnings)} in "
            f"{len(broken)} of {len(reports)} catalogue{'s' if len(reports) != 1 else ''} "
            f"({checked} entries checked, {skipped} fuzzy or untranslated not checked)"
        )
        for report in broken:
            kinds = Counter(p.kind for p in report.problems)
            listing = ", ".join(f"{kinds[k]} {k}" for k in KINDS if k in kinds)
            summary.append(f"    {_display(report.path)}: {listing}")
    if args.built:
        from .built import compare_built, format_built_problem

        built_problems, built_summary = compare_built(
            Path(args.built), default, list(catalogues) if languages else None
        )
        for built_problem in built_problems:
            print(format_built_problem(built_problem))
        errors += len(built_problems)
        summary.extend(built_summary)
    print("Summary:")
    for line in summary:
        print(line)
    print(f"{_count(errors, warnings)} found." if errors or warnings else "No problems found.")
    return 1 if errors else 0
