"""``gbifnode host build`` against building each hosted site with ``gbifnode build`` in
turn (issue 17: goal ratio <= 0.60).

A hosting folder made by ``gbifnode host init``, with ten generated sites of 20 pages in
two languages (en, and fr fully translated), each taking the theme, the shared partner
list and ``gbifnode_offline = True`` from the host's template. In one run, interleaved so
that the machine's load weighs on both alike, several times:

* one site after the other: ``gbifnode build sites/<name> OUT/<name>``, fresh output;
* ``gbifnode host build HOSTDIR OUT``, fresh output.

Prints the medians and their ratio, checks both wrote the same pages, then where the
time of ``host build`` goes: the start-up of a process, the imports each language's
build still pays in its worker, one language's build split into phases, the pool of
builds, the sites' own files and the landing page.

    python benchmarks/bench_host.py [--sites 10] [--pages 20] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_build import BIN, page, run, split_times, translate

from sphinx_gbifnode.host.hosting_file import HostedSite, read_hosting, write_hosting

WORK = Path(__file__).resolve().parent / "_work" / "host"
BASEURL = "https://host.example.org/"
COUNTRIES = ["BJ", "CD", "CM", "EC", "GA", "MG", "ML", "NE", "SN", "TG", "BF", "CI"]
GOAL = 0.60

SITE_CONF = """\
project = "Hosted site {name}"
extensions = ["myst_parser", "sphinx_gbifnode"]
language = "en"
gbifnode_languages = ["en", "fr"]
locale_dirs = ["locales"]
gettext_compact = False
exclude_patterns = ["_build", "locales"]
# Theme, colours, footer partners and gbifnode_offline come from the host's template.
gbifnode_template = "../../template"
"""


def make_host(root: Path, sites: int, pages: int) -> Path:
    """The hosting folder, its sites and their complete French translations."""
    if root.exists():
        shutil.rmtree(root)
    hostdir = root / "host"
    run([BIN / "gbifnode", "host", "init", hostdir, "--name", "Benchmark host",
         "--languages", "en,fr", "--baseurl", BASEURL])
    template_conf = hostdir / "template" / "conf.py"
    template_conf.write_text(template_conf.read_text(encoding="utf-8")
                             + "gbifnode_offline = True\n", encoding="utf-8")
    hosting = read_hosting(hostdir)
    for number in range(sites):
        site = HostedSite(f"site{number:02d}", COUNTRIES[number % len(COUNTRIES)],
                          ["en", "fr"])
        folder = site.folder(hostdir)
        folder.mkdir(parents=True)
        (folder / "conf.py").write_text(SITE_CONF.format(name=site.name), encoding="utf-8")
        names = [f"page{n:03d}" for n in range(1, pages)]
        (folder / "index.md").write_text(
            f"# {site.name}\n\nThe home page.\n\n## Partners\n\n"
            ":::{partner-grid}\n:data: _data/partners.yml\n:::\n\n"
            "```{toctree}\n:maxdepth: 1\n\n" + "\n".join(names) + "\n```\n",
            encoding="utf-8",
        )
        for page_number, name in enumerate(names, start=1):
            (folder / f"{name}.md").write_text(page(page_number), encoding="utf-8")
        translate(folder)  # French catalogues, each msgstr "FR <msgid>"
        hosting.sites.append(site)
    write_hosting(hosting)
    return hostdir


def children_cpu() -> float:
    """CPU seconds of the finished child processes (and theirs): the work done, which the
    load of other processes on the machine does not inflate as it does wall time."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def one_by_one(hostdir: Path, out: Path) -> tuple[float, float]:
    """Each site with ``gbifnode build``, one after the other (what a host does today):
    wall time and CPU time."""
    shutil.rmtree(out, ignore_errors=True)
    started, cpu = time.perf_counter(), children_cpu()
    for site in read_hosting(hostdir).sites:
        run([BIN / "gbifnode", "build", site.folder(hostdir), out / site.name, "-q",
             "-D", f"html_baseurl={BASEURL}{site.name}/"])
    return time.perf_counter() - started, children_cpu() - cpu


def host_build(hostdir: Path, out: Path) -> tuple[float, float]:
    """``gbifnode host build`` of every site: wall time and CPU time."""
    shutil.rmtree(out, ignore_errors=True)
    cpu = children_cpu()
    wall = run([BIN / "gbifnode", "host", "build", hostdir, out, "-q"])
    return wall, children_cpu() - cpu


def built_pages(out: Path) -> set[str]:
    """Every HTML page under the sites' folders (not the host's landing pages)."""
    return {path.relative_to(out).as_posix() for path in out.glob("*/**/*.html")}


START_PROBE = r"""
import json, time
import sphinx.builders.html, sphinx.cmd.build
from sphinx_gbifnode.site.jobs import preload
preload(["myst_parser", "sphinx_gbifnode"])
print(json.dumps({"cpu": time.process_time()}))
"""

WORKER_PROBE = r"""
import argparse, json, resource, sys
from pathlib import Path
from sphinx_gbifnode.i18n.project import EXTENSION, load_project
from sphinx_gbifnode.site import command
from sphinx_gbifnode.site.jobs import preload, run_jobs
def cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
parser = argparse.ArgumentParser()
command.add_arguments(parser)
args = parser.parse_args([sys.argv[1], sys.argv[2], "-q"])
project = load_project(args.srcdir)
preload([*project.extensions, EXTENSION])
times = {}
for job in command.make_jobs(project, project.languages, args, Path(sys.argv[2])):
    before = cpu()
    [result] = run_jobs([job], 1)
    assert result.status == 0, result.errors
    times[job.language] = cpu() - before
print(json.dumps(times))
"""

HOST_PROBE = r"""
import argparse, json, sys, time
from pathlib import Path
t0 = time.perf_counter()
from sphinx_gbifnode.host import build_sites as host_build
from sphinx_gbifnode.host.hosting_file import read_hosting
hostdir, out = sys.argv[1], Path(sys.argv[2])
parser = argparse.ArgumentParser()
host_build.add_arguments(parser)
args = parser.parse_args([hostdir, str(out), "-q"])
hosting = read_hosting(hostdir)
t1 = time.perf_counter()
outcomes = host_build.build_sites(hosting, hosting.sites, out, args)
t2 = time.perf_counter()
host_build.write_landing(hosting, out)
t3 = time.perf_counter()
print(json.dumps({"start": t1 - t0, "pool": t2 - t1, "landing": t3 - t2,
                  "builds": sum(o.seconds for o in outcomes),
                  "jobs": sum(len(o.site.languages) for o in outcomes),
                  "ok": all(o.ok for o in outcomes)}))
"""


def probe(code: str, *argv: str | Path) -> tuple[dict[str, float], float]:
    """Run *code* in a fresh interpreter; its JSON line and the process's wall time."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, *map(str, argv)], check=True,
                          capture_output=True, text=True)
    wall = time.perf_counter() - started
    return json.loads(done.stdout.strip().splitlines()[-1]), wall


def runs(values: list[float]) -> str:
    return ", ".join(f"{value:.2f}" for value in values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=10)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    hostdir = make_host(WORK, args.sites, args.pages)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"host: {args.sites} sites x {args.pages} pages x 2 languages (en, fr), theme "
          f"gbifnode from the template; {cores} cores, load average "
          f"{os.getloadavg()[0]:.2f} at start")

    sequential: list[tuple[float, float]] = []
    pooled: list[tuple[float, float]] = []
    for _ in range(args.repeat):  # interleaved, so machine load affects both alike
        sequential.append(one_by_one(hostdir, WORK / "out-one-by-one"))
        pooled.append(host_build(hostdir, WORK / "out-host"))
    if built_pages(WORK / "out-one-by-one") != built_pages(WORK / "out-host"):
        print("the two ways did not write the same pages: the comparison is void")
        return 1
    s, h = (statistics.median(wall for wall, _cpu in x) for x in (sequential, pooled))
    s_cpu, h_cpu = (statistics.median(cpu for _wall, cpu in x) for x in (sequential, pooled))
    print(f"gbifnode build, site after site: {s:6.2f} s  (runs: "
          f"{runs([wall for wall, _cpu in sequential])}; CPU {s_cpu:.2f} s)")
    print(f"gbifnode host build:             {h:6.2f} s  (runs: "
          f"{runs([wall for wall, _cpu in pooled])}; CPU {h_cpu:.2f} s)")
    print(f"ratio host build / one by one:   {h / s:6.2f}    (goal <= {GOAL:.2f}; "
          f"CPU time {h_cpu / s_cpu:.2f})")

    print("where the time of host build goes (one more run of each part, fresh output):")
    shutil.rmtree(WORK / "out-probe", ignore_errors=True)
    times, wall = probe(HOST_PROBE, hostdir, WORK / "out-probe")
    jobs = int(times["jobs"])
    print(f"  host build in one process:      {wall:6.2f} s  (ok: {bool(times['ok'])})")
    print(f"    start-up, hosting file:       {wall - times['pool'] - times['landing']:6.2f} s")
    print(f"    pool of {jobs} language builds:  {times['pool']:6.2f} s  (sum of the builds "
          f"{times['builds']:.2f} s, {times['builds'] / jobs:.2f} s each; cores busy "
          f"{100 * times['builds'] / ((cores or 1) * times['pool']):.0f} %)")
    print(f"    landing page, sitemap index:  {times['landing']:6.2f} s")

    # CPU times do not grow with the load of other processes: from them, what each way
    # would take on a machine with idle cores. One by one, a site's two languages run side
    # by side after the process started; the host build starts once and keeps every core
    # busy with the builds of all sites.
    start = probe(START_PROBE)[0]["cpu"]
    site = read_hosting(hostdir).sites[0].folder(hostdir)
    shutil.rmtree(WORK / "out-worker", ignore_errors=True)
    worker = probe(WORKER_PROBE, site, WORK / "out-worker")[0]
    print(f"  CPU: a process's start-up (interpreter, Sphinx, MyST, the extension): "
          f"{start:.2f} s; one language's build in a worker: "
          + ", ".join(f"{language} {seconds:.2f} s" for language, seconds in worker.items()))
    one_site = start + max(worker.values())
    idle_sequential = args.sites * one_site
    idle_host = start + args.sites * sum(worker.values()) / (cores or 1)
    print(f"  on idle cores (estimate from the CPU times): one by one "
          f"{args.sites} x {one_site:.2f} = {idle_sequential:.2f} s, host build "
          f"{idle_host:.2f} s, ratio {idle_host / idle_sequential:.2f}")
    for language in ("en", "fr"):
        phases = split_times(site, WORK / "out-split", language)
        total = sum(phases.values())
        print(f"  one language ({language}) of one site, fresh, in one process: {total:.2f} s")
        for phase in ("interpreter", "imports", "init", "prepare", "read", "write"):
            print(f"    {phase:<12} {phases[phase]:6.2f} s  "
                  f"{100 * phases[phase] / total:5.1f} %")
    print(f"load average {os.getloadavg()[0]:.2f} at end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
