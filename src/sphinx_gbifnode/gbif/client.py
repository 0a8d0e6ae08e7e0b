"""The GBIF API over HTTP: sequential requests with explicit timeouts, a User-Agent
naming the package, paging (``limit`` 1000, stop at ``endOfRecords``) and retries with
exponential backoff on 429 (honouring ``Retry-After``), 5xx and network errors.

A request that fails for good raises :class:`GbifError`; what to do then (keep the
snapshot, warn) is the data layer's business (:mod:`.snapshots`).
"""

from __future__ import annotations

import hashlib
import re
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
USER_AGENT = (
    f"sphinx-gbifnode/{__version__} (Sphinx extension for GBIF node websites) "
    f"python-requests/{requests.__version__}"
)


class GbifError(Exception):
    """A request that failed for good (after retries) or returned something unusable."""


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
    """How the client talks to the API (from the ``gbifnode_*`` settings)."""

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
