"""Fill msgstr in .po files from a Python dict ``{msgid: msgstr}`` (a maintainer's tool).

Usage: ``python tools/fill_po.py TRANSLATIONS.py PO_FILE...``; the module must define a
dict named ``FR`` (and may define more dicts, merged). Existing translations are kept
unless the dict has the msgid; the file is rewritten only when all of it parsed.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def main(argv: list[str]) -> int:
    namespace = runpy.run_path(argv[0])
    table: dict[str, str] = {}
    for value in namespace.values():
        if isinstance(value, dict) and all(isinstance(k, str) for k in value):
            table.update(value)
    missing = 0
    for name in argv[1:]:
        path = Path(name)
        with path.open("rb") as handle:
            catalog = read_po(handle, abort_invalid=True)
        for message in catalog:
            if not message.id:
                continue
            if message.id in table:
                message.string = table[message.id]
                message.flags.discard("fuzzy")
            elif not message.string:
                missing += 1
                print(f"{path}: untranslated: {message.id[:70]!r}")
        tmp = path.with_suffix(".po.tmp")
        with tmp.open("wb") as handle:
            write_po(handle, catalog, width=79)
        tmp.replace(path)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
