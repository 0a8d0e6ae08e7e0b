"""The GBIF data layer: JSON snapshots that make builds reproducible and offline-proof,
refreshed through the client (:mod:`.client`) when they are too old.

The fault rule is the point of this module: a failed or malformed response never fails
the build and never destroys a snapshot. The directives ask :func:`data_layer` for a
:class:`Query` and get an :class:`Outcome`: the snapshot to render (fresh, stale or
none) and, when something went wrong, a problem to warn about.

* Snapshots are written atomically (temp file + ``os.replace``) under a lock on the
  snapshot folder: two builds, ``-j`` workers or two languages that need the same refresh
  wait for one another, and the second finds the snapshot fresh instead of asking again.
* A snapshot is parsed once per build and reused until its file changes (cache keyed
  on path, mtime and size), so 50 pages embedding one list cost one read.
* Everything a build keeps (the store and its cache, what was fetched or failed, the
  rows and HTML made from the data) hangs on that build's :class:`GbifData`, which goes
  with the build's Sphinx application: a process that runs several builds (tests, a
  live-reload server) starts each one afresh.
* Temporary files are written beside the snapshots (``os.replace`` needs the same
  file system) as ``.<name>.<random>.tmp``; whatever a killed writer left is removed
  when the next build starts, as soon as no other writer holds the lock.
* The first request that cannot reach the API marks it down for the whole build
  (:mod:`.reachability`): one short wait per build, then snapshots only.
* A valid but empty answer (``count: 0``, no results) never replaces a snapshot that
  has records during a build: the snapshot is kept, with a warning; only
  ``gbifnode refresh`` accepts it (and says so).
* A gettext build (message extraction) neither asks the API nor warns about data:
  messages do not depend on GBIF data.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.logs import logger, warn
from .client import ApiUnreachable, ClientSettings, GbifClient, GbifError, Query, too_deep
from .reachability import ApiStatus

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: builds work, only concurrent refreshes race
    fcntl = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

SNAPSHOT_FORMAT = 1


@dataclass(frozen=True)
class Snapshot:
    """A stored API answer: ``data`` and when it was fetched."""

    data: Any
    fetched: datetime
    path: Path

    def age(self) -> float:
        return time.time() - self.fetched.timestamp()


@dataclass(frozen=True)
class Outcome:
    """What a directive renders: ``snapshot`` (may be None), a ``problem`` to warn about
    at the directive, and ``unreachable``: the build's one warning that the API could not
    be reached, set for the one directive that found out."""

    snapshot: Snapshot | None
    problem: str | None = None
    unreachable: str | None = None


def is_empty(data: Any) -> bool:
    """Whether an answer holds nothing: no results and no count, a zero count, ``{}``."""
    if not isinstance(data, dict):
        return data is None or data == []
    if "results" in data:
        return not data["results"] and not data.get("count")
    if "count" in data:
        return bool(data["count"] == 0)
    return not data


def records_in(data: Any) -> str:
    """``9 records`` / ``a count of 12,345``: what a snapshot holds, for messages."""
    if not isinstance(data, dict):
        return "data"
    if isinstance(data.get("results"), list) and data["results"]:
        return f"{len(data['results'])} records"
    if "count" in data:  # a count search: no records, a number
        return f"a count of {data['count']}"
    return "data"


class SnapshotStore:
    """JSON snapshots in one folder, written atomically, each parsed once while its file
    stays the same."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        #: path -> ((mtime_ns, size), snapshot)
        self._cache: dict[str, tuple[tuple[int, int], Snapshot | None]] = {}

    def path(self, query: Query) -> Path:
        return self.directory / query.snapshot_name

    def read(self, query: Query) -> Snapshot | None:
        """The stored snapshot, or None when absent or unreadable (never raises)."""
        path = self.path(query)
        try:
            stat = path.stat()
        except OSError:
            return None
        key = (stat.st_mtime_ns, stat.st_size)
        cached = self._cache.get(str(path))
        if cached is not None and cached[0] == key:
            return cached[1]
        snapshot = self._parse(path)
        self._cache[str(path)] = (key, snapshot)
        return snapshot

    def _parse(self, path: Path) -> Snapshot | None:
        try:
            payload = json.loads(path.read_bytes())
            fetched = datetime.fromisoformat(payload["fetched"])
            data = payload["data"]
            if too_deep(data):
                raise RecursionError
        except (OSError, ValueError, KeyError, TypeError, RecursionError) as exc:
            reason = ("JSON nested too deeply" if isinstance(exc, RecursionError)
                      else exc.__class__.__name__)
            warn(
                "GBIF snapshot %s is unreadable (%s); it will be replaced by the next "
                "successful fetch", path.name, reason,
                location=str(path), subtype="snapshot",
            )
            return None
        if fetched.tzinfo is None:
            fetched = fetched.replace(tzinfo=UTC)
        return Snapshot(data=data, fetched=fetched, path=path)

    def write(self, query: Query, data: Any, fetched: datetime | None = None) -> Snapshot:
        """Store *data* atomically: readers see the old file or the new one, never half.
        *fetched* is now, unless the answer was recorded earlier (then say when)."""
        path = self.path(query)
        fetched = (fetched or datetime.now(UTC)).replace(microsecond=0)
        payload = {
            "format": SNAPSHOT_FORMAT,
            "request": query.label,
            "fetched": fetched.isoformat(),
            "data": data,
        }
        self.directory.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=self.directory
        )
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                # Indented and key-sorted: the snapshot is committed, its diff is reviewed.
                json.dump(payload, out, ensure_ascii=False, indent=1, sort_keys=True)
                out.write("\n")
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temp_name, 0o644)
            os.replace(temp_name, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
            raise
        return Snapshot(data=data, fetched=fetched, path=path)

    def remove_leftovers(self) -> list[Path]:
        """Delete the temporary files of writers that were killed mid-write; return them.

        Every write happens under :meth:`lock`, so while this process holds it no temp
        file can belong to a live writer. When another process holds the lock it is
        writing: nothing is removed now, the next start does it."""
        if fcntl is None or not self.directory.is_dir():  # pragma: no cover - Windows
            return []
        removed = []
        with self.lock(wait=False) as held:
            if held:
                for leftover in self.directory.glob(".*.tmp"):
                    with contextlib.suppress(OSError):
                        leftover.unlink()
                        removed.append(leftover)
        return removed

    @contextlib.contextmanager
    def lock(self, wait: bool = True) -> Iterator[bool]:
        """Hold an exclusive lock on the snapshot folder while one snapshot is refreshed:
        other builds, ``-j`` workers and languages wait, then find it fresh. Locking the
        folder itself leaves no lock file behind, and keeps requests one at a time.
        Yields whether the lock is held (with ``wait=False``, False when it is taken)."""
        if fcntl is None:  # pragma: no cover
            yield True
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            handle = os.open(self.directory, os.O_RDONLY)
        except OSError:  # the folder cannot exist: fetch unlocked, the write will report it
            yield True
            return
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        finally:
            os.close(handle)


class GbifData:
    """The data layer of one build: snapshots first, the API when they are too old."""

    def __init__(
        self, config: Config, confdir: str | os.PathLike[str], builder: str = "html"
    ) -> None:
        self.store = SnapshotStore(Path(confdir, str(config.gbifnode_data_dir)))
        #: No warning about data: while extracting messages (gettext, which also asks
        #: nothing), and in ``gbifnode refresh``, which reports on every snapshot itself.
        self.quiet = builder == "gettext"
        self.offline = bool(config.gbifnode_offline) or self.quiet
        self.max_age = float(config.gbifnode_max_age)
        self.settings = ClientSettings.from_config(config)
        self.status = ApiStatus(self.settings.api_url)
        #: ``gbifnode refresh`` sets it: an empty answer may replace a snapshot.
        self.accept_empty = False
        self._client: GbifClient | None = None
        #: Queries that failed in this build: a build asks a failing API once.
        self.failures: dict[str, str] = {}
        #: Queries not asked because the API was down (``gbifnode refresh`` reports them).
        self.not_asked: set[str] = set()
        #: Queries fetched in this build (``gbifnode refresh`` reports them).
        self.fetched: dict[str, tuple[Snapshot | None, Snapshot]] = {}
        #: Warnings given, so that each is given once per page and language.
        self.warned: set[tuple[str, ...]] = set()
        #: What the directives and the HTML writer made from the data, to reuse on
        #: every page that shows the same (see :mod:`.directives`, :mod:`.html`).
        self.made: dict[Any, Any] = {}

    def next_build(self) -> None:
        """Start another build with the same application (``gbifnode serve`` keeps one
        per language): the API is asked afresh, as by a new build, and what it answered
        or failed before is forgotten; what was made from snapshots is kept."""
        self.status.finish()
        self.status = ApiStatus(self.settings.api_url)
        self.failures.clear()
        self.not_asked.clear()
        self.fetched.clear()
        self.warned.clear()

    @property
    def client(self) -> GbifClient:
        # Created on first use, so an offline or warm build never opens a session.
        if self._client is None:
            self._client = GbifClient(self.settings)
        return self._client

    def get(self, query: Query) -> Outcome:
        """The data for *query* by the fault rule (see the module docstring)."""
        name = query.snapshot_name
        snapshot = self.store.read(query)
        if self.offline:
            if snapshot is None:
                return Outcome(None, f"no snapshot {self.store.path(query)} and "
                               "gbifnode_offline is True")
            return Outcome(snapshot)
        if name in self.fetched or (snapshot is not None and snapshot.age() < self.max_age):
            return Outcome(snapshot)
        if name in self.failures:
            return Outcome(snapshot, self.failures[name])
        if self.status.down() is not None:
            return self._not_asked(query, snapshot)
        with self.store.lock():
            # Another build or worker may have refreshed it while this one waited...
            latest = self.store.read(query)
            if latest is not None and latest.age() < self.max_age:
                return Outcome(latest)
            # ... or found the API down.
            if self.status.down() is not None:
                return self._not_asked(query, latest)
            logger.info("gbifnode: fetching %s from %s", query.label, self.settings.api_url)
            try:
                data = self.client.fetch(query)
            except ApiUnreachable as exc:
                first = self.status.mark_down(str(exc))
                outcome = self._not_asked(query, latest)
                if not first:
                    return outcome
                return Outcome(outcome.snapshot, outcome.problem, unreachable=(
                    f"the GBIF API at {self.settings.api_url} could not be reached "
                    f"({exc}); this build uses the stored snapshots and asks nothing "
                    "more. Set gbifnode_offline = True in conf.py to build from the "
                    "snapshots without trying"
                ))
            except GbifError as exc:
                self.failures[name] = f"GBIF request {query.label} failed: {exc}"
                return Outcome(latest, self.failures[name])
            if (latest is not None and is_empty(data) and not is_empty(latest.data)
                    and not self.accept_empty):
                self.failures[name] = (
                    f"GBIF answered no records for {query.label}, but the snapshot has "
                    f"{records_in(latest.data)}; it is kept (run gbifnode refresh to "
                    "accept the empty answer)"
                )
                return Outcome(latest, self.failures[name])
            return self._store(query, latest, data)

    def _not_asked(self, query: Query, snapshot: Snapshot | None) -> Outcome:
        """A query the build does not ask because the API is down: the snapshot as it
        is (the build's one warning covers it), or a notice and a warning at the page
        (which does not repeat the one warning: the page's problem is its missing data)."""
        self.not_asked.add(query.snapshot_name)
        if snapshot is not None:
            return Outcome(snapshot)
        return Outcome(None, f"no snapshot of {query.label} yet, and this build no longer "
                             "asks the GBIF API")

    def _store(self, query: Query, latest: Snapshot | None, data: Any) -> Outcome:
        name = query.snapshot_name
        try:
            fresh = self.store.write(query, data)
        except OSError as exc:  # a read-only checkout or a full disk: show, do not store
            path = self.store.path(query)
            fresh = Snapshot(data=data, fetched=datetime.now(UTC), path=path)
            self.fetched[name] = (latest, fresh)
            return Outcome(fresh, f"cannot save {path} ({exc.__class__.__name__}: "
                                  f"{exc.strerror or exc})")
        self.fetched[name] = (latest, fresh)
        return Outcome(fresh)

    def should_warn(self, docname: str, *message: str) -> bool:
        """Whether to give this warning on this page: once per page (a translated page
        parses a role again for each msgstr that holds it), never while extracting."""
        key = (docname, *message)
        if self.quiet or key in self.warned:
            return False
        self.warned.add(key)
        return True


#: The data layer of each build, keyed by the build's config: directives reach it through
#: ``env.config`` (``env.app`` is deprecated). Weak keys: a layer goes with its build.
_LAYERS: weakref.WeakKeyDictionary[Config, GbifData] = weakref.WeakKeyDictionary()


def data_layer(config: Config) -> GbifData:
    """The data layer of the build that owns *config*."""
    return _LAYERS[config]


def start_next_build(config: Config) -> None:
    """Before an application builds again (``gbifnode serve``): see
    :meth:`GbifData.next_build`."""
    layer = _LAYERS.get(config)
    if layer is not None:
        layer.next_build()


def _start(app: Sphinx) -> None:
    layer = GbifData(app.config, app.confdir, app.builder.name)
    _LAYERS[app.config] = layer
    layer.store.remove_leftovers()


def _finish(app: Sphinx, exception: BaseException | None) -> None:
    layer = _LAYERS.get(app.config)
    if layer is not None:
        layer.status.finish()


def setup(app: Sphinx) -> None:
    """Give each build its data layer once the builder exists."""
    app.connect("builder-inited", _start)
    app.connect("build-finished", _finish)
