"""The GBIF API over HTTP: sequential requests, each bounded by a deadline, a User-Agent
naming the package, paging (``limit`` 1000, stop at ``endOfRecords``) and retries with
exponential backoff on 429 (honouring ``Retry-After``) and 5xx.

``gbifnode_timeout`` is a deadline for the whole request (connecting, waiting, reading
every byte of the answer), not for each read of the socket: an API that trickles its
answer a byte at a time is cut off as surely as one that never answers.

A request that fails for good raises :class:`GbifError`. When the API could not be
reached at all (connection refused, unknown host, no answer within the deadline) it
raises :class:`ApiUnreachable`, without retrying: the data layer (:mod:`.snapshots`)
then stops asking for the rest of the build.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import threading
import time
from dataclasses import dataclass
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import requests

from .. import __version__
from ..core.logs import logger
from .config import DEFAULT_API_URL

if TYPE_CHECKING:
    from sphinx.config import Config

PAGE_SIZE = 1000  # the registry's maximum ``limit``
#: A guard against an API that never says ``endOfRecords``: 200,000 records.
MAX_PAGES = 200
#: ``Retry-After`` is honoured up to this many seconds, so a build never sleeps for hours.
MAX_RETRY_AFTER = 120.0
#: The largest answer read (a page of 1,000 organisations is about 3 MB).
MAX_ANSWER_BYTES = 64 * 1024 * 1024
#: GBIF answers nest a few levels (records, their lists, their objects); anything far
#: deeper is not an answer of this API, and would exhaust Python's recursion later.
MAX_DEPTH = 32
USER_AGENT = (
    f"sphinx-gbifnode/{__version__} (Sphinx extension for GBIF node websites) "
    f"python-requests/{requests.__version__}"
)


class GbifError(Exception):
    """A request that failed for good (after retries) or returned something unusable."""


class ApiUnreachable(GbifError):
    """The API could not be reached at all: asking again in this build would only wait."""


@dataclass(frozen=True)
class Query:
    """One GBIF API call a page depends on.

    ``kind`` is ``list`` (every page of a paged list, merged), ``count`` (a ``limit=0``
    search: count and facets), ``facets`` (the same, refused unless every facet count is
    a whole number) or ``object`` (one record). ``fields`` keeps only those
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
class ClientSettings:
    """How to ask the API: where, the deadline of one request, and the retries on
    429 and 5xx."""

    api_url: str = DEFAULT_API_URL
    timeout: float = 10.0
    retries: int = 3
    backoff: float = 1.0

    @classmethod
    def from_config(cls, config: Config) -> ClientSettings:
        """The settings of a build (its ``gbifnode_*`` values, checked by :mod:`.config`)."""
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


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether lists and objects nest more than *limit* levels in *value* (walked without
    recursion, so any depth is safe to ask about)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(
            item, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def decode_json(body: bytes, content_type: str = "no content type") -> Any:
    """The JSON value of *body*; :class:`GbifError` when it is not JSON or nests deeper
    than any GBIF answer does."""
    try:
        data = json.loads(body)
    except RecursionError:  # nested deeper than the interpreter's stack allows
        deep = True
    except ValueError:
        raise GbifError(
            f"the answer is not valid JSON ({len(body)} bytes, {content_type})"
        ) from None
    else:
        deep = too_deep(data)
    if deep:
        raise GbifError(f"malformed answer: JSON nested more than {MAX_DEPTH} levels deep")
    return data


def _connection_problem(error: BaseException) -> str:
    """What went wrong when connecting, in words (the causes urllib3 wraps included)."""
    seen: set[int] = set()
    pending: list[BaseException] = [error]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ConnectionRefusedError):
            return "connection refused"
        if isinstance(current, ConnectionResetError):
            return "the connection was closed without an answer"
        if isinstance(current, socket.gaierror):
            return "the host name could not be resolved"
        linked = [current.__cause__, current.__context__, getattr(current, "reason", None),
                  *current.args]
        pending.extend(item for item in linked if isinstance(item, BaseException))
    return f"connection failed ({error.__class__.__name__})"


@dataclass
class _Answer:
    status: int
    reason: str
    headers: dict[str, str]
    body: bytes


class _Exchange:
    """One HTTP request run in a thread of its own, so that the caller can stop waiting
    at the deadline whatever the server does: ``requests`` only bounds each read of the
    socket, and an answer trickling a byte every few seconds never trips that."""

    def __init__(self, session: requests.Session, url: str, params: dict[str, Any],
                 timeout: float) -> None:
        self.answer: _Answer | None = None
        self.error: BaseException | None = None
        self.response: requests.Response | None = None
        self.done = threading.Event()
        self._args = (session, url, params, timeout)

    def run(self, deadline: float) -> _Answer:
        """The answer, or :class:`requests.RequestException` / :class:`_DeadlinePassed`."""
        worker = threading.Thread(target=self._work, name="gbifnode-request", daemon=True)
        worker.start()
        # A moment's grace past the deadline lets a timeout of the worker's own (it
        # could not connect) be reported as what it is.
        if not self.done.wait(deadline) and not self.done.wait(0.05):
            self._interrupt()
            raise _DeadlinePassed(answered=self.response is not None)
        if self.error is not None:
            raise self.error
        assert self.answer is not None
        return self.answer

    def _work(self) -> None:
        session, url, params, timeout = self._args
        try:
            # (connect, read) timeouts still apply: the worker ends soon after the caller
            # gives up, except on a trickle, which _interrupt() cuts.
            with session.get(url, params=params, timeout=(timeout, timeout),
                             stream=True) as response:
                self.response = response
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_content(64 * 1024):
                    size += len(chunk)
                    if size > MAX_ANSWER_BYTES:
                        raise GbifError(f"the answer is larger than {MAX_ANSWER_BYTES} bytes")
                    chunks.append(chunk)
                self.answer = _Answer(response.status_code, response.reason or "",
                                      dict(response.headers), b"".join(chunks))
        except BaseException as exc:  # handed to the caller, who decides
            self.error = exc
        finally:
            self.done.set()

    def _interrupt(self) -> None:
        # Shut the socket for reading (urllib3 2.3+), so a trickling worker stops at
        # once instead of holding the connection for as long as the server trickles.
        raw = getattr(self.response, "raw", None)
        shutdown = getattr(raw, "shutdown", None)
        if shutdown is not None:
            try:
                shutdown()
            except (OSError, RuntimeError, ValueError):
                pass


class _DeadlinePassed(Exception):
    def __init__(self, answered: bool) -> None:
        super().__init__()
        self.answered = answered


class GbifClient:
    """Sequential HTTP requests to the GBIF API, with a deadline, retries and paging."""

    def __init__(self, settings: ClientSettings) -> None:
        self.settings = settings
        self.session = self._new_session()

    @staticmethod
    def _new_session() -> requests.Session:
        session = requests.Session()
        session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
        return session

    def get_json(self, path: str, params: dict[str, Any]) -> Any:
        """GET ``<api_url>/<path>`` and decode JSON; raise :class:`GbifError` for good,
        :class:`ApiUnreachable` at once when the API cannot be reached."""
        url = f"{self.settings.api_url}/{path}"
        timeout = self.settings.timeout
        problem = "no attempt made"
        for attempt in range(self.settings.retries + 1):
            delay = self.settings.backoff * 2**attempt
            try:
                answer = _Exchange(self.session, url, params, timeout).run(timeout)
            except _DeadlinePassed as exc:
                # The abandoned worker may still be using the old session's connection.
                self.session = self._new_session()
                if exc.answered:
                    raise ApiUnreachable(
                        f"the answer did not arrive in full within {timeout:g} s"
                    ) from None
                raise ApiUnreachable(f"no answer within {timeout:g} s") from None
            except requests.ConnectTimeout:
                raise ApiUnreachable(f"could not connect within {timeout:g} s") from None
            except requests.Timeout:
                raise ApiUnreachable(f"no answer within {timeout:g} s") from None
            except requests.ConnectionError as exc:
                raise ApiUnreachable(_connection_problem(exc)) from None
            except requests.RequestException as exc:
                raise GbifError(f"the request failed ({exc.__class__.__name__})") from None
            status = answer.status
            if status == 200:
                # An HTML error page, a body cut short or a hostile nesting: retrying
                # rarely helps, and the snapshot must not be replaced by it.
                return decode_json(
                    answer.body, answer.headers.get("Content-Type", "no content type")
                )
            if status != 429 and status < 500:
                raise GbifError(f"HTTP {status} {answer.reason}")
            problem = f"HTTP {status} {answer.reason}"
            if status == 429:
                waited = retry_after_seconds(answer.headers.get("Retry-After"))
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
        if query.kind in ("count", "facets") and not isinstance(data.get("count"), int):
            raise GbifError("unexpected answer: no 'count'")
        if query.kind == "facets" and (problem := facets_problem(data)):
            raise GbifError(f"unexpected answer: {problem}")
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


def facets_problem(data: dict[str, Any]) -> str | None:
    """What is wrong with the ``facets`` of a search answer, or None: a chart drawn from
    negative, missing or text counts would be wrong, so such an answer is never stored."""
    facets = data.get("facets")
    if not isinstance(facets, list):
        return "no 'facets' list"
    for facet in facets:
        if not isinstance(facet, dict) or not isinstance(facet.get("counts"), list):
            return "a facet without a 'counts' list"
        for entry in facet["counts"]:
            count = entry.get("count") if isinstance(entry, dict) else None
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str | int):
                return f"a {facet.get('field')} facet value without a name"
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                return f"{facet.get('field')} {entry['name']!s:.40}: count {count!r:.40}"
    return None


def _trimmed(record: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k in fields} if fields else record
