"""What a message's markup is made of: its syntax (MyST, reStructuredText or the plain
text of templates and code) and the images, links, roles, literals, substitutions,
placeholders and footnote references in it, found with one regular expression per
syntax (no parser: checking 10,000 entries takes a fraction of a second).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from ..po_files import Entry

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
ROLE_SEPARATOR = "\x1f"


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
                features["formatting"][f"{name}{ROLE_SEPARATOR}"] += 1
            elif base in CODE_ROLES:
                features["formatting"][f"{name}{ROLE_SEPARATOR}{body}"] += 1
            else:
                features["role"][f"{name}{ROLE_SEPARATOR}{_role_target(body)}"] += 1
        elif groups.get("code") is not None:
            code = groups["code"]
            if syntax == MYST and code.startswith(" ") and code.endswith(" ") and code.strip():
                code = code[1:-1]  # CommonMark strips one space on each side
            features["literal"][code] += 1
        elif groups.get("interp") is not None:
            features["formatting"][ROLE_SEPARATOR] += 1
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
