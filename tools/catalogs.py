"""Compile the extension's own message catalogues (``.po`` -> ``.mo``).

Run ``make catalogs`` after editing ``src/sphinx_gbifnode/locale/*/LC_MESSAGES/*.po``.
``tests/test_catalogs.py`` fails when a ``.mo`` is out of date or a label is missing.
"""

from __future__ import annotations

import sys
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "src" / "sphinx_gbifnode" / "locale"


def compiled(po_path: Path) -> bytes:
    with po_path.open("rb") as handle:
        catalog = read_po(handle, abort_invalid=True)
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
