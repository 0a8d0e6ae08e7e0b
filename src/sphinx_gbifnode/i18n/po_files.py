"""Strict syntax check of gettext ``.po`` files, before anything builds from them.

Sphinx compiles ``.po`` files with Babel, which is lenient: an unterminated string or a
stray word is read past with a ``WARNING`` on stdout that names no file, and the
translation silently loses or mangles entries. Babel's ``abort_invalid`` mode still
accepts unterminated strings. So ``gbifnode`` reads every line itself
(:func:`read_catalogue`, also the reader of ``gbifnode i18n check``) and names the file
and line of a fault; then Babel reads the file for its meaning.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import gettext
import hashlib
import io
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.files import write_atomic

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog


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
    """A ``.po`` file that cannot be read; ``line`` is 1-based (0: the file itself)."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")
        self.path, self.line, self.message = path, line, message


#: The file, in a build's doctree folder, that lists the catalogues found usable.
CATALOGUE_RECORD = "gbifnode-catalogues.json"
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


def declared_charset(data: bytes) -> str | None:
    """The charset a catalogue's header declares (``None`` for none or the ``.pot``
    placeholder ``CHARSET``)."""
    found = _CHARSET.search(data[:4096])
    name = found.group(1).decode("ascii") if found else ""
    return None if not name or name.lower() == "charset" else name


def is_utf8(charset: str | None) -> bool:
    return charset is None or charset.lower().replace("_", "-") in ("utf-8", "utf8")


def decode_catalogue(path: Path, data: bytes) -> str:
    """The text of a ``.po`` file, decoded as its header declares (UTF-8 by default).

    Bytes that are valid UTF-8 are read as UTF-8 whatever the header says: text in a
    one-byte charset with accents is almost never valid UTF-8, while a file saved as
    UTF-8 under an old ``charset=ISO-8859-1`` header is common (and is what Sphinx,
    which reads catalogues as UTF-8, sees)."""
    charset = declared_charset(data)
    if not is_utf8(charset):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
    encoding = "utf-8-sig" if is_utf8(charset) else str(charset)
    try:
        return data.decode(encoding)
    except LookupError:
        raise CatalogueError(path, _header_line(data, b"charset="),
                             f"unknown charset {encoding!r}") from None
    except UnicodeDecodeError as exc:
        bad_line = data[: exc.start].count(b"\n") + 1
        name = encoding.removesuffix("-sig").upper()
        raise CatalogueError(path, bad_line, f"not {name} text") from None


def _header_line(data: bytes, needle: bytes) -> int:
    """The line of the header field holding *needle* (1 when it is not there)."""
    index = data.find(needle)
    return data[:index].count(b"\n") + 1 if index >= 0 else 1


def read_catalogue(path: Path) -> list[Entry]:
    """Read the entries of a ``.po`` file (obsolete ``#~`` entries are left out), in
    the charset its header declares.

    Raises :class:`CatalogueError` naming the line for a file that is not a valid
    catalogue, so a broken ``.po`` is reported like any other problem.
    """
    return parse_entries(path, decode_catalogue(path, path.read_bytes()))


def parse_entries(path: Path, text: str) -> list[Entry]:
    """The entries of a catalogue's *text* (see :func:`read_catalogue`)."""
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


def duplicate_entries(entries: list[Entry]) -> list[tuple[Entry, Entry]]:
    """``(first, again)`` for each message given twice (same msgid and msgctxt). gettext
    tools refuse such a file; Babel, and so Sphinx, keeps the first translation and
    drops the other without a word."""
    first: dict[tuple[str | None, str], Entry] = {}
    pairs = []
    for entry in entries:
        key = (entry.msgctxt, entry.msgid)
        if key in first:
            pairs.append((first[key], entry))
        else:
            first[key] = entry
    return pairs


def open_catalog(path: Path, locale: str | None = None, strict: bool = False) -> Catalog:
    """Babel's reading of a ``.po`` file, decoded as its header declares (Babel alone
    decodes the lines before the header as UTF-8, whatever the file says)."""
    from babel.messages.pofile import read_po

    text = decode_catalogue(path, path.read_bytes())
    return read_po(io.StringIO(text), locale=locale, abort_invalid=strict)


def po_syntax_errors(path: Path) -> list[str]:
    """The first syntax fault of *path*, as ``file:line: problem`` (empty when clean)."""
    return [str(fault) for fault in _unreadable(path)]


def _unreadable(path: Path) -> list[CatalogueError]:
    """Why *path* cannot be read faithfully: its syntax, then Babel's strict reading."""
    from babel.messages.pofile import PoFileError

    try:
        read_catalogue(path)
        open_catalog(path, strict=True)
    except OSError as exc:
        return [CatalogueError(path, 0, f"cannot read .po file: {exc.strerror or exc}")]
    except CatalogueError as exc:
        return [CatalogueError(path, exc.line, f"broken .po file: {exc.message}")]
    except PoFileError as exc:
        message = str(exc).removesuffix(f" on {exc.lineno}")
        # Babel counts lines from 0; editors and people from 1.
        return [CatalogueError(path, exc.lineno + 1, f"broken .po file: {message}")]
    except ValueError as exc:  # a header Babel cannot read (``nplurals=two``)
        line = _header_line(path.read_bytes(), b"Plural-Forms:")
        return [CatalogueError(path, line, f"broken .po file: {_bad_plural(str(exc))}")]
    return []


def unreadable_catalogs(paths: list[Path]) -> list[str]:
    """``file:line: problem`` for each ``.po`` in *paths* that cannot be read faithfully
    (what ``gbifnode i18n update`` and ``stat`` refuse to work from); any charset the
    header declares is read."""
    return [str(fault) for path in paths for fault in _unreadable(path)]


def sphinx_discards(path: Path, encoding: str = "utf-8-sig") -> list[CatalogueError]:
    """Why Sphinx would drop every translation of the (readable) catalogue at *path*
    while the build goes on: it reads ``.po`` files in its ``source_encoding`` (UTF-8),
    compiles them with Babel and loads the ``.mo`` with :mod:`gettext`, which silently
    ignores a catalogue it cannot load (a malformed ``Plural-Forms``, a charset that
    cannot hold the text)."""
    data = path.read_bytes()
    charset = declared_charset(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return [CatalogueError(
            path, line,
            f"this catalogue is {charset or 'not UTF-8'} text, and Sphinx reads catalogues "
            f"as {encoding.removesuffix('-sig').upper()}: it would drop every translation "
            "in it; convert it with `gbifnode i18n update` (or save it as UTF-8 with "
            "charset=UTF-8 in its header)",
        )]
    try:
        codecs.lookup(charset or "utf-8")
    except LookupError:
        return [CatalogueError(
            path, _header_line(data, b"charset="),
            f"unknown charset {charset!r}: Sphinx cannot compile this catalogue and would "
            "drop every translation in it; declare charset=UTF-8",
        )]
    if not is_utf8(charset):
        line = _charset_fault_line(path, text, str(charset))
        if line:
            return [CatalogueError(
                path, line,
                f"the header's charset={charset} cannot hold this text: Sphinx would drop "
                "every translation in it; declare charset=UTF-8",
            )]
    header = _header_text(text)
    if header is None:
        return []
    fault = _header_fault(header)
    return [CatalogueError(path, _header_line(data, b"Plural-Forms:"), fault)] if fault else []


@functools.lru_cache(maxsize=64)
def _header_fault(header: str) -> str | None:
    """Why a catalogue with this header would not load (None: it loads). The header
    alone goes through Sphinx's path (Babel, then gettext): what decides whether the
    catalogue loads, at a fraction of the cost of the whole file. The catalogues of a
    site mostly share one header, so each header is compiled once per process."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    try:
        catalog = read_po(io.StringIO(header))
        compiled = io.BytesIO()
        write_mo(compiled, catalog)
    except ValueError as exc:
        return _bad_plural(str(exc))
    compiled.seek(0)
    try:
        gettext.GNUTranslations(compiled)
    except Exception as exc:  # gettext's own reading, exactly as Sphinx loads the .mo
        plural = dict(catalog.mime_headers).get("Plural-Forms")
        return _bad_plural(f"{plural!r}, {exc.__class__.__name__}: {exc}; gettext cannot "
                           "load the catalogue, so Sphinx would drop every translation in it")
    return None


def _bad_plural(detail: str) -> str:
    return (f"malformed Plural-Forms header ({detail}); write it as gettext does, e.g. "
            "'nplurals=2; plural=(n > 1);'")


def _charset_fault_line(path: Path, text: str, charset: str) -> int:
    """The line of the first entry whose text *charset* cannot hold (0: none)."""
    try:
        entries = parse_entries(path, text)
    except CatalogueError:
        return 0
    for entry in entries:
        try:
            for part in (entry.msgctxt or "", entry.msgid, *entry.msgstr):
                part.encode(charset)
        except UnicodeError:
            return entry.line
    return 0


def _header_text(text: str) -> str | None:
    """The catalogue's header entry (``msgid ""`` first, up to the blank line after it),
    with the comments above it; ``None`` when the file has no header."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("msgid "):
            if stripped != 'msgid ""':
                return None
            end = next((k for k in range(index, len(lines)) if not lines[k].strip()),
                       len(lines))
            return "\n".join(lines[:end]) + "\n"
    return None


@functools.lru_cache(maxsize=1024)
def _faults(path: Path, _mtime_ns: int, _size: int, encoding: str) -> tuple[CatalogueError, ...]:
    return tuple(_unreadable(path) or sphinx_discards(path, encoding))


def catalogue_faults(path: Path, encoding: str = "utf-8-sig") -> list[CatalogueError]:
    """What stops *path* from being read, or would make Sphinx drop it. Remembered per
    version of the file, so the check ``gbifnode build`` runs before a language and the
    one the extension runs in the same process read each file once."""
    try:
        stat = path.stat()
    except OSError as exc:
        return [CatalogueError(path, 0, f"cannot read .po file: {exc.strerror or exc}")]
    return list(_faults(path, stat.st_mtime_ns, stat.st_size, encoding))


@functools.cache
def _checks_version() -> str:
    """What the checks depend on besides a catalogue's bytes: their code (this module),
    Babel and Python (gettext). A record made under another version is not trusted."""
    import babel

    source = Path(__file__).read_bytes()
    return hashlib.sha256(
        source + f"\0{babel.__version__}\0{sys.version}".encode()
    ).hexdigest()


def checked_catalogues(paths: list[Path], encoding: str = "utf-8-sig",
                       record: Path | None = None) -> list[CatalogueError]:
    """The faults of each catalogue in *paths* (see :func:`catalogue_faults`).

    With *record* (a file in the build's doctree folder), a catalogue found usable by an
    earlier build, with the same bytes and the same checks, is not checked again: an
    incremental build reads each catalogue once instead of parsing it twice (our
    reader, then Babel's). A catalogue with a fault is never recorded, so its fault is
    reported on every build until it is fixed."""
    version = _checks_version() if record is not None else ""
    known: dict[str, str] = {}
    if record is not None:
        with contextlib.suppress(OSError, ValueError):
            data = json.loads(record.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("checks") == version:
                known = dict(data.get("usable", {}))
    usable: dict[str, str] = {}
    found: list[CatalogueError] = []
    for path in paths:
        try:
            digest = hashlib.sha256(encoding.encode() + b"\0" + path.read_bytes()).hexdigest()
        except OSError as exc:
            found.append(CatalogueError(path, 0, f"cannot read .po file: {exc.strerror or exc}"))
            continue
        if known.get(str(path)) != digest:
            faults = catalogue_faults(path, encoding)
            if faults:
                found.extend(faults)
                continue
        usable[str(path)] = digest
    if record is not None and usable != known:
        with contextlib.suppress(OSError):
            write_atomic(record, json.dumps({"checks": version, "usable": usable}))
    return found


def broken_catalogs(paths: list[Path], encoding: str = "utf-8-sig",
                    record: Path | None = None) -> list[str]:
    """``file:line: problem`` for each ``.po`` in *paths* a build must not use: one that
    cannot be read faithfully, or one Sphinx would silently discard. *record*: see
    :func:`checked_catalogues`."""
    return [str(fault) for fault in checked_catalogues(paths, encoding, record)]
