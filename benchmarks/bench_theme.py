"""Does the ``gbifnode`` theme keep the cost per page flat? (issue: theme, goal <= 1.25)

Generates sites of 100 and 400 pages (a home page, sections, pages with subsections) and
builds them in fresh processes, several times:

- with the ``gbifnode`` theme at 100 and at 400 pages: the write time per page at 400
  pages must stay within 1.25 times that at 100 pages;
- with ``alabaster`` and its default sidebars (which render the global table of
  contents on every page) at 100 and 400 pages, in the same run, for comparison.

"Write time" is the writing phase of ``sphinx-build`` (after every page has been read:
resolving references, rendering templates, writing HTML and the search index), measured
inside the build process from Sphinx's ``env-updated`` to ``build-finished`` events as
CPU time of the process (wall time is printed too): the machine is shared, and CPU time
does not count the time other processes take. The best of the repeats is kept.

    python benchmarks/bench_theme.py [--sizes 100 400] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

WORK = Path(__file__).resolve().parent / "_work" / "theme"
SECTIONS = 10
GOAL = 1.25

CONF = """\
project = "Generated node"
extensions = ["myst_parser", "sphinx_gbifnode"]
myst_enable_extensions = ["colon_fence"]
html_theme = {theme!r}
html_theme_options = {options}
"""

GBIFNODE_OPTIONS = {
    "navbar_links": [
        {"title": "Home", "url": "index"},
        {"title": "Sections", "children": [
            {"title": f"Section {n}", "url": f"section{n}/index"} for n in range(3)]},
        {"title": "GBIF", "url": "https://www.gbif.org"},
    ],
    "footer_columns": [
        {"title": "Contact", "text": "Avenue Louise 231, Brussels",
         "links": [{"title": "Home", "url": "index"}]},
    ],
    "social_links": [{"name": "Mastodon", "url": "https://mastodon.social/@gbif"}],
}


def generate(srcdir: Path, pages: int, theme: str) -> None:
    """A site of *pages* pages: home -> SECTIONS sections -> pages, all in toctrees."""
    if srcdir.exists():
        shutil.rmtree(srcdir)
    srcdir.mkdir(parents=True)
    options = GBIFNODE_OPTIONS if theme == "gbifnode" else {}
    (srcdir / "conf.py").write_text(CONF.format(theme=theme, options=options))
    per_section = (pages - 1 - SECTIONS) // SECTIONS
    sections = "\n".join(f"section{s}/index" for s in range(SECTIONS))
    (srcdir / "index.md").write_text(
        f"# Generated node\n\nHome.\n\n```{{toctree}}\n{sections}\n```\n"
    )
    written = 1
    for s in range(SECTIONS):
        folder = srcdir / f"section{s}"
        folder.mkdir()
        count = per_section + (1 if s < (pages - 1 - SECTIONS) % SECTIONS else 0)
        entries = "\n".join(f"page{p}" for p in range(count))
        (folder / "index.md").write_text(
            f"# Section {s}\n\nAbout section {s}.\n\n```{{toctree}}\n{entries}\n```\n"
        )
        written += 1
        for p in range(count):
            (folder / f"page{p}.md").write_text(
                f"# Page {s}.{p}\n\nSome text about *biodiversity data*, part {p}.\n\n"
                f"## Observations\n\nWho observed what, where and when.\n\n"
                f"## Publishers\n\nInstitutions that share data, see [home](../index.md).\n"
            )
            written += 1
    assert written == pages, (written, pages)


def child(srcdir: str, outdir: str) -> None:
    """Build once in this process and print the write time as JSON."""
    from sphinx.application import Sphinx

    out = Path(outdir)
    marks: dict[str, tuple[float, float]] = {}
    app = Sphinx(srcdir, srcdir, str(out / "html"), str(out / "doctrees"), "html",
                 status=None, warning=sys.stderr, freshenv=True, parallel=1)

    def mark(name: str) -> Callable[..., None]:
        def handler(*_args: object) -> None:  # returns None: env-updated reads the result
            marks.setdefault(name, (time.process_time(), time.perf_counter()))
        return handler

    app.connect("env-updated", mark("read"))
    app.connect("build-finished", mark("done"))
    app.build()
    pages = len(app.env.found_docs)
    (cpu_read, wall_read), (cpu_done, wall_done) = marks["read"], marks["done"]
    print(json.dumps({"pages": pages, "write": cpu_done - cpu_read,
                      "wall": wall_done - wall_read}))


def measure(srcdir: Path, repeat: int) -> dict[str, float]:
    """Best of *repeat* fresh builds in new processes."""
    runs = []
    for _ in range(repeat):
        outdir = srcdir.parent / f"{srcdir.name}-out"
        shutil.rmtree(outdir, ignore_errors=True)
        result = subprocess.run(
            [sys.executable, __file__, "--child", str(srcdir), str(outdir)],
            check=True, capture_output=True, text=True,
        )
        runs.append(json.loads(result.stdout.strip().splitlines()[-1]))
    best = min(runs, key=lambda r: r["write"])
    return {"pages": best["pages"], "write": best["write"], "wall": best["wall"],
            "per_page": best["write"] / best["pages"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[100, 400])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0

    small, large = args.sizes
    results: dict[tuple[str, int], dict[str, float]] = {}
    for theme in ("gbifnode", "alabaster"):
        for pages in (small, large):
            srcdir = WORK / f"{theme}-{pages}"
            generate(srcdir, pages, theme)
            results[theme, pages] = measure(srcdir, args.repeat)
            r = results[theme, pages]
            print(f"{theme:9} {pages:4} pages: write {r['write']:6.2f} s CPU "
                  f"({r['wall']:6.2f} s wall), {1000 * r['per_page']:6.2f} ms/page", flush=True)

    ratio = results["gbifnode", large]["per_page"] / results["gbifnode", small]["per_page"]
    alabaster_ratio = (results["alabaster", large]["per_page"]
                       / results["alabaster", small]["per_page"])
    versus = results["alabaster", large]["per_page"] / results["gbifnode", large]["per_page"]
    print(f"gbifnode  per-page write time {large}/{small}: {ratio:.2f} (goal <= {GOAL})")
    print(f"alabaster per-page write time {large}/{small}: {alabaster_ratio:.2f}")
    print(f"at {large} pages, alabaster (default sidebars) / gbifnode per page: {versus:.2f}")
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
