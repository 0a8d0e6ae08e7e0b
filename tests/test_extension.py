"""The extension as a whole: hero and partner-grid in MyST and rST, extracted and
translated; several builds in one process."""

from __future__ import annotations

import pickle
import re
import sys
import types
from pathlib import Path

from docutils import nodes
from helpers import build, copy_root, html, make_project, translate_project, warnings_of

from sphinx_gbifnode.core import sanitize
from sphinx_gbifnode.gbif.client import Query
from sphinx_gbifnode.gbif.html import gbif_embed
from sphinx_gbifnode.gbif.snapshots import SnapshotStore, data_layer


def test_english_build_has_no_warnings(make_app, tmp_path: Path) -> None:
    srcdir = copy_root("basic", tmp_path / "src")
    app = build(make_app, srcdir)
    assert app.warning.getvalue() == ""
    page = html(app)
    assert '<section class="gbif-hero' in page
    assert "Sharing <em>biodiversity</em> data" in page


def test_french_build_translates_every_string(make_app, tmp_path: Path) -> None:
    srcdir = copy_root("basic", tmp_path / "src")
    extracted = translate_project(make_app, srcdir, lambda msgid: f"FR[{msgid}]")
    everything = [m for msgs in extracted.values() for m in msgs]
    assert "Sharing *biodiversity* data" in everything
    app = build(make_app, srcdir, confoverrides={"language": "fr"})
    page = html(app)
    assert re.search(r"FR\[Sharing <em>biodiversity</em> data\]", page)


def test_three_builds_in_one_process_sanitise_each_page_once(
    make_app, tmp_path: Path, monkeypatch
) -> None:
    """Nothing of a build stays behind in the process: the third build of a page with a
    hero and a partner grid sanitises each of them once, as the first did, and finds
    its own GBIF data layer."""
    sanitised: list[str] = []
    original = sanitize.sanitize_untrusted

    def counting(container: nodes.Element) -> None:
        sanitised.append(type(container).__name__)
        original(container)

    monkeypatch.setattr(sanitize, "sanitize_untrusted", counting)
    page = (
        "# Page\n\n:::{hero} Title\n:image: _static/hero.png\n:licence: CC0\n\n"
        "Text with <b>raw HTML</b>.\n:::\n\n"
        ":::{partner-grid}\n- name: RBINS\n  logo: _static/rbins.png\n:::\n"
    )
    layers = []
    for number in range(3):
        srcdir = make_project(tmp_path / f"site{number}", {"index.md": page})
        sanitised.clear()
        app = build(make_app, srcdir)
        assert sorted(sanitised) == ["hero", "partner_grid"], f"build {number + 1}"
        assert warnings_of(app) == ""
        layers.append(data_layer(app.config))
        assert "Text with &lt;b&gt;raw HTML&lt;/b&gt;." in html(app)
    assert len({id(layer) for layer in layers}) == 3
    assert all(layer.store.directory.parent.parent.name.startswith("site") for layer in layers)


def _saved_at(path: Path, node_class: type, old_module: str) -> None:
    """Rewrite the pickled doctree at *path* as a build made when *node_class* lived in
    *old_module* (which exists no more)."""
    doctree = pickle.loads(path.read_bytes())
    new_module = node_class.__module__
    stand_in = types.ModuleType(old_module)
    setattr(stand_in, node_class.__name__, node_class)
    sys.modules[old_module] = stand_in
    node_class.__module__ = old_module
    try:
        path.write_bytes(pickle.dumps(doctree, pickle.HIGHEST_PROTOCOL))
    finally:
        node_class.__module__ = new_module
        del sys.modules[old_module]


def test_a_build_left_by_an_earlier_layout_is_read_again(make_app, tmp_path: Path) -> None:
    """Doctrees saved before the modules moved name classes at their old paths: the
    extension's env_version makes Sphinx read the pages again instead of loading them."""
    srcdir = make_project(
        tmp_path / "site",
        {"index.md": "# Datasets\n\n:::{gbif-datasets}\n:country: BE\n:::\n"},
        conf_extra="gbifnode_offline = True\n",
    )
    # A snapshot to build from offline (a missing one would make Sphinx read the page
    # again anyway, as a dependency that changed).
    SnapshotStore(srcdir / "_data" / "gbif").write(
        Query("dataset/search", (("publishingCountry", "BE"),)), {"count": 0, "results": []}
    )
    first = build(make_app, srcdir)
    doctrees = Path(first.doctreedir)
    _saved_at(doctrees / "index.doctree", gbif_embed, "sphinx_gbifnode.embeds")
    # An earlier build recorded no env_version for the extension.
    environment = doctrees / "environment.pickle"
    env = pickle.loads(environment.read_bytes())
    env.version.pop("sphinx_gbifnode", None)
    environment.write_bytes(pickle.dumps(env, pickle.HIGHEST_PROTOCOL))

    again = build(make_app, srcdir)
    assert "Traceback" not in warnings_of(again)
    assert "GBIF lists nothing for this selection." in html(again)
    assert b"sphinx_gbifnode.embeds" not in (doctrees / "index.doctree").read_bytes()
