"""Where each language's build spends its time, and the ratios of issue 16, in one run.

On a generated bilingual site (``generated_site.py``: paragraphs with inline markup, a
list, a grid of partner logos on every page; French catalogues complete; the gbifnode
theme), all figures of one run, the builds of each comparison interleaved so that the
load of a shared machine falls on both sides alike:

1. per language, each built alone in a fresh process (``language_probe.py``): start-up,
   reading, the parser and the i18n transform each on its own line, resolving, writing,
   templates, search index, pickling, as CPU time of the process (medians), messages
   parsed, peak memory;
2. translated / default language, each alone (goal <= 1.25): as plain Sphinx (the probe
   of section 1) and as ``gbifnode build --languages X`` runs it (with section 3);
3. ``gbifnode build`` / the standard recipe, ``sphinx-build`` per language in turn with
   the same theme (goal <= 0.35), and the best this ratio could be if every source were
   parsed once for both languages and the work split evenly over the cores (with
   section 1: the parse's CPU time comes from there);
4. ``gbifnode build`` / Jekyll building the same content (goal <= 10; skipped when
   ``jekyll`` is not installed);
5. incremental ``gbifnode build``: nothing changed, one msgstr edited (goal <= 0.8 s and
   only that page of that language written), one page edited (that page only, in each
   language);
6. per-page CPU time of each language at other sizes (goal: flat from 100 to 1,000).

    python benchmarks/bench_languages.py [--pages 300] [--repeat 3] [--syntax md|rst]
        [--sizes 100 1000] [--only profile,ratios,incremental,scaling] [--site docs]
        [--baseline ../main/src]

``--site SRC`` profiles an existing bilingual project instead (sections 1 and 2 only),
for instance the project's own docs. ``--baseline SRC`` runs, in the same run, the
package found in ``SRC`` (the ``src`` folder of another checkout, such as the main
branch) for a before/after comparison: its profile (section 1), its standard recipe
(section 3) and its incremental rebuilds, each edit rebuilt by both (section 5).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_build import gbifnode_build, standard_recipe  # noqa: E402
from generated_site import page_names, write_jekyll_site, write_sphinx_site  # noqa: E402

from sphinx_gbifnode.site.jobs import available_cores  # noqa: E402

WORK = HERE / "_work" / "languages"
BIN = Path(sys.executable).parent
PROBE = HERE / "language_probe.py"
LANGUAGES = ("en", "fr")
PHASES = ("interpreter", "imports", "init", "catalogs", "read", "parse", "i18n", "resolve",
          "write", "templates", "search", "pickling", "finish")
GOALS = {"translated": 1.25, "standard": 0.35, "jekyll": 10.0, "msgstr_edit": 0.8}


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def runs(values: list[float]) -> str:
    return ", ".join(f"{value:.2f}" for value in values)


def timed(argv: list[str | Path], cwd: Path | None = None) -> float:
    started = time.perf_counter()
    subprocess.run([str(a) for a in argv], check=True, cwd=cwd, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def probe(site: Path, out: Path, language: str, package: Path | None = None) -> dict:
    """One language built fresh in its own process; its phases, counters and wall time.
    With *package* (the ``src`` folder of another checkout), that code is built."""
    shutil.rmtree(out, ignore_errors=True)
    env = dict(os.environ)
    if package is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(package), env.get("PYTHONPATH", "")])
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(PROBE), str(site), str(out / language),
         str(out / ".doctrees" / language), language],
        check=True, capture_output=True, text=True, env=env,
    )
    result: dict = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_wall"] = time.perf_counter() - started
    result["cpu_total"] = sum(result["cpu"].values())
    return result


def profile(site: Path, repeat: int, baseline: Path | None = None) -> dict[str, list[dict]]:
    """Section 1 and 2: both languages alone, interleaved (and the baseline's)."""
    results: dict[str, list[dict]] = {language: [] for language in LANGUAGES}
    before: dict[str, list[dict]] = {language: [] for language in LANGUAGES}
    for attempt in range(repeat):
        for language in LANGUAGES if attempt % 2 == 0 else reversed(LANGUAGES):
            results[language].append(probe(site, WORK / "out-probe", language))
            if baseline is not None:
                before[language].append(probe(site, WORK / "out-probe", language, baseline))
    pages = results["en"][0]["pages"]
    print(f"\n1. Where the time goes: one language alone, fresh, {pages} pages "
          f"(CPU seconds of the process, median of {repeat})")
    print(f"   {'phase':<12}" + "".join(f"{lang:>16}" for lang in LANGUAGES))
    for phase in PHASES:
        cells = []
        for language in LANGUAGES:
            value = median([r["cpu"].get(phase, 0.0) for r in results[language]])
            total = median([r["cpu_total"] for r in results[language]])
            cells.append(f"{value:8.2f} {100 * value / total:5.1f} %")
        print(f"   {phase:<12}" + "".join(f"{cell:>16}" for cell in cells))
    for label, key in (("total CPU", "cpu_total"), ("wall", "process_wall")):
        print(f"   {label:<12}" + "".join(
            f"{median([r[key] for r in results[lang]]):8.2f} s{'':6}" for lang in LANGUAGES))
    for language in LANGUAGES:
        last = results[language][-1]
        print(f"   {language}: {last['msgstrs']} translated messages handed to the i18n "
              f"transform's parser, {last['msgstr_parses']} really parsed; peak memory "
              f"{median([r['maxrss_kb'] for r in results[language]]) / 1024:.0f} MB")
    cpu = [f["cpu_total"] / e["cpu_total"] for e, f in zip(results["en"], results["fr"],
                                                          strict=True)]
    wall = [f["process_wall"] / e["process_wall"]
            for e, f in zip(results["en"], results["fr"], strict=True)]
    print(f"\n2. Translated / default language, each alone: CPU {median(cpu):.2f} "
          f"(runs {runs(cpu)}), wall {median(wall):.2f} (runs {runs(wall)}); "
          f"goal <= {GOALS['translated']}")
    if baseline is not None:
        compare(results, before, baseline)
    return results


def compare(after: dict[str, list[dict]], before: dict[str, list[dict]],
            baseline: Path) -> None:
    """The same figures for the baseline's code, measured in the same run."""
    print(f"\n   Before (the package in {baseline}), same run: median CPU seconds")
    for language in LANGUAGES:
        cells = []
        for label, value in (("total", lambda r: r["cpu_total"]),
                             ("i18n", lambda r: r["cpu"].get("i18n", 0.0)),
                             ("pickling", lambda r: r["cpu"].get("pickling", 0.0)),
                             ("parses", lambda r: r["msgstr_parses"]),
                             ("MB", lambda r: r["maxrss_kb"] / 1024)):
            old = median([value(r) for r in before[language]])
            new = median([value(r) for r in after[language]])
            cells.append(f"{label} {old:.1f} -> {new:.1f}")
        print(f"   {language}: " + ", ".join(cells))
    ratio = [f["cpu_total"] / e["cpu_total"]
             for e, f in zip(before["en"], before["fr"], strict=True)]
    print(f"   translated / default before: CPU {median(ratio):.2f} (runs {runs(ratio)})")


def jekyll_build(site: Path, out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    return timed(["jekyll", "build", "-q", "--disable-disk-cache", "-s", site, "-d", out])


def children_cpu() -> float:
    """CPU seconds of every finished child process (and theirs) so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measured(build: Callable[[], float]) -> tuple[float, float]:
    """Wall and CPU seconds of a build run in child processes."""
    cpu = children_cpu()
    wall = build()
    return wall, children_cpu() - cpu


def ratio_line(label: str, ours: list[tuple[float, float]],
               theirs: list[tuple[float, float]], goal: float) -> None:
    wall = [o[0] / t[0] for o, t in zip(ours, theirs, strict=True)]
    cpu = [o[1] / t[1] for o, t in zip(ours, theirs, strict=True)]
    print(f"   {label}: wall {median(wall):.2f} (runs {runs(wall)}), CPU {median(cpu):.2f} "
          f"(runs {runs(cpu)}); goal <= {goal} (wall)")


def seconds(label: str, values: list[tuple[float, float]]) -> str:
    return (f"{label} {median([v[0] for v in values]):.2f} s wall (runs "
            f"{runs([v[0] for v in values])}), {median([v[1] for v in values]):.2f} s CPU")


def with_package(package: Path, build: Callable[[], float]) -> Callable[[], float]:
    """*build*, with the package of *package* (a ``src`` folder) in its processes."""
    def run() -> float:
        saved = os.environ.get("PYTHONPATH")
        os.environ["PYTHONPATH"] = str(package)
        try:
            return build()
        finally:
            if saved is None:
                del os.environ["PYTHONPATH"]
            else:
                os.environ["PYTHONPATH"] = saved
    return run


def one_language(site: Path, out: Path, language: str) -> float:
    """``gbifnode build --languages LANGUAGE``, fresh: one language as the command
    builds it (its process's collector tuned, see ``site/jobs.py``)."""
    shutil.rmtree(out, ignore_errors=True)
    return timed([BIN / "gbifnode", "build", site, out, "-q", "--languages", language])


def sharing_bound(gbifnode: list[tuple[float, float]], standard: list[tuple[float, float]],
                  profiled: dict[str, list[dict]]) -> None:
    """The best ``gbifnode build`` / standard recipe could be with the one large piece of
    work the languages could share: parsing the sources. If each source were parsed once
    for both languages (the lighter language's parse time saved) and the rest split
    evenly over the cores, with nothing else added, the wall time would be the build's
    CPU time, less that parse, divided by the cores."""
    cores = available_cores()
    parse = min(median([r["cpu"].get("parse", 0.0) for r in profiled[language]])
                for language in LANGUAGES)
    bound = [max(0.0, cpu - parse) / cores / theirs[0]
             for (_wall, cpu), theirs in zip(gbifnode, standard, strict=True)]
    print(f"   best case with each source parsed once for both languages ({parse:.2f} s "
          f"of CPU saved) and perfect balance over {cores} cores: "
          f"{median(bound):.2f} (runs {runs(bound)})")


def ratios(site: Path, jekyll: Path | None, repeat: int, baseline: Path | None,
           profiled: dict[str, list[dict]] | None = None) -> None:
    """Sections 3 and 4, interleaved. On a shared machine the wall times depend on the
    load; CPU time (of every process of a build) is printed beside them. With a
    baseline, the standard recipe is also run with the baseline's package: what a site
    saves by moving from ``sphinx-build`` per language to this ``gbifnode build``."""
    results: dict[str, list[tuple[float, float]]] = {"gbifnode": [], "standard": [],
                                                     "jekyll": [], "before": [],
                                                     "alone-en": [], "alone-fr": []}
    for attempt in range(repeat):
        for language in LANGUAGES if attempt % 2 == 0 else reversed(LANGUAGES):
            results[f"alone-{language}"].append(measured(
                lambda language=language: one_language(site, WORK / "out-alone", language)))
        results["standard"].append(measured(
            lambda: standard_recipe(site, WORK / "out-standard")))
        if baseline is not None:
            results["before"].append(measured(with_package(
                baseline, lambda: standard_recipe(site, WORK / "out-standard"))))
        results["gbifnode"].append(measured(
            lambda: gbifnode_build(site, WORK / "out-gbifnode")))
        if jekyll is not None:
            results["jekyll"].append(measured(
                lambda: jekyll_build(jekyll, WORK / "out-jekyll")))
    print(f"\n2b. gbifnode build --languages fr / --languages en, each alone: "
          f"{seconds('fr', results['alone-fr'])}; {seconds('en', results['alone-en'])}")
    ratio_line("translated / default with gbifnode build", results["alone-fr"],
               results["alone-en"], GOALS["translated"])
    print(f"\n3. {seconds('gbifnode build', results['gbifnode'])}; "
          f"{seconds('standard recipe', results['standard'])}")
    ratio_line("gbifnode build / standard recipe", results["gbifnode"],
               results["standard"], GOALS["standard"])
    if profiled is not None:
        sharing_bound(results["gbifnode"], results["standard"], profiled)
    if baseline is not None:
        print(f"   {seconds('standard recipe with the baseline package', results['before'])}")
        ratio_line("gbifnode build / standard recipe before", results["gbifnode"],
                   results["before"], GOALS["standard"])
    if jekyll is None:
        print("\n4. gbifnode build / Jekyll: skipped (jekyll is not installed)")
        return
    print(f"\n4. {seconds('Jekyll', results['jekyll'])}")
    ratio_line("gbifnode build / Jekyll", results["gbifnode"], results["jekyll"],
               GOALS["jekyll"])


def html_files(out: Path) -> dict[Path, int]:
    return {path: path.stat().st_mtime_ns for path in out.glob("*/**/*.html")}


#: Pages Sphinx writes in every build that runs (not content pages).
ALWAYS_WRITTEN = ("genindex.html", "search.html")


def written(before: dict[Path, int], out: Path) -> list[str]:
    after = html_files(out)
    return sorted(str(path.relative_to(out)) for path, mtime in after.items()
                  if before.get(path) != mtime and path.name not in ALWAYS_WRITTEN)


def edit(path: Path, pattern: str, new: str) -> Callable[[], None]:
    """A change of *path*: the first match of *pattern* becomes *new*."""
    def change() -> None:
        text = path.read_text(encoding="utf-8")
        changed, count = re.subn(pattern, new, text, count=1)
        assert count, (path, pattern)
        path.write_text(changed, encoding="utf-8")
    return change


def incremental(site: Path, syntax: str, repeat: int, baseline: Path | None = None) -> None:
    """Section 5: rebuilds after small edits, and the pages they write. With a baseline,
    the baseline's package rebuilds its own output folder after each edit too."""
    builds: list[tuple[str, Path, Path | None]] = [("", WORK / "out-incremental", None)]
    if baseline is not None:
        builds.append((" (before)", WORK / "out-incremental-before", baseline))

    def build(folder: Path, package: Path | None, fresh: bool) -> Callable[[], float]:
        run = lambda: gbifnode_build(site, folder, fresh=fresh)  # noqa: E731
        return with_package(package, run) if package is not None else run

    for _suffix, folder, package in builds:
        build(folder, package, fresh=True)()
    names = page_names(len(list(site.glob(f"*.{syntax}"))))
    name = names[len(names) // 2]
    number = int(name.removeprefix("page"))
    po_path = site / "locales" / "fr" / "LC_MESSAGES" / f"{name}.po"
    print(f"\n5. Incremental gbifnode build after a full one (median of {repeat})")
    cases = []
    closing = re.escape(f"A closing note for page {number}.") + r"(?: Edit \d+\.)?"
    for attempt in range(repeat):
        cases.append(("nothing changed", lambda: None))
        cases.append(("one msgstr edited", edit(
            po_path, f'msgstr "FR (?:\\(\\d+\\) )?(?={closing}")', f'msgstr "FR ({attempt}) ')))
        cases.append(("one page edited", edit(
            site / f"{name}.{syntax}", closing,
            f"A closing note for page {number}. Edit {attempt}.")))
    times: dict[str, list[tuple[float, float]]] = {}
    pages: dict[str, list[str]] = {}
    for label, change in cases:
        time.sleep(0.01)  # a new modification time
        change()
        for suffix, folder, package in builds:
            before = html_files(folder)
            times.setdefault(label + suffix, []).append(
                measured(build(folder, package, fresh=False)))
            pages[label + suffix] = written(before, folder)
    for label, values in times.items():
        goal = f"; goal <= {GOALS['msgstr_edit']} s" if label == "one msgstr edited" else ""
        print(f"   {seconds(label, values)}{goal}; pages written: "
              f"{', '.join(pages[label]) or 'none'}")


def scaling(sizes: list[int], syntax: str, repeat: int, known: dict[int, dict],
            reuse: bool) -> None:
    """Section 6: CPU time per page of each language alone, at several sizes."""
    per_page: dict[str, dict[int, float]] = {language: {} for language in LANGUAGES}
    memory: dict[str, dict[int, float]] = {language: {} for language in LANGUAGES}
    for size in sorted(set(sizes) | set(known)):
        if size in known:
            results = known[size]
        else:
            site = write_sphinx_site(WORK / f"site-{syntax}-{size}", size, syntax, reuse=reuse)
            results = {language: [] for language in LANGUAGES}
            for _ in range(repeat):
                for language in LANGUAGES:
                    results[language].append(probe(site, WORK / "out-probe", language))
        for language in LANGUAGES:
            per_page[language][size] = median(
                [r["cpu_total"] / r["pages"] for r in results[language]])
            memory[language][size] = median([r["maxrss_kb"] for r in results[language]])
    smallest, largest = min(per_page["en"]), max(per_page["en"])
    print(f"\n6. CPU time per page, one language alone (median of {repeat})")
    for language in LANGUAGES:
        cells = ", ".join(f"{size} pages {1000 * value:.1f} ms "
                          f"({memory[language][size] / 1024:.0f} MB)"
                          for size, value in sorted(per_page[language].items()))
        ratio = per_page[language][largest] / per_page[language][smallest]
        print(f"   {language}: {cells}; {largest}/{smallest}: {ratio:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--syntax", choices=("md", "rst"), default="md")
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000],
                        help="other site sizes for the per-page cost (section 6)")
    parser.add_argument("--only", default="profile,ratios,incremental,scaling",
                        help="comma-separated sections to run")
    parser.add_argument("--site", type=Path, help="profile this project (en, fr) instead")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the generated sites of an earlier run with the same sizes")
    parser.add_argument("--baseline", type=Path, metavar="SRC",
                        help="also profile the package in SRC (another checkout's src/)")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    sections = set(args.only.split(","))
    if args.site:
        print(f"site: {args.site.resolve()}; load average {os.getloadavg()[0]:.2f} at start")
        profile(args.site.resolve(), args.repeat, args.baseline)
        return 0

    site = write_sphinx_site(WORK / f"site-{args.syntax}-{args.pages}", args.pages,
                             args.syntax, reuse=args.reuse)
    jekyll = None
    if shutil.which("jekyll"):
        jekyll = write_jekyll_site(WORK / f"jekyll-{args.pages}", args.pages)
    cores = available_cores()
    print(f"site: {args.pages} pages x {len(LANGUAGES)} languages ({', '.join(LANGUAGES)}), "
          f"{'MyST' if args.syntax == 'md' else 'reStructuredText'}, gbifnode theme; "
          f"{cores} cores, load average {os.getloadavg()[0]:.2f} at start")
    known = {}
    if "profile" in sections:
        known[args.pages] = profile(site, args.repeat, args.baseline)
    if "ratios" in sections:
        ratios(site, jekyll, args.repeat, args.baseline, known.get(args.pages))
    if "incremental" in sections:
        incremental(site, args.syntax, args.repeat, args.baseline)
    if "scaling" in sections and args.sizes:
        scaling(args.sizes, args.syntax, args.repeat, known, args.reuse)
    print(f"\nload average {os.getloadavg()[0]:.2f} at end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
