"""Work Sphinx repeats for every page, done once per build.

* **Docutils settings.** Sphinx 9 builds a new docutils ``OptionParser`` (every
  settings specification of the reader and the parser) for each page it reads, to get
  the same default settings each time: about 3 ms a page. The option parser is kept for
  the same reader, parser class and defaults, and each page still gets a settings
  object of its own, with a list of dependencies of its own (a shared one would make
  every page depend on the files any page includes). Where a ``docutils.conf`` is in
  effect, every page is left to Sphinx, so a changed file is always read. Sphinx 8 kept
  one set of settings per file type itself, so nothing is done there.
* **Search stems.** The search index stems every word of every page; Sphinx remembers
  stems only within one page, and the same words come back on every page (over half of
  the search index time of a 300-page site). The stemmer's answers are kept for the
  whole build.
* **Compiled templates.** Every build process compiles the page, index and search
  templates from their source again (a third of a build that has nothing to read).
  Compiled templates are kept in the doctree folder with Jinja's own cache, which
  compiles a template again when its source changes. The language builds of one
  ``gbifnode build`` or ``gbifnode host build`` also share a folder for the run
  (:data:`SHARED_TEMPLATES`), so a template is compiled once for all of them rather
  than once per language and site; its entries are told apart by the Jinja
  environment's settings as well as by the template's file and source.

* **Pages listing an edited page.** After an edit, Sphinx writes again every page
  whose table of contents lists an edited page, even when the edit left untouched what
  that table shows (a sentence changed, or one translation). Such a page is now written
  again only when the edited page's title, sections, own table of contents, numbers
  or table-of-contents settings changed; otherwise it would come out the same.

Each gives the same output (the stem of a word, the settings of a page, the rendered
template, a page listing another) as before.
"""

from __future__ import annotations

import contextlib
import functools
import os
import warnings
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from docutils import nodes
    from sphinx.application import Sphinx

#: Attributes docutils reads from a component to build an option parser.
_SETTINGS_ATTRIBUTES = frozenset({
    "settings_spec", "settings_defaults", "settings_default_overrides",
    "relative_path_settings", "config_section", "config_section_dependencies",
})


def _component_key(component: Any) -> Any:
    """The class that defines a component's settings, or None when an instance has
    settings of its own."""
    if isinstance(component, type):
        return component
    if _SETTINGS_ATTRIBUTES & set(vars(component)):
        return None
    return type(component)


def _config_files_in_effect() -> bool:
    from docutils.frontend import OptionParser

    return any(os.path.exists(path) for path in OptionParser.get_standard_config_files())


def reusing_option_parsers(get_settings: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap Sphinx's ``_get_settings`` so that the option parser made for a set of
    components and defaults is made once, and asked for fresh settings each time."""
    from docutils.frontend import OptionParser
    from docutils.utils import DependencyList

    # (component classes, read config files) -> (defaults, option parser)
    parsers: dict[tuple[Any, ...], tuple[dict[str, Any], Any]] = {}

    def _get_settings(*components: Any, defaults: Any,
                      read_config_files: bool = False) -> Any:
        key = (*(_component_key(c) for c in components), read_config_files)
        if None in key or (read_config_files and _config_files_in_effect()):
            return get_settings(*components, defaults=defaults,
                                read_config_files=read_config_files)
        wanted = dict(defaults)
        kept = parsers.get(key)
        if kept is None or kept[0] != wanted:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                kept = parsers[key] = (wanted, OptionParser(
                    components=components, defaults=wanted,
                    read_config_files=read_config_files,
                ))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            settings = kept[1].get_default_values()
        if "record_dependencies" not in wanted:
            # The parser's defaults hold the empty list of dependencies docutils made
            # for it; each page records its own, as with a parser of its own.
            settings.record_dependencies = DependencyList()
        return settings

    _get_settings.wrapped = get_settings  # type: ignore[attr-defined]
    return _get_settings


def remember_stems(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Before the first page goes into the search index, make its stemmer remember."""
    indexer = getattr(app.builder, "indexer", None)
    language = getattr(indexer, "lang", None)
    stem = getattr(language, "stem", None)
    if callable(stem) and not hasattr(stem, "cache_info"):
        # An attribute of this language object only: it lives as long as the index.
        language.stem = functools.lru_cache(maxsize=1 << 16)(stem)  # type: ignore[union-attr]


#: The environment variable naming a folder of compiled templates that every language
#: build of one run shares (set by :func:`sphinx_gbifnode.site.jobs.run_jobs`).
SHARED_TEMPLATES = "GBIFNODE_TEMPLATE_CACHE"
#: What a Jinja environment's compiled code depends on besides the template's source.
_ENVIRONMENT_SETTINGS = (
    "block_start_string", "block_end_string", "variable_start_string",
    "variable_end_string", "comment_start_string", "comment_end_string",
    "line_statement_prefix", "line_comment_prefix", "trim_blocks", "lstrip_blocks",
    "newline_sequence", "keep_trailing_newline", "optimized", "autoescape",
)


def _environment_key(environment: Any) -> str:
    import hashlib

    settings = [type(environment).__qualname__, sorted(environment.extensions)]
    settings += [repr(getattr(environment, name, None)) for name in _ENVIRONMENT_SETTINGS]
    return hashlib.sha1(repr(settings).encode("utf-8")).hexdigest()[:16]


def _template_cache(own: Path, shared: Path | None) -> Any:
    """Jinja's file cache in *own* (the build's doctree folder); with *shared*, a
    template compiled by another build of the run is taken from there too."""
    from jinja2 import FileSystemBytecodeCache
    from jinja2.bccache import Bucket

    class TemplateCache(FileSystemBytecodeCache):
        def __init__(self) -> None:
            super().__init__(str(own))
            self.shared = FileSystemBytecodeCache(str(shared)) if shared else None

        def get_bucket(self, environment: Any, name: str, filename: str | None,
                       source: str) -> Bucket:
            key = f"{self.get_cache_key(name, filename)}-{_environment_key(environment)}"
            bucket = Bucket(environment, key, self.get_source_checksum(source))
            self.load_bytecode(bucket)
            if bucket.code is None and self.shared is not None:
                self.shared.load_bytecode(bucket)
                if bucket.code is not None:
                    self.dump_bytecode(bucket)
            return bucket

        def set_bucket(self, bucket: Bucket) -> None:
            self.dump_bytecode(bucket)
            if self.shared is not None:
                with contextlib.suppress(OSError):
                    self.shared.dump_bytecode(bucket)

    return TemplateCache()


def keep_compiled_templates(app: Sphinx) -> None:
    """Let the builder's Jinja environment keep compiled templates in the doctree
    folder (each language's build has its own), and share them with the other builds
    of the run where :data:`SHARED_TEMPLATES` names a folder."""
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if environment is None or environment.bytecode_cache is not None:
        return
    folder = Path(app.doctreedir) / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    shared = os.environ.get(SHARED_TEMPLATES)
    shared_folder = Path(shared) if shared and Path(shared).is_dir() else None
    environment.bytecode_cache = _template_cache(folder, shared_folder)


#: Metadata of a page that no table of contents shows (MyST's word count changes with
#: every sentence).
_UNSHOWN_METADATA = frozenset({"wordcount"})
#: Per application: the table-of-contents state of the pages about to be read again,
#: and the saved map of pages to the pages listing them while the write runs.
_TOC_BEFORE: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()
_LISTING_SAVED: weakref.WeakKeyDictionary[Any, dict[str, set[str]]] = (
    weakref.WeakKeyDictionary())


def toc_state(env: Any, docname: str) -> tuple[Any, ...]:
    """What a table of contents listing *docname* shows of it, or depends on."""
    def text(node: nodes.Node | None) -> str | None:
        return None if node is None else node.pformat()

    metadata = env.metadata.get(docname, {})
    return (
        text(env.titles.get(docname)),
        text(env.longtitles.get(docname)),
        text(env.tocs.get(docname)),
        tuple(env.toctree_includes.get(docname, ())),
        repr(sorted((key, repr(value)) for key, value in metadata.items()
                    if key not in _UNSHOWN_METADATA)),
        repr(env.toc_secnumbers.get(docname)),
        repr(env.toc_fignumbers.get(docname)),
        docname in env.glob_toctrees,
        docname in env.numbered_toctrees,
    )


def remember_toc_state(app: Sphinx, env: Any, docnames: list[str]) -> None:
    """Before pages are read again: what their tables of contents show now. (Sphinx's
    map is whole again by then, also after a write that ended without the build.)"""
    restore_listings(app, None)
    if env.all_docs.keys() <= set(docnames):
        # Every page is read again (a first build, a changed conf.py) and written again:
        # no listing page is left to spare.
        _TOC_BEFORE.pop(app, None)
        return
    _TOC_BEFORE[app] = {docname: toc_state(env, docname) for docname in docnames
                        if docname in env.all_docs}


def skip_unchanged_listings(app: Sphinx, builder: Any) -> None:
    """As the write starts: the pages that list a page read again, whose table of
    contents shows the same as before, are not written for that page's sake. The map
    Sphinx keeps is put back when the build ends (it was saved before the write)."""
    before = _TOC_BEFORE.pop(app, {})
    env = app.env
    unchanged = {docname for docname, state in before.items()
                 if docname in env.all_docs and toc_state(env, docname) == state}
    listing = getattr(env, "files_to_rebuild", None)
    if not unchanged or not isinstance(listing, dict) or app in _LISTING_SAVED:
        return
    _LISTING_SAVED[app] = listing
    env.files_to_rebuild = {docname: parents for docname, parents in listing.items()
                            if docname not in unchanged}


def restore_listings(app: Sphinx, exception: BaseException | None) -> None:
    listing = _LISTING_SAVED.pop(app, None)
    if listing is not None:
        app.env.files_to_rebuild = listing


def setup(app: Sphinx) -> None:
    from sphinx.util import docutils as sphinx_docutils

    get_settings = getattr(sphinx_docutils, "_get_settings", None)
    if (
        callable(get_settings)
        and hasattr(sphinx_docutils, "_parse_str_to_doctree")  # Sphinx 9
        and not hasattr(get_settings, "wrapped")
    ):
        sphinx_docutils._get_settings = reusing_option_parsers(get_settings)
    app.connect("doctree-resolved", remember_stems)
    app.connect("builder-inited", keep_compiled_templates)
    app.connect("env-before-read-docs", remember_toc_state)
    app.connect("write-started", skip_unchanged_listings)
    app.connect("build-finished", restore_listings)
