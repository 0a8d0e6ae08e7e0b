"""Outside the ``OUT/<lang>/`` layout the other languages are not beside the build: the
switcher and the hreflang links leave them out, with one warning per build, instead of
linking to ``../fr/`` that does not exist."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from helpers import build, copy_root, html, warnings_of

from sphinx_gbifnode.cli import main


def plain_root(tmp_path: Path) -> Path:
    """The multilingual root without its statement that it is built in the layout."""
    srcdir = copy_root("multilang", tmp_path / "src")
    conf = srcdir / "conf.py"
    text = conf.read_text(encoding="utf-8")
    conf.write_text(
        "\n".join(line for line in text.splitlines()
                  if not line.startswith("gbifnode_language_folders")) + "\n",
        encoding="utf-8",
    )
    return srcdir


def test_plain_build_leaves_out_the_languages_it_cannot_reach(make_app, tmp_path: Path) -> None:
    srcdir = plain_root(tmp_path)
    app = build(make_app, srcdir, confoverrides={"language": "fr"})
    warnings = warnings_of(app)
    assert warnings.count("WARNING") == 1, warnings  # once per build, not per page
    assert re.search(
        r"WARNING: the output folder .*/html is not named after the language \(fr\), so "
        r"the other languages \(en\) are not beside it.*gbifnode build SRC OUT.*"
        r"\[gbifnode\.language\]", warnings,
    )
    for page in (html(app), html(app, "guide/intro")):
        assert "../en/" not in page and 'hreflang="en"' not in page
        assert "gbif-language-switcher" not in page
        assert 'hreflang="x-default"' not in page
    assert "Lisez ceci d’abord." in html(app, "guide/intro")  # translated all the same


def test_template_links_point_at_the_page_itself(make_app, tmp_path: Path) -> None:
    srcdir = plain_root(tmp_path)
    (srcdir / "_templates").mkdir()
    (srcdir / "_templates" / "layout.html").write_text(
        '{% extends "!layout.html" %}\n{% block relbar1 %}'
        "{% for link in gbifnode_language_links %}<i data-code={{ link.code }}>{{ link.url }}</i>"
        "{% endfor %}{% endblock %}\n"
    )
    app = build(make_app, srcdir, confoverrides={"language": "fr", "templates_path": ["_templates"]})
    assert "<i data-code=fr>intro.html</i>" in html(app, "guide/intro")
    assert "data-code=en" not in html(app, "guide/intro")


def test_default_language_alone_warns_too(make_app, tmp_path: Path) -> None:
    """``sphinx-build docs _build/html``: the default language, the usual first try."""
    app = build(make_app, plain_root(tmp_path))
    assert "other languages (fr) are not beside it" in warnings_of(app)
    assert "../fr/" not in html(app)


def test_one_language_site_and_other_builders_do_not_warn(make_app, tmp_path: Path) -> None:
    srcdir = plain_root(tmp_path)
    app = build(make_app, srcdir, confoverrides={"gbifnode_languages": ["en"]})
    assert warnings_of(app) == ""
    app = build(make_app, srcdir, "singlehtml")
    assert "not named after the language" not in warnings_of(app)
    app = build(make_app, srcdir, "gettext")
    assert "not named after the language" not in warnings_of(app)


def test_gbifnode_build_is_in_the_layout(tmp_path: Path, capsys) -> None:
    """No statement needed: ``gbifnode build`` writes OUT/<lang>/, so the links are all
    there and nothing is warned."""
    srcdir = plain_root(tmp_path)
    out = tmp_path / "out"
    assert main(["build", str(srcdir), str(out), "-q"]) == 0
    assert "not named after" not in capsys.readouterr().err
    page = (out / "fr" / "guide" / "intro.html").read_text(encoding="utf-8")
    assert 'href="../../en/guide/intro.html"' in page
    assert (out / "en" / "guide" / "intro.html").is_file()


def test_sphinx_build_into_a_folder_named_after_the_language(tmp_path: Path) -> None:
    """``sphinx-build -D language=fr docs _build/fr`` is the layout too."""
    srcdir = plain_root(tmp_path)
    out = tmp_path / "_build"
    for language in ("en", "fr"):
        # Its own process, as a user runs it (Sphinx keeps the language process-wide).
        result = subprocess.run(
            [sys.executable, "-m", "sphinx", "-q", "-D", f"language={language}", "-d",
             str(out / ".doctrees" / language), str(srcdir), str(out / language)],
            capture_output=True, text=True,
        )
        assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr
    page = (out / "fr" / "index.html").read_text(encoding="utf-8")
    assert 'href="../en/index.html"' in page
