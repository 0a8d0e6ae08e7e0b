"""Numbers written as each language writes them: the quick path agrees with Babel."""

from __future__ import annotations

import pytest
from babel.numbers import format_decimal

from sphinx_gbifnode.core.locale import babel_locale, format_number

NUMBERS = [0, 7, 999, 1000, 1234, 65075096, 1234567890123, -1234567]


@pytest.mark.parametrize("language", [
    "en", "fr", "de", "es", "nl", "zh_CN", "pt_BR", "pl", "sv", "ru", "hi", "ar", "fa",
    "bn", "de_CH", "xx-unknown", None,
])
def test_whole_numbers_are_written_as_babel_writes_them(language: str | None) -> None:
    for number in NUMBERS:
        expected = format_decimal(number, locale=babel_locale(language))
        assert format_number(number, language) == expected, (language, number)


def test_only_whole_numbers_are_written() -> None:
    assert [format_number(v, "en") for v in (True, 1.5, "12", None)] == ["", "", "", ""]
    assert format_number(1234567, "fr") == "1\u202f234\u202f567"
    assert format_number(1234567, "hi") == "12,34,567"  # Indian grouping, through Babel
