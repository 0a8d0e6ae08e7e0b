"""Strict syntax check of gettext ``.po`` files, before anything builds from them.

Sphinx compiles ``.po`` files with Babel, which is lenient: an unterminated string or a
stray word is read past with a ``WARNING`` on stdout that names no file, and the
translation silently loses or mangles entries. Babel's ``abort_invalid`` mode still
accepts unterminated strings. So ``gbifnode`` checks every line itself and names the
file and line of each fault; then Babel reads the file for its meaning.
"""

from __future__ import annotations

import re
from pathlib import Path

_KEYWORD = re.compile(r"^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+(.*)$")
_STRING = re.compile(r'^"(?:[^"\\]|\\["\\abfnrtv0-7xu])*"\s*$')
_ORDER: dict[str, set[str | None]] = {
    # keyword: keywords that may come right before it (None = start of an entry)
    "msgctxt": {None},
    "msgid": {None, "msgctxt"},
    "msgid_plural": {"msgid"},
    "msgstr": {"msgid"},
    "msgstr[]": {"msgid_plural", "msgstr[]"},
}


def po_syntax_errors(path: Path) -> list[str]:
    """Every syntax fault of *path*, as ``file:line: problem`` (empty when clean)."""
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        return [f"{path}: cannot read .po file: {exc.strerror or exc}"]
    except UnicodeDecodeError as exc:
        where = path.read_bytes()[: exc.start].count(b"\n") + 1
        return [f"{path}:{where}: broken .po file: not UTF-8 text"]
    problems: list[str] = []
    previous: str | None = None  # the last keyword of the current entry

    def fault(number: int, message: str) -> None:
        problems.append(f"{path}:{number}: broken .po file: {message}")

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            if previous == "msgid" or previous == "msgctxt" or previous == "msgid_plural":
                fault(number - 1, "an entry without msgstr")
            previous = None
            continue
        if line.startswith("#"):
            continue  # comments, flags, references, obsolete entries
        if line.startswith('"'):
            if previous is None:
                fault(number, f"a string outside any entry: {line[:60]!r}")
            elif not _STRING.match(line):
                fault(number, f"unterminated or malformed string: {line[:60]!r}")
            continue
        parts = _KEYWORD.match(line)
        if not parts:
            fault(number, f"not gettext syntax: {line[:60]!r}")
            continue
        keyword = "msgstr[]" if parts[1].startswith("msgstr[") else parts[1]
        if previous not in _ORDER[keyword] and not (
            keyword in ("msgctxt", "msgid") and previous in ("msgstr", "msgstr[]")
        ):
            fault(number, f"{parts[1]} is out of place (after {previous or 'nothing'})")
        if not _STRING.match(parts[2]):
            fault(number, f"unterminated or malformed string: {line[:60]!r}")
        previous = keyword
    if previous in ("msgid", "msgctxt", "msgid_plural"):
        fault(len(text.splitlines()), "an entry without msgstr")
    return problems


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
