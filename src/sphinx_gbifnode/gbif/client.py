"""GBIF data at build time: an HTTP client and the JSON snapshots that make builds
reproducible and offline-proof.

The fault rule is the point of this module: a failed or malformed response never fails
the build and never destroys a snapshot. The directives ask :func:`data_layer` for a
:class:`Query` and get an :class:`Outcome`: the snapshot to render (fresh, stale or
none) and, when something went wrong, a problem to warn about.

* Requests are sequential, with explicit timeouts, a User-Agent naming the package,
  paging (``limit`` 1000, stop at ``endOfRecords``) and retries with exponential backoff
  on 429 (honouring ``Retry-After``), 5xx and network errors.
* Snapshots are written atomically (temp file + ``os.replace``) under a lock on the
  snapshot folder: two builds, ``-j`` workers or two languages that need the same refresh
  wait for one another, and the second finds the snapshot fresh instead of asking again.
* A snapshot is parsed once per process and reused until its file changes
  (cache keyed on path, mtime and size), so 50 pages embedding one list cost one read.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

import requests

from .. import __version__
from ..core.nodes import logger, safe_url

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: builds work, only concurrent refreshes race
    fcntl = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

DEFAULT_API_URL = "https://api.gbif.org/v1"
#: GBIF's image resizer (the one gbif.org uses): logos come small, from one host, cached.
DEFAULT_IMAGE_PROXY = "https://api.gbif.org/v1/image/unsafe/fit-in/x80/{url}"
ONE_WEEK = 7 * 24 * 3600
PAGE_SIZE = 1000  # the registry's maximum ``limit``
#: A guard against an API that never says ``endOfRecords``: 200,000 records.
MAX_PAGES = 200
#: ``Retry-After`` is honoured up to this many seconds, so a build never sleeps for hours.
MAX_RETRY_AFTER = 120.0
USER_AGENT = (
    f"sphinx-gbifnode/{__version__} (Sphinx extension for GBIF node websites) "
    f"python-requests/{requests.__version__}"
)
SNAPSHOT_FORMAT = 1


class GbifError(Exception):
    """A request that failed for good (after retries) or returned something unusable."""


@dataclass(frozen=True)
class Query:
    """One GBIF API call a page depends on.

    ``kind`` is ``list`` (every page of a paged list, merged), ``count`` (a ``limit=0``
    search: count and facets) or ``object`` (one record). ``fields`` keeps only those
    keys of each record in the snapshot: snapshots stay small and their diffs readable.
    """

    path: str
    params: tuple[tuple[str, str], ...] = ()
    kind: str = "list"
    fields: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """``organization?country=BE``: how the query is named in messages."""
        return f"{self.path}?{urlencode(self.params)}" if self.params else self.path

    @property
    def snapshot_name(self) -> str:
        """A readable, file-system-safe name: ``organization_country-BE.json``."""
        # The path is ours (never user text), so "/" -> "-" cannot make two names clash.
        words = [self.path.replace("/", "-"), *(f"{k}-{v}" for k, v in self.params)]
        name = "_".join(re.sub(r"[^A-Za-z0-9.-]+", "-", word).strip("-.") for word in words)
        # Two queries must never share a file: add a digest when the name lost characters.
        if name != "_".join(words) or len(name) > 100:
            digest = hashlib.sha1(self.label.encode("utf-8")).hexdigest()[:10]
            name = f"{name[:88]}-{digest}"
        return f"{name}.json"


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


@dataclass(frozen=True)
class ClientSettings:
    api_url: str = DEFAULT_API_URL
    timeout: float = 10.0
    retries: int = 3
    backoff: float = 1.0

    @classmethod
    def from_config(cls, config: Config) -> ClientSettings:
        return cls(
            api_url=str(config.gbifnode_api_url).rstrip("/"),
            timeout=float(config.gbifnode_timeout),
            retries=max(0, int(config.gbifnode_retries)),
            backoff=max(0.0, float(config.gbifnode_backoff)),
        )


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date)."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return min(float(text), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(max(0.0, when.timestamp() - time.time()), MAX_RETRY_AFTER)


class GbifClient:
    """Sequential HTTP requests to the GBIF API, with retries and paging."""

    def __init__(self, settings: ClientSettings) -> None:
        self.settings = settings
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})

    def get_json(self, path: str, params: dict[str, Any]) -> Any:
        """GET ``<api_url>/<path>`` and decode JSON; raise :class:`GbifError` for good."""
        url = f"{self.settings.api_url}/{path}"
        timeout = self.settings.timeout
        problem = "no attempt made"
        for attempt in range(self.settings.retries + 1):
            delay = self.settings.backoff * 2**attempt
            try:
                response = self.session.get(url, params=params, timeout=(timeout, timeout))
            except requests.Timeout:
                problem = f"no answer within {timeout:g} s"
            except requests.RequestException as exc:
                problem = f"connection failed ({exc.__class__.__name__})"
            else:
                status = response.status_code
                if status == 200:
                    try:
                        return response.json()
                    except ValueError:
                        # An HTML error page or a body cut short: retrying rarely helps,
                        # and the snapshot must not be replaced by it.
                        raise GbifError(
                            f"the answer is not valid JSON ({len(response.content)} bytes, "
                            f"{response.headers.get('Content-Type', 'no content type')})"
                        ) from None
                if status != 429 and status < 500:
                    raise GbifError(f"HTTP {status} {response.reason}")
                problem = f"HTTP {status} {response.reason}"
                if status == 429:
                    waited = retry_after_seconds(response.headers.get("Retry-After"))
                    delay = delay if waited is None else waited
            if attempt < self.settings.retries:
                time.sleep(delay)
        attempts = self.settings.retries + 1
        raise GbifError(f"{problem} ({attempts} attempt{'s' if attempts > 1 else ''})")

    def fetch(self, query: Query) -> Any:
        """The data of *query*: every page of a list merged, or one JSON object."""
        if query.kind == "list":
            return self._fetch_all_pages(query)
        data = self.get_json(query.path, dict(query.params))
        if not isinstance(data, dict):
            raise GbifError("unexpected answer: not a JSON object")
        if query.kind == "count" and not isinstance(data.get("count"), int):
            raise GbifError("unexpected answer: no 'count'")
        return _trimmed(data, query.fields) if query.kind == "object" else data

    def _fetch_all_pages(self, query: Query) -> dict[str, Any]:
        results: list[Any] = []
        count: Any = None
        offset = 0
        for page in range(MAX_PAGES):
            params = {**dict(query.params), "offset": offset, "limit": PAGE_SIZE}
            if page:
                logger.info("gbifnode: fetching %s (page %d)", query.label, page + 1)
            data = self.get_json(query.path, params)
            batch = data.get("results") if isinstance(data, dict) else None
            if not isinstance(batch, list):
                raise GbifError("unexpected answer: no 'results' list")
            results.extend(_trimmed(r, query.fields) for r in batch if isinstance(r, dict))
            offset += len(batch)
            count = data.get("count")
            total = count if isinstance(count, int) else None
            if data.get("endOfRecords", True) or not batch or (total and offset >= total):
                break
        else:
            # Saving part of a list would pass a truncated snapshot off as the whole.
            raise GbifError(f"more than {MAX_PAGES} pages; the list was not stored")
        return {"count": count if isinstance(count, int) else len(results), "results": results}


def _trimmed(record: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k in fields} if fields else record


#: path -> ((mtime_ns, size), snapshot): each snapshot is parsed once per process.
_SNAPSHOT_CACHE: dict[str, tuple[tuple[int, int], Snapshot | None]] = {}


class SnapshotStore:
    """JSON snapshots in one folder, written atomically, read through a per-process cache."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

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
        cached = _SNAPSHOT_CACHE.get(str(path))
        if cached is not None and cached[0] == key:
            return cached[1]
        snapshot = self._parse(path)
        _SNAPSHOT_CACHE[str(path)] = (key, snapshot)
        return snapshot

    def _parse(self, path: Path) -> Snapshot | None:
        try:
            payload = json.loads(path.read_bytes())
            fetched = datetime.fromisoformat(payload["fetched"])
            data = payload["data"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            logger.warning(
                "GBIF snapshot %s is unreadable (%s); it will be replaced by the next "
                "successful fetch", path.name, exc.__class__.__name__,
                location=str(path), type="gbifnode", subtype="snapshot",
            )
            return None
        if fetched.tzinfo is None:
            fetched = fetched.replace(tzinfo=UTC)
        return Snapshot(data=data, fetched=fetched, path=path)

    def write(self, query: Query, data: Any) -> Snapshot:
        """Store *data* atomically: readers see the old file or the new one, never half."""
        path = self.path(query)
        fetched = datetime.now(UTC).replace(microsecond=0)
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
        #: Queries that failed in this process: a build asks a failing API once.
        self.failures: dict[str, str] = {}
        #: Queries fetched in this process (``gbifnode refresh`` reports them).
        self.fetched: dict[str, tuple[Snapshot | None, Snapshot]] = {}

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


#: id(config) -> the data layer of that build (set on ``builder-inited``). Keyed on the
#: config because directives reach it through ``env.config`` (``env.app`` is deprecated).
_LAYERS: dict[int, GbifData] = {}


def data_layer(config: Config) -> GbifData:
    """The data layer of the build that owns *config*."""
    return _LAYERS[id(config)]


def image_url(url: Any, proxy: str | None) -> str | None:
    """The ``src`` for a logo: only http(s) URLs, through *proxy* (``{url}`` receives the
    logo URL percent-encoded exactly once), or the raw URL when *proxy* is None."""
    checked = safe_url(url)
    if checked is None or not checked.lower().startswith(("http://", "https://")):
        return None
    if not proxy:
        return checked
    return proxy.replace("{url}", quote(checked, safe=""))


def _start(app: Sphinx) -> None:
    _LAYERS[id(app.config)] = GbifData(app.config, app.confdir)


def setup(app: Sphinx) -> None:
    app.add_config_value("gbifnode_api_url", DEFAULT_API_URL, "env", str)
    app.add_config_value("gbifnode_data_dir", "_data/gbif", "env", str)
    app.add_config_value("gbifnode_max_age", ONE_WEEK, "", (int, float))
    app.add_config_value("gbifnode_offline", False, "", bool)
    app.add_config_value("gbifnode_image_proxy", DEFAULT_IMAGE_PROXY, "env", (str, type(None)))
    # Whole-number defaults, so that "-D gbifnode_timeout=30" works on the command line.
    app.add_config_value("gbifnode_timeout", 10, "", (int, float))
    app.add_config_value("gbifnode_retries", 3, "", int)
    app.add_config_value("gbifnode_backoff", 1, "", (int, float))
    app.connect("builder-inited", _start)
