"""``gbifnode build`` against the standard recipe (issue 4: goal ratio <= 0.60), and the
rebuild after editing one msgstr (goal <= 0.20 of the full build).

In one run, on a generated bilingual (en, fr) site of 120 pages with the same theme:

* standard recipe: ``sphinx-build -D language=en``, then ``-D language=fr``, one after
  the other, each a fresh process and a fresh output folder;
* ``gbifnode build SRC OUT``, fresh output folder;
* ``gbifnode build`` again after one ``msgstr`` of one page changed.

Prints the medians, the ratios, and how one language's build splits into start-up
(imports, configuration, extensions), reading and writing.

    python benchmarks/bench_build.py [--pages 120] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

WORK = Path(__file__).resolve().parent / "_work" / "build"
BIN = Path(sys.executable).parent


def page(number: int) -> str:
    grid = ""
    if number % 10 == 0:
        grid = (
            "\n:::{partner-grid}\n:captions:\n\n- name: GBIF\n  url: https://www.gbif.org\n"
            "- name: Catalogue of Life\n  url: https://www.catalogueoflife.org/\n:::\n"
        )
    paragraphs = "\n\n".join(
        f"Paragraph {k} of page {number} tells how *{number * k}* records of "
        f"[occurrences](https://www.gbif.org/occurrence/search) were shared in year {2000 + k}."
        for k in range(1, 7)
    )
    return (
        f"# Page {number}\n\n{paragraphs}\n\n## Species\n\n"
        + "\n".join(f"- Species {number}-{k}, seen **{k}** times" for k in range(1, 6))
        + f"\n\n## Notes\n\nA closing note for page {number}.\n{grid}"
    )


def make_site(root: Path, pages: int) -> Path:
    """Write the site and its complete French translation (through ``i18n update``)."""
    if root.exists():
        shutil.rmtree(root)
    site = root / "site"
    site.mkdir(parents=True)
    (site / "conf.py").write_text(
        'project = "Benchmark node"\n'
        'extensions = ["myst_parser", "sphinx_gbifnode"]\n'
        'myst_enable_extensions = ["colon_fence"]\n'
        'language = "en"\ngbifnode_languages = ["en", "fr"]\n'
        'locale_dirs = ["locales"]\ngettext_compact = False\n'
        'html_theme = "alabaster"\nhtml_baseurl = "https://bench.example.org/"\n'
        'exclude_patterns = ["locales"]\n',
        encoding="utf-8",
    )
    names = [f"page{n:03d}" for n in range(1, pages)]
    (site / "index.md").write_text(
        "# Benchmark node\n\nThe home page.\n\n```{toctree}\n:maxdepth: 1\n\n"
        + "\n".join(names) + "\n```\n",
        encoding="utf-8",
    )
    for number, name in enumerate(names, start=1):
        (site / f"{name}.md").write_text(page(number), encoding="utf-8")
    translate(site, "fr")
    return site


def translate(site: Path, language: str) -> None:
    """Make the site's catalogues (``gbifnode i18n update``) and translate every entry of
    *language*: ``msgstr`` is the ``msgid`` after the language's code (``FR ...``), so the
    translated build parses as much text as the default one and is fully translated."""
    from babel.messages.pofile import read_po, write_po

    run([BIN / "gbifnode", "i18n", "update", site])
    for po_path in (site / "locales" / language / "LC_MESSAGES").glob("*.po"):
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if message.id:
                message.string = f"{language.upper()} {message.id}"
        buffer = io.BytesIO()
        write_po(buffer, catalog)
        po_path.write_bytes(buffer.getvalue())


def run(argv: list[str | Path]) -> float:
    started = time.perf_counter()
    subprocess.run([str(a) for a in argv], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def standard_recipe(site: Path, out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    for language in ("en", "fr"):
        run([BIN / "sphinx-build", "-q", "-b", "html", "-D", f"language={language}",
             "-d", out / ".doctrees" / language, site, out / language])
    return time.perf_counter() - started


def gbifnode_build(site: Path, out: Path, fresh: bool = True) -> float:
    if fresh:
        shutil.rmtree(out, ignore_errors=True)
    return run([BIN / "gbifnode", "build", site, out, "-q"])


def edit_one_msgstr(site: Path, number: int) -> None:
    po_path = site / "locales" / "fr" / "LC_MESSAGES" / "page050.po"
    text = po_path.read_text(encoding="utf-8")
    po_path.write_text(
        text.replace('msgstr "FR Page 50"', f'msgstr "FR Page 50, v{number}"', 1),
        encoding="utf-8",
    )


PROBE = r"""
import sys, time, json
t0 = time.perf_counter()
from sphinx.application import Sphinx
import myst_parser, sphinx_gbifnode
t_import = time.perf_counter()
marks = {}
site, out, doctrees, language = sys.argv[1:5]
app = Sphinx(site, site, out, doctrees, "html", confoverrides={"language": language},
             status=None, warning=sys.stderr)
t_init = time.perf_counter()
def mark(name):
    def handler(*args):  # must return None: Sphinx reads these events' results
        marks.setdefault(name, time.perf_counter())
    return handler
app.connect("env-before-read-docs", mark("read"))
app.connect("env-updated", mark("write"))
app.build()
t_end = time.perf_counter()
print(json.dumps({"imports": t_import - t0, "init": t_init - t_import,
                  "prepare": marks["read"] - t_init, "read": marks["write"] - marks["read"],
                  "write": t_end - marks["write"]}))
"""


def split_times(site: Path, out: Path, language: str) -> dict[str, float]:
    """One language built fresh in a probe process, with time marks per phase."""
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(site), str(out / language), str(out / ".doctrees"),
         language],
        check=True, capture_output=True, text=True,
    )
    times: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    times["interpreter"] = (time.perf_counter() - started) - sum(times.values())
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    site = make_site(WORK, args.pages)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"site: {args.pages} pages x 2 languages (en, fr), theme alabaster; "
          f"{cores} cores, load average {os.getloadavg()[0]:.2f} at start")

    standard, ours, rebuild = [], [], []
    for attempt in range(args.repeat):
        standard.append(standard_recipe(site, WORK / "out-standard"))
        ours.append(gbifnode_build(site, WORK / "out-gbifnode"))
        edit_one_msgstr(site, attempt)
        rebuild.append(gbifnode_build(site, WORK / "out-gbifnode", fresh=False))
    s, g, r = (statistics.median(x) for x in (standard, ours, rebuild))
    print(f"standard recipe (sphinx-build en, then fr): {s:6.2f} s  (runs: "
          f"{', '.join(f'{x:.2f}' for x in standard)})")
    print(f"gbifnode build (parallel):                  {g:6.2f} s  (runs: "
          f"{', '.join(f'{x:.2f}' for x in ours)})")
    print(f"gbifnode build after one msgstr edit:       {r:6.2f} s  (runs: "
          f"{', '.join(f'{x:.2f}' for x in rebuild)})")
    print(f"ratio gbifnode / standard: {g / s:.2f}   (goal <= 0.60)")
    print(f"ratio rebuild / full:      {r / g:.2f}   (goal <= 0.20)")

    for language in ("en", "fr"):
        times = split_times(site, WORK / "out-probe", language)
        total = sum(times.values())
        print(f"one language ({language}), fresh, in one process: {total:.2f} s")
        for phase in ("interpreter", "imports", "init", "prepare", "read", "write"):
            print(f"  {phase:<12} {times[phase]:6.2f} s  {100 * times[phase] / total:5.1f} %")
    print(f"load average {os.getloadavg()[0]:.2f} at end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
