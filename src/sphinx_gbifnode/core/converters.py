"""Docutils option converters: each returns the checked value or raises ``ValueError``,
which Sphinx reports as a warning at the directive's line."""

from __future__ import annotations

import re

_CSS_LENGTH = re.compile(r"^(?:0|\d+(?:\.\d+)?(?:px|rem|em|vh|vw|svh|dvh|%))$")
#: The CSS colour notations accepted: hex (with or without alpha), rgb()/hsl() (commas
#: or spaces, optional alpha), and a colour name.
_CSS_COLOURS = (
    re.compile(r"^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$"),
    re.compile(
        r"^(?:rgb|rgba|hsl|hsla)\(\s*[0-9.%]+\s*(?:,\s*|\s+)[0-9.%]+\s*(?:,\s*|\s+)[0-9.%]+"
        r"\s*(?:(?:,|/)\s*[0-9.%]+\s*)?\)$"
    ),
    re.compile(r"^[a-zA-Z]{3,20}$"),
)
#: A GBIF registry key (a UUID; some older keys are shorter hex strings).
GBIF_KEY = re.compile(r"^[0-9a-fA-F-]{8,64}$")


def css_length(value: str | None) -> str:
    """Docutils option converter for a CSS length (``70vh``, ``60px``, ``12rem``, ``50%``)."""
    text = (value or "").strip()
    if not _CSS_LENGTH.match(text):
        raise ValueError(
            f"{text!r} is not a CSS length; use a number with px, rem, em, vh or %, e.g. 60vh"
        )
    return text


def css_colour(value: str | None) -> str:
    """Docutils option converter for a CSS colour (``#00000055``, ``rgba(0,0,0,.4)``, ``black``)."""
    text = (value or "").strip().strip("\"'")
    if any(notation.match(text) for notation in _CSS_COLOURS):
        return text
    raise ValueError(f"{text!r} is not a CSS colour; use #rrggbb, #rrggbbaa or rgba(...)")


def positive_int(value: str | None) -> int:
    """Docutils option converter for a whole number from 1 to 12 (grid columns)."""
    text = (value or "").strip()
    if not text.isdigit() or not 1 <= int(text) <= 12:
        raise ValueError(f"{text!r} is not a whole number of columns from 1 to 12")
    return int(text)


def non_negative_int(value: str | None) -> int:
    """Docutils option converter for a whole number from 0 (limits, minimums)."""
    text = (value or "").strip()
    if not text.isdigit():
        raise ValueError(f"{text!r} is not a whole number")
    return int(text)


def country_code(value: str | None) -> str:
    """Option converter for an ISO 3166-1 alpha-2 country code (``BE``)."""
    text = (value or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", text):
        raise ValueError(f"{value!r} is not a two-letter ISO country code such as BE")
    return text


def gbif_key(value: str | None) -> str:
    """Option converter for a GBIF registry key (a UUID)."""
    text = (value or "").strip().lower()
    if not GBIF_KEY.match(text):
        raise ValueError(f"{value!r} is not a GBIF key (a UUID such as 1cd669d0-80ea-...)")
    return text
