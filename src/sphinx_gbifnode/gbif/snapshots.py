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
from .client import ClientSettings, GbifClient, GbifError, Query

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
    """What a directive renders: ``snapshot`` (may be None) and a ``problem`` to warn about."""

    snapshot: Snapshot | None
    problem: str | None = None


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
        except (OSError, ValueError, KeyError, TypeError) as exc:
            warn(
                "GBIF snapshot %s is unreadable (%s); it will be replaced by the next "
                "successful fetch", path.name, exc.__class__.__name__,
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
        self._remove_stale_temp_files(path)
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

    def _remove_stale_temp_files(self, path: Path) -> None:
        """Delete what a writer killed mid-write left (an hour old: no writer is that slow)."""
        for leftover in self.directory.glob(f".{path.name}.*.tmp"):
            with contextlib.suppress(OSError):
                if time.time() - leftover.stat().st_mtime > 3600:
                    leftover.unlink()

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold an exclusive lock on the snapshot folder while one snapshot is refreshed:
        other builds, ``-j`` workers and languages wait, then find it fresh. Locking the
        folder itself leaves no lock file behind, and keeps requests one at a time."""
        if fcntl is None:  # pragma: no cover
            yield
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            handle = os.open(self.directory, os.O_RDONLY)
        except OSError:  # the folder cannot exist: fetch unlocked, the write will report it
            yield
            return
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
            os.close(handle)


class GbifData:
    """The data layer of one build: snapshots first, the API when they are too old."""

    def __init__(self, config: Config, confdir: str | os.PathLike[str]) -> None:
        self.store = SnapshotStore(Path(confdir, str(config.gbifnode_data_dir)))
        self.offline = bool(config.gbifnode_offline)
        self.max_age = float(config.gbifnode_max_age)
        self.settings = ClientSettings.from_config(config)
        self._client: GbifClient | None = None
        #: Queries that failed in this build: a build asks a failing API once.
        self.failures: dict[str, str] = {}
        #: Queries fetched in this build (``gbifnode refresh`` reports them).
        self.fetched: dict[str, tuple[Snapshot | None, Snapshot]] = {}
        #: What the directives and the HTML writer made from the data, to reuse on
        #: every page that shows the same (see :mod:`.directives`, :mod:`.html`).
        self.made: dict[Any, Any] = {}

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
        with self.store.lock():
            # Another build or worker may have refreshed it while this one waited.
            latest = self.store.read(query)
            if latest is not None and latest.age() < self.max_age:
                return Outcome(latest)
            logger.info("gbifnode: fetching %s from %s", query.label, self.settings.api_url)
            try:
                data = self.client.fetch(query)
            except GbifError as exc:
                self.failures[name] = f"GBIF request {query.label} failed: {exc}"
                return Outcome(latest, self.failures[name])
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


#: The data layer of each build, keyed by the build's config: directives reach it through
#: ``env.config`` (``env.app`` is deprecated). Weak keys: a layer goes with its build.
_LAYERS: weakref.WeakKeyDictionary[Config, GbifData] = weakref.WeakKeyDictionary()


def data_layer(config: Config) -> GbifData:
    """The data layer of the build that owns *config*."""
    return _LAYERS[config]


def _start(app: Sphinx) -> None:
    _LAYERS[app.config] = GbifData(app.config, app.confdir)


def setup(app: Sphinx) -> None:
    """Give each build its data layer once the builder exists."""
    app.connect("builder-inited", _start)
