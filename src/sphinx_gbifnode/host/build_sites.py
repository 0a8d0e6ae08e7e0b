"""``gbifnode host build HOSTDIR OUT``: every hosted site, every language, at once.

All the languages of all the sites go into one pool of processes (as many as there are
cores), so a short site fills the time a long one leaves, and Sphinx is imported once in
the parent that the workers fork from. Each site lands in ``OUT/<site>/<lang>/`` with its
own language chooser and sitemap, as ``gbifnode build`` would write it; a site that fails
or hangs (``--timeout``) is reported and the others are built all the same. Then
``OUT/index.html`` lists the sites and ``OUT/sitemap.xml`` indexes their sitemaps.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..core.errors import CommandError
from ..core.files import write_atomic
from ..i18n.project import EXTENSION, Project, load_project
from ..site.command import PASS_THROUGH_FLAGS, make_jobs, write_site_files
from ..site.jobs import LanguageJob, available_cores, preload, run_jobs
from .hosting_file import HostedSite, Hosting, read_hosting
from .landing import landing_pages, sitemap_index

#: Where ``host build`` leaves what ``host status`` reports.
STATUS_FILE = Path(".gbifnode-host") / "last-build.json"
DEFAULT_TIMEOUT = 1800.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("hostdir", metavar="HOSTDIR", help="the hosting folder")
    parser.add_argument("outdir", metavar="OUT", help="output folder: OUT/<site>/<lang>/")
    parser.add_argument("--sites", metavar="NAMES",
                        help="comma-separated sites to build (default: every site)")
    parser.add_argument("-j", "--jobs", type=int, default=0, metavar="N",
                        help="builds at the same time (default: as many as there are cores)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help="stop a language's build after this long (default 1800)")
    parser.add_argument("--no-landing", action="store_true",
                        help="do not write OUT/index.html and OUT/sitemap.xml (CI jobs "
                             "building one site each)")
    parser.add_argument("--landing-only", action="store_true",
                        help="only write OUT/index.html and OUT/sitemap.xml from the sites "
                             "already in OUT (the last step of a CI workflow)")
    for flag, help_text in PASS_THROUGH_FLAGS:
        parser.add_argument(flag, action="append_const", const=flag, dest="sphinx_flags",
                            help=help_text)


@dataclass
class SiteOutcome:
    """What happened to one site."""

    site: HostedSite
    problems: list[str] = field(default_factory=list)
    failed_languages: list[str] = field(default_factory=list)
    warnings: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems and not self.failed_languages


def select_sites(hosting: Hosting, wanted: str | None) -> list[HostedSite]:
    if not wanted:
        return list(hosting.sites)
    names = [name.strip() for name in wanted.split(",") if name.strip()]
    unknown = [name for name in names if hosting.site(name) is None]
    if unknown:
        raise CommandError(
            f"--sites: {', '.join(unknown)} not in {hosting.path} "
            f"(its sites: {', '.join(s.name for s in hosting.sites) or 'none'})"
        )
    return [site for site in hosting.sites if site.name in names]


def site_arguments(hosting: Hosting, site: HostedSite, args: argparse.Namespace
                   ) -> argparse.Namespace:
    """The arguments ``gbifnode build`` would get for this site."""
    define = []
    if hosting.baseurl:
        define.append(f"html_baseurl={hosting.baseurl.rstrip('/')}/{site.name}/")
    return argparse.Namespace(
        define=define, doctree_dir=None, builder="html", sphinx_jobs=1,
        sphinx_flags=list(args.sphinx_flags or []),
    )


def _load(hosting: Hosting, site: HostedSite, outcome: SiteOutcome) -> Project | None:
    folder = site.folder(hosting.hostdir)
    where = f"{hosting.path}:{site.line}" if site.line else str(hosting.path)
    if not folder.is_dir():
        outcome.problems.append(f"{where}: the site folder {folder} does not exist")
        return None
    if not (folder / "conf.py").is_file():
        outcome.problems.append(f"{where}: {folder} has no conf.py")
        return None
    try:
        return load_project(folder)
    except CommandError as exc:
        outcome.problems.append(f"{folder / 'conf.py'}: {exc}")
        return None


def _indent(text: str, label: str) -> str:
    return "".join(f"[{label}] {line}\n" for line in text.rstrip("\n").splitlines())


def build_sites(hosting: Hosting, sites: list[HostedSite], outdir: Path,
                args: argparse.Namespace) -> list[SiteOutcome]:
    """Build *sites* into ``outdir/<site>/``; the outcome of each."""
    outcomes = {site.name: SiteOutcome(site) for site in sites}
    projects: dict[str, tuple[Project, argparse.Namespace]] = {}
    jobs: list[LanguageJob] = []
    for site in sites:
        project = _load(hosting, site, outcomes[site.name])
        if project is None:
            continue
        site_args = site_arguments(hosting, site, args)
        projects[site.name] = (project, site_args)
        for job in make_jobs(project, project.languages, site_args, outdir / site.name):
            job.language = f"{site.name}/{job.language}"
            jobs.append(job)
    if jobs:
        preload([EXTENSION])
        # Translated languages take longest: start them first, as `gbifnode build` does.
        defaults = {f"{name}/{project.default_language}" for name, (project, _a) in
                    projects.items()}
        jobs.sort(key=lambda job: job.language in defaults)
        processes = min(len(jobs), args.jobs or available_cores())
        for result in run_jobs(jobs, processes, timeout=args.timeout):
            name, _, language = result.language.partition("/")
            outcome = outcomes[name]
            outcome.seconds += result.seconds
            outcome.warnings += sum("WARNING" in line for line in result.errors.splitlines())
            if result.errors:
                sys.stderr.write(_indent(result.errors, result.language))
            if result.status:
                outcome.failed_languages.append(language)
    for name, (project, site_args) in projects.items():
        write_site_files(project, site_args, outdir / name)
    return [outcomes[site.name] for site in sites]


def write_landing(hosting: Hosting, outdir: Path) -> None:
    """``OUT/index.html`` (one per landing language) and ``OUT/sitemap.xml``."""
    built = [site for site in hosting.sites if (outdir / site.name / "index.html").is_file()]
    for name, text in landing_pages(hosting, built).items():
        write_atomic(outdir / name, text)
    if hosting.baseurl:
        maps = [site.name for site in built if (outdir / site.name / "sitemap.xml").is_file()]
        write_atomic(outdir / "sitemap.xml", sitemap_index(hosting.baseurl, maps))


def record_status(hosting: Hosting, outdir: Path, outcomes: list[SiteOutcome]) -> None:
    """What ``gbifnode host status`` shows: when each site was built and how it went."""
    path = hosting.hostdir / STATUS_FILE
    try:
        known = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    sites = known.get("sites", {}) if isinstance(known, dict) else {}
    stamp = datetime.now(UTC).replace(microsecond=0).isoformat()
    for outcome in outcomes:
        sites[outcome.site.name] = {
            "built": stamp, "ok": outcome.ok, "warnings": outcome.warnings,
            "failed": outcome.failed_languages, "problems": outcome.problems,
            "out": str(outdir / outcome.site.name),
        }
    write_atomic(path, json.dumps({"sites": sites}, indent=1, sort_keys=True) + "\n")


def run(args: argparse.Namespace) -> int:
    hosting = read_hosting(args.hostdir)
    outdir = Path(args.outdir).resolve()
    if args.landing_only:
        write_landing(hosting, outdir)
        print(f"gbifnode: landing page written: {outdir / 'index.html'}")
        return 0
    sites = select_sites(hosting, args.sites)
    if not sites:
        raise CommandError(f"{hosting.path} lists no site; add one with `gbifnode host add`")
    quiet = "-q" in (args.sphinx_flags or [])
    started = time.perf_counter()
    outcomes = build_sites(hosting, sites, outdir, args)
    if not args.no_landing:
        write_landing(hosting, outdir)
    record_status(hosting, outdir, outcomes)
    failed = [outcome for outcome in outcomes if not outcome.ok]
    for outcome in outcomes:
        for problem in outcome.problems:
            print(f"gbifnode: {outcome.site.name}: {problem}", file=sys.stderr)
        if outcome.failed_languages:
            print(f"gbifnode: {outcome.site.name}: FAILED "
                  f"({', '.join(outcome.failed_languages)})", file=sys.stderr)
        elif outcome.ok and not quiet:
            print(f"gbifnode: {outcome.site.name}: built -> {outdir / outcome.site.name}")
    if not quiet:
        print(f"gbifnode: {len(outcomes) - len(failed)} of {len(outcomes)} sites built in "
              f"{time.perf_counter() - started:.1f} s")
    if failed:
        print(f"gbifnode: failed: {', '.join(o.site.name for o in failed)}", file=sys.stderr)
        return 1
    return 0
