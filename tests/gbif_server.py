"""A GBIF API stand-in on 127.0.0.1 for the tests: real HTTP, recorded data, scripted faults.

It serves the records in ``tests/fixtures/gbif/`` and pages through them as the API
does (``offset``, ``limit`` capped at ``page_cap``, ``count``, ``endOfRecords``), records
every request it receives, and can be told to fail: ``faults`` is a queue consumed one
per request (``"429:1"`` = 429 with ``Retry-After: 1``, ``"500"``, ``"hang"``,
``"html"`` = an HTML error page with status 200, ``"truncated"`` = JSON cut in half);
``always`` applies one fault to every request.

Faceted searches answer as GBIF does: the ``facet`` asked for, its values largest first,
cut at ``facetLimit`` (default 10). Faceted occurrence searches with ``country`` read
``occurrence_facets_country_<CC>.json`` (the occurrences in that country); dataset
searches count the dataset records.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "gbif"

#: query parameter -> how a record matches it
FILTERS = {
    "country": lambda r, v: r.get("country") == v,
    "publishingCountry": lambda r, v: r.get("publishingCountry") == v,
    "publishingOrg": lambda r, v: r.get("publishingOrganizationKey") == v,
    "type": lambda r, v: r.get("type") == v,
    "countriesOfResearcher": lambda r, v: v in (r.get("countriesOfResearcher") or []),
    "peerReview": lambda r, v: bool(r.get("peerReview")) == (v == "true"),
    "q": lambda r, v: v.casefold() in str(r.get("title", "")).casefold(),
}


#: Dataset facet -> the record field it counts (licences are URLs in records, names in facets).
DATASET_FACETS = {
    "type": lambda r: r.get("type"),
    "publishingOrg": lambda r: r.get("publishingOrganizationKey"),
    "publishingCountry": lambda r: r.get("publishingCountry"),
    "license": lambda r: {
        "http://creativecommons.org/licenses/by/4.0/legalcode": "CC_BY_4_0",
        "http://creativecommons.org/licenses/by-nc/4.0/legalcode": "CC_BY_NC_4_0",
        "http://creativecommons.org/publicdomain/zero/1.0/legalcode": "CC0_1_0",
    }.get(str(r.get("license")), "UNSPECIFIED"),
}


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def facet_field(name: str) -> str:
    """``basisOfRecord`` -> ``BASIS_OF_RECORD``, the ``field`` GBIF answers with."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).upper()


def facet_answer(facets: list[dict[str, Any]], params: dict[str, str]) -> list[dict[str, Any]]:
    """The facet asked for in *params*, cut at ``facetLimit``; none when none is asked."""
    if "facet" not in params:
        return []
    field = facet_field(params["facet"])
    limit = int(params.get("facetLimit", 10))
    return [{"field": f["field"], "counts": f["counts"][:limit]}
            for f in facets if f.get("field") == field]


class GbifTestServer:
    """The server and its script; ``url`` is the ``gbifnode_api_url`` to use."""

    def __init__(self) -> None:
        self.collections: dict[str, list[dict[str, Any]]] = {
            "organization": load("organizations.json"),
            "dataset/search": load("datasets.json"),
            "literature/search": load("literature.json"),
        }
        self.objects: dict[str, Any] = {"node/country/BE": load("node_country_BE.json")}
        self.occurrence_facets: Any = load("occurrence_search_publishingOrg_BE.json")
        #: country -> count and every facet of the occurrences in that country
        self.country_facets: dict[str, Any] = {"BE": load("occurrence_facets_country_BE.json")}
        self.page_cap = 1000
        self.hang_seconds = 30.0
        #: seconds to wait before each normal answer (a slow API, for concurrency tests)
        self.delay = 0.0
        self.faults: list[str] = []
        self.always: str | None = None
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.user_agents: list[str] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def start(self) -> None:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._stop.set()  # wakes "hang" handlers
        self.httpd.shutdown()
        self.httpd.server_close()

    def paths(self) -> list[str]:
        return [path for path, _params in self.requests]

    # --- answers ----------------------------------------------------------------------

    def answer(self, path: str, params: dict[str, str]) -> tuple[int, Any]:
        if path in self.objects:
            return 200, self.objects[path]
        if path == "occurrence/search":
            return 200, self._occurrences(params)
        kind, _sep, key = path.partition("/")
        registry = {"organization": "organization", "dataset": "dataset/search"}.get(kind)
        if registry and key and path not in self.collections:
            found = [r for r in self.collections[registry] if r.get("key") == key]
            return (200, found[0]) if found else (404, {"error": f"no {kind} {key}"})
        parts = path.split("/")
        if len(parts) == 3 and parts[0] == "node" and parts[2] == "organization":
            records = [r for r in self.collections["organization"]
                       if r.get("endorsingNodeKey") == parts[1]]
            return 200, self._page(records, params)
        if path in self.collections:
            records = self.collections[path]
            for name, value in params.items():
                if name in FILTERS:
                    records = [r for r in records if FILTERS[name](r, value)]
            answer = self._page(records, params)
            if path == "dataset/search" and params.get("facet") in DATASET_FACETS:
                answer["facets"] = self._dataset_facets(records, params)
            return 200, answer
        return 404, {"error": f"no fixture for {path}"}

    def _dataset_facets(
        self, records: list[dict[str, Any]], params: dict[str, str]
    ) -> list[dict[str, Any]]:
        value_of = DATASET_FACETS[params["facet"]]
        counts: dict[str, int] = {}
        for record in records:
            value = value_of(record)
            if value:
                counts[value] = counts.get(value, 0) + 1
        ordered = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
        facets = [{"field": facet_field(params["facet"]),
                   "counts": [{"name": name, "count": count} for name, count in ordered]}]
        return facet_answer(facets, params)

    def _page(self, records: list[dict[str, Any]], params: dict[str, str]) -> dict[str, Any]:
        offset = int(params.get("offset", 0))
        limit = min(int(params.get("limit", 20)), self.page_cap)
        return {
            "offset": offset,
            "limit": limit,
            "endOfRecords": offset + limit >= len(records),
            "count": len(records),
            "results": records[offset:offset + limit],
        }

    def _occurrences(self, params: dict[str, str]) -> dict[str, Any]:
        if "country" in params and "facet" in params:
            fixture = self.country_facets.get(params["country"], {"count": 0, "facets": []})
            return {"offset": 0, "limit": 0, "endOfRecords": fixture["count"] == 0,
                    "count": fixture["count"], "results": [],
                    "facets": facet_answer(fixture["facets"], params)}
        data = dict(self.occurrence_facets)
        if params.get("facet") != "publishingOrg":
            data["facets"] = []
        return data

    # --- HTTP -------------------------------------------------------------------------

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                path = parts.path.removeprefix("/v1/").strip("/")
                params = dict(parse_qsl(parts.query))
                with server._lock:
                    server.requests.append((path, params))
                    server.user_agents.append(self.headers.get("User-Agent", ""))
                    fault = server.faults.pop(0) if server.faults else server.always
                if fault:
                    self._fault(fault)
                    return
                if server.delay:
                    server._stop.wait(server.delay)
                status, body = server.answer(path, params)
                self._send(status, json.dumps(body).encode("utf-8"))

            def _fault(self, fault: str) -> None:
                kind, _sep, arg = fault.partition(":")
                if kind == "429":
                    self._send(429, b'{"error": "Too many requests"}',
                               {"Retry-After": arg or "1"})
                elif kind == "500":
                    self._send(500, b"Internal Server Error", content_type="text/plain")
                elif kind == "hang":
                    server._stop.wait(server.hang_seconds)
                elif kind == "html":
                    page = b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>"
                    self._send(200, page, content_type="text/html")
                elif kind == "truncated":
                    self._send(200, b'{"offset":0,"limit":1000,"endOfRecords":true,"count":9,'
                                    b'"results":[{"key":"1cd669d0-80ea-11de-a9d0-f1')

            def _send(
                self, status: int, body: bytes, headers: dict[str, str] | None = None,
                content_type: str = "application/json",
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep pytest output clean

        return Handler


@pytest.fixture
def gbif_server() -> Iterator[GbifTestServer]:
    """A running :class:`GbifTestServer`; stopped (and any hang released) afterwards."""
    server = GbifTestServer()
    server.start()
    yield server
    server.stop()
