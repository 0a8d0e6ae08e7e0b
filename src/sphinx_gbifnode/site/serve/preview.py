"""The site side of ``gbifnode serve``: what a saved file touches, one warm worker
process per language, and the site files (language chooser, sitemap) after each build.

The output has the layout of ``gbifnode build`` (``OUT/<lang>/``, ``OUT/index.html``,
``OUT/sitemap.xml``) and is made by the same jobs (:func:`~sphinx_gbifnode.site.command.make_jobs`);
only the builds run in processes that stay (see :mod:`.worker`).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import multiprocessing
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from ...core.errors import CommandError
from ...i18n.project import EXTENSION, Project, load_project, select_languages
from ..command import make_jobs, write_site_files
from ..jobs import LanguageJob, available_cores
from .worker import (
    BuildRequest,
    LanguageOutcome,
    Problem,
    config_problem,
    serve_language,
)

#: Folders and files whose changes never concern the site: version control, caches,
#: build folders, editors' temporary files (vim's ``4913`` probe, swap and backup files,
#: JetBrains' safe-write copies, Emacs' ``#autosave#``); hidden files are left out too.
IGNORED_NAMES = frozenset({"__pycache__", "_build", "node_modules", "4913"})
IGNORED_SUFFIXES = (".mo", ".pot", ".pyc", ".swp", ".swo", ".swx", ".tmp", ".bak", "~",
                    "___jb_tmp___", "___jb_old___", "#")
#: Modules the worker processes start with, imported once (see :func:`worker_context`).
PRELOAD = ["sphinx.application", "sphinx.builders.html", f"{EXTENSION}.extension",
           "myst_parser.sphinx_ext.main", "myst_parser.parsers.sphinx_"]


@dataclass
class Plan:
    """What a set of saved files asks for."""

    changed: list[Path] = field(default_factory=list)
    #: conf.py changed: read the project again, restart every language
    config: bool = False
    #: a page, an image, a template...: every language
    every_language: bool = False
    #: a local extension (``.py``) changed: every language starts afresh
    restart: bool = False
    docs: set[str] = field(default_factory=set)
    #: language -> its saved ``.po`` files
    catalogs: dict[str, list[Path]] = field(default_factory=dict)
    #: languages whose template labels (``sphinx.po``) changed
    restart_languages: set[str] = field(default_factory=set)

    @property
    def empty(self) -> bool:
        return not (self.config or self.every_language or self.catalogs)


@dataclass
class SiteReport:
    """One build of the preview: what changed, what was built, what went wrong."""

    number: int
    changed: list[Path]
    outcomes: list[LanguageOutcome]
    problems: list[Problem]
    seconds: float

    @property
    def built(self) -> list[str]:
        return [o.language for o in self.outcomes if o.built]

    @property
    def failed(self) -> list[str]:
        return [o.language for o in self.outcomes if not o.built]

    def message(self) -> dict[str, Any]:
        """The report as browsers receive it (JSON)."""
        return {
            "type": "built",
            "build": self.number,
            "languages": self.built,
            "failed": self.failed,
            "problems": [
                {"file": p.file, "line": p.line, "message": p.message, "level": p.level}
                for p in self.problems
            ],
            # Where the time went, per language (for the curious and the benchmark).
            "seconds": {o.language: {"total": round(o.seconds, 3), **{
                name: round(value, 3) for name, value in o.phases.items()
            }} for o in self.outcomes},
        }


def merged_problems(outcomes: Iterable[LanguageOutcome]) -> list[Problem]:
    """Every problem once: a page's warning comes from each language that reads it."""
    seen: dict[tuple[str, int | None, str, str], Problem] = {}
    for outcome in outcomes:
        for problem in outcome.problems:
            seen.setdefault((problem.file, problem.line, problem.message, problem.level),
                            problem)
    return sorted(seen.values(), key=lambda p: (p.level != "error", p.file, p.line or 0))


def worker_context() -> Any:
    """Worker processes come from a fork server that imports Sphinx and the extension
    once (see :data:`PRELOAD`): a worker starts warm, and is not forked from the
    server's threads (the watcher's, the web server's). Where there is no fork server
    (Windows), spawn."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


def installed_extensions(project: Project) -> list[str]:
    """The project's extensions that are installed packages, not modules of the project
    itself: those may be imported once for every worker, a local one must be imported
    afresh by each worker so that an edit to it is seen."""
    found = []
    for name in project.extensions:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        origin = Path(spec.origin).resolve() if spec and spec.origin else None
        if origin is None:
            continue
        if project.srcdir in origin.parents or project.confdir in origin.parents:
            continue
        found.append(name)
    return found


class LanguageWorker:
    """A worker process building one language (see :func:`.worker.serve_language`)."""

    def __init__(self, context: Any, job: LanguageJob, project: Project) -> None:
        self.language = job.language
        self.connection, child = context.Pipe(duplex=True)
        self.process = context.Process(
            target=serve_language, args=(job, project, child), daemon=True,
            name=f"gbifnode-serve-{job.language}",
        )
        self.process.start()
        child.close()

    def send(self, request: BuildRequest) -> None:
        self.connection.send(request)

    def receive(self) -> LanguageOutcome:
        try:
            outcome = self.connection.recv()
        except (EOFError, OSError):
            return LanguageOutcome(self.language, built=False, problems=[Problem(
                f"the build process of {self.language} stopped; it starts again on the "
                "next save", level="error")])
        assert isinstance(outcome, LanguageOutcome)
        return outcome

    @property
    def alive(self) -> bool:
        return bool(self.process.is_alive())

    def stop(self) -> None:
        with contextlib.suppress(OSError, BrokenPipeError):
            self.connection.send(None)
        self.process.join(5)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(5)
        self.connection.close()


class PreviewSite:
    """Every language of a site, built into *outdir* and kept up to date."""

    def __init__(
        self, srcdir: str | Path, outdir: Path, languages: str | None, online: bool = False
    ) -> None:
        self.srcdir = Path(srcdir)
        self.outdir = outdir
        self.wanted = languages
        self.online = online
        self.project = load_project(self.srcdir)
        self.languages = select_languages(self.project, self.wanted)
        self.args = argparse.Namespace(
            define=[], doctree_dir=None, builder="html", sphinx_jobs=1, sphinx_flags=[],
        )
        self.context = worker_context()
        self.workers: dict[str, LanguageWorker] = {}
        self.number = 0
        self.processes = max(1, available_cores())
        self._folders = self.watched_folders()

    # --- what to watch and what a change means ----------------------------------------

    @property
    def conf_py(self) -> Path:
        return self.project.confdir / "conf.py"

    def watched_folders(self) -> list[Path]:
        """The source folder, conf.py's folder and the locale folders outside them."""
        folders: list[Path] = []
        for folder in [self.project.srcdir, self.project.confdir, *self.project.locale_dirs]:
            if folder.is_dir() and not any(f == folder or f in folder.parents for f in folders):
                folders = [f for f in folders if folder not in f.parents] + [folder]
        return folders

    def concerns(self, path: Path) -> bool:
        """Whether a change to *path* can concern the site (the watcher's filter)."""
        if path == self.outdir or self.outdir in path.parents:
            return False
        # Only the part below the watched folder: the site itself may live in a hidden
        # folder (``~/.sites/node``).
        root = next((f for f in self._folders if f in path.parents), path.parent)
        parts = path.relative_to(root).parts
        if any(part.startswith(".") or part in IGNORED_NAMES for part in parts):
            return False
        return not path.name.endswith(IGNORED_SUFFIXES)

    def plan(self, paths: Iterable[Path]) -> Plan:
        """Which languages the saved *paths* touch: a ``.po`` its language, conf.py
        and everything else every language."""
        plan = Plan()
        for path in sorted(set(paths)):
            if not self.concerns(path):
                continue
            plan.changed.append(path)
            if path == self.conf_py:
                plan.config = True
                continue
            catalog_language = self._catalog_language(path)
            if catalog_language is not None:
                if path.suffix == ".po" and catalog_language in self.languages:
                    plan.catalogs.setdefault(catalog_language, []).append(path)
                    if path.stem == "sphinx":  # template labels: read when Sphinx starts
                        plan.restart_languages.add(catalog_language)
                continue
            plan.every_language = True
            if path.suffix == ".py":
                plan.restart = True
            if self.project.srcdir in path.parents:
                plan.docs.add(path.relative_to(self.project.srcdir).with_suffix("").as_posix())
        return plan

    def _catalog_language(self, path: Path) -> str | None:
        """The language of a file in a locale folder ("" for other files there), or
        None when *path* is not in a locale folder."""
        for locale_dir in self.project.locale_dirs:
            if locale_dir in path.parents:
                parts = path.relative_to(locale_dir).parts
                if len(parts) >= 3 and parts[1] == "LC_MESSAGES":
                    return parts[0]
                return ""
        return None

    # --- building ------------------------------------------------------------------------

    def start(self, url: str) -> SiteReport:
        """Start a worker per language and build every language, for pages served
        at *url* (their hreflang links and the sitemap point into the preview)."""
        self.args.define = [f"html_baseurl={url}"]
        if not self.online:
            # A save must never wait on the network: the pages use the snapshots.
            self.args.define.append("gbifnode_offline=1")
        return self._build({language: BuildRequest() for language in self.languages}, [])

    def rebuild(self, plan: Plan) -> SiteReport:
        """Build what *plan* asks for; the last good pages stay where a build fails."""
        if plan.config:
            problem = self._reload_project()
            if problem is not None:
                self.number += 1
                outcomes = [LanguageOutcome(lang, built=False) for lang in self.languages]
                return SiteReport(self.number, plan.changed, outcomes, [problem], 0.0)
        languages = self.languages if (plan.every_language or plan.config) else [
            lang for lang in self.languages if lang in plan.catalogs
        ]
        requests = {}
        for language in languages:
            requests[language] = BuildRequest(
                docs=sorted(plan.docs),
                catalogs=plan.catalogs.get(language, []),
                restart=plan.restart or plan.config or language in plan.restart_languages,
            )
        return self._build(requests, plan.changed)

    def _reload_project(self) -> Problem | None:
        """Read conf.py again; on success every worker starts afresh with it."""
        from sphinx.config import eval_config_file
        from sphinx.errors import ConfigError
        from sphinx.util.tags import Tags

        try:
            eval_config_file(self.conf_py, Tags())
        except ConfigError as exc:
            return config_problem(exc, self.conf_py)
        except OSError as exc:
            return Problem(f"cannot read conf.py: {exc.strerror or exc}", str(self.conf_py),
                           level="error")
        try:
            project = load_project(self.srcdir)
            languages = select_languages(project, self.wanted)
        except CommandError as exc:
            return Problem(str(exc), str(self.conf_py), level="error")
        self.stop_workers()
        self.project, self.languages = project, languages
        self._folders = self.watched_folders()
        return None

    def _build(self, requests: dict[str, BuildRequest], changed: list[Path]) -> SiteReport:
        started = time.perf_counter()
        self.number += 1
        jobs = {job.language: job for job in make_jobs(
            self.project, list(requests), self.args, self.outdir
        )}
        pending = list(requests)
        # The default language is quickest (no catalogue to apply): start it last.
        pending.sort(key=lambda lang: lang == self.project.default_language)
        running: dict[Connection, LanguageWorker] = {}
        outcomes: list[LanguageOutcome] = []
        while pending or running:
            while pending and len(running) < self.processes:
                language = pending.pop(0)
                worker = self._worker(language, jobs[language], requests[language])
                worker.send(requests[language])
                running[worker.connection] = worker
            for ready in wait(list(running)):
                assert isinstance(ready, Connection)
                worker = running.pop(ready)
                outcome = worker.receive()
                if not worker.alive:
                    self.workers.pop(worker.language, None)
                outcomes.append(outcome)
        if any(outcome.built for outcome in outcomes):
            write_site_files(self.project, self.args, self.outdir)
        outcomes.sort(key=lambda o: self.languages.index(o.language))
        return SiteReport(self.number, changed, outcomes, merged_problems(outcomes),
                          time.perf_counter() - started)

    def _worker(self, language: str, job: LanguageJob, request: BuildRequest) -> LanguageWorker:
        worker = self.workers.get(language)
        if worker is not None and (request.restart or not worker.alive):
            worker.stop()
            worker = None
        if worker is None:
            if not self.workers:
                # Taken by the fork server when it starts (with the first worker).
                preload = [*PRELOAD, *installed_extensions(self.project)]
                with contextlib.suppress(ValueError, AttributeError):  # spawn has none
                    self.context.set_forkserver_preload(preload)
            worker = LanguageWorker(self.context, job, self.project)
            self.workers[language] = worker
        return worker

    def stop_workers(self) -> None:
        for worker in self.workers.values():
            worker.stop()
        self.workers.clear()

    def close(self) -> None:
        self.stop_workers()
