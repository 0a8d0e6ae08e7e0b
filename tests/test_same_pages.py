"""The speed-ups change nothing but the time: every page of the docs site, of a
generated site (MyST and reStructuredText) and of a root with translated messages of
every kind comes out byte for byte as Sphinx alone makes it, in English and in French,
with the same warnings.

"Sphinx alone" is the same project built in a fresh process where the extension installs
none of its speed-ups (:mod:`sphinx_gbifnode.i18n.locale_speed`,
:mod:`sphinx_gbifnode.i18n.myst_speed`, :mod:`sphinx_gbifnode.sphinx_speed`).
"""

from __future__ import annotations

import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO, copy_root

sys.path.insert(0, str(REPO / "benchmarks"))

from generated_site import write_sphinx_site

SPEED_UPS = ("i18n.locale_speed", "i18n.myst_speed", "sphinx_speed")
SPHINX_ALONE = (
    "import importlib, sys\n"
    f"for name in {SPEED_UPS!r}:\n"
    "    importlib.import_module(f'sphinx_gbifnode.{name}').setup = lambda app: None\n"
    "from sphinx.cmd.build import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)
WITH_SPEED_UPS = "import sys\nfrom sphinx.cmd.build import main\nsys.exit(main(sys.argv[1:]))\n"


def sphinx_build(program: str, srcdir: Path, out: Path, language: str,
                 options: tuple[str, ...]) -> set[str]:
    """Build *srcdir* fresh into *out*; return its warnings (each once)."""
    result = subprocess.run(
        [sys.executable, "-c", program, "-q", "-E", "-b", "html", "-D", f"language={language}", "-D", "gbifnode_language_folders=1",
         "-d", str(out.parent / f"{out.name}.doctrees"), *options, str(srcdir), str(out)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = re.sub(r"\x1b\[[0-9;]*m", "", result.stderr).splitlines()
    return {line for line in lines if line.strip()}


def output_files(out: Path) -> dict[str, bytes]:
    return {str(path.relative_to(out)): path.read_bytes()
            for path in sorted(out.rglob("*")) if path.is_file()}


def assert_same_site(srcdir: Path, tmp_path: Path, language: str,
                     options: tuple[str, ...] = ()) -> tuple[dict[str, bytes], set[str]]:
    """Build with and without the speed-ups; every output file must be identical."""
    fast_warnings = sphinx_build(WITH_SPEED_UPS, srcdir, tmp_path / "fast", language, options)
    alone_warnings = sphinx_build(SPHINX_ALONE, srcdir, tmp_path / "alone", language, options)
    fast, alone = output_files(tmp_path / "fast"), output_files(tmp_path / "alone")
    assert sorted(fast) == sorted(alone)
    different = [name for name in fast if fast[name] != alone[name]]
    assert not different, different
    assert len([name for name in fast if name.endswith(".html")]) >= 3
    # Sphinx alone parses each message twice and may warn twice: the same lines, once.
    assert fast_warnings == alone_warnings
    # What the pages leave in the environment (MyST's word count of the last message
    # parsed, heading slugs) is the same too.
    assert saved_metadata(tmp_path / "fast") == saved_metadata(tmp_path / "alone")
    return fast, fast_warnings


def saved_metadata(out: Path) -> dict[str, dict]:
    """The metadata of every page, as the build saved its environment."""
    with (out.parent / f"{out.name}.doctrees" / "environment.pickle").open("rb") as handle:
        env = pickle.load(handle)
    return dict(env.metadata)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_messages_of_every_kind(tmp_path: Path, language: str) -> None:
    srcdir = copy_root("i18nfast", tmp_path / "src")
    pages, warnings = assert_same_site(srcdir, tmp_path, language)
    if language == "fr":
        index = pages["index.html"].decode()
        assert "Une phrase simple sur les données de biodiversité." in index
        assert "<em>emphase</em>" in index  # markup in a msgstr still renders as markup
        assert "Un deux-points au milieu\u202f: toujours simple." in index
        markdown = pages["markdown.html"].decode()
        assert "Une phrase simple en Markdown." in markdown
        assert "<strong>gras</strong>" in markdown
        # A broken msgstr still warns at its file and line.
        assert any("index.rst:78:<translated>:1: WARNING: Inline emphasis" in line
                   for line in warnings), warnings
        # A translation that drops a named reference is still reported.
        assert any("inconsistent references in translated message" in line
                   for line in warnings), warnings
        # Simple inline markup in a MyST translation renders as the parser renders it.
        assert ('Lancez <code class="docutils literal notranslate"><span class="pre">'
                'gbifnode</span>' in markdown), markdown


def test_messages_with_myst_typography_and_heading_anchors(tmp_path: Path) -> None:
    srcdir = copy_root("i18nfast", tmp_path / "src")
    options = ("-D", "myst_heading_anchors=2",
               "-D", "myst_enable_extensions=colon_fence,deflist,smartquotes,replacements")
    pages, _warnings = assert_same_site(srcdir, tmp_path, "fr", options)
    assert "Une phrase simple en Markdown." in pages["markdown.html"].decode()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_docs_site(tmp_path: Path, language: str) -> None:
    pages, _warnings = assert_same_site(REPO / "docs", tmp_path, language)
    assert len(pages) > 20


@pytest.mark.parametrize(("syntax", "language"),
                         [("md", "fr"), ("rst", "fr"), ("md", "en"), ("rst", "en")])
def test_generated_site(tmp_path: Path, syntax: str, language: str) -> None:
    srcdir = write_sphinx_site(tmp_path / "generated", 12, syntax)
    pages, _warnings = assert_same_site(srcdir, tmp_path, language)
    if language == "fr":
        assert "FR A closing note for page 3." in pages["page003.html"].decode()

