"""GBIF data embedded at build time: ``gbif-publishers``, ``gbif-datasets`` and
``gbif-literature``.

The directives read their data through :mod:`.snapshots` (snapshot or API, by the fault
rule) while the page is read, sort it for the page language and keep plain, already
formatted values in one :class:`~.html.gbif_embed` node, which :mod:`.html` writes
with the translator's escaping. Everything that comes from the API is untrusted: text is
escaped, and only http(s) URLs become links or images.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote

from babel import Locale
from babel.dates import format_date
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from ..core.converters import GBIF_KEY, country_code, gbif_key, non_negative_int
from ..core.locale import _, babel_locale, format_number, is_whole_number
from ..core.logs import warn
from ..core.urls import safe_url
from .client import Query
from .html import gbif_embed
from .snapshots import Outcome, data_layer

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

GBIF_SITE = "https://www.gbif.org"
ORGANIZATION_FIELDS = (
    "key", "title", "city", "country", "logoUrl", "numPublishedDatasets", "created",
    "endorsingNodeKey",
)
DATASET_FIELDS = (
    "key", "title", "type", "recordCount", "publishingOrganizationKey",
    "publishingOrganizationTitle", "license", "doi",
)
LITERATURE_FIELDS = (
    "id", "title", "authors", "year", "published", "source", "identifiers", "literatureType",
)
#: Words that do not give a publisher's initials ("University of Liège" -> UL).
_SMALL_WORDS = frozenset(
    "a an and at de del der des di du e et for in la le les of on the und van von voor y".split()
)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")

#: Rows ready to write, and the optional columns shown.
_Items = tuple[list[dict[str, str]], list[str]]
#: The same and a digest of them.
_Rows = tuple[list[dict[str, str]], list[str], str]


# --- values ---------------------------------------------------------------------------


def _as_int(value: Any) -> int:
    return int(value) if is_whole_number(value) else 0


def collation_key(text: str) -> tuple[str, str]:
    """Sort key that ignores accents and case (``Université`` next to ``University``).

    Babel has no collation and the C library's depends on installed locales, so we
    compare base letters first, and the exact text only to break ties."""
    decomposed = unicodedata.normalize("NFKD", text)
    base = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return (base.lstrip("\"'“‘«( "), text)


def initials(name: str) -> str:
    """``RB`` for Royal Belgian Institute...: the placeholder of a publisher without logo."""
    words = [w for w in re.split(r"[\s\-–/]+", name) if w[:1].isalnum()]
    significant = [w for w in words if w.casefold() not in _SMALL_WORDS] or words
    return "".join(w[0].upper() for w in significant[:2]) or "?"


def gbif_link(kind: str, key: Any) -> str | None:
    """``https://www.gbif.org/<kind>/<key>`` for a well-formed key, else None."""
    if isinstance(key, str) and GBIF_KEY.match(key):
        return f"{GBIF_SITE}/{kind}/{key}"
    return None


def text_of(value: Any) -> str:
    """API text as a plain, single-line string (None and non-strings become "")."""
    return " ".join(value.split()) if isinstance(value, str) else ""


def image_url(url: Any, proxy: str | None) -> str | None:
    """The ``src`` for a logo: only http(s) URLs, through *proxy* (``{url}`` receives the
    logo URL percent-encoded exactly once), or the raw URL when *proxy* is None."""
    checked = safe_url(url)
    if checked is None or not checked.lower().startswith(("http://", "https://")):
        return None
    if not proxy:
        return checked
    return proxy.replace("{url}", quote(checked, safe=""))


# --- base directive ---------------------------------------------------------------------


def get_reported(env: BuildEnvironment, query: Query, what: str, location: Any) -> Outcome:
    """The data layer's outcome for *query*; any fault is warned about at *location*.
    The page depends on the snapshot file, so it is read again when it changes."""
    layer = data_layer(env.config)
    outcome = layer.get(query)
    env.note_dependency(str(layer.store.path(query)))
    if outcome.problem and outcome.snapshot is not None:
        warn(
            "%s: %s; using the snapshot of %s", what, outcome.problem,
            outcome.snapshot.fetched.date().isoformat(),
            location=location, subtype="gbif",
        )
    elif outcome.problem:
        warn(
            "%s: %s; no snapshot to fall back on, the page says no data is available",
            what, outcome.problem, location=location, subtype="gbif",
        )
    return outcome


class GbifDataDirective(SphinxDirective):
    """Shared by the three directives: fetching by the fault rule and the notice."""

    kind: ClassVar[str] = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sources: list[Any] = []  # the snapshot data this directive used
        self._fetched: datetime | None = None

    def cached_items(self, make: Callable[[], _Items]) -> _Rows:
        """*make()*, or its result for an identical directive that used the very same
        snapshot data in this build: 50 pages embedding one list build its rows once.
        Also returns a digest of the rows, with which the HTML writer reuses its output."""
        # directive + options + language -> (snapshot data used, (rows, columns, digest))
        made_before = data_layer(self.config).made
        options = sorted((k, v) for k, v in self.options.items() if k != "class")
        key = ("rows", repr((self.name, options, self.config.language,
                             self.config.gbifnode_image_proxy)))
        hit: tuple[list[Any], _Rows] | None = made_before.get(key)
        if hit is not None and len(hit[0]) == len(self._sources) and all(
            a is b for a, b in zip(hit[0], self._sources, strict=True)
        ):
            return hit[1]
        items, columns = make()
        digest = hashlib.sha1(repr((items, columns)).encode("utf-8")).hexdigest()
        made = (items, columns, digest)
        # Keeping the sources alive keeps their ids from being reused by other data.
        made_before[key] = (list(self._sources), made)
        return made

    def fetch(self, query: Query) -> Any:
        """The data for *query*, or None; warns (at this directive) about any fault."""
        outcome = get_reported(self.env, query, self.name, (self.env.docname, self.lineno))
        if outcome.snapshot is None:
            return None
        self._sources.append(outcome.snapshot.data)
        if self._fetched is None:  # the date shown is the main list's
            self._fetched = outcome.snapshot.fetched
        return outcome.snapshot.data

    def embed(self, layout: str, items: list[dict[str, str]] | None, **extra: Any) -> gbif_embed:
        node = gbif_embed(
            "", kind=self.kind, layout=layout, items=items or [],
            classes=[f"gbif-{self.kind}", f"gbif-{self.kind}--{layout}",
                     *self.options.get("class", [])],
            **extra,
        )
        if items is None:
            node["notice"] = True
        else:
            if self._fetched is not None:
                node["fetched"] = format_date(self._fetched, "long", locale=self.locale)
        self.set_source_info(node)
        return node

    @property
    def locale(self) -> Locale:
        return babel_locale(self.config.language)

    def number(self, value: Any) -> str:
        return format_number(value, self.config.language)

    def results(self, data: Any) -> list[dict[str, Any]] | None:
        if not isinstance(data, dict) or not isinstance(data.get("results"), list):
            return None
        return [r for r in data["results"] if isinstance(r, dict)]


def _sorted_limited(
    records: list[dict[str, Any]], sort: str, limit: int, numeric: dict[str, str]
) -> list[dict[str, Any]]:
    """Sort by title (locale-aware), or newest/biggest first for the other keys."""
    records = sorted(records, key=lambda r: collation_key(text_of(r.get("title"))))
    if sort in numeric:
        field = numeric[sort]
        if field == "created":  # ISO timestamps sort as text
            records.sort(key=lambda r: str(r.get(field) or ""), reverse=True)
        else:
            records.sort(key=lambda r: _as_int(r.get(field)), reverse=True)
    return records[:limit] if limit else records


# --- gbif-publishers --------------------------------------------------------------------


class GbifPublishers(GbifDataDirective):
    """``gbif-publishers``: a country's data publishers (or its node's endorsed ones)."""

    kind = "publishers"
    option_spec: ClassVar[dict[str, Any]] = {
        "country": country_code,
        "endorsed-by-node": directives.flag,
        "q": directives.unchanged_required,
        "min-datasets": non_negative_int,
        "sort": lambda v: directives.choice(v, ("title", "datasets", "created")),
        "limit": non_negative_int,
        "layout": lambda v: directives.choice(v, ("grid", "list", "table")),
        "logos": directives.flag,
        "occurrences": directives.flag,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        country = self.options.get("country")
        layout = self.options.get("layout", "grid")
        if not country:
            warn(
                "gbif-publishers: the :country: option is required (e.g. :country: BE)",
                location=(self.env.docname, self.lineno), subtype="option",
            )
            return []
        records = self._organizations(country)
        if records is None:
            return [self.embed(layout, None)]
        counts = self._occurrence_counts(country) if "occurrences" in self.options else None
        items, columns, rows = self.cached_items(lambda: self._items(records, counts))
        return [self.embed(layout, items, columns=columns, rows=rows,
                           logos="logos" in self.options)]

    def _items(
        self, records: list[dict[str, Any]], counts: dict[str, int] | None
    ) -> _Items:
        query_text = self.options.get("q")
        if query_text and "endorsed-by-node" in self.options:
            # The node's list has no server-side search: filter here, accent-insensitively.
            wanted = collation_key(query_text)[0]
            records = [r for r in records if wanted in collation_key(text_of(r.get("title")))[0]]
        minimum = self.options.get("min-datasets", 0)
        records = [r for r in records if _as_int(r.get("numPublishedDatasets")) >= minimum]
        records = _sorted_limited(
            records, self.options.get("sort", "title"), self.options.get("limit", 0),
            {"datasets": "numPublishedDatasets", "created": "created"},
        )
        proxy = self.config.gbifnode_image_proxy
        items = []
        for record in records:
            title = text_of(record.get("title")) or text_of(record.get("key"))
            item = {
                "title": title,
                "url": gbif_link("publisher", record.get("key")) or "",
                "city": text_of(record.get("city")),
                "datasets": self.number(record.get("numPublishedDatasets") or 0),
                "initials": initials(title),
            }
            if "logos" in self.options:
                item["logo"] = image_url(record.get("logoUrl"), proxy) or ""
            if counts is not None:
                item["occurrences"] = self.number(counts.get(str(record.get("key")), 0))
            items.append(item)
        columns = ["datasets"] + (["occurrences"] if counts is not None else [])
        return items, columns

    def _organizations(self, country: str) -> list[dict[str, Any]] | None:
        if "endorsed-by-node" in self.options:
            node = self.fetch(Query(f"node/country/{country}", kind="object",
                                    fields=("key", "title", "country")))
            node_key = node.get("key") if isinstance(node, dict) else None
            if node is not None and not (isinstance(node_key, str) and GBIF_KEY.match(node_key)):
                warn(
                    "gbif-publishers: GBIF has no node for country %s", country,
                    location=(self.env.docname, self.lineno), subtype="gbif",
                )
            if not (isinstance(node_key, str) and GBIF_KEY.match(node_key)):
                return None
            query = Query(f"node/{node_key}/organization", fields=ORGANIZATION_FIELDS)
        else:
            params = [("country", country)]
            if self.options.get("q"):
                params.append(("q", self.options["q"]))
            query = Query("organization", tuple(params), fields=ORGANIZATION_FIELDS)
        return self.results(self.fetch(query))

    def _occurrence_counts(self, country: str) -> dict[str, int] | None:
        """Occurrences per publisher, from one faceted search."""
        data = self.fetch(Query(
            "occurrence/search",
            (("facet", "publishingOrg"), ("facetLimit", "10000"), ("limit", "0"),
             ("publishingCountry", country)),
            kind="count",
        ))
        if not isinstance(data, dict):
            return None
        counts: dict[str, int] = {}
        for facet in data.get("facets") or []:
            if isinstance(facet, dict) and facet.get("field") == "PUBLISHING_ORG":
                for entry in facet.get("counts") or []:
                    if isinstance(entry, dict) and is_whole_number(entry.get("count")):
                        counts[str(entry.get("name"))] = entry["count"]
        return counts


# --- gbif-datasets ----------------------------------------------------------------------


class GbifDatasets(GbifDataDirective):
    """``gbif-datasets``: the datasets of a country's or one publisher's organisations."""

    kind = "datasets"
    option_spec: ClassVar[dict[str, Any]] = {
        "country": country_code,
        "publisher": gbif_key,
        "type": lambda v: directives.choice(
            (v or "").upper(), ("OCCURRENCE", "CHECKLIST", "SAMPLING_EVENT", "METADATA")
        ),
        "sort": lambda v: directives.choice(v, ("title", "records")),
        "limit": non_negative_int,
        "layout": lambda v: directives.choice(v, ("list", "table")),
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        layout = self.options.get("layout", "list")
        params: list[tuple[str, str]] = []
        if "country" in self.options:
            params.append(("publishingCountry", self.options["country"]))
        if "publisher" in self.options:
            params.append(("publishingOrg", self.options["publisher"]))
        if not params:
            warn(
                "gbif-datasets: give :country: or :publisher:",
                location=(self.env.docname, self.lineno), subtype="option",
            )
            return []
        if "type" in self.options:
            params.append(("type", self.options["type"]))
        records = self.results(self.fetch(Query("dataset/search", tuple(params),
                                                fields=DATASET_FIELDS)))
        if records is None:
            return [self.embed(layout, None)]
        records = _sorted_limited(
            records, self.options.get("sort", "title"), self.options.get("limit", 0),
            {"records": "recordCount"},
        )
        items = [
            {
                "title": text_of(r.get("title")) or text_of(r.get("key")),
                "url": gbif_link("dataset", r.get("key")) or "",
                "publisher": text_of(r.get("publishingOrganizationTitle")),
                "publisher_url": gbif_link("publisher", r.get("publishingOrganizationKey")) or "",
                "records": self.number(r.get("recordCount"))
                if is_whole_number(r.get("recordCount")) else "",
            }
            for r in records
        ]
        return [self.embed(layout, items, columns=["records"])]


# --- gbif-literature --------------------------------------------------------------------


def doi_url(identifiers: Any) -> str | None:
    """``https://doi.org/<doi>`` for a well-formed DOI, else None."""
    doi = identifiers.get("doi") if isinstance(identifiers, dict) else None
    if not isinstance(doi, str) or not _DOI.match(doi.strip()):
        return None
    return safe_url("https://doi.org/" + quote(doi.strip(), safe="/:;()._-<>"))


def author_names(authors: Any, most: int = 3) -> str:
    """``Rankou H., M'Sou S., Ait Babahmad R.A. et al.``"""
    names = []
    for author in authors if isinstance(authors, list) else []:
        if isinstance(author, dict):
            name = " ".join(filter(None, (text_of(author.get("lastName")),
                                          text_of(author.get("firstName")))))
            if name:
                names.append(name)
    shown = ", ".join(names[:most])
    return f"{shown} {_('et al.')}" if len(names) > most else shown


class GbifLiterature(GbifDataDirective):
    """``gbif-literature``: peer-reviewed uses of GBIF data by a country's researchers."""

    kind = "literature"
    option_spec: ClassVar[dict[str, Any]] = {
        "country": country_code,
        "limit": non_negative_int,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        if "country" not in self.options:
            warn(
                "gbif-literature: the :country: option is required (e.g. :country: BE)",
                location=(self.env.docname, self.lineno), subtype="option",
            )
            return []
        query = Query(
            "literature/search",
            (("countriesOfResearcher", self.options["country"]), ("peerReview", "true")),
            fields=LITERATURE_FIELDS,
        )
        records = self.results(self.fetch(query))
        if records is None:
            return [self.embed("list", None)]
        # Newest first: by year, then publication date, then title for a stable order.
        records.sort(key=lambda r: collation_key(text_of(r.get("title"))))
        records.sort(key=lambda r: (r.get("year") if is_whole_number(r.get("year")) else 0,
                                    str(r.get("published") or "")), reverse=True)
        limit = self.options.get("limit", 20)
        items = [
            {
                "title": text_of(r.get("title")),
                "authors": author_names(r.get("authors")),
                "year": str(r["year"]) if is_whole_number(r.get("year")) else "",
                "source": text_of(r.get("source")),
                "url": doi_url(r.get("identifiers")) or "",
            }
            for r in (records[:limit] if limit else records)
        ]
        return [self.embed("list", items)]


def setup(app: Sphinx) -> None:
    """Register the three directives."""
    app.add_directive("gbif-publishers", GbifPublishers)
    app.add_directive("gbif-datasets", GbifDatasets)
    app.add_directive("gbif-literature", GbifLiterature)
