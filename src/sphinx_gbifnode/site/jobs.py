"""Each language's ``sphinx-build`` in a process of its own, as many at a time as asked.

Sphinx keeps the page language in process-wide state, so languages cannot share a
process; the pool forks (where it can) from a parent that has Sphinx and the project's
extensions loaded already. Used by ``gbifnode build`` and to extract messages for
``gbifnode i18n update``.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import io
import multiprocessing
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from ..i18n.po_files import CATALOGUE_RECORD, broken_catalogs
from ..sphinx_speed import SHARED_TEMPLATES


@dataclass
class LanguageJob:
    """One language's build: everything a worker process needs (picklable)."""

    language: str
    argv: list[str]
    catalogs: list[Path] = field(default_factory=list)
    missing_locale: Path | None = None
    #: Sphinx's saved state of this language: where the catalogues found usable are
    #: recorded, so that the next build does not check them again.
    doctree_dir: Path | None = None


@dataclass
class LanguageResult:
    """How one language's build went: exit status, its output, and how long it took."""

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


def missing_locale_message(job: LanguageJob) -> str:
    """Why *job*'s language cannot be built: it has no locale folder."""
    return (
        f"no locale folder for {job.language!r}: {job.missing_locale} does not exist; "
        f"create its catalogues with `gbifnode i18n update`"
    )


def build_language(job: LanguageJob) -> LanguageResult:
    """Run one language's sphinx-build in this process, capturing its output."""
    started = time.perf_counter()
    if job.missing_locale is not None:
        return LanguageResult(job.language, 2, "", missing_locale_message(job) + "\n", 0.0)
    # Sphinx would build from a broken .po without naming it (see po_files.py).
    record = job.doctree_dir / CATALOGUE_RECORD if job.doctree_dir else None
    problems = broken_catalogs(job.catalogs, record=record)
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


#: The garbage collector's thresholds in a language's build process. With Python's
#: defaults (700, 10, 10) a build runs about seven full collections, each walking every
#: doctree, node and template loaded so far: a tenth of the process's time on a
#: 300-page site. The young and middle generations are still collected (every 50,000
#: and every million allocations), which frees a build's cyclic garbage (markdown-it's
#: syntax trees, the small documents and translators of rendered tables of contents);
#: full collections are a hundred times rarer than middle ones, and what they would
#: have freed is returned when the process exits, its language built. Peak memory
#: barely moves: 189 MB for a language of a 1,000-page site, against 184 to 186 MB
#: with Python's defaults.
BUILD_GC_THRESHOLDS = (50_000, 20, 100)


def _worker(job: LanguageJob, connection: Connection) -> None:
    # The build process is ours (not an extension's decision inside someone's
    # sphinx-build), so its collector can be tuned for one batch job.
    gc.set_threshold(*BUILD_GC_THRESHOLDS)
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


#: Modules an extension's ``setup()`` imports: most of its code is there, not in the
#: module Sphinx loads first.
SETUP_MODULES = {
    "sphinx_gbifnode": ("sphinx_gbifnode.extension", "sphinx_gbifnode.theme"),
    "myst_parser": ("myst_parser.sphinx_ext.main",),
}


def preload(modules: list[str]) -> None:
    """Import Sphinx's built-in extensions and the project's extensions here (with what
    their ``setup()`` imports), so forked workers start with them loaded: one import
    instead of one per language, which a host building many sites' languages pays many
    times. A failing import is left for the build, which reports it properly."""
    from sphinx.application import builtin_extensions

    names = list(builtin_extensions)
    for name in modules:
        names += [name, *SETUP_MODULES.get(name, ())]
    for name in dict.fromkeys(names):
        with contextlib.suppress(Exception):
            importlib.import_module(name)


def run_jobs(
    jobs: list[LanguageJob], processes: int, timeout: float | None = None
) -> list[LanguageResult]:
    """Run the jobs, *processes* at a time; results in the order the jobs finish.

    Even a single job runs in a child process: Sphinx and some themes keep state in
    module globals (the label translations, default config lists), which must not
    leak from one language into the next or into the caller. A job still running after
    *timeout* seconds is stopped and reported (status 124), the others go on.
    """
    # Import Sphinx once here, with the extensions it loads into every application
    # (builders, domains, directives: most of a worker's start-up otherwise), so forked
    # workers start with them loaded.
    import sphinx.builders.html
    import sphinx.cmd.build  # noqa: F401
    from sphinx.application import builtin_extensions

    preload(list(builtin_extensions))
    # One folder of compiled templates for every build of the run: a theme's templates
    # are compiled once, not once per language and per site.
    with tempfile.TemporaryDirectory(prefix="gbifnode-templates-") as templates:
        previous = os.environ.get(SHARED_TEMPLATES)
        os.environ[SHARED_TEMPLATES] = templates
        try:
            return _run(jobs, processes, timeout)
        finally:
            if previous is None:
                os.environ.pop(SHARED_TEMPLATES, None)
            else:
                os.environ[SHARED_TEMPLATES] = previous


def _run(jobs: list[LanguageJob], processes: int, timeout: float | None
         ) -> list[LanguageResult]:
    context = _context()
    pending = list(jobs)
    running: dict[Connection, tuple[Any, str, float]] = {}
    results: list[LanguageResult] = []
    # What the workers inherit (Sphinx, the extensions, everything loaded so far) lives
    # as long as they do: frozen, the garbage collector of each worker never walks it
    # again (a build collects often), and the pages it shares with this process are not
    # copied for the collector's bookkeeping. Python's advice for forking workers.
    gc.freeze()
    try:
        while pending or running:
            while pending and len(running) < processes:
                job = pending.pop(0)
                receiver, sender = context.Pipe(duplex=False)
                # Not a daemon: Sphinx -j starts processes of its own.
                process = context.Process(target=_worker, args=(job, sender))
                process.start()
                sender.close()
                running[receiver] = (process, job.language, time.monotonic())
            if timeout is not None:
                now = time.monotonic()
                for connection, (process, language, started) in list(running.items()):
                    if now - started > timeout:
                        process.kill()
                        process.join()
                        del running[connection]
                        results.append(LanguageResult(
                            language, 124, "",
                            f"stopped after {timeout:g} s: the build did not finish\n",
                            now - started,
                        ))
                if not running:
                    continue
            waiting = None
            if timeout is not None:
                oldest = min(started for _p, _l, started in running.values())
                waiting = max(0.05, oldest + timeout - time.monotonic())
            for ready in wait(list(running), timeout=waiting):
                assert isinstance(ready, Connection)
                process, language, _started = running.pop(ready)
                try:
                    results.append(ready.recv())
                except EOFError:
                    results.append(LanguageResult(
                        language, 2, "", f"the build process of {language} died\n", 0.0
                    ))
                process.join()
    finally:
        for process, _language, _started in running.values():
            process.terminate()
        gc.unfreeze()
    return results
