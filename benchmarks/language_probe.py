"""Build one language of a site in this process and print, as JSON, where the time went.

    python benchmarks/language_probe.py SRC OUT DOCTREES LANGUAGE

Used by ``bench_languages.py`` (one fresh process per language and run). Each phase is
the time spent in the Sphinx functions that do it, exclusive of the phases nested in
it (the i18n transform runs inside reading, pickling a doctree too), as wall time and
as CPU time of this process:

- ``interpreter``: Python's own start-up (CPU only; the caller adds the wall time);
- ``imports``: importing Sphinx, MyST and the extension;
- ``init``: ``Sphinx()``: configuration, extensions, environment, builder;
- ``read``: finding, parsing and transforming the sources, except:
- ``parse``: the parser's run on each source (MyST or reStructuredText, the directives
  it runs included; also the few translated messages really parsed);
- ``i18n``: Sphinx's ``Locale`` transform (every translated message);
- ``resolve``: references and toctrees of each page (``get_and_resolve_doctree``);
- ``write``: the HTML writer, without:
- ``templates``: rendering the page template and writing the file (``handle_page``);
- ``search``: feeding the search index and writing it;
- ``pickling``: saving each doctree and the environment;
- ``finish``: everything else (static files, indices, consistency checks).

Counters: ``pages``, ``msgstrs`` (translated messages Sphinx asked to parse: calls of
its ``_publish_msgstr``), ``msgstr_parses`` (how many of them a parser really ran for),
and ``maxrss_kb`` (peak resident memory of this process).
"""

from __future__ import annotations

import resource
import time

_START_CPU = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])  # interpreter start-up
_START_WALL = time.perf_counter()

import functools  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from collections import defaultdict  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402


class Phases:
    """Exclusive wall and CPU time per phase: time spent in a nested timed function is
    counted in its own phase, not in the one that called it."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.counts: dict[str, int] = defaultdict(int)
        self._stack: list[list[float]] = []  # [nested wall, nested cpu] per open call

    def add(self, name: str, wall: float, cpu: float) -> None:
        self.wall[name] += wall
        self.cpu[name] += cpu

    def wrap(self, owner: Any, attribute: str, name: str) -> None:
        """Time every call of ``owner.attribute`` as phase *name*."""
        original = getattr(owner, attribute)
        phases = self

        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            phases._stack.append([0.0, 0.0])
            wall0, cpu0 = time.perf_counter(), time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
                nested_wall, nested_cpu = phases._stack.pop()
                phases.add(name, wall - nested_wall, cpu - nested_cpu)
                if phases._stack:
                    phases._stack[-1][0] += wall
                    phases._stack[-1][1] += cpu

        setattr(owner, attribute, timed)

    def count(self, owner: Any, attribute: str, name: str) -> None:
        original: Callable[..., Any] = getattr(owner, attribute)
        phases = self

        @functools.wraps(original)
        def counted(*args: Any, **kwargs: Any) -> Any:
            phases.counts[name] += 1
            return original(*args, **kwargs)

        setattr(owner, attribute, counted)


def main(srcdir: str, outdir: str, doctreedir: str, language: str) -> dict[str, Any]:
    phases = Phases()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    import myst_parser  # noqa: F401
    from sphinx.application import Sphinx

    import sphinx_gbifnode  # noqa: F401

    phases.add("imports", time.perf_counter() - wall0, time.process_time() - cpu0)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    app = Sphinx(srcdir, srcdir, outdir, doctreedir, "html",
                 confoverrides={"language": language}, status=None, warning=sys.stderr)
    phases.add("init", time.perf_counter() - wall0, time.process_time() - cpu0)

    # Wrapped after Sphinx() so that whatever the extensions installed is what is timed.
    import pickle

    from sphinx import builders
    from sphinx.builders import Builder
    from sphinx.builders.html import StandaloneHTMLBuilder
    from sphinx.environment import BuildEnvironment
    from sphinx.transforms import i18n

    phases.wrap(Builder, "read", "read")
    phases.wrap(i18n.Locale, "apply", "i18n")
    from myst_parser.parsers.sphinx_ import MystParser
    from sphinx.parsers import RSTParser

    # Sphinx 9 name (Sphinx 8: publish_msgstr)
    publish = "_publish_msgstr" if hasattr(i18n, "_publish_msgstr") else "publish_msgstr"
    phases.count(i18n, publish, "msgstrs")
    phases.count(MystParser, "parse", "parser_runs")
    phases.count(RSTParser, "parse", "parser_runs")
    phases.wrap(MystParser, "parse", "parse")
    phases.wrap(RSTParser, "parse", "parse")
    phases.wrap(Builder, "write_doctree", "pickling")
    phases.wrap(BuildEnvironment, "get_and_resolve_doctree", "resolve")
    phases.wrap(StandaloneHTMLBuilder, "write_doc", "write")
    phases.wrap(StandaloneHTMLBuilder, "write_doc_serialized", "write")
    phases.wrap(StandaloneHTMLBuilder, "handle_page", "templates")
    phases.wrap(StandaloneHTMLBuilder, "index_page", "search")
    phases.wrap(StandaloneHTMLBuilder, "dump_search_index", "search")

    class TimedPickle:
        """``sphinx.builders``' view of :mod:`pickle`, timing the environment's dump."""

        def __getattr__(self, name: str) -> Any:
            return getattr(pickle, name)

        @staticmethod
        def dump(*args: Any, **kwargs: Any) -> None:
            wall, cpu = time.perf_counter(), time.process_time()
            pickle.dump(*args, **kwargs)
            phases.add("pickling", time.perf_counter() - wall, time.process_time() - cpu)
            if phases._stack:  # inside Builder.build, not timed itself
                phases._stack[-1][0] += time.perf_counter() - wall
                phases._stack[-1][1] += time.process_time() - cpu

    builders.pickle = TimedPickle()  # type: ignore[assignment]
    phases.wrap(Builder, "compile_update_catalogs", "catalogs")
    phases.wrap(app, "build", "finish")
    app.build()

    result: dict[str, Any] = {
        "wall": dict(phases.wall),
        "cpu": dict(phases.cpu),
        "pages": len(app.env.found_docs),
        "msgstrs": phases.counts["msgstrs"],
        # Sources read in full are parsed once each; every other run is a msgstr's.
        "msgstr_parses": phases.counts["parser_runs"] - len(app.env.all_docs),
        "status": app.statuscode,
        "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }
    result["cpu"]["interpreter"] = _START_CPU
    result["wall"]["probe"] = time.perf_counter() - _START_WALL
    return result


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:5])))
