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
import contextlib
import gettext
import html
import importlib
import io
import json
import multiprocessing
import os
import sys
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from .cli import CommandError
from .multilang import PAGES_FILE
from .po_files import broken_catalogs
from .project import EXTENSION, Project, load_project
from .shared import MESSAGE_CATALOG

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


@dataclass
class LanguageJob:
    """One language's build: everything a worker process needs (picklable)."""

    language: str
    argv: list[str]
    catalogs: list[Path] = field(default_factory=list)
    missing_locale: Path | None = None


@dataclass
class LanguageResult:
    language: str
    status: int
    output: str
    errors: str
    seconds: float


def available_cores() -> int:
    """Cores this process may use (respects CPU affinity and container limits)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def select_languages(project: Project, wanted: str | None) -> list[str]:
    """The languages to build, in the site's order; unknown ones are a clear error."""
    if not wanted:
        return list(project.languages)
    requested = [part.strip() for part in wanted.split(",") if part.strip()]
    unknown = [lang for lang in requested if lang not in project.languages]
    if unknown:
        how = (
            "gbifnode_languages in conf.py"
            if project.languages_configured
            else "`language` in conf.py plus the folders of locale_dirs"
        )
        raise CommandError(
            f"language(s) {', '.join(unknown)} not configured for {project.srcdir}; "
            f"the site's languages are {', '.join(project.languages)} (from {how})"
        )
    return [lang for lang in project.languages if lang in requested]


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
        )
        if language != project.default_language:
            if project.has_locale_folder(language):
                job.catalogs = project.catalog_files(language)
            else:
                job.missing_locale = project.catalog_dir(language)
        jobs.append(job)
    return jobs


def build_language(job: LanguageJob) -> LanguageResult:
    """Run one language's sphinx-build in this process, capturing its output."""
    started = time.perf_counter()
    if job.missing_locale is not None:
        message = (
            f"no locale folder for {job.language!r}: {job.missing_locale} does not exist; "
            f"create its catalogues with `gbifnode i18n update`"
        )
        return LanguageResult(job.language, 2, "", message + "\n", 0.0)
    # Sphinx would build from a broken .po without naming it (see po_files.py).
    problems = broken_catalogs(job.catalogs)
    if problems:
        problems.append(f"{job.language} not built: fix the .po file(s) above")
        return LanguageResult(
            job.language, 2, "", "\n".join(problems) + "\n", time.perf_counter() - started
        )
    from sphinx.cmd.build import build_main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = build_main(job.argv)
        except SystemExit as exc:  # argparse inside Sphinx
            status = int(exc.code or 0) if isinstance(exc.code, int) else 2
    return LanguageResult(
        job.language, status, out.getvalue(), err.getvalue(), time.perf_counter() - started
    )


def _worker(job: LanguageJob, connection: Connection) -> None:
    try:
        result = build_language(job)
    except BaseException as exc:  # never leave the parent waiting
        result = LanguageResult(job.language, 2, "", f"{type(exc).__name__}: {exc}\n", 0.0)
    connection.send(result)
    connection.close()


def _context() -> Any:
    # fork shares the already imported Sphinx with every worker (start-up time);
    # where fork is unavailable or unsafe (macOS, Windows) spawn works the same.
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def preload(modules: list[str]) -> None:
    """Import the project's extensions here, so forked workers start with them loaded
    (one import instead of one per language). A failing import is left for the build,
    which reports it properly."""
    for name in modules:
        with contextlib.suppress(Exception):
            importlib.import_module(name)


def run_jobs(jobs: list[LanguageJob], processes: int) -> list[LanguageResult]:
    """Run the jobs, *processes* at a time; results in the order the jobs finish.

    Even a single job runs in a child process: Sphinx and some themes keep state in
    module globals (the label translations, default config lists), which must not
    leak from one language into the next or into the caller.
    """
    # Import Sphinx once here, with the extensions it loads into every application
    # (builders, domains, directives: most of a worker's start-up otherwise), so forked
    # workers start with them loaded.
    import sphinx.builders.html
    import sphinx.cmd.build  # noqa: F401
    from sphinx.application import builtin_extensions

    preload(list(builtin_extensions))

    context = _context()
    pending = list(jobs)
    running: dict[Connection, tuple[Any, str]] = {}
    results: list[LanguageResult] = []
    try:
        while pending or running:
            while pending and len(running) < processes:
                job = pending.pop(0)
                receiver, sender = context.Pipe(duplex=False)
                # Not a daemon: Sphinx -j starts processes of its own.
                process = context.Process(target=_worker, args=(job, sender))
                process.start()
                sender.close()
                running[receiver] = (process, job.language)
            for ready in wait(list(running)):
                assert isinstance(ready, Connection)
                process, language = running.pop(ready)
                try:
                    results.append(ready.recv())
                except EOFError:
                    results.append(LanguageResult(
                        language, 2, "", f"the build process of {language} died\n", 0.0
                    ))
                process.join()
    finally:
        for process, _language in running.values():
            process.terminate()
    return results


def read_pages(doctree_dir: Path) -> dict[str, Any] | None:
    """The page list a language's build left (see :mod:`sphinx_gbifnode.multilang`)."""
    try:
        data = json.loads((doctree_dir / PAGES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def language_chooser(project: Project, root_targets: dict[str, str]) -> str:
    """``OUT/index.html``: plain links (no JavaScript needed) plus a script that picks
    the first of the browser's languages the site has. Only languages present in OUT
    (*root_targets*: language -> its home page) are offered."""
    from .extension import PACKAGE_DIR
    from .multilang import hreflang, language_name

    links, alternates, headings = [], [], []
    targets = {}
    for code in [lang for lang in project.languages if lang in root_targets]:
        target = f"{code}/{root_targets[code]}"
        targets[hreflang(code).lower()] = target
        lang = html.escape(hreflang(code))
        alternates.append(
            f'<link rel="alternate" hreflang="{lang}" href="{html.escape(target)}">'
        )
        links.append(
            f'<li><a href="{html.escape(target)}" hreflang="{lang}" lang="{lang}">'
            f"{html.escape(language_name(code))}</a></li>"
        )
        translation = gettext.translation(
            MESSAGE_CATALOG, str(PACKAGE_DIR / "locale"), languages=[code], fallback=True
        )
        headings.append(
            f'<span lang="{lang}">{html.escape(translation.gettext("Choose your language"))}'
            "</span>"
        )
    title = html.escape(project.name or "")
    script = (
        "(function () {\n"
        f"  var site = {json.dumps(targets)};\n"
        "  var wanted = navigator.languages || [navigator.language || ''];\n"
        "  for (var i = 0; i < wanted.length; i++) {\n"
        "    var code = String(wanted[i]).toLowerCase();\n"
        "    var target = site[code] || site[code.split('-')[0]];\n"
        "    if (!target) {\n"
        "      for (var key in site) {\n"
        "        if (key.split('-')[0] === code.split('-')[0]) { target = site[key]; break; }\n"
        "      }\n"
        "    }\n"
        "    if (target) { window.location.replace(target); return; }\n"
        "  }\n"
        "})();"
    ).replace("</", "<\\/")  # nothing in the data may close the <script> element
    default = html.escape(hreflang(project.default_language))
    return f"""<!DOCTYPE html>
<html lang="{default}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
{chr(10).join(alternates)}
<link rel="alternate" hreflang="x-default" href="index.html">
<script>
{script}
</script>
<style>
body {{ font-family: system-ui, sans-serif; margin: 3rem auto; max-width: 36rem; padding: 0 1rem; }}
ul {{ list-style: none; padding: 0; }} li {{ margin: .6rem 0; font-size: 1.25rem; }}
p span + span::before {{ content: " · "; }}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p>{"".join(headings)}</p>
<ul class="gbif-language-choice">
{chr(10).join(links)}
</ul>
</main>
</body>
</html>
"""


def sitemap(baseurl: str, pages: dict[str, list[str]], default_language: str) -> str:
    """``sitemap.xml``: every page of every language, each with its hreflang alternates."""
    from .multilang import absolute_url, hreflang

    by_target: dict[str, list[str]] = {}
    for language, targets in pages.items():
        for target in targets:
            by_target.setdefault(target, []).append(language)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for target in sorted(by_target):
        languages = by_target[target]
        alternates = [
            f'    <xhtml:link rel="alternate" hreflang="{html.escape(hreflang(lang))}" '
            f'href="{html.escape(absolute_url(baseurl, lang, target))}"/>'
            for lang in languages
        ]
        if len(languages) > 1:
            fallback = default_language if default_language in languages else languages[0]
            alternates.append(
                '    <xhtml:link rel="alternate" hreflang="x-default" '
                f'href="{html.escape(absolute_url(baseurl, fallback, target))}"/>'
            )
        for language in languages:
            lines.append("  <url>")
            lines.append(f"    <loc>{html.escape(absolute_url(baseurl, language, target))}</loc>")
            if len(languages) > 1:
                lines.extend(alternates)
            lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def _indent(text: str, language: str) -> str:
    return "".join(f"[{language}] {line}\n" for line in text.rstrip("\n").splitlines())


def run(args: argparse.Namespace) -> int:
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
    if root_targets:  # a language that never built is not offered (its links would break)
        write_atomic(outdir / "index.html", language_chooser(project, root_targets))
    baseurl = parse_defines(args.define).get("html_baseurl", project.html_baseurl)
    if not baseurl:
        print(
            f"gbifnode: warning: html_baseurl is not set in {project.confdir / 'conf.py'}; "
            f"{outdir / 'sitemap.xml'} not written (a sitemap needs absolute URLs) and "
            "hreflang links are relative",
            file=sys.stderr,
        )
        return
    write_atomic(outdir / "sitemap.xml", sitemap(baseurl, pages, project.default_language))
