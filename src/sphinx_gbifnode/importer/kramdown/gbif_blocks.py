"""Hosted-portal blocks that show GBIF data in the browser, as the directives that draw
the same data at build time: a ``stats`` block whose numbers all come from GBIF API
searches becomes ``gbif-stats``; a ``dashboard`` block becomes one ``gbif-chart`` per
chart that has a facet of the same meaning. What does not map is reported."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import yaml

from .page import TAGS, PageBase

#: API searches -> the words of ``{gbif-count}``.
COUNT_WORDS = {"occurrence/search": "occurrences", "dataset/search": "datasets",
               "organization": "publishers", "literature/search": "literature"}
#: A count the hosted portal fetched in the browser (``<span data-ajax-url="...">``).
AJAX_URL = re.compile(r"data-ajax-url=\"([^\"]+)\"")
#: Dashboard charts (``config.charts`` of the hosted-portal dashboard) -> facets of
#: ``gbif-chart`` on occurrence searches.
DASHBOARD_FACETS = {
    "year": "year", "years": "year", "month": "month", "months": "month",
    "basisofrecord": "basisOfRecord", "kingdom": "kingdomKey", "kingdomkey": "kingdomKey",
    "license": "license", "licenses": "license", "licence": "license",
    "country": "country", "countries": "country", "publishingcountry": "publishingCountry",
    "publisher": "publishingOrg", "publishers": "publishingOrg",
    "publishingorg": "publishingOrg", "dataset": "datasetKey", "datasets": "datasetKey",
    "datasetkey": "datasetKey",
}
#: Label text that the plain labels of ``gbif-stats`` would show as markup.
_MARKUP = re.compile(r"[\[\]*`{}<>_\\|]")


def count_query(title: str) -> str | None:
    """``occurrences?country=BE`` for a stats title holding a ``data-ajax-url`` to a
    GBIF API search, else ``None``."""
    match = AJAX_URL.search(title)
    if not match:
        return None
    parts = urlsplit(match.group(1).replace("&amp;", "&"))
    word = COUNT_WORDS.get(parts.path.removeprefix("/v1/").strip("/"))
    if parts.netloc != "api.gbif.org" or not word:
        return None
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k not in ("limit", "offset")])
    return f"{word}?{query}" if query else word


class GbifBlocks(PageBase):
    """``stats`` -> ``gbif-stats``; ``dashboard`` -> ``gbif-chart``."""

    def stats_directive(self, data: dict[str, Any], line: int) -> bool:
        """Write a stats block as ``gbif-stats`` when each of its numbers is a GBIF
        search and each label plain text; False (nothing written) otherwise."""
        features = data.get("features")
        if not isinstance(features, list) or not features:
            return False
        items = []
        for feature in features:
            if not isinstance(feature, dict):
                return False
            query = count_query(str(feature.get("title") or ""))
            label = " ".join(TAGS.sub("", str(feature.get("description") or "")).split())
            if query is None or _MARKUP.search(label):
                return False
            item = {"count": query, "label": label}
            href = feature.get("href")
            target = self.link(str(href).split(" ")[0], line) if href else None
            if target and (target.startswith(("https://", "http://")) or "://" not in target):
                item["link"] = target
            items.append(item)
        self.note("converted", line, f"stats block -> gbif-stats ({len(items)} numbers from "
                  "GBIF, counted at build time)", snippet=str(features[0].get("title")))
        has_intro = bool(data.get("title") or data.get("description"))
        if has_intro:
            self.out.add("::::{container} gbif-stats", line)
            self.heading_text(data, line)
            self.out.add("", line)
        self.out.add(":::{gbif-stats}", line)
        dumped = yaml.safe_dump(items, allow_unicode=True, sort_keys=False, width=10_000)
        self.out.add(dumped.rstrip("\n"), line)
        self.out.add(":::", line)
        if has_intro:
            self.out.add("::::", line)
        return True

    def heading_text(self, data: dict[str, Any], line: int) -> None:
        """The title and description of a block (see :class:`.composition.Composition`)."""
        raise NotImplementedError

    def block_dashboard(self, data: dict[str, Any], line: int) -> None:
        config: dict[str, Any] = data["config"] if isinstance(data.get("config"), dict) else {}
        charts = config.get("charts")
        query = self.dashboard_query(config.get("predicate"), line)
        facets: list[str] = []
        for chart in charts if isinstance(charts, list) else []:
            facet = DASHBOARD_FACETS.get(str(chart).replace("_", "").lower())
            if facet is None:
                self.note("kept", line, f"dashboard chart {chart!r} has no gbif-chart "
                          "equivalent: left out (see docs/charts.md for the facets)")
            elif facet not in facets:
                facets.append(facet)
        if not isinstance(charts, list):
            self.note("kept", line, "dashboard block without config.charts (the hosted "
                      "portal showed its default charts): no chart written")
        if query is None or not facets:
            self.out.add(f"% composition block dashboard: data {data.get('config')!r}"
                         .replace("\n", " "), line)
            return
        self.note("converted", line, f"dashboard -> {len(facets)} gbif-chart ({query}: "
                  f"{', '.join(facets)})")
        self.out.add("::::{container} gbif-dashboard", line)
        self.heading_text(data, line)
        for facet in facets:
            self.out.add("", line)
            self.out.add(f":::{{gbif-chart}}\n:query: {query}\n:facet: {facet}\n:::", line)
        self.out.add("::::", line)

    def dashboard_query(self, predicate: Any, line: int) -> str | None:
        """``occurrences?country=BE`` for a dashboard's predicate (``equals``, ``in`` and
        ``and`` of those), or the node's country when it has none; else ``None``."""
        if predicate is None:
            if self.country:
                self.note("converted", line, "dashboard without a predicate (the hosted "
                          f"portal used the site's): charts of country {self.country}")
                return f"occurrences?country={self.country}"
            self.note("kept", line, "dashboard without a predicate and no country known: "
                      "left out")
            return None
        params: list[tuple[str, str]] = []
        if not _predicate_params(predicate, params):
            self.note("kept", line, f"dashboard predicate {predicate!r} is not a simple "
                      "search (equals, in, and): charts left out")
            return None
        return "occurrences?" + urlencode(params)


def _predicate_params(predicate: Any, params: list[tuple[str, str]]) -> bool:
    if not isinstance(predicate, dict):
        return False
    kind = str(predicate.get("type") or "").lower()
    key = predicate.get("key")
    if kind == "and" and isinstance(predicate.get("predicates"), list):
        return all(_predicate_params(item, params) for item in predicate["predicates"])
    if not isinstance(key, str) or not re.fullmatch(r"[A-Za-z]+", key):
        return False
    if kind == "equals" and isinstance(predicate.get("value"), str | int):
        params.append((key, str(predicate["value"])))
        return True
    if kind == "in" and isinstance(predicate.get("values"), list):
        params.extend((key, str(value)) for value in predicate["values"])
        return bool(predicate["values"])
    return False
