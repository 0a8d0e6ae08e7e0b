"""One language of the preview, built again after every save by a Sphinx application
that stays in memory.

``gbifnode build`` starts a fresh ``sphinx-build`` per language, which is right for one
build but costs about a second per save: imports, reading the saved environment,
compiling the theme's templates. Here each language has a long-lived process holding
its :class:`~sphinx.application.Sphinx` object; a rebuild is ``app.build()`` again, which
reads only the changed pages and writes only the outdated ones (0.2 s for one page of
the docs site instead of 0.7 s for a fresh build forked from a warm process).

Calling ``build()`` again on one application needs a few things Sphinx does not do by
itself (see :meth:`WarmLanguage._prepare_again`): forget the configuration status of the
first build and the doctrees loaded before (as Sphinx's own test application does),
forget the page catalogues read before (gettext keeps them for the life of the
process), and start afresh after an exception.
"""

from __future__ import annotations

import contextlib
import gettext
import io
import os
import re
import signal
import time
import traceback
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...gbif.snapshots import start_next_build
from ...i18n.pages import read_pages
from ...i18n.po_files import broken_catalogs
from ...i18n.project import Project
from ..jobs import LanguageJob, missing_locale_message

if TYPE_CHECKING:
    from sphinx.application import Sphinx


@dataclass
class Problem:
    """A warning or an error of a build, where it comes from (``line`` may be None)."""

    message: str
    file: str = ""
    line: int | None = None
    level: str = "warning"  # "warning" or "error"

    @property
    def location(self) -> str:
        if not self.file:
            return ""
        return f"{self.file}:{self.line}" if self.line else self.file

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.level.upper()}: {self.message}"


@dataclass
class BuildRequest:
    """What changed since the language's last build (empty on the first build)."""

    #: pages (docnames) saved since the last build: read again whatever their mtime says
    docs: list[str] = field(default_factory=list)
    #: ``.po`` files of this language saved since the last build
    catalogs: list[Path] = field(default_factory=list)
    #: start a fresh Sphinx application (conf.py, ``sphinx.po`` or a local extension changed)
    restart: bool = False


@dataclass
class LanguageOutcome:
    """The result of one build of one language, sent back to the preview."""

    language: str
    #: whether the served pages were updated (False: the last good pages stay)
    built: bool
    problems: list[Problem] = field(default_factory=list)
    #: pages written by this build
    written: int = 0
    #: pages removed from the output because their source is gone
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    #: seconds per phase: "start", "read", "write"
    phases: dict[str, float] = field(default_factory=dict)


#: ``path:line: WARNING: message`` as Sphinx writes warnings (the path and line optional).
_WARNING_LINE = re.compile(
    r"^(?:(?P<file>.+?):(?:(?P<line>\d+):)? )?(?P<level>WARNING|ERROR|CRITICAL|SEVERE): "
    r"(?P<message>.*)$"
)
_COLOUR = re.compile(r"\x1b\[[0-9;]*m")
_PO_PROBLEM = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<message>.*)$")


def parse_warnings(text: str) -> list[Problem]:
    """Sphinx's warning stream as problems; continuation lines join their warning."""
    problems: list[Problem] = []
    for raw in _COLOUR.sub("", text).splitlines():
        match = _WARNING_LINE.match(raw)
        if match:
            level = "warning" if match["level"] == "WARNING" else "error"
            line = int(match["line"]) if match["line"] else None
            problems.append(Problem(match["message"], match["file"] or "", line, level))
        elif problems and raw.strip():
            problems[-1].message += "\n" + raw
    return problems


def catalogue_problems(messages: list[str]) -> list[Problem]:
    """``file:line: broken .po file: ...`` lines (see :mod:`..po_files`) as problems."""
    problems = []
    for message in messages:
        match = _PO_PROBLEM.match(message)
        if match:
            problems.append(Problem(match["message"], match["file"], int(match["line"]),
                                    "error"))
        else:
            problems.append(Problem(message, level="error"))
    return problems


def config_problem(exc: BaseException, conf_py: Path) -> Problem:
    """A conf.py that does not run, at the line that fails (Sphinx wraps the cause)."""
    cause = exc.__cause__ or exc
    if isinstance(cause, SyntaxError) and cause.lineno:
        return Problem(f"syntax error: {cause.msg}", str(conf_py), cause.lineno, "error")
    line = None
    for frame, number in traceback.walk_tb(cause.__traceback__):
        if Path(frame.f_code.co_filename) == conf_py:
            line = number
    if cause is exc:
        return Problem(str(exc).strip(), str(conf_py), line, "error")
    return Problem(f"{type(cause).__name__}: {cause}", str(conf_py), line, "error")


def application_arguments(argv: list[str]) -> dict[str, Any]:
    """The arguments of :class:`~sphinx.application.Sphinx` for a ``sphinx-build``
    command line made by :func:`~sphinx_gbifnode.site.command.make_jobs`."""
    from sphinx.cmd.build import get_parser

    args = get_parser().parse_args(argv)
    overrides = {}
    for item in args.define:
        name, _sep, value = item.partition("=")
        overrides[name] = value
    return {
        "srcdir": args.sourcedir,
        "confdir": args.confdir or args.sourcedir,
        "outdir": args.outputdir,
        "doctreedir": args.doctreedir,
        "buildername": args.builder,
        "confoverrides": overrides,
    }


class WarmLanguage:
    """A language's Sphinx application, kept between builds."""

    def __init__(self, job: LanguageJob, project: Project) -> None:
        self.job = job
        self.project = project
        self.arguments = application_arguments(job.argv)
        self.outdir = Path(self.arguments["outdir"])
        self.doctreedir = Path(self.arguments["doctreedir"])
        self.app: Sphinx | None = None
        #: the output of the current build (the application writes into these)
        self.status = io.StringIO()
        self.warnings = io.StringIO()
        #: broken .po files of this language -> their problems
        self.broken: dict[Path, list[str]] = {}
        self._checked_all = False
        self._phase_marks: dict[str, float] = {}
        self._written = 0
        self._reading: str | None = None
        self._kept_translators: set[Any] = set()

    # --- the steps of one build ---------------------------------------------------------

    def build(self, request: BuildRequest) -> LanguageOutcome:
        started = time.perf_counter()
        outcome = LanguageOutcome(self.job.language, built=False)
        if self.job.missing_locale is not None:
            outcome.problems.append(Problem(missing_locale_message(self.job), level="error"))
            return outcome
        # Sphinx would build from a broken .po without naming it (see po_files.py); the
        # last good pages of this language stay until it is fixed.
        self._check_catalogs(request.catalogs)
        if self.broken:
            for messages in self.broken.values():
                outcome.problems.extend(catalogue_problems(messages))
            outcome.problems.append(Problem(
                f"{self.job.language} not updated: fix the .po file(s) above", level="error"
            ))
            outcome.seconds = time.perf_counter() - started
            return outcome

        self._forget_saved_state(request)
        if request.restart:
            self.app = None
        before = read_pages(self.doctreedir)
        self.status.seek(0)
        self.status.truncate()
        self.warnings.seek(0)
        self.warnings.truncate()
        self._written = 0
        self._reading = None
        self._phase_marks = {"start": time.perf_counter()}
        try:
            if self.app is None:
                self.app = self._start()
            else:
                self._prepare_again(self.app)
            self._phase_marks["ready"] = time.perf_counter()
            self.app.build()
        except Exception as exc:  # the build stopped: report it, the last pages stay
            outcome.problems.extend(parse_warnings(self.warnings.getvalue()))
            outcome.problems.append(self._exception_problem(exc))
            # Sphinx deleted its saved environment; the next build starts afresh.
            self.app = None
            outcome.seconds = time.perf_counter() - started
            return outcome
        finished = time.perf_counter()
        outcome.built = True
        outcome.written = self._written
        outcome.problems = parse_warnings(self.warnings.getvalue())
        outcome.removed = self._remove_vanished_pages(before)
        outcome.phases = self._phases(finished)
        outcome.seconds = finished - started
        return outcome

    def _check_catalogs(self, changed: list[Path]) -> None:
        if self.job.language == self.project.default_language:
            return
        if not self._checked_all:
            paths = self.project.catalog_files(self.job.language)
            self._checked_all = True
        else:
            # Only what changed, and what was broken before (still broken until saved).
            paths = sorted({*changed, *self.broken})
        for path in paths:
            self.broken.pop(path, None)
            if path.is_file():
                problems = broken_catalogs([path])
                if problems:
                    self.broken[path] = problems

    def _forget_saved_state(self, request: BuildRequest) -> None:
        """Make Sphinx read every saved page and catalogue again.

        Sphinx decides from modification times, and notes a page's time after parsing
        it: a save that lands while the page is being read would be taken as already
        read, and a file restored with an older time would be ignored. Removing the
        page's saved doctree (and the catalogue's compiled ``.mo``, which Sphinx writes
        again from the ``.po``) leaves it no doubt."""
        for docname in request.docs:
            with contextlib.suppress(OSError):
                (self.doctreedir / f"{docname}.doctree").unlink()
        for catalog in request.catalogs:
            with contextlib.suppress(OSError):
                catalog.with_suffix(".mo").unlink()

    def _start(self) -> Sphinx:
        from sphinx.application import Sphinx
        from sphinx.locale import translators

        app = Sphinx(**self.arguments, status=self.status, warning=self.warnings)
        # Catalogues registered while starting (Sphinx's own, the extensions') stay;
        # the pages' catalogues are read anew for each build (_prepare_again).
        self._kept_translators = set(translators)
        app.connect("source-read", self._note_reading)
        app.connect("env-updated", self._note_read)
        app.connect("html-page-context", self._note_written)
        return app

    def _prepare_again(self, app: Sphinx) -> None:
        from sphinx.environment import CONFIG_OK
        from sphinx.locale import translators

        # The first build compared conf.py with the saved environment; left as it is,
        # every later build would read every page again.
        app.env.config_status = CONFIG_OK
        # The environment keeps the pickled doctrees it loaded, also of pages read
        # again since; Sphinx's own test application clears them before each build.
        app.env._pickled_doctree_cache.clear()
        # ... and the root page's doctree, for the global table of contents, in a
        # cached property: the site's navigation would keep the first build's.
        app.env.__dict__.pop("master_doctree", None)
        # Sphinx's Locale transform asks sphinx.locale for a page's catalogue, which
        # keeps the first one it found; gettext also caches each .mo by path. Both
        # would keep serving the translation of the first build.
        for key in set(translators) - self._kept_translators:
            del translators[key]
        gettext._translations.clear()  # type: ignore[attr-defined]
        # With --online, a rebuild asks the API afresh: one that was down at the last
        # save may be up now.
        start_next_build(app.config)

    # --- event handlers: what the build is doing, for timings and error locations -------

    def _note_reading(self, app: Sphinx, docname: str, source: list[str]) -> None:
        self._reading = docname
        self._phase_marks.setdefault("read", time.perf_counter())

    def _note_read(self, app: Sphinx, env: Any) -> list[str]:
        self._reading = None
        self._phase_marks["write"] = time.perf_counter()
        return []

    def _note_written(self, app: Sphinx, *args: Any) -> None:
        self._written += 1

    def _phases(self, finished: float) -> dict[str, float]:
        marks = self._phase_marks
        start, ready = marks["start"], marks.get("ready", marks["start"])
        write = marks.get("write", finished)
        return {
            "start": ready - start,
            "read": write - ready,
            "write": finished - write,
        }

    def _exception_problem(self, exc: Exception) -> Problem:
        from sphinx.errors import ConfigError

        conf_py = Path(self.arguments["confdir"]) / "conf.py"
        if isinstance(exc, ConfigError):
            return config_problem(exc, conf_py)
        cause = exc.__cause__ or exc
        message = f"{type(cause).__name__}: {cause}"
        if self._reading is not None and self.app is not None:
            return Problem(f"the build stopped while reading this page: {message}",
                           str(self.app.env.doc2path(self._reading)), None, "error")
        return Problem(f"the build stopped: {message}", level="error")

    def _remove_vanished_pages(self, before: dict[str, Any] | None) -> list[str]:
        """Delete the HTML of pages whose source was deleted or renamed: Sphinx leaves
        them, and a preview that still shows a deleted page misleads."""
        after = read_pages(self.doctreedir)
        if before is None or after is None:
            return []
        gone = sorted(set(before.get("pages", [])) - set(after.get("pages", [])))
        for target in gone:
            with contextlib.suppress(OSError):
                (self.outdir / target).unlink()
        return gone


def load_word_lists_once() -> None:
    """Make Sphinx's Chinese search load each jieba word list once per process.

    Sphinx hands jieba's whole dictionary (or the site's own list) to
    ``jieba.load_userdict`` every time a build starts writing: seconds each time. The
    words land in jieba's process-wide tables, which a warm worker keeps between
    builds, so loading the same file again adds nothing."""
    try:
        from sphinx.search import zh
    except ImportError:
        return
    load = getattr(zh, "jieba_load_userdict", None)
    if load is None or getattr(load, "loads_once", False):
        return
    loaded: set[tuple[str, int]] = set()

    def load_once(path: str) -> None:
        try:
            key = (str(path), os.stat(path).st_mtime_ns)
        except OSError:
            key = (str(path), 0)
        if key not in loaded:
            load(path)
            loaded.add(key)

    load_once.loads_once = True  # type: ignore[attr-defined]
    zh.jieba_load_userdict = load_once  # type: ignore[attr-defined]


def serve_language(job: LanguageJob, project: Project, connection: Connection) -> None:
    """A worker process: build *job*'s language for each request until told to stop
    (``None``) or the preview goes away."""
    from sphinx.util.console import nocolor

    # Ctrl+C reaches every process of the terminal; the preview stops its workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    nocolor()  # the output is parsed, not shown on a terminal
    load_word_lists_once()
    language = WarmLanguage(job, project)
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            break
        if request is None:
            break
        try:
            outcome = language.build(request)
        except Exception as exc:  # never leave the preview waiting
            outcome = LanguageOutcome(job.language, built=False, problems=[
                Problem(f"the build process failed: {type(exc).__name__}: {exc}",
                        level="error"),
            ])
            language.app = None
        try:
            connection.send(outcome)
        except (OSError, BrokenPipeError):
            break
    connection.close()
