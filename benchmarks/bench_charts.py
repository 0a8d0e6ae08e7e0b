"""What ``gbif-chart`` costs a build, against a baseline measured in the same run.

1. One page with ten charts (every kind, years, vocabularies, registry names), against
   the same page without them: the median of several fresh builds each, alternated so
   that both see the same machine; the budget is 50 ms.
2. The size of the SVG of a 30-year line chart (the budget is 8 KB), and of the whole
   figure with its table of numbers.

Offline builds from the docs' committed snapshots (docs/_data/gbif), so no network is
involved. Run: ``.venv/bin/python benchmarks/bench_charts.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace, patch_docutils

from sphinx_gbifnode.gbif import snapshots
from sphinx_gbifnode.gbif.chart import compact_number
from sphinx_gbifnode.gbif.facets import year_label

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOTS = ROOT / "docs" / "_data" / "gbif"
CONF = """
extensions = ["myst_parser", "sphinx_gbifnode"]
myst_enable_extensions = ["colon_fence"]
gbifnode_offline = True
"""
BE = "occurrences?country=BE"
#: (title, query, facet, extra options) of the ten charts.
CHARTS = [
    ("Occurrences by year", BE, "year", ":from: 1990"),
    ("Occurrences by year, columns", BE, "year", ":from: 1996\n:kind: column"),
    ("Kinds of records", BE, "basisOfRecord", ":limit: 6"),
    ("Kinds of records, columns", BE, "basisOfRecord", ":limit: 6\n:kind: column"),
    ("Kingdoms", BE, "kingdomKey", ":kind: column"),
    ("Kingdoms, bars", BE, "kingdomKey", ""),
    ("Months", BE, "month", ""),
    ("Publishers", BE, "publishingOrg", ":limit: 5"),
    ("Datasets worldwide", "datasets", "publishingCountry", ":limit: 5"),
    ("Occurrences worldwide", "occurrences?occurrenceStatus=PRESENT", "country", ":limit: 2"),
]
TEXT = "Some text about the country's data, as a home page would have.\n\n"


def chart(title: str, query: str, facet: str, extra: str) -> str:
    options = f":query: {query}\n:facet: {facet}\n" + (f"{extra}\n" if extra else "")
    return f":::{{gbif-chart}} {title}\n{options}\nA caption.\n:::\n\n"


def make_site(root: Path, charts: list[tuple[str, str, str, str]]) -> Path:
    """One page: ten paragraphs of text, each followed by a chart when *charts* has one."""
    root.mkdir(parents=True)
    (root / "conf.py").write_text(CONF, encoding="utf-8")
    body = "".join(TEXT + (chart(*charts[i]) if i < len(charts) else "")
                   for i in range(len(CHARTS)))
    (root / "index.md").write_text(f"# Charts\n\n{body}", encoding="utf-8")
    shutil.copytree(SNAPSHOTS, root / "_data" / "gbif")
    return root


def build(srcdir: Path, out: Path) -> tuple[float, float, str]:
    """Wall and CPU time of one fresh HTML build (in this process, as sphinx-build runs
    it). CPU time is what this process spent: on a shared machine it is the steadier of
    the two, since other processes stretch the wall clock but not it."""
    # Each build starts cold, as a new process would: snapshots and the charts' memos.
    snapshots._SNAPSHOT_CACHE.clear()
    for memo in (compact_number, year_label):
        memo.cache_clear()
    shutil.rmtree(out, ignore_errors=True)
    warnings = io.StringIO()
    started, cpu_started = time.perf_counter(), time.process_time()
    with patch_docutils(srcdir), docutils_namespace():
        app = Sphinx(srcdir, srcdir, out / "html", out / "doctrees", "html",
                     status=io.StringIO(), warning=warnings, freshenv=True)
        app.build()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    if warnings.getvalue():
        raise SystemExit(f"the benchmark page warns:\n{warnings.getvalue()}")
    return seconds, cpu, (out / "html" / "index.html").read_text(encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15, help="builds of each page")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        without = make_site(root / "without", [])
        with_charts = make_site(root / "with", CHARTS)
        build(with_charts, root / "out-warm-up")  # imports, first-use caches
        base_times, chart_times = [], []
        for _ in range(args.repeat):
            base_times.append(build(without, root / "out-without")[:2])
            *times, page = build(with_charts, root / "out-with")
            chart_times.append(tuple(times))
        line = make_site(root / "line", [("Thirty years", BE, "year", ":from: 1996")])
        *_times, line_page = build(line, root / "out-line")

    assert page.count('<figure class="gbif-chart') == len(CHARTS)
    for index, clock in enumerate(("wall", "CPU")):
        base = statistics.median(t[index] for t in base_times)
        charts = statistics.median(t[index] for t in chart_times)
        print(f"page with {len(CHARTS)} charts, {clock} time: median {charts * 1000:.0f} ms "
              f"over {args.repeat} builds (without them {base * 1000:.0f} ms, ratio "
              f"{charts / base:.2f}x, charts {1000 * (charts - base):+.1f} ms, budget +50 ms)")
    svg = re.search(r"<svg.*?</svg>", line_page, flags=re.S)
    figure = re.search(r'<figure class="gbif-chart.*?</figure>', line_page, flags=re.S)
    assert svg is not None and figure is not None
    years = svg.group(0).count("<circle")
    print(f"line chart of {years} years: SVG {len(svg.group(0).encode('utf-8')):,} bytes "
          f"(budget 8,192), whole figure with its table "
          f"{len(figure.group(0).encode('utf-8')):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
