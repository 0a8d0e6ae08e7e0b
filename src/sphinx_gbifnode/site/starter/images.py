"""Placeholder images of a new site (a banner photo and partner logos), drawn as PNG
without an imaging library, to be replaced by the node's own."""

from __future__ import annotations

from ...core.png import encode_png
from .pages import GBIF_LOGO, HERO_IMAGE, NODE_LOGO

#: Size of the placeholder hero photo (a wide banner) and of a partner logo.
HERO_SIZE = (1200, 400)
LOGO_SIZE = (160, 80)


def placeholder_photo(width: int, height: int) -> bytes:
    """A banner shading from dark to light green, to stand in for the hero photo."""
    rows = []
    for y in range(height):
        shade = y * 90 // max(1, height - 1)
        rows.append(bytes((20 + shade // 3, 70 + shade, 45 + shade // 2)) * width)
    return encode_png(width, height, rows)


def placeholder_logo(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    """A logo-shaped placeholder: a disc of *colour* on white, left of a grey bar."""
    radius = height * 3 // 8
    cx, cy = height // 2, height // 2
    rows = []
    for y in range(height):
        row = bytearray(b"\xff" * (width * 3))
        for x in range(width):
            if (x - cx) ** 2 + (y - cy) ** 2 <= radius * radius:
                row[x * 3:x * 3 + 3] = bytes(colour)
            elif height <= x < width - height // 4 and abs(y - cy) <= height // 10:
                row[x * 3:x * 3 + 3] = b"\x9a\x9a\x9a"
        rows.append(bytes(row))
    return encode_png(width, height, rows)


def placeholder_images() -> dict[str, bytes]:
    """The images of a new site by relative path."""
    return {
        HERO_IMAGE: placeholder_photo(*HERO_SIZE),
        GBIF_LOGO: placeholder_logo(*LOGO_SIZE, (80, 150, 60)),
        NODE_LOGO: placeholder_logo(*LOGO_SIZE, (30, 90, 140)),
    }
