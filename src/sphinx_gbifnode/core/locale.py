"""Languages: the package's own message catalogue, Babel locales, language codes and
names, and numbers written the way a language writes them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal, get_group_symbol
from sphinx.locale import get_translation

MESSAGE_CATALOG = "sphinx_gbifnode"
#: ``locale/<lang>/LC_MESSAGES/sphinx_gbifnode.po``: the extension's own labels.
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

#: The extension's own fixed labels ("Image:", "Partners", ...), translated through the
#: package catalogue (``locale/<lang>/LC_MESSAGES/sphinx_gbifnode.po``).
_ = get_translation(MESSAGE_CATALOG)


@cache
def parse_locale(code: str) -> Locale | None:
    """The Babel locale of a Sphinx/gettext language code (``fr``, ``zh_CN``, ``pt-BR``),
    or None when Babel does not know it."""
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None


def babel_locale(language: str | None) -> Locale:
    """The Babel locale of a Sphinx ``language``; English when Babel does not know it."""
    return parse_locale(language or "en") or Locale.parse("en")


#: Names a language's speakers write on a language menu where CLDR's display name is
#: not it ("中文 (简体, 中国)" is a description; Chinese sites write "简体中文").
_MENU_NAMES = {
    "zh": "中文",
    "zh_Hans": "简体中文",
    "zh_Hant": "繁體中文",
    "zh_CN": "简体中文",
    "zh_SG": "简体中文",
    "zh_TW": "繁體中文",
    "zh_HK": "繁體中文",
    "zh_MO": "繁體中文",
}


@cache
def language_name(code: str) -> str:
    """The language as its speakers name it on a language menu ("Français",
    "Nederlands", "简体中文"), or the code when Babel does not know it."""
    locale = parse_locale(code)
    if locale is None:
        return code
    for key in (str(locale), f"{locale.language}_{locale.script}", locale.language):
        if key in _MENU_NAMES:
            return _MENU_NAMES[key]
    name = locale.get_display_name(locale) or code
    return name[:1].upper() + name[1:]


def hreflang(code: str) -> str:
    """Sphinx/gettext codes (``zh_CN``) as HTML wants them (``zh-CN``)."""
    return code.replace("_", "-")


def split_languages(value: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """``"en, fr,,nl"`` (or a list of such strings) -> ``["en", "fr", "nl"]``: every
    comma-separated code, stripped, in order, each once."""
    if not value:
        return []
    parts = [value] if isinstance(value, str) else [str(item) for item in value]
    codes = (code.strip() for part in parts for code in part.split(","))
    return list(dict.fromkeys(code for code in codes if code))


def is_whole_number(value: object) -> bool:
    """True for an ``int`` that is not a ``bool`` (JSON numbers from the API)."""
    return isinstance(value, int) and not isinstance(value, bool)


def format_number(value: object, language: str | None) -> str:
    """``1,234,567`` in English, ``1 234 567`` in French (Babel's CLDR data); "" for
    anything but a whole number."""
    if not is_whole_number(value):
        return ""
    number = int(value)  # type: ignore[call-overload]
    separator = _thousands_separator(language)
    if separator is not None and number >= 0:
        # Python groups by threes exactly as these languages do: a page of 3,000 numbers
        # (or ten charts) would otherwise spend most of its time in Babel's general path.
        return f"{number:,}".replace(",", separator)
    return format_decimal(number, locale=babel_locale(language))


@cache
def _thousands_separator(language: str | None) -> str | None:
    """The separator of a language that writes whole numbers as plain digits grouped by
    threes (most do); None for the others (Indian grouping, other digits), which Babel
    formats. Checked against Babel itself, so the quick path can only agree with it."""
    locale = babel_locale(language)
    separator = get_group_symbol(locale)
    sample = 1234567890
    if format_decimal(sample, locale=locale) != f"{sample:,}".replace(",", separator):
        return None
    return separator
