"""``gbifnode build SRC OUT``: every language of the site into ``OUT/<lang>/``, at once.

Each language is an ordinary ``sphinx-build -D language=<lang>`` run, in its own process
(Sphinx keeps the page language in process-wide state), as many at a time as there are
cores. Sphinx's own incremental build does the rest: an edited ``.po`` recompiles its
``.mo`` and rebuilds only the pages that use it. Afterwards ``OUT/index.html`` sends a
visitor to their language and ``OUT/sitemap.xml`` lists every page with its hreflang
alternates.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..core.errors import CommandError
from ..core.files import write_atomic
from ..gbif.reachability import shared_marker
from ..i18n.pages import read_pages
from ..i18n.project import EXTENSION, Project, load_project, select_languages
from ..i18n.switcher import absolute_url
from .chooser import language_chooser, language_redirect
from .jobs import LanguageJob, available_cores, preload, run_jobs
from .sitemap import sitemap

#: sphinx-build flags passed through unchanged (flag, help).
PASS_THROUGH_FLAGS = (
    ("-W", "turn warnings into errors (the language fails)"),
    ("--keep-going", "with -W, report every warning before failing"),
    ("-E", "don't use a saved environment, always read all files"),
    ("-a", "write all files, not only new and changed ones"),
    ("-q", "no output on stdout from Sphinx, just warnings"),
    ("-n", "nit-picky mode: warn about all missing references"),
    ("-T", "show the full traceback on an exception"),
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``gbifnode build``."""
    parser.add_argument("srcdir", metavar="SRC", help="source folder (with conf.py)")
    parser.add_argument("outdir", metavar="OUT", help="output folder: OUT/<lang>/ per language")
    parser.add_argument(
        "--languages",
        metavar="LANGS",
        help="comma-separated languages to build (default: every language of the site)",
    )
    parser.add_argument("-b", "--builder", default="html", choices=("html", "dirhtml"))
    parser.add_argument(
        "-j", "--jobs", type=int, default=0, metavar="N",
        help="languages built at the same time (default: as many as there are cores)",
    )
    parser.add_argument(
        "--sphinx-jobs", type=int, default=1, metavar="N",
        help="processes each language's sphinx-build may use (its -j; default 1)",
    )
    parser.add_argument(
        "-d", "--doctree-dir", metavar="DIR",
        help="where to keep Sphinx's saved state (default OUT/.doctrees/<lang>)",
    )
    parser.add_argument(
        "-D", dest="define", action="append", default=[], metavar="name=value",
        help="override a conf.py setting, as with sphinx-build (not 'language')",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true",
        help="show each language's full Sphinx output, not only warnings",
    )
    for flag, help_text in PASS_THROUGH_FLAGS:
        parser.add_argument(flag, action="append_const", const=flag, dest="sphinx_flags",
                            help=help_text)


def parse_defines(defines: list[str]) -> dict[str, str]:
    """``-D name=value`` pairs; ``language`` is refused (each language is a build)."""
    values: dict[str, str] = {}
    for item in defines:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise CommandError(f"-D {item!r}: write -D name=value")
        if name.strip() == "language":
            raise CommandError(
                "-D language=... cannot be given to `gbifnode build`: it builds every "
                "language of the site; pick some with --languages instead"
            )
        values[name.strip()] = value
    return values


def make_jobs(
    project: Project, languages: list[str], args: argparse.Namespace, outdir: Path
) -> list[LanguageJob]:
    """One job per language: the ``sphinx-build`` arguments and the catalogues to check."""
    defines = parse_defines(args.define)
    doctree_root = Path(args.doctree_dir).resolve() if args.doctree_dir else outdir / ".doctrees"
    # Sphinx's own -j is left to the user (--sphinx-jobs): with one process per language
    # already, it made a 120-page bilingual build 50 % slower on two cores.
    per_build = args.sphinx_jobs
    common = ["-b", args.builder, "-D", f"gbifnode_languages={','.join(project.languages)}"]
    if not project.uses_extension and "extensions" not in defines:
        # A plain sphinx-intl project: add the extension for this build only, so its
        # pages still get the language switcher and hreflang links.
        common += ["-D", "extensions=" + ",".join([*project.extensions, EXTENSION])]
    for name, value in defines.items():
        common += ["-D", f"{name}={value}"]
    if per_build >= 2:
        common += ["-j", str(per_build)]
    if project.confdir != project.srcdir:
        common += ["-c", str(project.confdir)]
    common += list(dict.fromkeys(args.sphinx_flags or []))
    if not sys.stdout.isatty():
        # Sphinx colours its output when it thinks it runs in CI (``CI=true``) even
        # into a pipe; the children's output is captured and relayed, so no codes.
        common.append("--no-color")

    jobs = []
    for language in languages:
        job = LanguageJob(
            language=language,
            argv=[
                *common,
                "-D", f"language={language}",
                "-d", str(doctree_root / language),
                str(project.srcdir),
                str(outdir / language),
            ],
            doctree_dir=doctree_root / language,
        )
        if language != project.default_language:
            if project.has_locale_folder(language):
                job.catalogs = project.catalog_files(language)
            else:
                job.missing_locale = project.catalog_dir(language)
        jobs.append(job)
    return jobs


def _indent(text: str, language: str) -> str:
    return "".join(f"[{language}] {line}\n" for line in text.rstrip("\n").splitlines())


def run(args: argparse.Namespace) -> int:
    """``gbifnode build``: every language, then the chooser page and the sitemap."""
    project = load_project(args.srcdir)
    languages = select_languages(project, args.languages)
    outdir = Path(args.outdir).resolve()
    jobs = make_jobs(project, languages, args, outdir)
    processes = min(len(jobs), args.jobs or available_cores())
    quiet = "-q" in (args.sphinx_flags or [])
    if not quiet:
        print(
            f"gbifnode: building {', '.join(languages)} from {project.srcdir} into {outdir} "
            f"({processes} process{'es' if processes > 1 else ''})",
            flush=True,
        )
    started = time.perf_counter()
    preload([*project.extensions, EXTENSION])
    # Translated languages take longest (every msgstr is parsed again): start them first.
    jobs.sort(key=lambda job: job.language == project.default_language)
    # One marker for every language: the first to find the GBIF API unreachable tells
    # the others, which then use their snapshots without waiting (gbif.reachability).
    with shared_marker():
        results = run_jobs(jobs, processes)
    failed = []
    for result in sorted(results, key=lambda r: languages.index(r.language)):
        if args.verbose and result.output:
            sys.stdout.write(_indent(result.output, result.language))
        if result.errors:
            sys.stderr.write(_indent(result.errors, result.language))
        if result.status:
            failed.append(result.language)
            print(
                f"gbifnode: {result.language}: FAILED (exit status {result.status})",
                file=sys.stderr,
            )
        elif not quiet:
            print(
                f"gbifnode: {result.language}: built in {result.seconds:.1f} s "
                f"-> {outdir / result.language}"
            )

    write_site_files(project, args, outdir)
    if not quiet:
        print(f"gbifnode: done in {time.perf_counter() - started:.1f} s")
    if failed:
        print(f"gbifnode: failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def write_site_files(project: Project, args: argparse.Namespace, outdir: Path) -> None:
    """``OUT/index.html`` and ``OUT/sitemap.xml`` from what each language's build left."""
    doctree_root = Path(args.doctree_dir).resolve() if args.doctree_dir else outdir / ".doctrees"
    pages: dict[str, list[str]] = {}
    root_targets: dict[str, str] = {}
    for language in project.languages:
        data = read_pages(doctree_root / language)
        if data is not None:
            pages[language] = [str(page) for page in data.get("pages", [])]
            root_targets[language] = str(data.get("root", "index.html"))
    baseurl = parse_defines(args.define).get("html_baseurl", project.html_baseurl)
    if len(root_targets) == 1:  # nothing to choose: straight to the one language
        ((language, target),) = root_targets.items()
        canonical = absolute_url(baseurl, language, target) if baseurl else ""
        write_atomic(outdir / "index.html",
                     language_redirect(project, language, target, canonical))
    elif root_targets:  # a language that never built is not offered (its links would break)
        write_atomic(outdir / "index.html", language_chooser(project, root_targets))
    if not baseurl:
        print(
            f"gbifnode: warning: html_baseurl is not set in {project.confdir / 'conf.py'}; "
            f"{outdir / 'sitemap.xml'} not written (a sitemap needs absolute URLs) and "
            "hreflang links are relative",
            file=sys.stderr,
        )
        return
    write_atomic(outdir / "sitemap.xml", sitemap(baseurl, pages, project.default_language))
