"""The words of a new site, in every language ``gbifnode init`` writes.

Each language is one table, ``<language>.yml`` beside this module: the page titles, the
hero's texts, the menu and footer labels and the README, with ``{name}`` (the site's
name), ``{country}`` (the country's name in that language, from Babel) and ``{code}``
(its ISO code) as placeholders. Adding a language is adding a table with the same keys.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ...core.locale import babel_locale

STARTER_DIR = Path(__file__).resolve().parent
#: The language whose table is used when a site's language has none.
FALLBACK = "en"


@functools.cache
def shipped_languages() -> tuple[str, ...]:
    """The languages that have starter texts (``en``, ``fr``, ``zh_CN``...), sorted."""
    return tuple(sorted(path.stem for path in STARTER_DIR.glob("*.yml")))


def texts_language(language: str) -> str | None:
    """The table that writes *language*: its own, or that of its base language when the
    table has no region (``fr_BE`` -> ``fr``; ``zh_TW`` has none: not ``zh_CN``'s)."""
    if language in shipped_languages():
        return language
    base = re.split(r"[_@]", language)[0]
    return base if base in shipped_languages() else None


@functools.cache
def _table(language: str) -> dict[str, str]:
    data = yaml.safe_load((STARTER_DIR / f"{language}.yml").read_text(encoding="utf-8"))
    return {str(key): str(value) for key, value in data.items()}


#: A Latin letter or digit, and a CJK character: a space goes between the two (Chinese
#: typesetting) where a placeholder's value meets the table's text.
_LATIN = re.compile(r"[A-Za-z0-9]")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(template: str, values: dict[str, str]) -> str:
    """*template* with its ``{placeholders}`` replaced; where a value starting or ending
    with a Latin letter meets a CJK character, a space between them ("与 GBIF China
    共享", but "与GBIF 中国共享" stays without)."""

    def value(match: re.Match[str]) -> str:
        text = values[match[1]]
        before = template[match.start() - 1:match.start()]
        after = template[match.end():match.end() + 1]
        if text and _CJK.match(before) and _LATIN.match(text[0]):
            text = " " + text
        if text and _CJK.match(after) and _LATIN.match(text[-1]):
            text += " "
        return text

    return _PLACEHOLDER.sub(value, template)


def _markdown(text: str) -> str:
    """*text* as literal Markdown: the characters that start inline markup escaped."""
    return re.sub(r"([\\`*_\[\]<>{}|~])", r"\\\1", text)


@dataclass(frozen=True)
class Wording:
    """One language's words for one site: the table with the name and country filled in.

    ``language`` is the site language these words are for; ``table`` the starter table
    that writes it (the same, its base language, or the fallback)."""

    language: str
    table: str
    name: str
    country: str
    code: str

    def plain(self, key: str) -> str:
        """The text of *key* as plain text (an option value, a YAML or Python string)."""
        if key == "site_name":
            return self.name
        values = {"name": self.name, "country": self.country, "code": self.code}
        return fill(_table(self.table)[key], values)

    def markdown(self, key: str) -> str:
        """The text of *key* for a Markdown page: the name and country are escaped, the
        table's own text is Markdown already."""
        if key == "site_name":
            return _markdown(self.name)
        values = {"name": _markdown(self.name), "country": _markdown(self.country),
                  "code": self.code}
        return fill(_table(self.table)[key], values)


def wording(language: str, country_code: str, name: str | None = None) -> Wording:
    """The words of a site in *language* for the country *country_code*; its name is
    *name* or the table's ``site_name`` with the country's name in *language*."""
    table = texts_language(language) or FALLBACK
    country = str(babel_locale(language).territories.get(country_code, country_code))
    if name is None:
        name = fill(_table(table)["site_name"], {"country": country, "code": country_code})
    return Wording(language, table, name, country, country_code)


def table_keys(language: str) -> set[str]:
    """The keys of *language*'s table (the tables must all have the same)."""
    return set(_table(language))
