"""The extension's own labels: every language has every label, and the .mo is current."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from helpers import PACKAGE, REPO

LANGUAGES = ("fr", "nl", "de", "es", "zh_CN")
sys.path.insert(0, str(REPO / "tools"))

from catalogs import compiled  # noqa: E402


def labels_in_code() -> set[str]:
    """Every ``_("...")`` call in the package (the fixed labels readers see)."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "_"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_label_is_translated(language: str) -> None:
    po_path = PACKAGE / "locale" / language / "LC_MESSAGES" / "sphinx_gbifnode.po"
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    missing = labels_in_code() - translated
    assert not missing, f"{po_path}: untranslated labels {sorted(missing)}"


def meaning(catalog: Catalog) -> tuple[dict[object, object], str, str]:
    """What a catalogue means to a reader: its translations, plural rule and charset.

    Byte layout (header order, hash table, the library's version stamp) is left out on
    purpose: it changes with every Babel release while the translations stay the same.
    """
    messages = {
        message.id: message.string
        for message in catalog
        if message.id and message.string and not message.fuzzy
    }
    return messages, catalog.plural_forms, catalog.charset


@pytest.mark.parametrize("language", LANGUAGES)
def test_mo_is_compiled_from_po(language: str) -> None:
    po_path = PACKAGE / "locale" / language / "LC_MESSAGES" / "sphinx_gbifnode.po"
    with po_path.open("rb") as handle:
        source = read_po(handle)
    with po_path.with_suffix(".mo").open("rb") as handle:
        built = read_mo(handle)
    assert meaning(built) == meaning(source), "run `make catalogs`"


def test_mo_comparison_sees_a_stale_translation(tmp_path: Path) -> None:
    """The comparison above fails when a msgstr changed after the .mo was compiled."""
    po_path = PACKAGE / "locale" / "fr" / "LC_MESSAGES" / "sphinx_gbifnode.po"
    with po_path.open("rb") as handle:
        source = read_po(handle)
    message = next(m for m in source if m.id and m.string and not m.fuzzy)
    stale = tmp_path / "stale.mo"
    stale.write_bytes(compiled(po_path))
    message.string = f"{message.string} (edited)"
    with stale.open("rb") as handle:
        assert meaning(read_mo(handle)) != meaning(source)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_declares_its_plural_rule(language: str) -> None:
    """Without a Plural-Forms header Babel guesses the rule from its CLDR data, which
    changes between Babel releases (French went from two forms to three in 2.19)."""
    po_path = PACKAGE / "locale" / language / "LC_MESSAGES" / "sphinx_gbifnode.po"
    assert b'"Plural-Forms: nplurals=' in po_path.read_bytes()
