"""The extension's own labels: every language has every label, and the .mo is current."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "sphinx_gbifnode"
LANGUAGES = ("fr", "nl", "de", "es", "zh_CN")
sys.path.insert(0, str(ROOT / "tools"))

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


@pytest.mark.parametrize("language", LANGUAGES)
def test_mo_is_compiled_from_po(language: str) -> None:
    po_path = PACKAGE / "locale" / language / "LC_MESSAGES" / "sphinx_gbifnode.po"
    assert po_path.with_suffix(".mo").read_bytes() == compiled(po_path), "run `make catalogs`"
