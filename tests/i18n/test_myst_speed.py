"""The MyST speed-up changes nothing but the time: same pages, independent settings."""

from __future__ import annotations

import re
from pathlib import Path

from docutils.frontend import get_default_settings
from helpers import build, copy_root, translate_project
from myst_parser.mdit_to_docutils import base
from myst_parser.parsers import sphinx_

from sphinx_gbifnode.i18n import myst_speed

ORIGINAL = base.make_document
ORIGINAL_CREATE = getattr(sphinx_.create_md_parser, "wrapped", sphinx_.create_md_parser)


def body(page: str) -> str:
    return re.search(r'<div class="body" role="main">(.*?)<div class="sphinxsidebar"', page,
                     re.S)[1]


def test_documents_get_their_own_default_settings() -> None:
    first, second = myst_speed.make_document(), myst_speed.make_document("x.md")
    assert first.settings is not second.settings
    expected = vars(get_default_settings(base.RSTParser))
    assert vars(first.settings).keys() == expected.keys()
    first.settings.report_level = 5
    assert second.settings.report_level == expected["report_level"]
    assert second["source"] == "x.md"


def test_translated_pages_are_identical_with_and_without(
    make_app, tmp_path: Path, monkeypatch
) -> None:
    """Heroes (whose licence line is parsed during the page's own parse), front matter,
    partner grids and plain pages, translated: the same HTML either way."""
    pages = {}
    for name, patched in (("without", False), ("with", True)):
        if not patched:
            monkeypatch.setattr(myst_speed, "setup", lambda app: None)
            monkeypatch.setattr(base, "make_document", ORIGINAL)
            monkeypatch.setattr(sphinx_, "create_md_parser", ORIGINAL_CREATE)
        else:
            monkeypatch.undo()
        pages[name] = {}
        for root in ("basic", "multilang"):
            srcdir = copy_root(root, tmp_path / name / root)
            if root == "basic":
                translate_project(make_app, srcdir, lambda msgid: f"FR[{msgid}]")
            app = build(make_app, srcdir, confoverrides={"language": "fr"})
            assert (base.make_document is myst_speed.make_document) == patched
            assert hasattr(sphinx_.create_md_parser, "wrapped") == patched
            for page in sorted(Path(app.outdir).rglob("*.html")):
                if page.name not in ("genindex.html", "search.html"):
                    pages[name][f"{root}/{page.name}"] = body(page.read_text("utf-8"))
    assert pages["with"] == pages["without"]
    assert len(pages["with"]) >= 6
    assert "Nous partageons des données de biodiversité." in pages["with"]["multilang/index.html"]
    assert "FR[Sharing <em>biodiversity</em> data]" in pages["with"]["basic/index.html"]


def test_a_parse_inside_a_parse_gets_a_parser_of_its_own() -> None:
    """A directive may parse text while its page is being parsed (re-entrance): the busy
    shared parser must not be handed out again, or the page's render state is lost."""
    made: list[object] = []

    class FakeParser:
        def __init__(self) -> None:
            self.options: dict[str, object] = {}
            made.append(self)

        def render(self, text: str) -> str:
            if text == "outer":
                inner = factory(config, "renderer")
                assert inner is not made[0] and not isinstance(inner, type(lease))
                return f"outer({inner.render('inner')})"
            return text

    class FakeConfig:
        """Stands for MyST's config, a dataclass instance (weakly referenceable)."""

    factory = myst_speed.reusing_parser_factory(lambda config, renderer: FakeParser())
    config = FakeConfig()
    lease = factory(config, "renderer")
    assert lease.render("outer") == "outer(inner)"
    assert len(made) == 2  # the shared parser, and one for the parse inside it
    again = factory(config, "renderer")
    assert again.render("x") == "x" and len(made) == 2  # the shared one, free again
    other = FakeConfig()
    factory(other, "renderer")
    assert len(made) == 3  # another configuration: another parser
