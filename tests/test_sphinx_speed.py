"""Docutils settings made once per build still give each page settings of its own; the
search index remembers stems across pages and stays the same."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from docutils.readers import standalone
from helpers import build, copy_root, make_project
from myst_parser.parsers.sphinx_ import MystParser

from sphinx_gbifnode import sphinx_speed

DEFAULTS = {"traceback": True, "input_encoding": "utf-8-sig", "tab_width": 8}


def counting(calls: list[tuple[Any, ...]]) -> Any:
    """Settings as Sphinx 9 makes them for each page (a new option parser each time),
    counting the calls."""
    import warnings

    from docutils.frontend import OptionParser

    def get_settings(*components: Any, defaults: Any, read_config_files: bool = False) -> Any:
        calls.append(components)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return OptionParser(components=components, defaults=defaults,
                                read_config_files=read_config_files).get_default_values()

    return get_settings


def test_each_page_gets_settings_of_its_own(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    monkeypatch.setenv("DOCUTILSCONFIG", str(tmp_path / "none.conf"))
    calls: list[tuple[Any, ...]] = []
    get_settings = sphinx_speed.reusing_option_parsers(counting(calls))
    first = get_settings(standalone.Reader, MystParser(), defaults=DEFAULTS,
                         read_config_files=True)
    second = get_settings(standalone.Reader, MystParser(), defaults=dict(DEFAULTS),
                          read_config_files=True)
    assert first is not second and vars(first).keys() == vars(second).keys()
    # Dependencies are recorded per page.
    assert first.record_dependencies is not second.record_dependencies
    first.record_dependencies.add("included.md")
    assert "included.md" not in second.record_dependencies.list
    assert calls == []  # docutils was asked directly, once
    expected = counting([])(standalone.Reader, MystParser(), defaults=DEFAULTS,
                            read_config_files=True)
    assert {k: v for k, v in vars(second).items() if k != "record_dependencies"} == {
        k: v for k, v in vars(expected).items() if k != "record_dependencies"}
    changed = get_settings(standalone.Reader, MystParser(), defaults={**DEFAULTS, "tab_width": 4},
                           read_config_files=True)
    assert changed.tab_width == 4 and second.tab_width == 8


def test_a_docutils_conf_is_read_for_every_page(monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    conf = tmp_path / "docutils.conf"
    conf.write_text("[general]\ntab_width: 3\n", encoding="utf-8")
    monkeypatch.setenv("DOCUTILSCONFIG", str(conf))
    calls: list[tuple[Any, ...]] = []
    get_settings = sphinx_speed.reusing_option_parsers(counting(calls))
    settings = get_settings(standalone.Reader, MystParser(), defaults=DEFAULTS,
                            read_config_files=True)
    assert settings.tab_width == 3 and len(calls) == 1
    conf.write_text("[general]\ntab_width: 5\n", encoding="utf-8")
    settings = get_settings(standalone.Reader, MystParser(), defaults=DEFAULTS,
                            read_config_files=True)
    assert settings.tab_width == 5 and len(calls) == 2


def test_stems_are_remembered_for_the_whole_build(make_app: Any, tmp_path: Path) -> None:
    srcdir = copy_root("i18nfast", tmp_path / "src")
    app = build(make_app, srcdir, confoverrides={"language": "fr"})
    stem = app.builder.indexer.lang.stem
    assert stem.cache_info().hits > 0 and stem.cache_info().currsize > 20
    index = (Path(app.outdir) / "searchindex.js").read_text(encoding="utf-8")
    assert '"biodivers' in index  # French stems of the page's words


def test_only_the_page_that_includes_a_file_depends_on_it(make_app: Any,
                                                            tmp_path: Path) -> None:
    srcdir = make_project(tmp_path / "src", {
        "index.rst": "Home\n====\n\n.. include:: snippet.txt\n\n.. toctree::\n\n   other\n",
        "other.rst": "Other\n=====\n\nNothing included here.\n",
        "snippet.txt": "Included words.\n",
    }, conf_extra='exclude_patterns = ["snippet.txt"]\n')
    app = build(make_app, srcdir)
    assert "Included words." in (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert [Path(path).name for path in app.env.dependencies["index"]] == ["snippet.txt"]
    assert not app.env.dependencies.get("other")


def test_compiled_templates_are_kept_and_give_the_same_pages(make_app: Any,
                                                            tmp_path: Path) -> None:
    srcdir = copy_root("i18nfast", tmp_path / "src")
    pages, compiled = [], []
    for _ in range(2):  # the second build loads the templates the first one compiled
        app = build(make_app, srcdir, freshenv=True, confoverrides={"language": "fr"})
        pages.append({path.name: path.read_bytes() for path in Path(app.outdir).glob("*.html")})
        assert app.builder.templates.environment.bytecode_cache is not None
        compiled.append({path.name: path.stat().st_mtime_ns
                         for path in (Path(app.doctreedir) / "templates").iterdir()})
    assert len(compiled[0]) >= 3 and compiled[0] == compiled[1]  # not compiled again
    assert pages[0] == pages[1] and "index.html" in pages[0]


def test_builds_of_one_run_share_compiled_templates(make_app: Any, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    monkeypatch.setenv(sphinx_speed.SHARED_TEMPLATES, str(shared))
    first = build(make_app, copy_root("i18nfast", tmp_path / "one"), freshenv=True,
                  confoverrides={"language": "fr"})
    compiled = {path.name: path.stat().st_mtime_ns for path in shared.iterdir()}
    assert len(compiled) >= 3
    # Another site of the same run: every template comes from the shared folder, none
    # is compiled (and written there) again, and the pages are the same.
    second = build(make_app, copy_root("i18nfast", tmp_path / "two"), freshenv=True,
                   confoverrides={"language": "fr"})
    assert {path.name: path.stat().st_mtime_ns for path in shared.iterdir()} == compiled
    own = {path.name for path in (Path(second.doctreedir) / "templates").iterdir()}
    assert own == set(compiled)
    for page in Path(first.outdir).glob("*.html"):
        assert (Path(second.outdir) / page.name).read_bytes() == page.read_bytes()
