"""Strict syntax check of gettext ``.po`` files, before anything builds from them.

Sphinx compiles ``.po`` files with Babel, which is lenient: an unterminated string or a
stray word is read past with a ``WARNING`` on stdout that names no file, and the
translation silently loses or mangles entries. Babel's ``abort_invalid`` mode still
accepts unterminated strings. So ``gbifnode`` reads every line itself
(:func:`read_catalogue`, also the reader of ``gbifnode i18n check``) and names the file
and line of a fault; then Babel reads the file for its meaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    """One message of a catalogue, as far as checking it needs."""

    msgid: str
    msgstr: list[str]
    line: int  # line of the (first) msgstr: where the translator has to edit
    msgid_line: int
    msgid_plural: str | None = None
    msgctxt: str | None = None
    flags: set[str] = field(default_factory=set)
    locations: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)  # translator comments (``# ...``)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return any(self.msgstr)


class CatalogueError(Exception):
    """A ``.po`` file that cannot be read; ``line`` is 1-based."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


_CHARSET = re.compile(rb"charset=([A-Za-z0-9_.:-]+)")
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s*(".*)$')
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
            "f": "\f", "v": "\v"}
_ESCAPE = re.compile(r"\\(.)")


_STRING = re.compile(r'^"(?:[^"\\]|\\.)*"$')


def _unquote(text: str, path: Path, line: int) -> str:
    if not _STRING.match(text):
        raise CatalogueError(path, line, f"unterminated or malformed string {text!r}")
    body = text[1:-1]
    if "\\" not in body:
        return body

    def replace(match: re.Match[str]) -> str:
        try:
            return _ESCAPES[match.group(1)]
        except KeyError:
            raise CatalogueError(path, line, f"unknown escape \\{match.group(1)}") from None

    return _ESCAPE.sub(replace, body)


def read_catalogue(path: Path) -> list[Entry]:
    """Read the entries of a ``.po`` file (obsolete ``#~`` entries are left out).

    Raises :class:`CatalogueError` naming the line for a file that is not a valid
    catalogue, so a broken ``.po`` is reported like any other problem.
    """
    data = path.read_bytes()
    declared = _CHARSET.search(data[:4096])
    encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8", "charset"):
        encoding = "utf-8-sig"  # ``charset=CHARSET`` is the .pot placeholder
    try:
        text = data.decode(encoding)
    except LookupError:
        raise CatalogueError(path, 1, f"unknown charset {encoding!r}") from None
    except UnicodeDecodeError as exc:
        bad_line = data[: exc.start].count(b"\n") + 1
        name = encoding.removesuffix("-sig").upper()
        raise CatalogueError(path, bad_line, f"not {name} text") from None
    entries: list[Entry] = []
    fields: dict[str, list[str]] = {}
    lines_of: dict[str, int] = {}
    flags: set[str] = set()
    locations: list[str] = []
    comments: list[str] = []
    current: str | None = None

    def flush() -> None:
        nonlocal flags, locations, comments, current
        if "msgid" in fields:
            plural_keys = sorted(
                (k for k in fields if k.startswith("msgstr[")), key=lambda k: int(k[7:-1])
            )
            if "msgstr" not in fields and not plural_keys:
                raise CatalogueError(path, lines_of["msgid"], "msgid without msgstr")
            msgstr = ["".join(fields[k]) for k in plural_keys] or ["".join(fields["msgstr"])]
            first = plural_keys[0] if plural_keys else "msgstr"
            entries.append(
                Entry(
                    msgid="".join(fields["msgid"]),
                    msgstr=msgstr,
                    line=lines_of[first],
                    msgid_line=lines_of["msgid"],
                    msgid_plural="".join(fields["msgid_plural"])
                    if "msgid_plural" in fields
                    else None,
                    msgctxt="".join(fields["msgctxt"]) if "msgctxt" in fields else None,
                    flags=flags,
                    locations=locations,
                    comments=comments,
                )
            )
        elif fields:
            key = next(iter(fields))
            raise CatalogueError(path, lines_of[key], f"{key} without msgid")
        fields.clear()
        lines_of.clear()
        flags, locations, comments, current = set(), [], [], None

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            # A blank line ends an entry: a msgid whose msgstr comes after it is broken.
            flush()
            continue
        if line.startswith("#"):
            if any(k.startswith("msgstr") for k in fields):
                flush()
            if line.startswith("#~"):
                continue
            if line.startswith("#,"):
                flags.update(f.strip() for f in line[2:].split(",") if f.strip())
            elif line.startswith("#:"):
                locations.extend(line[2:].split())
            elif line.startswith("# ") or line == "#":
                comments.append(line[2:])
            continue
        if line.startswith('"'):
            if current is None:
                raise CatalogueError(path, number, "a string outside any msgid or msgstr")
            fields[current].append(_unquote(line, path, number))
            continue
        match = _KEYWORD.match(line)
        if match is None:
            raise CatalogueError(
                path, number, f"expected msgid, msgstr or a quoted string, found {line[:40]!r}"
            )
        keyword = match.group(1)
        if keyword in ("msgctxt", "msgid") and any(k.startswith("msgstr") for k in fields):
            flush()
        if keyword in fields:
            raise CatalogueError(path, number, f"duplicate {keyword} in one entry")
        current = keyword
        fields[keyword] = [_unquote(match.group(3), path, number)]
        lines_of[keyword] = number
    flush()
    return entries



def po_syntax_errors(path: Path) -> list[str]:
    """The first syntax fault of *path*, as ``file:line: problem`` (empty when clean)."""
    try:
        read_catalogue(path)
    except OSError as exc:
        return [f"{path}: cannot read .po file: {exc.strerror or exc}"]
    except CatalogueError as exc:
        return [f"{path}:{exc.line}: broken .po file: {exc.message}"]
    return []


def broken_catalogs(paths: list[Path]) -> list[str]:
    """Check every ``.po`` in *paths*: syntax first, then Babel's strict reading."""
    from babel.messages.pofile import PoFileError, read_po

    problems: list[str] = []
    for path in paths:
        found = po_syntax_errors(path)
        if not found:
            try:
                with path.open("rb") as handle:
                    read_po(handle, abort_invalid=True)
            except PoFileError as exc:
                message = str(exc).removesuffix(f" on {exc.lineno}")
                # Babel counts lines from 0; editors and people from 1.
                found = [f"{path}:{exc.lineno + 1}: broken .po file: {message}"]
            except ValueError as exc:
                found = [f"{path}: broken .po file: {exc}"]
        problems.extend(found)
    return problems
