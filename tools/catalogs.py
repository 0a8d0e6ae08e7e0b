"""Compile the extension's own message catalogues (``.po`` -> ``.mo``).

Run ``make catalogs`` after editing ``src/sphinx_gbifnode/locale/*/LC_MESSAGES/*.po``.
``tests/test_catalogs.py`` fails when a ``.mo`` is out of date or a label is missing.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "src" / "sphinx_gbifnode" / "locale"


#: Babel stamps a catalogue without ``POT-Creation-Date`` with the current time, which
#: made the ``.mo`` differ from one minute to the next; a fixed date keeps it reproducible.
FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)


def compiled(po_path: Path) -> bytes:
    raw = po_path.read_bytes()
    catalog = read_po(BytesIO(raw), abort_invalid=True)
    if b"POT-Creation-Date:" not in raw:
        catalog.creation_date = FIXED_DATE
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def main() -> int:
    for po_path in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        po_path.with_suffix(".mo").write_bytes(compiled(po_path))
        print(f"compiled {po_path.relative_to(LOCALE_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
