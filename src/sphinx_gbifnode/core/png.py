"""PNG images without an imaging library."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable


def encode_png(width: int, height: int, rows: Iterable[bytes]) -> bytes:
    """A PNG file from *height* rows of ``width * 3`` RGB bytes (no imaging library).

    Used for the placeholder photo of ``gbifnode init`` and for test images."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 on every row
    return b"".join((
        b"\x89PNG\r\n\x1a\n",
        chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
        chunk(b"IDAT", zlib.compress(raw, 9)),
        chunk(b"IEND", b""),
    ))
