"""The strict .po check that runs before every build and catalogue update."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import PACKAGE

from sphinx_gbifnode.i18n import po_files
from sphinx_gbifnode.i18n.po_files import broken_catalogs, po_syntax_errors

PACKAGE_LOCALE = PACKAGE / "locale"

VALID = '''# A comment
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: fr\\n"

#: ../../index.md:3
#, fuzzy
#| msgid "Old"
msgctxt "menu"
msgid "Home"
msgstr "Accueil"
msgid "A \\"quoted\\" word"
msgstr ""
"Un mot "
"\\"cité\\""

msgid "one bird"
msgid_plural "%d birds"
msgstr[0] "un oiseau"
msgstr[1] "%d oiseaux"

#~ msgid "Gone"
#~ msgstr "Parti"
'''


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "page.po"
    path.write_bytes(text.encode("utf-8"))
    return path


def test_valid_files_pass(tmp_path: Path) -> None:
    assert po_syntax_errors(write(tmp_path, VALID)) == []
    package = sorted(PACKAGE_LOCALE.glob("*/LC_MESSAGES/*.po"))
    assert package and broken_catalogs(package) == []


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ('msgid "a"\nmsgstr "b\n', 2, "unterminated or malformed string"),
        ('msgid "a"\nmsgstr "b\\"\n', 2, "unterminated or malformed string"),
        ('msgid "a"\nmsgstr b\n', 2, "expected msgid, msgstr or a quoted string"),
        ('msgid "a"\nmsgstr "b"\nxyz\n', 3, "expected msgid, msgstr or a quoted string, found 'xyz'"),
        ('msgid "a"\n\nmsgstr "b"\n', 1, "msgid without msgstr"),
        ('msgid "a"\nmsgstr "b" "c"\n', 2, "unterminated or malformed string"),
        ('msgstr "b"\n', 1, "msgstr without msgid"),
        ('msgid "a"\nmsgstr "b"\n\n"orphan"\n', 4, "a string outside any msgid or msgstr"),
        ('msgid "a"\n', 1, "msgid without msgstr"),
    ],
)
def test_syntax_errors_name_file_and_line(
    tmp_path: Path, text: str, line: int, problem: str
) -> None:
    path = write(tmp_path, text)
    errors = po_syntax_errors(path)
    assert errors and errors[0].startswith(f"{path}:{line}: broken .po file: {problem}")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.po"
    path.write_bytes(b'msgid "a"\nmsgstr "caf\xe9"\n')
    assert broken_catalogs([path]) == [f"{path}:2: broken .po file: not UTF-8 text"]


def test_usable_catalogues_are_recorded_and_not_checked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An incremental build checks only the catalogues that changed; a broken one is
    never recorded, so it is reported on every build until it is fixed."""
    good, other = write(tmp_path, VALID), tmp_path / "other.po"
    other.write_text(VALID.replace("Accueil", "Maison"), encoding="utf-8")
    record = tmp_path / "doctrees" / "fr" / po_files.CATALOGUE_RECORD
    record.parent.mkdir(parents=True)
    checked: list[Path] = []
    check = po_files.catalogue_faults

    def counting(path: Path, encoding: str = "utf-8-sig") -> list[po_files.CatalogueError]:
        checked.append(path)
        return check(path, encoding)

    monkeypatch.setattr(po_files, "catalogue_faults", counting)
    assert broken_catalogs([good, other], record=record) == []
    assert checked == [good, other] and record.is_file()
    assert broken_catalogs([good, other], record=record) == []
    assert checked == [good, other]  # both unchanged: read, not checked

    other.write_bytes(b'msgid "a"\nmsgstr "caf\xe9"\n')
    for _build in range(2):
        assert broken_catalogs([good, other], record=record) == [
            f"{other}:2: broken .po file: not UTF-8 text"]
    assert checked == [good, other, other, other]

    # Another version of the checks trusts no earlier record.
    other.write_text(VALID, encoding="utf-8")
    assert broken_catalogs([good, other], record=record) == []
    record.write_text(record.read_text("utf-8").replace('"checks": "', '"checks": "old'),
                      encoding="utf-8")
    assert broken_catalogs([good, other], record=record) == []
    assert checked == [good, other, other, other, other, good, other]
