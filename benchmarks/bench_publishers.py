"""How much ``gbif-publishers`` costs a build, against a baseline measured in the same run.

1. One page listing 3,000 publishers, against the same page without the directive.
2. A site of 50 pages that each embed the same 3,000-publisher list, against the same
   50 pages without it: the cost per page, and how many times the snapshot was parsed
   (it must be once per build, not once per page).

Offline builds from a generated snapshot, so no network is involved. Run:
``.venv/bin/python benchmarks/bench_publishers.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import time
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace, patch_docutils

from sphinx_gbifnode.gbif import snapshots

CONF = """
extensions = ["myst_parser", "sphinx_gbifnode"]
myst_enable_extensions = ["colon_fence"]
gbifnode_offline = True
"""
DIRECTIVE = ":::{gbif-publishers}\n:country: BE\n:logos:\n:::\n"


def make_site(root: Path, pages: int, publishers: int, with_directive: bool) -> Path:
    """A project with *pages* pages (besides index), each with or without the list."""
    root.mkdir(parents=True)
    (root / "conf.py").write_text(CONF, encoding="utf-8")
    names = [f"page{i:03d}" for i in range(pages)]
    toctree = "```{toctree}\n" + "\n".join(names) + "\n```\n" if names else ""
    body = DIRECTIVE if with_directive and not pages else ""
    (root / "index.md").write_text(f"# Index\n\nSome text.\n\n{body}{toctree}", encoding="utf-8")
    for name in names:
        text = f"# {name}\n\nSome text.\n\n" + (DIRECTIVE if with_directive else "")
        (root / f"{name}.md").write_text(text, encoding="utf-8")
    records = [
        {
            "key": f"{i:08x}-0000-4000-8000-000000000000",
            "title": f"Organisation {i} Université de Liège",
            "city": "Liège",
            "country": "BE",
            "logoUrl": f"https://example.org/logo{i}.png" if i % 3 else None,
            "numPublishedDatasets": i % 200,
            "created": "2020-01-01T00:00:00.000+00:00",
        }
        for i in range(publishers)
    ]
    data_dir = root / "_data" / "gbif"
    data_dir.mkdir(parents=True)
    payload = {"format": 1, "request": "organization?country=BE",
               "fetched": "2026-01-01T00:00:00+00:00",
               "data": {"count": publishers, "results": records}}
    (data_dir / "organization_country-BE.json").write_text(json.dumps(payload), encoding="utf-8")
    return root


def build_seconds(srcdir: Path) -> float:
    """Wall time of one fresh HTML build (in this process, as sphinx-build runs it); each
    build starts cold, as a new process would (its data layer is its own)."""
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        with patch_docutils(srcdir), docutils_namespace():
            app = Sphinx(srcdir, srcdir, Path(out, "html"), Path(out, "doctrees"), "html",
                         status=io.StringIO(), warning=sys.stderr, freshenv=True)
            app.build()
        return time.perf_counter() - started


def best_of(srcdir: Path, repeat: int) -> float:
    return min(build_seconds(srcdir) for _ in range(repeat))


class ParseCounter:
    """Counts snapshot parses (file reads + JSON decoding) during a build."""

    def __enter__(self) -> ParseCounter:
        self.count = 0
        self._original = snapshots.SnapshotStore._parse

        def counting(store: snapshots.SnapshotStore, path: Path) -> snapshots.Snapshot | None:
            self.count += 1
            return self._original(store, path)

        snapshots.SnapshotStore._parse = counting  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        snapshots.SnapshotStore._parse = self._original  # type: ignore[method-assign]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=2, help="builds per figure (best kept)")
    parser.add_argument("--publishers", type=int, default=3000)
    parser.add_argument("--pages", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        build_seconds(make_site(root / "warm-up", 0, 10, True))  # imports, first-use caches
        one_base = best_of(make_site(root / "one-base", 0, args.publishers, False), args.repeat)
        one_list = best_of(make_site(root / "one-list", 0, args.publishers, True), args.repeat)
        many_base = best_of(make_site(root / "many-base", args.pages, args.publishers, False),
                            args.repeat)
        many_site = make_site(root / "many-list", args.pages, args.publishers, True)
        with ParseCounter() as parses:
            many_list = build_seconds(many_site)
        if args.repeat > 1:
            many_list = min(many_list, best_of(many_site, args.repeat - 1))

    print(f"one page, {args.publishers:,} publishers: {one_list:.2f} s "
          f"(baseline without the list {one_base:.2f} s, ratio {one_list / one_base:.2f}x, "
          f"list itself {one_list - one_base:.2f} s)")
    per_page = (many_list - many_base) / args.pages
    print(f"{args.pages} pages each embedding the list: {many_list:.2f} s "
          f"(baseline {many_base:.2f} s, ratio {many_list / many_base:.2f}x, "
          f"{per_page * 1000:.0f} ms per page for the list)")
    print(f"snapshot parsed {parses.count} time(s) for {args.pages} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
